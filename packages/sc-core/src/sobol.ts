import { checkBits, checkInteger } from "./validate.ts";
import { ctz } from "./bisc.ts";

/**
 * Sobol direction-number parameters, dimensions 2…8, from S. Joe and F. Y. Kuo,
 * "Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci. Comput.
 * 30 (2008) 2635–2654, data file new-joe-kuo-6.21201 (columns d, s, a, m_i). Dimension 1 is the
 * van der Corput sequence (all m_i = 1).
 */
export const JOE_KUO: readonly { d: number; s: number; a: number; m: readonly number[] }[] = [
  { d: 2, s: 1, a: 0, m: [1] },
  { d: 3, s: 2, a: 1, m: [1, 3] },
  { d: 4, s: 3, a: 1, m: [1, 3, 1] },
  { d: 5, s: 3, a: 2, m: [1, 1, 1] },
  { d: 6, s: 4, a: 1, m: [1, 1, 3, 3] },
  { d: 7, s: 4, a: 4, m: [1, 3, 5, 13] },
  { d: 8, s: 5, a: 2, m: [1, 1, 5, 5, 17] },
];
export const SOBOL_MAX_DIMENSION = 8;
const L = 32;

/**
 * 32-bit direction numbers V[1…32] (index 0 unused) of Sobol dimension d (1-based), following
 * Joe & Kuo's reference construction: V_i = m_i·2^(32−i) for i ≤ s, then
 * V_i = V_{i−s} ^ (V_{i−s} >> s) ^ Σ_k a_k V_{i−k}.
 */
export function sobolDirectionNumbers(dimension: number): Uint32Array {
  checkInteger(dimension, "dimension (Sobol, 1-based)", 1, SOBOL_MAX_DIMENSION);
  const V = new Uint32Array(L + 1);
  if (dimension === 1) {
    for (let i = 1; i <= L; i++) V[i] = 2 ** (L - i);
    return V;
  }
  const { s, a, m } = JOE_KUO[dimension - 2]!;
  for (let i = 1; i <= s; i++) V[i] = (m[i - 1]! * 2 ** (L - i)) >>> 0;
  for (let i = s + 1; i <= L; i++) {
    let v = (V[i - s]! ^ (V[i - s]! >>> s)) >>> 0;
    for (let k = 1; k <= s - 1; k++) if ((a >>> (s - 1 - k)) & 1) v = (v ^ V[i - k]!) >>> 0;
    V[i] = v;
  }
  return V;
}

/**
 * Sobol points of one dimension as N-bit integers (⌊u·2^N⌋), Gray-code order (Antonov–Saleev):
 * point 0 is 0, point i = point i−1 XOR V[ctz(i) + 1]. The first 2^N points are a permutation
 * of 0…2^N − 1 (each dimension is a (0,1)-sequence in base 2).
 */
export function sobolSequence(bits: number, dimension: number, length = 2 ** bits): Uint32Array {
  checkBits(bits);
  checkInteger(length, "length", 0, 2 ** 28);
  const V = sobolDirectionNumbers(dimension);
  const out = new Uint32Array(length);
  let u = 0;
  for (let i = 0; i < length; i++) {
    out[i] = u >>> (L - bits);
    u = (u ^ V[ctz(i + 1) + 1]!) >>> 0;
  }
  return out;
}
