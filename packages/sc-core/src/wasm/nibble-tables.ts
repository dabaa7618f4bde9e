import { productTable, type ProductTable } from "../product-table.ts";
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
  /**
   * The same layout negated for scKernelUnsigned's negative weights: 255 − hi and −lo (mod 256),
   * so that the two lookups sum to 255 − p (mod 256), which is 255 − p since p ≤ 255.
   */
  negated: Uint8Array;
}

const cache = new Map<string, NibbleTables | null>();

export function nibbleTables(spec: ScSpec): NibbleTables | null {
  const s = resolveSpec(spec);
  if (s.bits > NIBBLE_KERNEL_MAX_BITS) return null;
  return nibbleTablesOf(`${specKey(s)}/${s.countOperand}`, () => productTable(s));
}

/**
 * Nibble tables of any product table (the SC schemes' above; the truncated multiplier's), memoised
 * under `key`; null when N > 8, a product exceeds a byte or the table is not separable (checked for
 * every (x, w)).
 */
export function nibbleTablesOf(key: string, product: () => ProductTable): NibbleTables | null {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const { table, size, bits } = product();
  if (bits > NIBBLE_KERNEL_MAX_BITS) {
    cache.set(key, null);
    return null;
  }
  const shift = Math.max(bits - 4, 0);
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
  const negated = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) negated[i] = (i & 16 ? -bytes[i]! : 255 - bytes[i]!) & 255;
  const result = separable ? { bits, shift, loMask, bytes, negated } : null;
  cache.set(key, result);
  return result;
}

/**
 * Per-weight byte tables of every count for the SIMD table kernel (asm scTableKernel), for schemes
 * whose product is not separable in the nibbles of |x| (bitrev, lfsr, sobol) at N <= 8: H = 2^N / 16
 * rows of 16 bytes per |w| (at least one), entry [|w|·16H + |x|] = productTable(spec)[|x|·2^N + |w|].
 * A count above 255 (an 8-bit LFSR pair counts 256 ones at |x| = |w| = 255) is stored as 255 when
 * the counts above 255 all exceed it by the same `excess` on a product set xs × ws of magnitudes:
 * the caller adds excess · Σ sign(x)[|x| ∈ xs] · sign(w)[|w| ∈ ws] (an integer convolution of
 * indicators). Null for N > 8 or counts above 255 of another shape.
 */
export interface ByteTables {
  bits: number;
  /** Rows of 16 entries per |w|. */
  rows: number;
  bytes: Uint8Array;
  overflow: { xs: Uint8Array; ws: Uint8Array; excess: number } | null;
}

const byteCache = new Map<string, ByteTables | null>();

export function byteTables(spec: ScSpec): ByteTables | null {
  const s = resolveSpec(spec);
  if (s.bits > NIBBLE_KERNEL_MAX_BITS) return null;
  const key = `${specKey(s)}/${s.countOperand}`;
  const hit = byteCache.get(key);
  if (hit !== undefined) return hit;
  const { table, size } = productTable(s);
  const rows = Math.max(1, size >> 4);
  const stride = 16 * rows;
  const bytes = new Uint8Array(size * stride);
  const xs = new Uint8Array(size);
  const ws = new Uint8Array(size);
  let excess = 0;
  let overflows = 0;
  let fits = true;
  for (let w = 0; w < size; w++)
    for (let x = 0; x < size; x++) {
      const p = table[x * size + w]!;
      if (p > 255) {
        if (excess !== 0 && p - 255 !== excess) fits = false;
        excess = p - 255;
        xs[x] = 1;
        ws[w] = 1;
        overflows++;
      }
      bytes[w * stride + x] = p > 255 ? 255 : p;
    }
  // the overflowing entries must be exactly the product set xs × ws
  let nx = 0;
  let nw = 0;
  for (let i = 0; i < size; i++) {
    nx += xs[i]!;
    nw += ws[i]!;
  }
  if (overflows !== nx * nw) fits = false;
  const result = fits ? { bits: s.bits, rows, bytes, overflow: overflows > 0 ? { xs, ws, excess } : null } : null;
  byteCache.set(key, result);
  return result;
}
