import { makeSngSource } from "./sng.ts";
import { resolveSpec, specKey, type ResolvedSpec, type ScSpec } from "./spec.ts";
import { checkBits } from "./validate.ts";

/** Largest N for which a full product table (2^N × 2^N Int32) is built: 2^24 entries, 64 MB. */
export const MAX_TABLE_BITS = 12;

export interface ProductTable {
  bits: number;
  /** 2^N. */
  size: number;
  /** Unsigned product counts, table[xm * size + wm] for magnitudes xm = |x|, wm = |w|. */
  table: Int32Array;
}

/**
 * Row generator of a scheme's product count, in stream-operand/count-operand terms: calls
 * `row(s, counts)` for s = 0…2^N − 1 with counts[c] = count(stream magnitude s, count magnitude c).
 * `counts` is reused between calls. O(4^N) time, O(2^N) memory — built from prefix counts of the
 * same SNG sources the cycle-level simulator clocks, never from the closed form.
 *  - bisc/bitrev: counts[c] = ones among the first c bits of s's stream (a prefix count).
 *  - lfsr/sobol: counts[c] = #{t ≤ 2^N : rA(t) < s and rB(t) < c}, a 2-D dominance count over
 *    the points (rA(t), rB(t)); rows are built by adding the points with rA = s − 1 to the
 *    previous row (a 2-D prefix sum computed one row at a time).
 */
export function forEachCountRow(spec: ResolvedSpec, row: (s: number, counts: Int32Array) => void): void {
  const size = 2 ** spec.bits;
  const counts = new Int32Array(size);
  if (spec.scheme === "bisc" || spec.scheme === "bitrev") {
    const src = makeSngSource(spec, "stream");
    const sel = new Uint32Array(size);
    for (let t = 0; t < size; t++) sel[t] = src.next();
    for (let s = 0; s < size; s++) {
      let ones = 0;
      counts[0] = 0;
      for (let c = 1; c < size; c++) {
        ones += src.bit(s, sel[c - 1]!);
        counts[c] = ones;
      }
      row(s, counts);
    }
    return;
  }
  const a = makeSngSource(spec, "stream");
  const b = makeSngSource(spec, "count");
  // Bucket the cycles by the stream generator's value rA(t), keeping rB(t).
  const bucketStart = new Int32Array(size + 1);
  const ra = new Uint32Array(size);
  const rb = new Uint32Array(size);
  for (let t = 0; t < size; t++) {
    ra[t] = a.next();
    rb[t] = b.next();
    bucketStart[ra[t]! + 1]!++;
  }
  for (let v = 0; v < size; v++) bucketStart[v + 1]! += bucketStart[v]!;
  const fill = bucketStart.slice(0, size);
  const byA = new Uint32Array(size);
  for (let t = 0; t < size; t++) byA[fill[ra[t]!]!++] = rb[t]!;
  for (let s = 0; s < size; s++) {
    if (s > 0) {
      for (let p = bucketStart[s - 1]!; p < bucketStart[s]!; p++) {
        for (let c = byA[p]! + 1; c < size; c++) counts[c]!++;
      }
    }
    row(s, counts);
  }
}

const cache = new Map<string, Int32Array>();

/** Stream-operand-major table base[s * size + c] (cached per scheme, N and seeds). */
export function baseTable(spec: ResolvedSpec): Int32Array {
  checkBits(spec.bits, "bits (N) for a product table", MAX_TABLE_BITS);
  const key = specKey(spec);
  let t = cache.get(key);
  if (!t) {
    const size = 2 ** spec.bits;
    const table = new Int32Array(size * size);
    forEachCountRow(spec, (s, counts) => table.set(counts, s * size));
    t = table;
    cache.set(key, t);
  }
  return t;
}

/**
 * The product table of a scheme: table[xm * size + wm] = count(|x|, |w|) (unsigned), honouring
 * countOperand (with "x" the count operand is x, so the entry is the base count with roles
 * swapped). Any scheme with fixed seeds is a deterministic table; N ≤ 12.
 */
export function productTable(spec: ScSpec): ProductTable {
  const s = resolveSpec(spec);
  const base = baseTable(s);
  const size = 2 ** s.bits;
  if (s.countOperand === "w") return { bits: s.bits, size, table: base };
  const key = `${specKey(s)}/T`;
  let t = cache.get(key);
  if (!t) {
    t = new Int32Array(size * size);
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) t[i * size + j] = base[j * size + i]!;
    cache.set(key, t);
  }
  return { bits: s.bits, size, table: t };
}

/** Drop cached tables (memory). */
export function clearProductTableCache(): void {
  cache.clear();
}
