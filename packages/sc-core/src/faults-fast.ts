import { wrapToBits } from "./accumulator.ts";
import { convGeometry, im2colRow, type Conv2dOptions } from "./conv2d.ts";
import {
  anyFlipProbability,
  biscBitAt,
  biscPrefixOnes,
  flipAccBit,
  geometricGap,
  nonEmptyFlipMask,
  resolveFaultSpec,
  type FaultSpec,
  type ResolvedFaultSpec,
} from "./faults-model.ts";
import type { Rng } from "./prng.ts";
import { MAX_TABLE_BITS, productTable } from "./product-table.ts";
import { checkInteger, checkLength, checkSignedArray } from "./validate.ts";
import { wasmIntConv2d, wasmIntGemm } from "./wasm/int.ts";
import { wasmScConv2d, wasmScGemm } from "./wasm/sc.ts";

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
 * - sc-stream: stream bit t of product i is `biscBitAt(|x_i|, N, t)`; the count changes by −1
 *   (a one lost) or +1 (a zero gained), signed by the counting direction. With the output's four
 *   block sizes (ones / zeros counted up / down, from kernel counts or a pass over the products)
 *   the flips after the first are one exact binomial per block (`binomialDraw`), so an output
 *   costs O(1) however many bits flip; without them, product by product below
 *   STREAM_AGGREGATE_MIN_FLIPS expected flips.
 * - sc-down-counter: units are the cycles after which the counter still holds a non-zero count
 *   (⌈|w|/b⌉ − 1 per product, a cycle takes b stream bits off the counter): a flip in a product's
 *   last cycle is lost (the counter reaches 0, see faults-model.ts), so those cycles are skipped
 *   rather than drawn and discarded — the same law, and at large b (where most products take one
 *   cycle) most outputs have no unit at all. A cycle is faulty with q = 1 − (1−p)^N and its flip
 *   mask is drawn conditioned on being non-empty. From the first faulty cycle of a product, the
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
 * sc-stream without kernel counts ("loop", a column-layout or re-indexed GEMM): outputs expecting at
 * least this many flips (units · p) count their four blocks product by product and draw them as
 * binomials; below, the flips are walked product by product. With kernel counts every hit output
 * takes the binomials.
 */
export const STREAM_AGGREGATE_MIN_FLIPS = 30;

/** sc-stream layers whose outputs expect at least this many flips on average take kernel counts (the block timeline, see faultyDot). */
export const STREAM_COUNTS_MIN_MEAN_FLIPS = 1;

interface Exposure {
  /** Exposure units of output column n (one dot product with weight row n). */
  units: Float64Array;
  /** Flip probability of one unit. */
  unitP: number;
  /** sc-stream / sc-down-counter: cumulative |w| per column, (K + 1) entries per column. */
  cum: Float64Array | null;
  /** BISC count table [xm · 2^N + wm] when N ≤ 12 (else counts by the closed form). */
  table: Int32Array | null;
  /** sc-stream: Σ w of each column (signed), for the aggregated draw's kernel counts. */
  wSum: Float64Array | null;
  /** ln(1 − p), ln(1 − unitP) and 1 − (1 − p)^N, computed once per layer for the draws. */
  lp: number;
  lu: number;
  anyFlip: number;
}

/**
 * Per output (indexed like `out`), the sums the sc-stream block timeline needs, computed by the
 * exact (WebAssembly) kernels over the whole layer instead of product by product:
 * `abs` = Σ ones(|x_i|, |w_i|), `signed` = Σ ±ones (the fault-free BISC sum), `negW` = Σ over
 * x_i < 0 of w_i. With U = Σ |w_i| and W = Σ w_i per column they give the four per-direction counts
 * (see faultyDot), equal to the per-product loop's, so the draws are bit-identical.
 */
export interface StreamCounts {
  abs: Int32Array;
  signed: Int32Array;
  negW: Int32Array;
}

/**
 * sc-stream: "kernel" (default) takes StreamCounts in a layer that `useStreamCounts`: its outputs
 * expecting ≥ STREAM_AGGREGATE_MIN_FLIPS flips draw bit-identically to "loop", its others take the
 * block binomials too (same law, another realisation than loop's walk). "loop": block sizes counted
 * product by product, and the walk below that threshold (the reference the kernel counts are tested against).
 */
export type StreamCountsMode = "kernel" | "loop";

const absOf = (v: ArrayLike<number>): Int32Array => {
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    out[i] = x < 0 ? -x : x;
  }
  return out;
};
const i32 = (v: ArrayLike<number>): Int32Array => (v instanceof Int32Array ? v : Int32Array.from(v));
const negIndicator = (v: ArrayLike<number>): Int32Array => {
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! < 0 ? 1 : 0;
  return out;
};

/**
 * Whether an sc-stream layer takes kernel counts: when its outputs expect at least
 * STREAM_COUNTS_MIN_MEAN_FLIPS stream flips on average (Σ|w| · p over the weight rows / rows), or
 * some output reaches the aggregated regime. Below, the three extra convolutions cost more than the
 * few flips they save, and the product-by-product walk runs.
 */
function useStreamCounts(rs: ResolvedFaultSpec, w: ArrayLike<number>, rows: number, k: number): boolean {
  if (rs.site !== "sc-stream" || rs.rate <= 0) return false;
  let total = 0;
  for (let j = 0; j < rows; j++) {
    let sumAbs = 0;
    for (let i = 0; i < k; i++) {
      const v = w[j * k + i]!;
      sumAbs += v < 0 ? -v : v;
    }
    if (sumAbs * rs.rate >= STREAM_AGGREGATE_MIN_FLIPS) return true;
    total += sumAbs * rs.rate;
  }
  return total >= STREAM_COUNTS_MIN_MEAN_FLIPS * rows;
}

/** Per output column (weight row n): the exposure units of one dot product and the unit's flip probability. */
function exposure(rs: ResolvedFaultSpec, w: ArrayLike<number>, n: number, k: number): Exposure {
  const units = new Float64Array(n);
  const N = rs.bits;
  const b = rs.parallel;
  const needCum = rs.site === "sc-stream" || rs.site === "sc-down-counter";
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
  return { units, unitP, cum, table, wSum, lp, lu: Math.log1p(-unitP), anyFlip: -Math.expm1(N * lp) };
}

/**
 * Largest i in [lo, k) with cum[off + i] ≤ pos (cum[off] = 0 ≤ pos < cum[off + k]). Gallops up from
 * lo before bisecting: successive flips of one output are usually a few products apart, so this
 * costs O(log of the distance) instead of O(log k).
 */
function productAt(cum: Float64Array, off: number, lo: number, k: number, pos: number): number {
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
  counts: StreamCounts | null,
  idx: number,
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
      if (counts !== null || units * p >= STREAM_AGGREGATE_MIN_FLIPS) {
        // Block timeline: the output's stream bits ordered as [ones counted up | zeros counted up |
        // ones counted down | zeros counted down] instead of product by product. Every bit flips
        // independently with probability p, so any fixed order gives the same law. The first flip
        // is the caller's, at `pos` (the bits before it did not flip); each block's later bits
        // then flip as one binomial draw: ones lost and zeros gained per counting direction.
        let onesUp = 0;
        let zerosUp = 0;
        let onesDown = 0;
        let zerosDown = 0;
        if (counts !== null) {
          // the four sizes from the layer's kernel results (a ± b is even: both halves are integers)
          const a = counts.abs[idx]!;
          const sg = counts.signed[idx]!;
          const dirW = ex.wSum![col]! - 2 * counts.negW[idx]!;
          onesUp = (a + sg) / 2;
          onesDown = (a - sg) / 2;
          zerosUp = (units + dirW) / 2 - onesUp;
          zerosDown = (units - dirW) / 2 - onesDown;
        } else
          for (let i = 0; i < k; i++) {
            const x = xs[xOff + i]!;
            const w = ws[wOff + i]!;
            const wm = w < 0 ? -w : w;
            if (wm === 0) continue;
            const ones = table ? table[(x < 0 ? -x : x) * size + wm]! : biscPrefixOnes(x < 0 ? -x : x, N, wm);
            if (x < 0 !== w < 0) {
              onesDown += ones;
              zerosDown += wm - ones;
            } else {
              onesUp += ones;
              zerosUp += wm - ones;
            }
          }
        // a flip of a one counted up or a zero counted down takes one off the count; the other two add one
        const end1 = onesUp;
        const end2 = end1 + zerosUp;
        const end3 = end2 + onesDown;
        if (pos < end1)
          delta =
            -1 -
            binomialDraw(rng, end1 - pos - 1, p, lp) +
            binomialDraw(rng, zerosUp, p, lp) +
            binomialDraw(rng, onesDown, p, lp) -
            binomialDraw(rng, zerosDown, p, lp);
        else if (pos < end2)
          delta =
            1 +
            binomialDraw(rng, end2 - pos - 1, p, lp) +
            binomialDraw(rng, onesDown, p, lp) -
            binomialDraw(rng, zerosDown, p, lp);
        else if (pos < end3) delta = 1 + binomialDraw(rng, end3 - pos - 1, p, lp) - binomialDraw(rng, zerosDown, p, lp);
        else delta = -1 - binomialDraw(rng, units - pos - 1, p, lp);
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
      let i = 0;
      while (pos < units) {
        i = productAt(cum, off, i, k, pos);
        const wm = Math.abs(ws[wOff + i]!);
        let t = (pos - cum[off + i]! + 1) * b;
        let r = (wm - t) ^ nonEmptyFlipMask(rng, p, N, lp, ex.anyFlip);
        while (r > 0) {
          const j = 1 + geometricGap(rng, unitP, lu);
          if (j >= Math.ceil(r / b)) {
            t += r;
            r = 0;
          } else {
            t += j * b;
            r -= j * b;
            r ^= nonEmptyFlipMask(rng, p, N, lp, ex.anyFlip);
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
    /** "loop" forces the per-product counts (the reference the kernel counts are tested against). */
    streamCounts?: StreamCountsMode;
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
  // kernel counts for the aggregated sc-stream path: row-major a with the default output layout only
  let counts: StreamCounts | null = null;
  if (
    opts.streamCounts !== "loop" &&
    opts.aLayout !== "col" &&
    opts.outIndex === undefined &&
    useStreamCounts(rs, b, n, k)
  ) {
    checkSignedArray(b, rs.bits, "b");
    const spec = { scheme: "bisc" as const, bits: rs.bits };
    counts = {
      abs: wasmScGemm(spec, absOf(a), absOf(b), m, k, n),
      signed: wasmScGemm(spec, a, b, m, k, n),
      negW: wasmIntGemm(negIndicator(a), b, m, k, n),
    };
  }
  return injectRows(rs, rng, rows, b, m, k, n, out, opts.outIndex ?? ((r: number, c: number) => r * n + c), counts);
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
  counts: StreamCounts | null,
): number {
  if (rs.accBits > 32)
    throw new RangeError(`faultSpec.accBits must be ≤ 32 to inject into an Int32Array result, got ${rs.accBits}`);
  checkSignedArray(b, rs.bits, "b");
  if (rs.rate === 0) return 0;
  const ex = exposure(rs, b, n, k);
  const { units, unitP } = ex;
  const wb = b instanceof Int32Array ? b : Int32Array.from(b);
  // with kernel counts (sc-stream) an output needs no stream operands: its row is never gathered
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
      if (counts !== null) out[idx] = faultyDot(rs, ex, c, wb, 0, wb, c * k, k, out[idx]!, u, gap, rng, counts, idx);
      else {
        src ??= rows();
        const xOff = src.offset(r);
        out[idx] = faultyDot(rs, ex, c, src.data, xOff, wb, c * k, k, out[idx]!, u, gap, rng, null, idx);
      }
      hit++;
      gap = geometricGap(rng, unitP, ex.lu);
    }
  }
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
  streamCounts: StreamCountsMode = "kernel",
): number {
  const g = convGeometry(inShape, wShape, opts);
  checkLength(out, g.N * g.K * g.P * g.Q, "out");
  const Kg = g.Cg * g.R * g.S;
  const M = g.N * g.P * g.Q;
  const PQ = g.P * g.Q;
  const rs = resolveFaultSpec(spec, Kg);
  checkSignedArray(input, rs.bits, "input");
  // kernel counts for the aggregated sc-stream path, over the whole layer (out's [N, K, P, Q] layout)
  let counts: StreamCounts | null = null;
  if (streamCounts !== "loop" && useStreamCounts(rs, weight, g.K, Kg)) {
    checkSignedArray(weight, rs.bits, "weight");
    const sc = { scheme: "bisc" as const, bits: rs.bits };
    counts = {
      abs: i32(wasmScConv2d(sc, absOf(input), inShape, absOf(weight), wShape, opts).data),
      signed: i32(wasmScConv2d(sc, input, inShape, weight, wShape, opts).data),
      negW: i32(wasmIntConv2d(negIndicator(input), inShape, weight, wShape, opts).data),
    };
  }
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
    const wRows = Array.prototype.slice.call(weight, grp * g.Kg * Kg, (grp + 1) * g.Kg * Kg) as number[];
    hit += injectRows(
      rs,
      rng,
      rows,
      Int32Array.from(wRows),
      M,
      Kg,
      g.Kg,
      out,
      (row, c) => {
        const img = Math.floor(row / PQ);
        return (img * g.K + grp * g.Kg + c) * PQ + (row - img * PQ);
      },
      counts,
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
