import { productTable } from "../product-table.ts";
import { resolveSpec, specKey, type ScSpec } from "../spec.ts";

/** Largest N the byte-table SIMD kernel takes: a product count must fit one byte. */
export const NIBBLE_KERNEL_MAX_BITS = 8;

/**
 * Per-weight nibble tables for the SIMD SC kernel, or null when the scheme's product is not
 * additively separable in the nibbles of |x|. With L = max(N − 4, 0), the kernel computes
 *   p(|x|, |w|) = hi[|w|][|x| >> L] + lo[|w|][|x| & (2^L − 1)]
 * where p is productTable(spec) (built by sc-core from the SNG sources, with the spec's count
 * operand). This holds for bisc with either count operand, because a BISC count is linear in the
 * bits of the stream operand for a fixed count operand and linear in the bits of the count operand
 * for a fixed stream operand; it is checked here for every (x, w), not assumed.
 * Layout: 32 bytes per |w|: hi (16 bytes), lo (16 bytes).
 */
export interface NibbleTables {
  bits: number;
  /** L: |x| >> shift is the hi index. */
  shift: number;
  loMask: number;
  bytes: Uint8Array;
}

const cache = new Map<string, NibbleTables | null>();

export function nibbleTables(spec: ScSpec): NibbleTables | null {
  const s = resolveSpec(spec);
  if (s.bits > NIBBLE_KERNEL_MAX_BITS) return null;
  const key = `${specKey(s)}/${s.countOperand}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const { table, size } = productTable(s);
  const shift = Math.max(s.bits - 4, 0);
  const loMask = (1 << shift) - 1;
  const bytes = new Uint8Array(256 * 32);
  let separable = true;
  for (let w = 0; w < size && separable; w++) {
    for (let h = 0; h < 16; h++) bytes[w * 32 + h] = h << shift < size ? table[(h << shift) * size + w]! : 0;
    for (let l = 0; l <= loMask; l++) bytes[w * 32 + 16 + l] = table[l * size + w]!;
    for (let x = 0; x < size; x++) {
      const p = table[x * size + w]!;
      if (p > 255 || bytes[w * 32 + (x >> shift)]! + bytes[w * 32 + 16 + (x & loMask)]! !== p) {
        separable = false;
        break;
      }
    }
  }
  const result = separable ? { bits: s.bits, shift, loMask, bytes } : null;
  cache.set(key, result);
  return result;
}
