/**
 * Truncated binary multiplication with g guard bits (issue 13, baseline 3): an N x N magnitude
 * multiplier whose partial products x_i·w_j in columns i + j < N − g are dropped (not computed,
 * no constant correction). The kept columns are summed exactly and the product is returned in
 * units of 2^(N−g), an (N + g)-bit magnitude; the accumulator adds these, so the only error is the
 * dropped columns (always ≤ 0). g ≥ N keeps every column (the exact product).
 *
 * The bit loop below is the reference (the partial-product array as the hardware has it). Fast
 * kernels use either `truncProductTable` (the WebAssembly nibble-table kernel, where every product
 * fits a byte) or `truncPlanes`, the per-activation-bit decomposition into exact products:
 *   T_g(x, w) = (x >> c)·w + Σ_{i<c} x_i·(w >> (c − i)),  c = max(0, N − g).
 */
import { MAX_TABLE_BITS, type ProductTable } from "./product-table.ts";
import { checkBits, checkInteger, checkMagnitude, checkSigned, checkLength } from "./validate.ts";

/** The lowest kept column c = max(0, N − g): a product is in units of 2^c. */
export function truncCutColumn(bits: number, guard: number): number {
  checkBits(bits);
  checkInteger(guard, "guard bits (g)", 0, 32);
  return Math.max(0, bits - guard);
}

/** Σ over kept partial products x_i·w_j·2^(i+j−c), i + j ≥ c (reference: one bit pair at a time). */
export function truncProduct(x: number, w: number, bits: number, guard: number): number {
  const c = truncCutColumn(bits, guard);
  checkMagnitude(x, bits, "x");
  checkMagnitude(w, bits, "w");
  let sum = 0;
  for (let i = 0; i < bits; i++) {
    if (((x >> i) & 1) === 0) continue;
    for (let j = 0; j < bits; j++) {
      if (((w >> j) & 1) === 1 && i + j >= c) sum += 2 ** (i + j - c);
    }
  }
  return sum;
}

/**
 * Every magnitude pair's truncated product, table[xm · 2^N + wm] = truncProduct(xm, wm) (the
 * product is symmetric), built with the reference above; memoised per (N, g). For the table kernels.
 */
export function truncProductTable(bits: number, guard: number): ProductTable {
  truncCutColumn(bits, guard);
  if (bits > MAX_TABLE_BITS) throw new RangeError(`truncated product table: N = ${bits} > ${MAX_TABLE_BITS}`);
  const key = `${bits}/${guard}`;
  let t = truncTables.get(key);
  if (!t) {
    const size = 2 ** bits;
    const table = new Int32Array(size * size);
    for (let x = 0; x < size; x++) for (let w = 0; w < size; w++) table[x * size + w] = truncProduct(x, w, bits, guard);
    t = { bits, size, table };
    truncTables.set(key, t);
  }
  return t;
}
const truncTables = new Map<string, ProductTable>();

/** Signed (sign-magnitude) truncated product: the magnitudes' product with the XOR of the signs. */
export function truncProductSigned(x: number, w: number, bits: number, guard: number): number {
  checkSigned(x, bits, "x");
  checkSigned(w, bits, "w");
  const p = truncProduct(Math.abs(x), Math.abs(w), bits, guard);
  return x < 0 !== w < 0 ? -p : p + 0;
}

/** Reference dot product Σ_i truncProductSigned(xs[i], ws[i]). */
export function truncDot(xs: ArrayLike<number>, ws: ArrayLike<number>, bits: number, guard: number): number {
  checkLength(ws, xs.length, "ws");
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += truncProductSigned(xs[i]!, ws[i]!, bits, guard);
  return s;
}

/**
 * The truncated product as c + 1 exact integer products of transformed operands (linear in each,
 * so any exact GEMM / convolution kernel computes a truncated one):
 *   T_g(x, w) = sgn·[(|x| >> c)·|w| + Σ_{i<c} bit_i(|x|)·(|w| >> (c − i))].
 * Returns the pairs (activation transform, weight transform) as sign-preserving maps; plane 0 is
 * the high part (|x| >> c, |w|), plane 1 + i the activation bit i below the cut.
 */
export interface TruncPlane {
  /** Signed activation → signed transformed activation. */
  x(v: number): number;
  /** Signed weight → signed transformed weight. */
  w(v: number): number;
}

export function truncPlanes(bits: number, guard: number): TruncPlane[] {
  const c = truncCutColumn(bits, guard);
  const signed = (f: (m: number) => number) => (v: number) => (v < 0 ? -f(-v) : f(v));
  const planes: TruncPlane[] = [];
  if (c < bits) planes.push({ x: signed((m) => m >> c), w: (v) => v });
  for (let i = 0; i < Math.min(c, bits); i++) {
    const s = c - i;
    planes.push({ x: signed((m) => (m >> i) & 1), w: signed((m) => m >> s) });
  }
  return planes;
}

/** Applies a plane's map to every element. */
export function mapOperands(v: ArrayLike<number>, f: (v: number) => number): Int32Array {
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = f(v[i]!);
  return out;
}

/**
 * Every truncPlanes plane's operands stacked as channels in one array: v is [rows][inner] (signed
 * operands), the result [rows][P][inner] with plane p's map of side "x" (activations) or "w"
 * (weights) at [r][p][i]. Equal to applying each plane's map (tested), without a call per element:
 * Σ_p conv(x_p, w_p) is then one convolution over P times the channels.
 */
export function stackTruncPlanes(
  v: ArrayLike<number>,
  inner: number,
  bits: number,
  guard: number,
  side: "x" | "w",
): Int32Array {
  const c = truncCutColumn(bits, guard);
  const hi = c < bits ? 1 : 0;
  const low = Math.min(c, bits);
  const P = hi + low;
  const rows = v.length / inner;
  const out = new Int32Array(v.length * P);
  for (let r = 0; r < rows; r++) {
    const src = r * inner;
    const base = r * P * inner;
    for (let i = 0; i < inner; i++) {
      const x = v[src + i]!;
      const m = x < 0 ? -x : x;
      const neg = x < 0;
      let o = base + i;
      if (hi) {
        const t = side === "x" ? m >> c : m;
        out[o] = neg ? -t : t;
        o += inner;
      }
      for (let b = 0; b < low; b++, o += inner) {
        const t = side === "x" ? (m >> b) & 1 : m >> (c - b);
        out[o] = neg ? -t : t;
      }
    }
  }
  return out;
}
