import { biscCountUnchecked } from "./bisc.ts";
import { baseTable, MAX_TABLE_BITS } from "./product-table.ts";
import { makeSngSource } from "./sng.ts";
import { resolveSpec, type ResolvedSpec, type ScSpec } from "./spec.ts";
import { checkSigned } from "./validate.ts";

/**
 * Unsigned product count in stream/count terms (s drives the SNG, c is counted), for any N:
 * bisc by the closed form, other schemes by their table (N ≤ 12) or by clocking the SNGs.
 */
export function unsignedCount(spec: ResolvedSpec, s: number, c: number): number {
  if (spec.scheme === "bisc") return biscCountUnchecked(s, c, spec.bits);
  if (spec.bits <= MAX_TABLE_BITS) return baseTable(spec)[s * 2 ** spec.bits + c]!;
  if (spec.scheme === "bitrev") {
    const src = makeSngSource(spec, "stream");
    let n = 0;
    for (let t = 0; t < c; t++) n += src.bit(s, src.next());
    return n;
  }
  const a = makeSngSource(spec, "stream");
  const b = makeSngSource(spec, "count");
  let n = 0;
  for (let t = 2 ** spec.bits; t > 0; t--) n += a.bit(s, a.next()) & b.bit(c, b.next());
  return n;
}

/**
 * Signed SC product count of x and w (sign-magnitude): sign(x)·sign(w)·count(|x|, |w|), where
 * count takes the stream operand first (x, or w when countOperand is "x"). Ideal value x·w/2^N.
 */
export function scMultiply(spec: ScSpec, x: number, w: number): number {
  const s = resolveSpec(spec);
  checkSigned(x, s.bits, "x");
  checkSigned(w, s.bits, "w");
  const xm = Math.abs(x);
  const wm = Math.abs(w);
  const c = s.countOperand === "w" ? unsignedCount(s, xm, wm) : unsignedCount(s, wm, xm);
  return x < 0 !== w < 0 ? 0 - c : c;
}
