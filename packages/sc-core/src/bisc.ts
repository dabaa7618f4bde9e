import { checkBits, checkMagnitude, checkInteger } from "./validate.ts";

/** Number of trailing zero bits of a positive integer t < 2^31. */
export function ctz(t: number): number {
  return 31 - Math.clz32(t & -t);
}

/**
 * BISC counter + multiplexer SNG: the bit emitted at cycle t = 1, 2, … for magnitude x.
 * With k = ctz(t) it is x[N−1−k] (MSB every 2nd cycle, next bit every 4th, …), 0 when k ≥ N.
 * The pattern repeats with period 2^N and holds exactly x ones per period.
 */
export function biscStreamBit(x: number, bits: number, t: number): 0 | 1 {
  const k = ctz(t);
  if (k >= bits) return 0;
  return ((x >>> (bits - 1 - k)) & 1) as 0 | 1;
}

/**
 * BISC product count, closed form: the number of ones in the first w bits of x's BISC stream,
 *   count(x, w) = Σ_{k=0}^{N−1} x[N−1−k] · (⌊w/2^k⌋ − ⌊w/2^(k+1)⌋)
 * (⌊w/2^k⌋ − ⌊w/2^(k+1)⌋ = how many t in 1…w have ctz(t) = k). Unsigned magnitudes.
 */
export function biscCount(x: number, w: number, bits: number): number {
  checkBits(bits);
  checkMagnitude(x, bits, "x");
  checkMagnitude(w, bits, "w");
  return biscCountUnchecked(x, w, bits);
}

export function biscCountUnchecked(x: number, w: number, bits: number): number {
  let count = 0;
  for (let k = 0; k < bits; k++) {
    if ((x >>> (bits - 1 - k)) & 1) count += (w >>> k) - (w >>> (k + 1));
  }
  return count;
}

/**
 * The bit-plane form of the same count, linear in the bits w_j of w:
 *   count(x, w) = Σ_j w_j · G_j(x),  G_j(x) = (x >> (N−j)) + ((x >> (N−1−j)) & 1),
 * i.e. G_j(x) = round-half-up(x · 2^j / 2^N). Derivation: ⌊w/2^k⌋ − ⌊w/2^(k+1)⌋ =
 * w_k + Σ_{j>k} w_j 2^(j−k−1); regroup by j. This is what the fast GEMM kernels use.
 */
export function biscPlaneGain(x: number, j: number, bits: number): number {
  return (j === 0 ? 0 : x >>> (bits - j)) + ((x >>> (bits - 1 - j)) & 1);
}

/** Check a 1-based cycle index. */
export function checkCycle(t: number, name = "t"): void {
  checkInteger(t, `${name} (cycle, 1-based)`, 1, 2 ** 31 - 1);
}
