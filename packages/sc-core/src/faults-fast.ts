import { wrapToBits } from "./accumulator.ts";
import { convGeometry, convOutputIndex, im2colRow, type Conv2dOptions } from "./conv2d.ts";
import {
  anyFlipProbability,
  biscBitAt,
  biscPrefixOnes,
  flipAccBit,
  geometricGap,
  groupWeightRows,
  hasNegative,
  memoised,
  type FaultWeightMemo,
  FlipMaskSampler,
  resolveFaultSpec,
  type FaultSpec,
  type ResolvedFaultSpec,
} from "./faults-model.ts";
import type { Rng } from "./prng.ts";
import { MAX_TABLE_BITS, productTable } from "./product-table.ts";
import { checkInteger, checkLength, checkSignedArray } from "./validate.ts";
import { wasmIntConv2d, wasmIntGemm } from "./wasm/int.ts";

/**
 * Fast fault injection for whole layers, equal in distribution to `simulateFaultyMacLane` (the
 * exact per-cycle reference) — not an approximation: the fault-free result comes from any exact
 * kernel, and only the faults are sampled.
 *
 * Every site's flips form a Bernoulli(p) process over a fixed timeline of "exposure units" that
 * the fault-free lane defines (stream bits, counter cycles, accumulator bit-cycles, product bits).
 * Instead of one draw per unit, the position of the next flip is drawn as a geometric gap and
 * carried across outputs (memoryless), so an output with no flip costs O(1) and an output with
 * flips O(fan-in + flips). At a flip the lane state the flip hits is reconstructed exactly:
 * - sc-stream: stream bit t of product i is `biscBitAt(|x_i|, N, t)`; a flip changes the count by
 *   +1 (a zero gained counted up, or a one lost counted down) or −1 (the other two), so an
 *   output's error is Bin(I, p) − Bin(U − I, p), where U = Σ|w_i| stream bits of which I would
 *   raise the count (`BinomialSampler`, exact). I = (U + Σ s_i·w_i)/2 − clean (s_i = −1 where
 *   x_i < 0): the fault-free count and one integer convolution give it for a whole layer ("kernel
 *   I"; no convolution when no input is negative). A layer whose outputs expect ≥
 *   STREAM_DENSE_MIN_MEAN_FLIPS flips draws every output so ("dense": no gaps, no operand rows); a
 *   sparser one walks the gaps, and a hit output takes the two blocks (the first flip at the gap,
 *   the rest binomial) with kernel I, or without it (negative inputs, "loop") from
 *   STREAM_AGGREGATE_MIN_FLIPS expected flips, below walks its flips product by product.
 * - sc-down-counter: units are the cycles after which the counter still holds a non-zero count
 *   (⌈|w|/b⌉ − 1 per product, a cycle takes b stream bits off the counter): a flip in a product's
 *   last cycle is lost (the counter reaches 0, see faults-model.ts), so those cycles are skipped
 *   rather than drawn and discarded — the same law, and at large b (where most products take one
 *   cycle) most outputs have no unit at all. A cycle is faulty with q = 1 − (1−p)^N and its flip
 *   mask is drawn conditioned on being non-empty (`FlipMaskSampler`). From the first faulty cycle of a product, the
 *   rest of that product (whose length the faults change) is run as the exact Markov chain of the
 *   remaining length; the product then counts the ones in the first L stream bits. The process
 *   restarts (memoryless) at the next product.
 * - sc-accumulator / bin-accumulator: units are (cycle, bit), ⌈|w|/b⌉ SC cycles per product; the
 *   register at that cycle is the fault-free running sum (prefix of products + the partial count of
 *   the current product's first min(cycles·b, |w|) stream bits) plus
 *   earlier flips, wrapped to accBits; the flip adds ±2^k by that bit's current value (the MSB's
 *   ∓2^(B−1) included).
 * - bin-product: units are (MAC, product bit k < 2N); bit k of the (already flipped) magnitude
 *   |x_i|·|w_i| toggles, the signed product changes by ±2^k.
 * Each design's outputs are independent lanes here. In a BISC-MVM unit the down counter is shared
 * by M lanes, so its faults are correlated across those lanes; each output's law is the same.
 */

/**
 * sc-stream, sparse layers (the gap walk): a hit output expecting at least this many flips (units · p)
 * counts its two blocks product by product and draws them as binomials; below, its flips are
 * walked product by product.
 */
export const STREAM_AGGREGATE_MIN_FLIPS = 30;

/** sc-stream layers whose outputs expect at least this many flips on average draw every output's error directly (dense). */
export const STREAM_DENSE_MIN_MEAN_FLIPS = 1;

interface Exposure {
  /** Exposure units of output column n (one dot product with weight row n). */
  units: Float64Array;
  /** Flip probability of one unit. */
  unitP: number;
  /** sc-stream / sc-down-counter: cumulative |w| per column, (K + 1) entries per column. */
  cum: Float64Array | null;
  /**
   * sc-down-counter, when the layer has at most DOWN_COUNTER_UNIT_MAP_MAX units: the product of
   * each unit (column c's unit u at unitProduct[unitStart[c] + u]), what productAt finds by search.
   */
  unitProduct: Int32Array | null;
  unitStart: Float64Array | null;
  /** BISC count table [xm · 2^N + wm] when N ≤ 12 (else counts by the closed form). */
  table: Int32Array | null;
  /** sc-stream: Σ w of each column (signed), for a dense layer's kernel I. */
  wSum: Float64Array | null;
  /** sc-stream: the layer's binomial draws (CDF rows shared by its outputs). */
  bin: BinomialSampler | null;
  /** sc-down-counter: the layer's non-empty N-bit flip masks. */
  masks: FlipMaskSampler | null;
  /** ln(1 − p), ln(1 − unitP) and 1 − (1 − p)^N, computed once per layer for the draws. */
  lp: number;
  lu: number;
  anyFlip: number;
}

/** Everything a resolved spec's exposure depends on besides the weights. */
function faultSpecKey(rs: ResolvedFaultSpec): string {
  return `${rs.site}/${rs.bits}/${rs.parallel}/${rs.accBits}/${rs.zeroWeightCycles}/${rs.rate}`;
}

/**
 * How an sc-stream layer gets each drawn output's I (stream bits whose flip raises the count):
 * "kernel" (default) from the fault-free count and Σ over x_i < 0 of w_i (one exact integer
 * convolution, none when no input is negative), so a hit output needs no operands; "loop" from the
 * operands product by product, and a sparse layer's hit outputs walk their flips below
 * STREAM_AGGREGATE_MIN_FLIPS (the reference the kernel path is tested against: the same I, so the
 * same draws wherever both take the blocks).
 */
export type StreamCountsMode = "kernel" | "loop";

/** An sc-stream layer's injection: dense or the gap walk; I from the kernel result (negW: Σ_{x_i<0} w_i per output, indexed like `out`, null when no input is negative) or product by product. */
interface StreamPlan {
  dense: boolean;
  kernel: boolean;
  negW: Int32Array | null;
}

/**
 * The plan of an sc-stream layer (null for other sites). A negative input needs the integer
 * convolution `negConv` for kernel I; it is run only for a dense layer (where every output is
 * drawn) and when `negConv` exists, else I is counted from the operands.
 */
function streamPlan(
  rs: ResolvedFaultSpec,
  w: ArrayLike<number>,
  rows: number,
  k: number,
  mode: StreamCountsMode,
  input: ArrayLike<number>,
  negConv: (() => Int32Array) | null,
  memo: FaultWeightMemo | null,
): StreamPlan | null {
  if (rs.site !== "sc-stream" || rs.rate <= 0) return null;
  const dense = memoised(memo, w, `dense/${faultSpecKey(rs)}/${rows}/${k}`, () => isDenseStream(rs, w, rows, k));
  if (mode === "loop") return { dense, kernel: false, negW: null };
  if (!hasNegative(input)) return { dense, kernel: true, negW: null };
  if (dense && negConv !== null) return { dense, kernel: true, negW: negConv() };
  return { dense, kernel: false, negW: null };
}

/**
 * I of output `idx` from its fault-free BISC count: (U + W − 2·negW)/2 − clean, exact integer
 * arithmetic (U + Σ s_i·w_i is twice the bits counted up). Outside 0…U, `out` does not hold the
 * BISC counts: refused.
 */
function kernelIncrements(u: number, wSum: number, negW: number, clean: number, idx: number): number {
  const inc = (u + wSum - 2 * negW) / 2 - clean;
  if (!(inc >= 0 && inc <= u))
    throw new RangeError(
      `out[${idx}] = ${clean} is not a BISC count of its row (sc-stream faults need the fault-free BISC result)`,
    );
  return inc;
}

/**
 * The error of an sc-stream lane whose first flip is at `pos` on the block timeline [the I bits that
 * raise the count | the U − I others] (any fixed order of independent bits has the same law): the
 * bits before `pos` did not flip, each block's later bits flip as one binomial.
 */
function streamBlockDelta(rng: Rng, bin: BinomialSampler, inc: number, units: number, pos: number): number {
  if (pos < inc) return 1 + bin.draw(rng, inc - pos - 1) - bin.draw(rng, units - inc);
  return -1 - bin.draw(rng, units - pos - 1);
}

const i32 = (v: ArrayLike<number>): Int32Array => (v instanceof Int32Array ? v : Int32Array.from(v));
const negIndicator = (v: ArrayLike<number>): Int32Array => {
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! < 0 ? 1 : 0;
  return out;
};

/**
 * Whether an sc-stream layer is dense: its outputs expect at least STREAM_DENSE_MIN_MEAN_FLIPS
 * stream flips on average (Σ|w| · p over the weight rows / rows). Then most outputs are hit and
 * two binomial draws per output cost less than the gaps, the operand rows and the walk.
 */
function isDenseStream(rs: ResolvedFaultSpec, w: ArrayLike<number>, rows: number, k: number): boolean {
  let total = 0;
  for (let i = 0; i < rows * k; i++) {
    const v = w[i]!;
    total += v < 0 ? -v : v;
  }
  return total * rs.rate >= STREAM_DENSE_MIN_MEAN_FLIPS * rows;
}

/**
 * I of one sc-stream lane: how many of its Σ|w_i| stream bits raise the count when flipped (the
 * zeros of products counted up, the ones of products counted down).
 */
function streamIncrements(
  N: number,
  table: Int32Array | null,
  xs: Int32Array,
  xOff: number,
  ws: Int32Array,
  wOff: number,
  k: number,
): number {
  const size = 2 ** N;
  let inc = 0;
  for (let i = 0; i < k; i++) {
    const x = xs[xOff + i]!;
    const w = ws[wOff + i]!;
    const wm = w < 0 ? -w : w;
    if (wm === 0) continue;
    const xm = x < 0 ? -x : x;
    const ones = table ? table[xm * size + wm]! : biscPrefixOnes(xm, N, wm);
    inc += x < 0 !== w < 0 ? ones : wm - ones;
  }
  return inc;
}

/**
 * Per output column (weight row n): the exposure units of one dot product and the unit's flip
 * probability. `walk`: sc-stream outputs may walk their flips product by product, which needs `cum`
 * (with kernel I or a dense layer none does).
 */
function exposure(rs: ResolvedFaultSpec, w: ArrayLike<number>, n: number, k: number, walk: boolean): Exposure {
  const units = new Float64Array(n);
  const N = rs.bits;
  const b = rs.parallel;
  const needCum = (rs.site === "sc-stream" && walk) || rs.site === "sc-down-counter";
  // sc-stream: cumulative stream bits; sc-down-counter: cumulative cycles ⌈|w|/b⌉ − 1 (a flip in a product's last cycle is lost)
  const cycleCum = rs.site === "sc-down-counter";
  const cum = needCum ? new Float64Array(n * (k + 1)) : null;
  for (let j = 0; j < n; j++) {
    let sumAbs = 0;
    let sumCycles = 0;
    let sumLive = 0;
    let zeros = 0;
    for (let i = 0; i < k; i++) {
      const v = w[j * k + i]!;
      const m = v < 0 ? -v : v;
      if (m === 0) zeros++;
      sumAbs += m;
      const c = b === 1 ? m : Math.ceil(m / b);
      sumCycles += c;
      if (c > 1) sumLive += c - 1;
      if (cum) cum[j * (k + 1) + i + 1] = cycleCum ? sumLive : sumAbs;
    }
    switch (rs.site) {
      case "sc-stream":
        units[j] = sumAbs;
        break;
      case "sc-down-counter":
        units[j] = sumLive;
        break;
      case "sc-accumulator":
        units[j] = (sumCycles + zeros * rs.zeroWeightCycles) * rs.accBits;
        break;
      case "bin-product":
        units[j] = k * 2 * N;
        break;
      case "bin-accumulator":
        units[j] = k * rs.accBits;
        break;
    }
  }
  const map = cycleCum && cum ? unitProductMap(cum, units, n, k) : null;
  const unitP = rs.site === "sc-down-counter" ? anyFlipProbability(rs.rate, N) : rs.rate;
  const table = rs.sc && N <= MAX_TABLE_BITS ? productTable({ scheme: "bisc", bits: N }).table : null;
  let wSum: Float64Array | null = null;
  if (rs.site === "sc-stream") {
    wSum = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += w[j * k + i]!;
      wSum[j] = s;
    }
  }
  const lp = Math.log1p(-rs.rate);
  const bin = rs.site === "sc-stream" ? new BinomialSampler(rs.rate, lp) : null;
  const anyFlip = -Math.expm1(N * lp);
  const masks = rs.site === "sc-down-counter" ? new FlipMaskSampler(rs.rate, N, lp, anyFlip) : null;
  return {
    units,
    unitP,
    cum,
    unitProduct: map?.unitProduct ?? null,
    unitStart: map?.unitStart ?? null,
    table,
    wSum,
    bin,
    masks,
    lp,
    lu: Math.log1p(-unitP),
    anyFlip,
  };
}

/**
 * The product of every unit of every column, unitProduct[unitStart[c] + u] (what `productAt` finds
 * for unit u of column c: the product whose units [cum[i], cum[i + 1]) hold u), or null above
 * DOWN_COUNTER_UNIT_MAP_MAX units. Exported for its test.
 */
export function unitProductMap(
  cum: Float64Array,
  units: Float64Array,
  n: number,
  k: number,
): { unitProduct: Int32Array; unitStart: Float64Array } | null {
  const unitStart = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) unitStart[j + 1] = unitStart[j]! + units[j]!;
  if (unitStart[n]! > DOWN_COUNTER_UNIT_MAP_MAX) return null;
  const unitProduct = new Int32Array(unitStart[n]!);
  for (let j = 0; j < n; j++) {
    const off = j * (k + 1);
    for (let i = 0; i < k; i++)
      for (let u = cum[off + i]!; u < cum[off + i + 1]!; u++) unitProduct[unitStart[j]! + u] = i;
  }
  return { unitProduct, unitStart };
}

/**
 * Largest i in [lo, k) with cum[off + i] ≤ pos (cum[off] = 0 ≤ pos < cum[off + k]). Gallops up from
 * lo before bisecting: successive flips of one output are usually a few products apart, so this
 * costs O(log of the distance) instead of O(log k).
 */
export function productAt(cum: Float64Array, off: number, lo: number, k: number, pos: number): number {
  let step = 1;
  while (lo + step < k && cum[off + lo + step]! <= pos) {
    lo += step;
    step *= 2;
  }
  let hi = lo + step < k ? lo + step : k;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (cum[off + mid]! <= pos) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Most down-counter units of a layer given a unit → product map (4 bytes each); above, a search per flip. */
export const DOWN_COUNTER_UNIT_MAP_MAX = 2 ** 22;

/** Below this mean n·p, `binomialDraw` inverts the CDF; from it up, BTRD. */
export const BINOMIAL_INVERSION_MAX_MEAN = 10;

/** Stirling series tail ln k! − (k + ½) ln(k + 1) + (k + 1) − ½ ln 2π, exact for k ≤ 9 (Hörmann 1993, table 1). */
const STIRLING_TAIL = [
  0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509, 0.01664469118982119,
  0.01387612882307075, 0.01189670994589177, 0.01041126526197209, 0.009255462182712733, 0.008330563433362871,
];
function stirlingTail(k: number): number {
  if (k <= 9) return STIRLING_TAIL[k]!;
  const kp1sq = (k + 1) * (k + 1);
  return (1 / 12 - (1 / 360 - 1 / 1260 / kp1sq) / kp1sq) / (k + 1);
}

/**
 * Binomial(n, p) draw, exact (no normal approximation) in O(1) expected uniforms: for n·p below
 * BINOMIAL_INVERSION_MAX_MEAN by sequential inversion of the CDF (one uniform, O(n·p)
 * multiply-adds); above by Hörmann's BTRD, the transformed rejection with decomposition
 * ("The generation of binomial random variates", J. Stat. Comput. Simul. 46, 1993; as in
 * TensorFlow's and NumPy's generators), two uniforms per try and ~1.15 tries. p > ½ by symmetry.
 * Written here rather than taken from a library: it draws from sc-core's seeded `Rng` (a fault run
 * is reproducible from its seed), and the npm samplers we found fall back to n Bernoulli draws
 * below n·p = 10, which is the fault injector's common case.
 */
export function binomialDraw(rng: Rng, n: number, p: number, log1mP: number = Math.log1p(-p)): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomialDraw(rng, n, 1 - p);
  if (n * p < BINOMIAL_INVERSION_MAX_MEAN) {
    // P(0) = (1 − p)^n, P(x) = P(x − 1) · ((n + 1)·s/x − s) with s = p / (1 − p)
    const s = p / (1 - p);
    const a = (n + 1) * s;
    let r = Math.exp(n * log1mP);
    let u = rng.unit();
    let x = 0;
    while (u > r) {
      u -= r;
      x++;
      // rounding can leave ~1e-16 of mass unassigned: it goes to n
      if (x >= n) return n;
      r *= a / x - s;
    }
    return x;
  }
  const spq = Math.sqrt(n * p * (1 - p));
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const r = p / (1 - p);
  const alpha = (2.83 + 5.1 / b) * spq;
  const m = Math.floor((n + 1) * p);
  for (;;) {
    const u = rng.unit() - 0.5;
    let v = rng.unit();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    // the box where the hat is tight: accepted without evaluating the density (~86 % of vr)
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || k > n || us <= 0) continue;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    const bound =
      (m + 0.5) * Math.log((m + 1) / (r * (n - m + 1))) +
      (n + 1) * Math.log((n - m + 1) / (n - k + 1)) +
      (k + 0.5) * Math.log((r * (n - k + 1)) / (k + 1)) +
      stirlingTail(m) +
      stirlingTail(n - m) -
      stirlingTail(k) -
      stirlingTail(n - k);
    if (v <= bound) return k;
  }
}

/**
 * Binomial(n, p) draws for one p and many n, each by inversion of a stored CDF row: the same law as
 * `binomialDraw` (whose sequential inversion recomputes (1 − p)^n and walks the pmf with a
 * division per step on every draw) at a few compares per draw. A row is built on the first draw of
 * its n: F(x) = Σ_{j≤x} P(j) by the pmf recurrence, up to the x where the pmf left is below
 * 2^-60 of 1 (or n); a uniform beyond the stored row (probability ~1e-17) continues the recurrence.
 * Rows only for n·p < BINOMIAL_INVERSION_MAX_MEAN and p ≤ ½; other draws are `binomialDraw`'s.
 */
export class BinomialSampler {
  readonly p: number;
  private readonly lp: number;
  private readonly s: number;
  private readonly nMax: number;
  /** Row n's first CDF entry in `cdf` (−1: not built), its length and its last pmf value. */
  private start = new Int32Array(0);
  private len = new Int32Array(0);
  private lastPmf = new Float64Array(0);
  private cdf = new Float64Array(1024);
  private used = 0;

  constructor(p: number, log1mP: number = Math.log1p(-p)) {
    this.p = p;
    this.lp = log1mP;
    this.s = p / (1 - p);
    // the largest n with n·p < BINOMIAL_INVERSION_MAX_MEAN as computed (binomialDraw's switch to BTRD)
    let nMax = p > 0 && p <= 0.5 ? Math.min(2 ** 24, Math.ceil(BINOMIAL_INVERSION_MAX_MEAN / p)) : -1;
    while (nMax > 0 && nMax * p >= BINOMIAL_INVERSION_MAX_MEAN) nMax--;
    this.nMax = nMax;
  }

  draw(rng: Rng, n: number): number {
    if (n <= 0) return 0;
    if (n > this.nMax) return binomialDraw(rng, n, this.p, this.lp);
    let o = n < this.start.length ? this.start[n]! : -1;
    if (o < 0) o = this.build(n);
    const u = rng.unit();
    const end = o + this.len[n]!;
    const cdf = this.cdf;
    for (let i = o; i < end; i++) if (u <= cdf[i]!) return i - o;
    return this.beyondRow(n, u, end - 1);
  }

  /** A uniform beyond row n's last stored entry (at `last`): continue the recurrence. */
  private beyondRow(n: number, u: number, last: number): number {
    let x = this.len[n]! - 1;
    let r = this.lastPmf[n]!;
    let cum = this.cdf[last]!;
    const a = (n + 1) * this.s;
    while (u > cum && x < n) {
      x++;
      r *= a / x - this.s;
      const next = cum + r;
      // the rest rounds away: x is where the mass ends
      if (next === cum) break;
      cum = next;
    }
    return x;
  }

  private grow(n: number): void {
    const size = Math.min(this.nMax + 1, Math.max(n + 1, 2 * this.start.length, 64));
    const start = new Int32Array(size).fill(-1);
    start.set(this.start);
    const len = new Int32Array(size);
    len.set(this.len);
    const last = new Float64Array(size);
    last.set(this.lastPmf);
    this.start = start;
    this.len = len;
    this.lastPmf = last;
  }

  private build(n: number): number {
    if (n >= this.start.length) this.grow(n);
    const s = this.s;
    const a = (n + 1) * s;
    let r = Math.exp(n * this.lp);
    let cum = r;
    const row: number[] = [cum];
    for (let x = 1; x <= n && !(x > n * this.p && r < 2 ** -60); x++) {
      r *= a / x - s;
      cum += r;
      row.push(cum);
    }
    if (this.used + row.length > this.cdf.length) {
      const cdf = new Float64Array(Math.max(2 * this.cdf.length, this.used + row.length));
      cdf.set(this.cdf.subarray(0, this.used));
      this.cdf = cdf;
    }
    const o = this.used;
    this.cdf.set(row, o);
    this.used += row.length;
    this.start[n] = o;
    this.len[n] = row.length;
    this.lastPmf[n] = r;
    return o;
  }
}

/**
 * The faulty value of one dot product whose first flip is at exposure unit `pos` (< units).
 * Later flips are drawn here; the caller draws a fresh gap afterwards.
 */
function faultyDot(
  rs: ResolvedFaultSpec,
  ex: Exposure,
  col: number,
  xs: Int32Array,
  xOff: number,
  ws: Int32Array,
  wOff: number,
  k: number,
  clean: number,
  units: number,
  firstPos: number,
  rng: Rng,
): number {
  const N = rs.bits;
  const B = rs.accBits;
  const p = rs.rate;
  const unitP = ex.unitP;
  const lp = ex.lp;
  const lu = ex.lu;
  const table = ex.table;
  const size = 2 ** N;
  let pos = firstPos;
  let delta = 0;
  switch (rs.site) {
    case "sc-stream": {
      if (units * p >= STREAM_AGGREGATE_MIN_FLIPS) {
        delta = streamBlockDelta(rng, ex.bin!, streamIncrements(N, table, xs, xOff, ws, wOff, k), units, pos);
        break;
      }
      const cum = ex.cum!;
      const off = col * (k + 1);
      let i = 0;
      while (pos < units) {
        i = productAt(cum, off, i, k, pos);
        const x = xs[xOff + i]!;
        const dir = x < 0 !== ws[wOff + i]! < 0 ? -1 : 1;
        delta += biscBitAt(Math.abs(x), N, pos - cum[off + i]! + 1) ? -dir : dir;
        pos += 1 + geometricGap(rng, p, lp);
      }
      break;
    }
    case "sc-down-counter": {
      // units are the cycles that leave r > 0 in the counter (r = what is left after the cycle's b stream bits)
      const cum = ex.cum!;
      const off = col * (k + 1);
      const b = rs.parallel;
      const map = ex.unitProduct;
      const mapOff = map ? ex.unitStart![col]! : 0;
      let i = 0;
      while (pos < units) {
        i = map ? map[mapOff + pos]! : productAt(cum, off, i, k, pos);
        const wm = Math.abs(ws[wOff + i]!);
        let t = (pos - cum[off + i]! + 1) * b;
        const masks = ex.masks!;
        let r = (wm - t) ^ masks.draw(rng);
        while (r > 0) {
          // the next faulty cycle, j ≥ 1 cycles on, lands only if it leaves r > 0 (j < left); with
          // one cycle left it cannot, and nothing is drawn
          const left = Math.ceil(r / b);
          const j = left > 1 ? 1 + geometricGap(rng, unitP, lu) : left;
          if (j >= left) {
            t += r;
            r = 0;
          } else {
            t += j * b;
            r -= j * b;
            r ^= masks.draw(rng);
          }
        }
        const x = xs[xOff + i]!;
        const dir = x < 0 !== ws[wOff + i]! < 0 ? -1 : 1;
        const xm = Math.abs(x);
        let ones: number;
        if (table) {
          const full = Math.floor(t / size);
          ones = full * xm + table[xm * size + (t - full * size)]! - table[xm * size + wm]!;
        } else ones = biscPrefixOnes(xm, N, t) - biscPrefixOnes(xm, N, wm);
        delta += dir * ones;
        // memoryless: the process restarts at the next product
        pos = cum[off + i + 1]! + geometricGap(rng, unitP, lu);
      }
      break;
    }
    case "sc-accumulator": {
      let i = 0;
      let startCycle = 0;
      let before = 0; // fault-free sum of products before product i
      while (pos < units) {
        const cycle = Math.floor(pos / B);
        const bit = pos - cycle * B;
        const b = rs.parallel;
        let wm = Math.abs(ws[wOff + i]!);
        let len = wm === 0 ? rs.zeroWeightCycles : Math.ceil(wm / b);
        while (cycle >= startCycle + len) {
          const x = xs[xOff + i]!;
          if (wm !== 0)
            before +=
              (x < 0 !== ws[wOff + i]! < 0 ? -1 : 1) *
              (table ? table[(x < 0 ? -x : x) * size + wm]! : biscPrefixOnes(x < 0 ? -x : x, N, wm));
          startCycle += len;
          i++;
          wm = Math.abs(ws[wOff + i]!);
          len = wm === 0 ? rs.zeroWeightCycles : Math.ceil(wm / b);
        }
        const x = xs[xOff + i]!;
        const dir = x < 0 !== ws[wOff + i]! < 0 ? -1 : 1;
        const partial = wm === 0 ? 0 : dir * biscPrefixOnes(Math.abs(x), N, Math.min((cycle - startCycle + 1) * b, wm));
        const reg = wrapToBits(before + partial + delta, B);
        delta += flipAccBit(reg, bit, B) - reg;
        pos += 1 + geometricGap(rng, p, lp);
      }
      break;
    }
    case "bin-product": {
      const width = 2 * N;
      let cur = -1;
      let mag = 0;
      let orig = 0;
      let dir = 1;
      while (pos < units) {
        const i = Math.floor(pos / width);
        if (i !== cur) {
          if (cur >= 0) delta += dir * (mag - orig);
          cur = i;
          const x = xs[xOff + i]!;
          const w = ws[wOff + i]!;
          orig = mag = Math.abs(x) * Math.abs(w);
          dir = x < 0 !== w < 0 ? -1 : 1;
        }
        mag ^= 1 << (pos - i * width);
        pos += 1 + geometricGap(rng, p, lp);
      }
      if (cur >= 0) delta += dir * (mag - orig);
      break;
    }
    case "bin-accumulator": {
      let i = 0;
      let sum = xs[xOff + 0]! * ws[wOff]!;
      while (pos < units) {
        const mac = Math.floor(pos / B);
        const bit = pos - mac * B;
        while (i < mac) {
          i++;
          sum += xs[xOff + i]! * ws[wOff + i]!;
        }
        const reg = wrapToBits(sum + delta, B);
        delta += flipAccBit(reg, bit, B) - reg;
        pos += 1 + geometricGap(rng, p, lp);
      }
      break;
    }
  }
  return wrapToBits(clean + delta, B);
}

/**
 * Injects faults into a fault-free GEMM result in place: `a` holds the stream operands
 * (activations), either M×K row-major (`aLayout` "row") or K×M (`"col"`, im2colT's layout);
 * `b` is N×K row-major count operands (weights); `out[outIndex(m, n)]` is the fault-free sum
 * (default index m·N + n). SC sites need `clean` = BISC counts, binary sites exact products.
 * Outputs are visited row by row; returns how many outputs were hit by at least one flip (sc-down-counter:
 * one that lands, not lost in a product's last cycle).
 */
export function injectGemmFaults(
  spec: FaultSpec,
  rng: Rng,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  out: Int32Array,
  opts: {
    aLayout?: "row" | "col";
    outIndex?: (row: number, col: number) => number;
    /** sc-stream: "loop" counts each drawn output's I product by product and walks a sparse layer's hit outputs (the reference the kernel path is tested against). */
    streamCounts?: StreamCountsMode;
    /** Memoises the weight-derived work across calls with the same `b` (see FaultWeightMemo). */
    memo?: FaultWeightMemo;
  } = {},
): number {
  checkInteger(m, "m", 1, 2 ** 31 - 1);
  checkInteger(k, "k", 1, 2 ** 31 - 1);
  checkInteger(n, "n", 1, 2 ** 31 - 1);
  checkLength(a, m * k, "a");
  checkLength(b, n * k, "b");
  const rs = resolveFaultSpec(spec, k);
  checkSignedArray(a, rs.bits, "a");
  // the stream operands of a hit output's row as a contiguous Int32Array window (monomorphic)
  const rows = (): RowSource => {
    if (opts.aLayout !== "col") {
      const data = a instanceof Int32Array ? a : Int32Array.from(a);
      return { data, offset: (r) => r * k };
    }
    const data = new Int32Array(k);
    let last = -1;
    return {
      data,
      offset: (r) => {
        if (r !== last) {
          for (let i = 0; i < k; i++) data[i] = a[i * m + r]!;
          last = r;
        }
        return 0;
      },
    };
  };
  // sc-stream: Σ_{x_i<0} w_i by one integer GEMM needs row-major a and the default output layout
  const plan = streamPlan(
    rs,
    b,
    n,
    k,
    opts.streamCounts ?? "kernel",
    a,
    opts.aLayout === "col" || opts.outIndex !== undefined ? null : () => wasmIntGemm(negIndicator(a), b, m, k, n),
    opts.memo ?? null,
  );
  const outIndex = opts.outIndex;
  // a dense layer's outputs column by column, rows in order (default layout: one strided run per column)
  const runs: OutputRuns = (visit) => {
    if (outIndex === undefined) for (let c = 0; c < n; c++) visit(c, 0, c, n, m);
    else for (let c = 0; c < n; c++) for (let r = 0; r < m; r++) visit(c, r, outIndex(r, c), 0, 1);
  };
  const index = outIndex ?? ((r: number, c: number) => r * n + c);
  return injectRows(rs, rng, rows, b, m, k, n, out, index, plan, runs, opts.memo ?? null);
}

/** Row r's K stream operands are `data[offset(r) …]` (offset(r) may refill `data`; rows are asked for in order). */
interface RowSource {
  data: Int32Array;
  offset: (r: number) => number;
}

/** The injection loop; the row source is only built when some output is hit, and a row only gathered when one of its outputs is. */
function injectRows(
  rs: ResolvedFaultSpec,
  rng: Rng,
  rows: () => RowSource,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  out: Int32Array,
  outIndex: (row: number, col: number) => number,
  plan: StreamPlan | null,
  runs: OutputRuns,
  memo: FaultWeightMemo | null,
): number {
  if (rs.accBits > 32)
    throw new RangeError(`faultSpec.accBits must be ≤ 32 to inject into an Int32Array result, got ${rs.accBits}`);
  memoised(memo, b, `checked/${rs.bits}`, () => checkSignedArray(b, rs.bits, "b"));
  if (rs.rate === 0) return 0;
  const walk = plan === null || (!plan.dense && !plan.kernel);
  const ex = memoised(memo, b, `exposure/${faultSpecKey(rs)}/${n}/${k}/${walk}`, () => exposure(rs, b, n, k, walk));
  const { units, unitP } = ex;
  const wb = memoised(memo, b, "i32", () => i32(b));
  if (plan?.dense) return injectDenseStream(rs, ex, rng, plan.kernel ? null : rows(), plan.negW, wb, k, out, runs);
  const kernelI = plan?.kernel === true;
  const negW = plan?.negW ?? null;
  let src: RowSource | null = null;
  let gap = geometricGap(rng, unitP, ex.lu);
  let hit = 0;
  // every row has the same units (one per weight row): whole rows the gap passes over are skipped
  // at once, with the same integer arithmetic as column by column (gap − u₁ − u₂ … exact below 2^53)
  let rowUnits = 0;
  for (let c = 0; c < n; c++) rowUnits += units[c]!;
  for (let r = 0; r < m; r++) {
    if (gap >= rowUnits) {
      const skip = rowUnits > 0 ? Math.min(m - r, Math.floor(gap / rowUnits)) : m - r;
      gap -= skip * rowUnits;
      r += skip - 1;
      continue;
    }
    for (let c = 0; c < n; c++) {
      const u = units[c]!;
      if (gap >= u) {
        gap -= u;
        continue;
      }
      const idx = outIndex(r, c);
      const clean = out[idx]!;
      if (kernelI) {
        // sc-stream with kernel I: the block timeline, no operand row
        const inc = kernelIncrements(u, ex.wSum![c]!, negW === null ? 0 : negW[idx]!, clean, idx);
        out[idx] = wrapToBits(clean + streamBlockDelta(rng, ex.bin!, inc, u, gap), rs.accBits);
      } else {
        src ??= rows();
        const xOff = src.offset(r);
        out[idx] = faultyDot(rs, ex, c, src.data, xOff, wb, c * k, k, clean, u, gap, rng);
      }
      hit++;
      gap = geometricGap(rng, unitP, ex.lu);
    }
  }
  return hit;
}

/**
 * Runs of a layer's outputs, visited in order: `count` outputs of weight row (column) `c`, output
 * t at out[idx0 + t·idxStride] with operand row r0 + t.
 */
type OutputRuns = (visit: (c: number, r0: number, idx0: number, idxStride: number, count: number) => void) => void;

/**
 * A dense sc-stream layer: every output, run by run, gets Bin(I, p) − Bin(U − I, p) (see the
 * header), I from the kernel result (`src` null) or from the operand rows (`src`, the reference).
 */
function injectDenseStream(
  rs: ResolvedFaultSpec,
  ex: Exposure,
  rng: Rng,
  src: RowSource | null,
  negW: Int32Array | null,
  wb: Int32Array,
  k: number,
  out: Int32Array,
  runs: OutputRuns,
): number {
  const { units, wSum, table } = ex;
  const bin = ex.bin!;
  const B = rs.accBits;
  let hit = 0;
  runs((c, r0, idx0, idxStride, count) => {
    const u = units[c]!;
    const ws = wSum![c]!;
    for (let t = 0, idx = idx0; t < count; t++, idx += idxStride) {
      const clean = out[idx]!;
      let inc: number;
      if (src === null) inc = kernelIncrements(u, ws, negW === null ? 0 : negW[idx]!, clean, idx);
      else inc = streamIncrements(rs.bits, table, src.data, src.offset(r0 + t), wb, c * k, k);
      const up = bin.draw(rng, inc);
      const down = bin.draw(rng, u - inc);
      if (up + down > 0) {
        out[idx] = wrapToBits(clean + up - down, B);
        hit++;
      }
    }
  });
  return hit;
}

/**
 * Injects faults into a fault-free convolution result `out` ([N, K, P, Q], sc-core's layout) in
 * place: the same lane per output pixel and channel as `injectGemmFaults`, over the im2col rows.
 */
export function injectConv2dFaults(
  spec: FaultSpec,
  rng: Rng,
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: Conv2dOptions,
  out: Int32Array,
  /** sc-stream: "loop" counts each drawn output's I product by product and walks a sparse layer's hit outputs (the reference). */
  streamCounts: StreamCountsMode = "kernel",
  /** Memoises the weight-derived work across calls with the same `weight` (see FaultWeightMemo). */
  memo: FaultWeightMemo | null = null,
): number {
  const g = convGeometry(inShape, wShape, opts);
  checkLength(out, g.N * g.K * g.P * g.Q, "out");
  const Kg = g.Cg * g.R * g.S;
  const M = g.N * g.P * g.Q;
  const PQ = g.P * g.Q;
  const rs = resolveFaultSpec(spec, Kg);
  checkSignedArray(input, rs.bits, "input");
  // sc-stream: Σ_{x_i<0} w_i by one integer convolution, in out's [N, K, P, Q] layout
  const plan = streamPlan(
    rs,
    weight,
    g.K,
    Kg,
    streamCounts,
    input,
    () => {
      memoised(memo, weight, `checked/${rs.bits}`, () => checkSignedArray(weight, rs.bits, "weight"));
      return i32(wasmIntConv2d(negIndicator(input), inShape, weight, wShape, opts).data);
    },
    memo,
  );
  let hit = 0;
  for (let grp = 0; grp < g.groups; grp++) {
    // a hit output's im2col row, gathered from the input when first needed (not the whole matrix)
    const rows = (): RowSource => {
      const data = new Int32Array(Kg);
      let last = -1;
      return {
        data,
        offset: (r) => {
          if (r !== last) {
            im2colRow(input, g, grp, r, data);
            last = r;
          }
          return 0;
        },
      };
    };
    const wRows = groupWeightRows(weight, grp, g.Kg * Kg, memo);
    hit += injectRows(
      rs,
      rng,
      rows,
      wRows,
      M,
      Kg,
      g.Kg,
      out,
      convOutputIndex(g, grp),
      plan,
      // a dense layer's outputs channel by channel, as the GEMM over the im2col rows visits its
      // columns: one run of P·Q pixels per channel and image
      (visit) => {
        for (let c = 0; c < g.Kg; c++)
          for (let img = 0; img < g.N; img++) visit(c, img * PQ, (img * g.K + grp * g.Kg + c) * PQ, 1, PQ);
      },
      memo,
    );
  }
  return hit;
}

/** Fast faulty dot product (one lane): the exact fault-free sum plus sampled faults. */
export function fastFaultyDot(spec: FaultSpec, xs: ArrayLike<number>, ws: ArrayLike<number>, rng: Rng): number {
  checkLength(ws, xs.length, "ws");
  const rs = resolveFaultSpec(spec, xs.length);
  checkSignedArray(xs, rs.bits, "xs");
  checkSignedArray(ws, rs.bits, "ws");
  let clean = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const w = ws[i]!;
    const dir = x < 0 !== w < 0 ? -1 : 1;
    clean += rs.sc ? dir * biscPrefixOnes(Math.abs(x), rs.bits, Math.abs(w)) : x * w;
  }
  const out = new Int32Array([wrapToBits(clean, rs.accBits)]);
  injectGemmFaults(spec, rng, xs, ws, 1, xs.length, 1, out);
  return out[0]!;
}

/**
 * Memory faults (the same for both designs): every bit of every stored (N+1)-bit sign-magnitude
 * word flips with probability p, independently, in place. Returns the number of flipped bits.
 * A flipped sign of 0 stays 0 (sign-magnitude −0 = 0).
 */
export function flipStoredOperands(values: Int32Array, bits: number, rate: number, rng: Rng): number {
  checkSignedArray(values, bits, "values");
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`rate (p) must be a number in 0…1, got ${String(rate)}`);
  const width = bits + 1;
  const units = values.length * width;
  let flips = 0;
  // Gather a word's flips first, then apply them together (an intermediate −0 would lose the sign).
  let cur = -1;
  let mask = 0;
  const apply = (): void => {
    if (cur < 0) return;
    const v = values[cur]!;
    const neg = v < 0 !== (((mask >>> bits) & 1) === 1);
    const mag = (v < 0 ? -v : v) ^ (mask & (2 ** bits - 1));
    values[cur] = neg ? -mag : mag;
  };
  const l1p = Math.log1p(-rate);
  for (let pos = geometricGap(rng, rate, l1p); pos < units; pos += 1 + geometricGap(rng, rate, l1p)) {
    const i = Math.floor(pos / width);
    if (i !== cur) {
      apply();
      cur = i;
      mask = 0;
    }
    mask |= 1 << (pos - i * width);
    flips++;
  }
  apply();
  return flips;
}
