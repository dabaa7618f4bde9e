import { makeSngSource, type SngRole } from "./sng.ts";
import { resolveSpec, type ScSpec } from "./spec.ts";
import { checkBits, checkInteger, checkMagnitude } from "./validate.ts";

/**
 * Bitstreams of N-bit magnitudes, bit by bit (Uint8Array of 0/1, index t−1 holds cycle t) and
 * packed (Uint32Array, cycle t at word ⌊(t−1)/32⌋, bit (t−1) mod 32, LSB first).
 */

/** The stream of magnitude x under a scheme's SNG for one role, `length` cycles (default 2^N). */
export function scStream(spec: ScSpec, x: number, role: SngRole = "stream", length?: number): Uint8Array {
  const s = resolveSpec(spec);
  checkMagnitude(x, s.bits, "x");
  const len = length ?? 2 ** s.bits;
  checkInteger(len, "length", 0, 2 ** 28);
  if (role !== "stream" && role !== "count")
    throw new RangeError(`role must be "stream" or "count", got ${String(role)}`);
  if (role === "count" && (s.scheme === "bisc" || s.scheme === "bitrev")) {
    throw new RangeError(
      `role "count" has no stream for scheme ${s.scheme} (the count operand sits in the down counter)`,
    );
  }
  const src = makeSngSource(s, role);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = src.bit(x, src.next());
  return out;
}

/** BISC counter+multiplexer stream of x (2^N bits). */
export function biscStream(x: number, bits: number): Uint8Array {
  checkBits(bits);
  return scStream({ scheme: "bisc", bits }, x);
}

/** Comparator stream: bit i = x > values[i]. */
export function comparatorStream(x: number, values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = x > values[i]! ? 1 : 0;
  return out;
}

/** Pack 0/1 bits LSB-first into 32-bit words. */
export function packStream(stream: ArrayLike<number>): Uint32Array {
  const words = new Uint32Array(Math.ceil(stream.length / 32));
  for (let i = 0; i < stream.length; i++) {
    const b = stream[i]!;
    if (b !== 0 && b !== 1) throw new RangeError(`stream[${i}] must be 0 or 1, got ${String(b)}`);
    if (b) words[i >>> 5]! |= 1 << (i & 31);
  }
  return words;
}

export function unpackStream(words: Uint32Array, length: number): Uint8Array {
  checkInteger(length, "length", 0, words.length * 32);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (words[i >>> 5]! >>> (i & 31)) & 1;
  return out;
}

/** Packed stream of x under a scheme (2^N bits). */
export function scStreamPacked(spec: ScSpec, x: number, role: SngRole = "stream"): Uint32Array {
  return packStream(scStream(spec, x, role));
}

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Ones among the first `length` bits of a packed stream. */
export function countOnesPacked(words: Uint32Array, length: number): number {
  checkInteger(length, "length", 0, words.length * 32);
  let n = 0;
  const full = length >>> 5;
  for (let i = 0; i < full; i++) n += popcount32(words[i]!);
  const rest = length & 31;
  if (rest) n += popcount32((words[full]! & ((1 << rest) - 1)) >>> 0);
  return n;
}

/** Ones in the bitwise AND of two packed streams over `length` bits (conventional SC multiply). */
export function andCountPacked(a: Uint32Array, b: Uint32Array, length: number): number {
  checkInteger(length, "length", 0, Math.min(a.length, b.length) * 32);
  let n = 0;
  const full = length >>> 5;
  for (let i = 0; i < full; i++) n += popcount32((a[i]! & b[i]!) >>> 0);
  const rest = length & 31;
  if (rest) n += popcount32((a[full]! & b[full]! & ((1 << rest) - 1)) >>> 0);
  return n;
}
