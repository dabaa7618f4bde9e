import { wrapToBits } from "./accumulator.ts";
import { convGeometry, convOutputIndex, im2colRow, type Conv2dOptions } from "./conv2d.ts";
import {
  biscBitAt,
  biscPrefixOnes,
  geometricGap,
  groupWeightRows,
  hasNegative,
  memoised,
  resolveFaultSpec,
  type FaultWeightMemo,
  type FaultSite,
  type ResolvedFaultSpec,
} from "./faults-model.ts";
import type { Rng } from "./prng.ts";
import { MAX_TABLE_BITS, productTable } from "./product-table.ts";
import { checkInteger, checkLength, checkSignedArray } from "./validate.ts";

/**
 * Permanent stuck-at faults, the second fault model: one bit of one site of a lane is stuck at 0
 * or 1 for the whole run (the lane's other bits are fine).
 * - `sc-stream`: the SNG output wire (one bit, `bit` must be 0): stuck-at-1 counts every cycle
 *   (product = |w|), stuck-at-0 counts nothing;
 * - `sc-accumulator` / `bin-accumulator`: bit k of the register is forced after reset and after
 *   every update (forcing is idempotent, so only updates matter);
 * - `bin-product`: bit k of the 2N-bit magnitude product is forced, every MAC.
 * The SC down counter is not offered: a down-counter bit stuck at 1 never lets the product end
 * (the lane hangs), which no accuracy figure can express.
 */
export type StuckSite = Exclude<FaultSite, "sc-down-counter">;
export const STUCK_SITES: readonly StuckSite[] = ["sc-stream", "sc-accumulator", "bin-product", "bin-accumulator"];

export interface StuckAtSpec {
  site: StuckSite;
  bits: number;
  /** The stuck bit (0 for sc-stream; < 2N for bin-product; < accBits for accumulators). */
  bit: number;
  value: 0 | 1;
  accBits?: number;
  zeroWeightCycles?: 0 | 1;
}

/** Number of bits of a site in which one can be stuck. */
export function stuckSiteWidth(rs: Pick<ResolvedFaultSpec, "site" | "bits" | "accBits">): number {
  switch (rs.site) {
    case "sc-stream":
      return 1;
    case "bin-product":
      return 2 * rs.bits;
    default:
      return rs.accBits;
  }
}

function resolveStuck(spec: StuckAtSpec, fanIn: number): ResolvedFaultSpec & { bit: number; value: 0 | 1 } {
  if (!STUCK_SITES.includes(spec.site))
    throw new RangeError(`stuckAt.site must be one of ${STUCK_SITES.join(", ")}, got ${JSON.stringify(spec.site)}`);
  const rs = resolveFaultSpec(
    { site: spec.site, rate: 0, bits: spec.bits, accBits: spec.accBits, zeroWeightCycles: spec.zeroWeightCycles },
    fanIn,
    "stuckAt",
  );
  checkInteger(spec.bit, "stuckAt.bit", 0, stuckSiteWidth(rs) - 1);
  if (spec.value !== 0 && spec.value !== 1)
    throw new RangeError(`stuckAt.value must be 0 or 1, got ${String(spec.value)}`);
  return { ...rs, bit: spec.bit, value: spec.value };
}

/** Two's-complement `accBits` register v with bit k forced to `value`. */
export function forceAccBit(v: number, k: number, value: 0 | 1, accBits: number): number {
  const span = 2 ** accBits;
  let u = v < 0 ? v + span : v;
  const bit = Math.floor(u / 2 ** k) % 2;
  if (bit !== value) u += value ? 2 ** k : -(2 ** k);
  return u >= span / 2 ? u - span : u;
}

/**
 * The register after |steps| updates by ±1 (the sign of `steps`), each followed by forcing bit k to
 * `value`, from a register v whose bit k already holds it — in O(1) instead of one step at a time.
 * A carry (+1) or borrow (−1) reaching bit k either passes on to the bits above (a carry into a
 * forced 1, a borrow from a forced 0: bit k flips, carries on, and is forced back) or dies there
 * (the other two cases). Passing, the B − 1 other bits count as one (B − 1)-bit counter; dying,
 * the k bits below count alone, mod 2^k, and the bits above stay.
 */
export function forcedCountSteps(v: number, steps: number, k: number, value: 0 | 1, accBits: number): number {
  if (steps === 0) return v;
  const span = 2 ** accBits;
  const u = v < 0 ? v + span : v;
  const pk = 2 ** k;
  const low = u % pk;
  const high = Math.floor(u / (2 * pk));
  let next: number;
  if ((value === 1) === steps > 0) {
    const mod = span / 2;
    let c = (high * pk + low + steps) % mod;
    if (c < 0) c += mod;
    next = Math.floor(c / pk) * 2 * pk + value * pk + (c % pk);
  } else {
    let l = (low + steps) % pk;
    if (l < 0) l += pk;
    next = high * 2 * pk + value * pk + l;
  }
  return next >= span / 2 ? next - span : next;
}

/** Exact reference: the lane clocked cycle by cycle (as `simulateFaultyMacLane`) with one bit stuck. */
export function simulateStuckMacLane(
  spec: StuckAtSpec,
  xs: ArrayLike<number>,
  ws: ArrayLike<number>,
): { acc: number; cycles: number } {
  checkLength(ws, xs.length, "ws");
  const s = resolveStuck(spec, xs.length);
  checkSignedArray(xs, s.bits, "xs");
  checkSignedArray(ws, s.bits, "ws");
  const B = s.accBits;
  const accStuck = s.site === "sc-accumulator" || s.site === "bin-accumulator";
  const force = (v: number) => (accStuck ? forceAccBit(v, s.bit, s.value, B) : v);
  let acc = force(0);
  let cycles = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const w = ws[i]!;
    const xm = Math.abs(x);
    const wm = Math.abs(w);
    const dir = x < 0 !== w < 0 ? -1 : 1;
    if (s.sc) {
      if (wm === 0) {
        cycles += s.zeroWeightCycles;
        acc = force(acc);
        continue;
      }
      for (let t = 1; t <= wm; t++) {
        const bit = s.site === "sc-stream" ? s.value : biscBitAt(xm, s.bits, t);
        if (bit) acc = wrapToBits(acc + dir, B);
        acc = force(acc);
        cycles++;
      }
    } else {
      let m = xm * wm;
      if (s.site === "bin-product") m = s.value ? m | (1 << s.bit) : m & ~(1 << s.bit);
      acc = force(wrapToBits(acc + dir * m, B));
      cycles++;
    }
  }
  return { acc, cycles };
}

/** Fast stuck-at dot product (per product, not per cycle, where a closed form exists); equal to the reference. */
export function stuckDot(spec: StuckAtSpec, xs: ArrayLike<number>, ws: ArrayLike<number>): number {
  checkLength(ws, xs.length, "ws");
  const s = resolveStuck(spec, xs.length);
  checkSignedArray(xs, s.bits, "xs");
  checkSignedArray(ws, s.bits, "ws");
  return stuckDotUnchecked(s, s.bit, s.value, xs, 0, ws, 0, xs.length, biscTable(s));
}

/** The BISC count table [xm · 2^N + wm] the sc-accumulator's stuck lanes read (null: another site, or N above the table's). */
function biscTable(s: ResolvedFaultSpec): Int32Array | null {
  return s.site === "sc-accumulator" && s.bits <= MAX_TABLE_BITS
    ? productTable({ scheme: "bisc", bits: s.bits }).table
    : null;
}

function stuckDotUnchecked(
  s: ResolvedFaultSpec,
  bit: number,
  value: 0 | 1,
  xs: ArrayLike<number>,
  xOff: number,
  ws: ArrayLike<number>,
  wOff: number,
  k: number,
  table: Int32Array | null,
): number {
  const B = s.accBits;
  const N = s.bits;
  let acc = 0;
  switch (s.site) {
    case "sc-stream":
      for (let i = 0; i < k; i++) {
        const x = xs[xOff + i]!;
        const w = ws[wOff + i]!;
        if (value) acc += (x < 0 !== w < 0 ? -1 : 1) * Math.abs(w);
      }
      return wrapToBits(acc, B);
    case "bin-product":
      for (let i = 0; i < k; i++) {
        const x = xs[xOff + i]!;
        const w = ws[wOff + i]!;
        let m = Math.abs(x) * Math.abs(w);
        m = value ? m | (1 << bit) : m & ~(1 << bit);
        acc += (x < 0 !== w < 0 ? -1 : 1) * m;
      }
      return wrapToBits(acc, B);
    case "bin-accumulator":
      acc = forceAccBit(0, bit, value, B);
      for (let i = 0; i < k; i++) acc = forceAccBit(wrapToBits(acc + xs[xOff + i]! * ws[wOff + i]!, B), bit, value, B);
      return acc;
    default: {
      // sc-accumulator: one forced ±1 step per stream one (zero stream bits leave the register
      // alone), a product's ones at once
      acc = forceAccBit(0, bit, value, B);
      const size = 2 ** N;
      for (let i = 0; i < k; i++) {
        const x = xs[xOff + i]!;
        const w = ws[wOff + i]!;
        const xm = x < 0 ? -x : x;
        const wm = w < 0 ? -w : w;
        const ones = table ? table[xm * size + wm]! : biscPrefixOnes(xm, N, wm);
        acc = forcedCountSteps(acc, x < 0 !== w < 0 ? -ones : ones, bit, value, B);
      }
      return acc;
    }
  }
}

export interface StuckLane {
  /** Index into the output array. */
  index: number;
  bit: number;
  value: 0 | 1;
}

/**
 * Stuck-at lanes in a layer: each output (one lane's dot product) is, independently with
 * probability `fraction`, computed by a lane with one uniformly chosen bit of `site` stuck at a
 * uniformly chosen value; its value in `out` is replaced by the stuck lane's. `a` M×K row-major
 * stream operands, `b` N×K count operands. Returns the affected lanes (drawn in output order).
 */
export function injectGemmStuckAt(
  spec: { site: StuckSite; bits: number; fraction: number; accBits?: number },
  rng: Rng,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  out: Int32Array,
  outIndex: (row: number, col: number) => number = (r, c) => r * n + c,
  /** Memoises the weight-derived work across calls with the same `b` (see FaultWeightMemo). */
  memo: FaultWeightMemo | null = null,
): StuckLane[] {
  checkLength(a, m * k, "a");
  checkLength(b, n * k, "b");
  if (!(spec.fraction >= 0 && spec.fraction <= 1))
    throw new RangeError(`stuckAt.fraction must be in 0…1, got ${String(spec.fraction)}`);
  const base = resolveStuck({ site: spec.site, bits: spec.bits, bit: 0, value: 0, accBits: spec.accBits }, k);
  checkSignedArray(a, base.bits, "a");
  const row = (r: number) => ({ data: a, offset: r * k });
  return stuckRows(spec, base, rng, row, !hasNegative(a), b, m, k, n, out, outIndex, memo);
}

/**
 * The lanes' loop: the stuck lanes are a Bernoulli(fraction) selection of the outputs in order
 * (row by row), found by geometric gaps (O(lanes), not a draw per output); each draws its bit and
 * value. `row(r)` gives the K stream operands of row r as `data[offset …]`, asked only for a stuck
 * lane's row, and not at all for an sc-stream lane when `nonNegative` (no stream operand is
 * negative): its value is then Σ w over the weight row, or 0.
 */
function stuckRows(
  spec: { fraction: number },
  base: ResolvedFaultSpec,
  rng: Rng,
  row: (r: number) => { data: ArrayLike<number>; offset: number },
  nonNegative: boolean,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  out: Int32Array,
  outIndex: (row: number, col: number) => number,
  memo: FaultWeightMemo | null,
): StuckLane[] {
  memoised(memo, b, `checked/${base.bits}`, () => checkSignedArray(b, base.bits, "b"));
  const width = stuckSiteWidth(base);
  const table = biscTable(base);
  const lanes: StuckLane[] = [];
  const fraction = spec.fraction;
  if (fraction === 0) return lanes;
  // sc-stream stuck at 1 with x ≥ 0 counts Σ |w| signed by w: the weight row's sum
  let wSum: Float64Array | null = null;
  if (base.site === "sc-stream" && nonNegative)
    wSum = memoised(memo, b, `rowSums/${n}/${k}/${base.accBits}`, () => {
      const sums = new Float64Array(n);
      for (let c = 0; c < n; c++) {
        let t = 0;
        for (let i = 0; i < k; i++) t += b[c * k + i]!;
        sums[c] = wrapToBits(t, base.accBits);
      }
      return sums;
    });
  const lf = Math.log1p(-fraction);
  const total = m * n;
  for (let o = geometricGap(rng, fraction, lf); o < total; o += 1 + geometricGap(rng, fraction, lf)) {
    const r = Math.floor(o / n);
    const c = o - r * n;
    const bit = rng.int(width);
    const value = rng.int(2) as 0 | 1;
    const index = outIndex(r, c);
    if (wSum !== null) out[index] = value ? wSum[c]! : 0;
    else {
      const x = row(r);
      out[index] = stuckDotUnchecked(base, bit, value, x.data, x.offset, b, c * k, k, table);
    }
    lanes.push({ index, bit, value });
  }
  return lanes;
}

/** `injectGemmStuckAt` for a convolution ([N, K, P, Q] output), over the im2col windows. */
export function injectConv2dStuckAt(
  spec: { site: StuckSite; bits: number; fraction: number; accBits?: number },
  rng: Rng,
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: Conv2dOptions,
  out: Int32Array,
  /** Memoises the weight-derived work across calls with the same `weight` (see FaultWeightMemo). */
  memo: FaultWeightMemo | null = null,
): StuckLane[] {
  const g = convGeometry(inShape, wShape, opts);
  checkLength(out, g.N * g.K * g.P * g.Q, "out");
  const Kg = g.Cg * g.R * g.S;
  const M = g.N * g.P * g.Q;
  const lanes: StuckLane[] = [];
  if (!(spec.fraction >= 0 && spec.fraction <= 1))
    throw new RangeError(`stuckAt.fraction must be in 0…1, got ${String(spec.fraction)}`);
  const base = resolveStuck({ site: spec.site, bits: spec.bits, bit: 0, value: 0, accBits: spec.accBits }, Kg);
  checkSignedArray(input, base.bits, "input");
  const nonNegative = !hasNegative(input);
  for (let grp = 0; grp < g.groups; grp++) {
    // a stuck lane's im2col row, gathered from the input when needed (not the whole matrix)
    const data = new Int32Array(Kg);
    let last = -1;
    const row = (r: number) => {
      if (r !== last) {
        im2colRow(input, g, grp, r, data);
        last = r;
      }
      return { data, offset: 0 };
    };
    const wRows = groupWeightRows(weight, grp, g.Kg * Kg, memo);
    const groupLanes = stuckRows(
      spec,
      base,
      rng,
      row,
      nonNegative,
      wRows,
      M,
      Kg,
      g.Kg,
      out,
      convOutputIndex(g, grp),
      memo,
    );
    // a loop, not push(...groupLanes): a large batch at fraction 0.1 has more stuck lanes than
    // a spread call's arguments fit on the stack
    for (const lane of groupLanes) lanes.push(lane);
  }
  return lanes;
}
