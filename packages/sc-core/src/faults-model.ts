import { ctz } from "./bisc.ts";
import type { Rng } from "./prng.ts";
import { checkBits, checkInteger } from "./validate.ts";

/**
 * Transient fault model shared by the cycle-level faulty simulator (faults-lane.ts) and the fast
 * layer-level injection (faults-fast.ts). One site is faulty per run; every bit of that site's
 * signal flips independently with probability `rate` (p) in every clock cycle it exists.
 *
 * Sites (the MAC datapath; memories are binary in both designs, see `memory` in faults-fast.ts):
 * - `sc-stream`: the SNG output bit of a BISC lane (one bit per cycle while the down counter runs).
 * - `sc-down-counter`: the N-bit down counter holding the remaining product length. A flip changes
 *   the remaining length by ±2^k, so the product reads more or fewer stream bits.
 * - `sc-accumulator`: the up/down counter (accBits bits, two's complement), every cycle of the
 *   lane including a zero weight's idle cycle (`zeroWeightCycles`).
 * - `bin-product`: the 2N magnitude bits of a sign-magnitude N×N multiplier's output, once per MAC
 *   (a binary MAC takes one cycle).
 * - `bin-accumulator`: the adder output / accumulator register (accBits bits), once per MAC cycle.
 *   The adder output is what the register latches, so adder-output and register flips are one site.
 *
 * Timing inside a cycle: the lane adds this cycle's contribution, then the flips of that cycle
 * hit the registers (so a flip in the last cycle of the dot product still reaches the output).
 * The down counter is the exception: in the cycle it reaches 0 the product is over and the flip
 * is lost (the next product reloads it).
 */
export type FaultSite = "sc-stream" | "sc-down-counter" | "sc-accumulator" | "bin-product" | "bin-accumulator";
export const SC_FAULT_SITES: readonly FaultSite[] = ["sc-stream", "sc-down-counter", "sc-accumulator"];
export const BINARY_FAULT_SITES: readonly FaultSite[] = ["bin-product", "bin-accumulator"];
export const FAULT_SITES: readonly FaultSite[] = [...SC_FAULT_SITES, ...BINARY_FAULT_SITES];

export interface FaultSpec {
  site: FaultSite;
  /** Flip probability per bit per cycle, 0 ≤ p ≤ 1. */
  rate: number;
  /** Operand magnitude width N (sign-magnitude operands in −(2^N−1)…2^N−1). */
  bits: number;
  /**
   * Accumulator width. Default: the narrowest that holds any fault-free sum of `fanIn` products,
   * SC: N + ⌈log2 K⌉ + 1 (counts ≤ 2^N − 1 each), binary: 2N + ⌈log2 K⌉ + 1.
   */
  accBits?: number;
  /** SC only: cycles a zero weight costs (0 or 1), as in sc-core's lane. Default 1. */
  zeroWeightCycles?: 0 | 1;
  /**
   * SC only: b, stream bits consumed per cycle (power of two, default 1). A product of |w| takes
   * ⌈|w|/b⌉ cycles, so the down counter and the up/down counter are exposed ⌈|w|/b⌉ cycles per
   * product; each of the b stream bits of a cycle is exposed once (the same |w| bits per product
   * as at b = 1). The down counter steps by b per cycle.
   */
  parallel?: number;
}

export interface ResolvedFaultSpec {
  site: FaultSite;
  rate: number;
  bits: number;
  accBits: number;
  zeroWeightCycles: 0 | 1;
  /** b: stream bits per cycle (1 for binary sites). */
  parallel: number;
  /** True for the SC (BISC) sites. */
  sc: boolean;
}

/** Default accumulator width for a fan-in K (see FaultSpec.accBits). */
export function defaultAccBits(site: FaultSite, bits: number, fanIn: number): number {
  const lg = Math.ceil(Math.log2(Math.max(1, fanIn)));
  return (SC_FAULT_SITES.includes(site) ? bits : 2 * bits) + lg + 1;
}

export function resolveFaultSpec(spec: FaultSpec, fanIn: number, name = "faultSpec"): ResolvedFaultSpec {
  if (!FAULT_SITES.includes(spec.site)) {
    throw new RangeError(`${name}.site must be one of ${FAULT_SITES.join(", ")}, got ${JSON.stringify(spec.site)}`);
  }
  if (typeof spec.rate !== "number" || !(spec.rate >= 0 && spec.rate <= 1)) {
    throw new RangeError(`${name}.rate (p) must be a number in 0…1, got ${String(spec.rate)}`);
  }
  checkBits(spec.bits, `${name}.bits (N)`, 15);
  const accBits = spec.accBits ?? defaultAccBits(spec.site, spec.bits, fanIn);
  checkInteger(accBits, `${name}.accBits`, 2, 48);
  const zeroWeightCycles = spec.zeroWeightCycles ?? 1;
  if (zeroWeightCycles !== 0 && zeroWeightCycles !== 1) {
    throw new RangeError(`${name}.zeroWeightCycles must be 0 or 1, got ${String(zeroWeightCycles)}`);
  }
  const sc = SC_FAULT_SITES.includes(spec.site);
  const parallel = spec.parallel ?? 1;
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 65536 || (parallel & (parallel - 1)) !== 0) {
    throw new RangeError(`${name}.parallel (b) must be a power of two in 1…65536, got ${String(spec.parallel)}`);
  }
  if (!sc && parallel !== 1) {
    throw new RangeError(
      `${name}.parallel (b) applies to SC sites only (a binary MAC takes one cycle), got ${parallel} for ${spec.site}`,
    );
  }
  return { site: spec.site, rate: spec.rate, bits: spec.bits, accBits, zeroWeightCycles, parallel, sc };
}

/**
 * BISC stream bit at any 1-based position t, the SNG counter running on past 2^N (it is an N-bit
 * counter, so the stream repeats with period 2^N).
 */
export function biscBitAt(xm: number, bits: number, t: number): 0 | 1 {
  const tm = ((t - 1) % 2 ** bits) + 1;
  const k = ctz(tm);
  if (k >= bits) return 0;
  return ((xm >>> (bits - 1 - k)) & 1) as 0 | 1;
}

/** Ones in the first L bits of x's BISC stream, any L ≥ 0 (a full period holds x ones). */
export function biscPrefixOnes(xm: number, bits: number, length: number): number {
  const period = 2 ** bits;
  const full = Math.floor(length / period);
  const rest = length - full * period;
  let count = full * xm;
  // rest < 2^bits ≤ 2^31: bit k's ones among the first `rest` bits are ⌊rest/2^k⌋ − ⌊rest/2^(k+1)⌋, by shifts
  for (let k = 0; k < bits; k++) {
    if ((xm >>> (bits - 1 - k)) & 1) count += (rest >>> k) - (rest >>> (k + 1));
  }
  return count;
}

/**
 * Failures before the first success of a Bernoulli(p) process (geometric on 0, 1, 2, …), by
 * inversion: ⌊ln U / ln(1 − p)⌋ with U uniform in (0, 1]. Infinity when p = 0. `log1mP` is
 * ln(1 − p), passed precomputed by hot loops (the same double, so the same draws).
 */
export function geometricGap(rng: Rng, p: number, log1mP: number = Math.log1p(-p)): number {
  if (p <= 0) return Infinity;
  if (p >= 1) return 0;
  const u = 1 - rng.unit();
  return Math.floor(Math.log(u) / log1mP);
}

/**
 * A non-empty flip mask of `width` bits, each bit flipped with probability p, conditioned on at
 * least one flip: the lowest flipped bit j has P(j | none below) = p / (1 − (1 − p)^(width − j)),
 * the bits above it are independent Bernoulli(p). Exactly the conditional law. `l1p` = ln(1 − p)
 * and `anyFlip` = 1 − (1 − p)^width may be passed precomputed (the same doubles, the same draws).
 */
export function nonEmptyFlipMask(
  rng: Rng,
  p: number,
  width: number,
  l1p: number = Math.log1p(-p),
  anyFlip: number = -Math.expm1(width * l1p),
): number {
  if (p >= 1) return 2 ** width - 1;
  // lowest flipped bit by inversion of P(lowest ≤ j | ≥ 1) = (1 − (1−p)^(j+1)) / (1 − (1−p)^width)
  const u = rng.unit() * anyFlip;
  let j = Math.floor(Math.log1p(-u) / l1p);
  if (j >= width) j = width - 1;
  let mask = 2 ** j;
  for (let k = j + 1 + geometricGap(rng, p, l1p); k < width; k += 1 + geometricGap(rng, p, l1p)) mask += 2 ** k;
  return mask;
}

/** Whether any value is negative (an input after a ReLU is not: SC lanes then need fewer operands). */
export function hasNegative(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (v[i]! < 0) return true;
  return false;
}

/** Widths up to this get a `FlipMaskSampler` table (2^width − 1 entries). */
export const FLIP_MASK_TABLE_MAX_WIDTH = 12;

/**
 * `nonEmptyFlipMask` for one p and width by inversion of the stored conditional CDF over the
 * 2^width − 1 non-empty masks (P(m) = p^|m| (1 − p)^(width − |m|) / (1 − (1 − p)^width), masks in
 * increasing order): one uniform and a binary search per draw instead of a logarithm per flipped
 * bit. The same law; widths above FLIP_MASK_TABLE_MAX_WIDTH (and p ≥ 1) draw with nonEmptyFlipMask.
 */
export class FlipMaskSampler {
  private readonly cdf: Float64Array | null;
  constructor(
    private readonly p: number,
    private readonly width: number,
    private readonly l1p: number = Math.log1p(-p),
    private readonly anyFlip: number = -Math.expm1(width * l1p),
  ) {
    if (!(p > 0 && p < 1) || width > FLIP_MASK_TABLE_MAX_WIDTH) {
      this.cdf = null;
      return;
    }
    const size = 2 ** width;
    const cdf = new Float64Array(size - 1);
    // P by popcount, from (1 − p)^width: each set bit multiplies by p / (1 − p)
    const byOnes = new Float64Array(width + 1);
    byOnes[0] = Math.exp(width * l1p);
    for (let k = 1; k <= width; k++) byOnes[k] = (byOnes[k - 1]! * p) / (1 - p);
    let cum = 0;
    for (let m = 1; m < size; m++) {
      let ones = 0;
      for (let v = m; v; v &= v - 1) ones++;
      cum += byOnes[ones]! / anyFlip;
      cdf[m - 1] = cum;
    }
    this.cdf = cdf;
  }

  draw(rng: Rng): number {
    const cdf = this.cdf;
    if (cdf === null) return nonEmptyFlipMask(rng, this.p, this.width, this.l1p, this.anyFlip);
    // the first mask whose CDF reaches u (rounding can leave the last entry a hair below 1: it takes the rest)
    const u = rng.unit();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }
}

/** Value after flipping bit k of a two's-complement `accBits`-bit register holding v. */
export function flipAccBit(v: number, k: number, accBits: number): number {
  const span = 2 ** accBits;
  let u = v < 0 ? v + span : v;
  const bit = Math.floor(u / 2 ** k) % 2;
  u += bit ? -(2 ** k) : 2 ** k;
  return u >= span / 2 ? u - span : u;
}

/** Probability that at least one of `width` bits flips in a cycle: 1 − (1 − p)^width. */
export function anyFlipProbability(p: number, width: number): number {
  return -Math.expm1(width * Math.log1p(-p));
}

/**
 * Memoises what the fault injectors derive from a weight array alone (its range check, a group's
 * weight rows, the per-column exposure units with their samplers' tables, the dense-stream test),
 * keyed by the array object. Valid only while the arrays passed to the injectors are not written
 * to: make one per faulty network evaluation, whose layer weights are fixed. The draws are the
 * same with and without it (samplers' rows depend only on n and p; tested).
 */
export class FaultWeightMemo {
  private readonly byArray = new WeakMap<object, Map<string, unknown>>();

  get<T>(w: object, key: string, make: () => T): T {
    let m = this.byArray.get(w);
    if (!m) this.byArray.set(w, (m = new Map()));
    if (m.has(key)) return m.get(key) as T;
    const v = make();
    m.set(key, v);
    return v;
  }
}

/** `make()`, memoised in `memo` under (w, key) when there is a memo. */
export function memoised<T>(memo: FaultWeightMemo | null, w: ArrayLike<number>, key: string, make: () => T): T {
  return memo ? memo.get(w as object, key, make) : make();
}

/** Group `grp`'s weight rows (`size` weights from grp · size) as an Int32Array, memoised per weight array. */
export function groupWeightRows(
  weight: ArrayLike<number>,
  grp: number,
  size: number,
  memo: FaultWeightMemo | null,
): Int32Array {
  const lo = grp * size;
  return memoised(memo, weight, `group/${grp}/${size}`, () =>
    weight instanceof Int32Array
      ? weight.slice(lo, lo + size)
      : Int32Array.from(Array.prototype.slice.call(weight, lo, lo + size) as number[]),
  );
}
