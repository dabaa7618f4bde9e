import { checkBits, checkMagnitude } from "./validate.ts";

/** Reverse the low `bits` bits of v (bit 0 ↔ bit bits−1). */
export function bitReverse(v: number, bits: number): number {
  let r = 0;
  for (let i = 0; i < bits; i++) {
    r = (r << 1) | ((v >>> i) & 1);
  }
  return r;
}

/**
 * Comparator values of the bit-reversed counter: r(t) = bitReverse(t − 1) for t = 1…2^N,
 * so r starts at 0 (then 2^(N−1), 2^(N−2), …). Stream bit = x > r(t).
 */
export function bitrevSequence(bits: number): Uint32Array {
  checkBits(bits);
  const size = 2 ** bits;
  const out = new Uint32Array(size);
  for (let c = 0; c < size; c++) out[c] = bitReverse(c, bits);
  return out;
}

export function bitrevStreamBit(x: number, bits: number, t: number): 0 | 1 {
  checkMagnitude(x, bits, "x");
  return x > bitReverse((t - 1) % 2 ** bits, bits) ? 1 : 0;
}
