import { autoScKernel, scKernel, type ScKernelName } from "./fast-kernel.ts";
import { intKernel, transpose } from "./kernels.ts";
import { unsignedCount } from "./multiply.ts";
import { resolveSpec, type ResolvedSpec, type ScSpec } from "./spec.ts";
import { checkInteger, checkLength, checkSignedArray } from "./validate.ts";

const INT32_MAX = 2 ** 31 - 1;

function asInt32(v: ArrayLike<number>): Int32Array {
  return v instanceof Int32Array ? v : Int32Array.from(v);
}

/** m, k, n of a GEMM: integers in [1, 2^30], errors naming each. */
export function checkGemmDims(m: number, k: number, n: number): void {
  checkInteger(m, "m (rows of a)", 1, 2 ** 30);
  checkInteger(k, "k (inner dimension)", 1, 2 ** 30);
  checkInteger(n, "n (rows of b)", 1, 2 ** 30);
}

/** A K-term sum of SC counts must fit Int32: K·(2^N − 1) ≤ 2^31 − 1. */
export function checkScFanIn(k: number, bits: number, name = "k (inner dimension)"): void {
  if (k * (2 ** bits - 1) > INT32_MAX) {
    throw new RangeError(`${name} = ${k} is too large for Int32 sums at N = ${bits}: need k·(2^N − 1) ≤ 2^31 − 1`);
  }
}

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (a > m) m = a;
  }
  return m;
}

/** Signed SC dot product Σ_i scMultiply(spec, xs[i], ws[i]). */
export function scDot(spec: ScSpec, xs: ArrayLike<number>, ws: ArrayLike<number>): number {
  const s = resolveSpec(spec);
  checkLength(ws, xs.length, "ws");
  checkSignedArray(xs, s.bits, "xs");
  checkSignedArray(ws, s.bits, "ws");
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const w = ws[i]!;
    const xm = x < 0 ? -x : x;
    const wm = w < 0 ? -w : w;
    const c = s.countOperand === "w" ? unsignedCount(s, xm, wm) : unsignedCount(s, wm, xm);
    sum += x < 0 !== w < 0 ? -c : c;
  }
  return sum;
}

function checkScGemm(
  s: ResolvedSpec,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
): void {
  checkGemmDims(m, k, n);
  checkLength(a, m * k, "a (m×k)");
  checkLength(b, n * k, "b (n×k)");
  checkSignedArray(a, s.bits, "a");
  checkSignedArray(b, s.bits, "b");
  checkScFanIn(k, s.bits);
}

/**
 * Runs a stream-side/count-side kernel for a GEMM: `a` holds stream operands unless countOperand
 * is "x". Returns out[i * n + j] (M×N).
 */
function runGemm(
  s: ResolvedSpec,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  kernel: (st: ArrayLike<number>, ms: number, cnt: ArrayLike<number>, nc: number, out: Int32Array) => void,
): Int32Array {
  // Kernels only ever see Int32Array (keeps them monomorphic for the JIT).
  if (s.countOperand === "w") {
    const r = new Int32Array(n * m);
    kernel(transpose(a, m, k), m, asInt32(b), n, r);
    return transpose(r, n, m);
  }
  const out = new Int32Array(m * n);
  kernel(transpose(b, n, k), n, asInt32(a), m, out);
  return out;
}

/**
 * SC GEMM with a chosen kernel: "lut" (per-MAC product-table lookup, the reference fast path,
 * every scheme, N ≤ 12), "row-lut" (weight-stationary signed rows), "bit-plane" (bisc only, any N).
 */
export function scGemmWith(
  kernel: ScKernelName,
  spec: ScSpec,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
): Int32Array {
  const s = resolveSpec(spec);
  checkScGemm(s, a, b, m, k, n);
  const run = scKernel(s, kernel);
  return runGemm(s, a, b, m, k, n, (st, ms, cnt, nc, out) => run(st, ms, cnt, nc, k, out));
}

/**
 * SC GEMM through the product table (the reference fast path, every scheme, N ≤ 12):
 * out[i·n + j] = Σ_kk scMultiply(spec, a[i·k + kk], b[j·k + kk]). `a` is M×K stream operands
 * (activations / im2col rows), `b` is N×K count operands (one weight row per output channel).
 */
export function scGemmLut(
  spec: ScSpec,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
): Int32Array {
  return scGemmWith("lut", spec, a, b, m, k, n);
}

/** BISC GEMM by the bit-plane decomposition: N sparse shift-add passes (any N ≤ 16). */
export function scGemmBitplane(
  spec: ScSpec,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
): Int32Array {
  return scGemmWith("bit-plane", spec, a, b, m, k, n);
}

/**
 * SC GEMM, fastest exact plain-TS path (see pickScKernel): the row-LUT kernel when its rows fit,
 * else bit-plane (bisc) or per-MAC lookup. Equal to scGemmLut (tested).
 */
export function scGemm(
  spec: ScSpec,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
): Int32Array {
  const s = resolveSpec(spec);
  checkScGemm(s, a, b, m, k, n);
  const run = autoScKernel(s);
  return runGemm(s, a, b, m, k, n, (st, ms, cnt, nc, out) => run(st, ms, cnt, nc, k, out));
}

/** Exact integer dot product Σ x·w (the fixed-point baseline). */
export function intDot(xs: ArrayLike<number>, ws: ArrayLike<number>): number {
  checkLength(ws, xs.length, "ws");
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]! * ws[i]!;
  return sum;
}

/** Integer sums must fit Int32: k·max|a|·max|b| ≤ 2^31 − 1. */
export function checkIntRange(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  k: number,
  name = "k (inner dimension)",
): void {
  for (const [arr, label] of [
    [a, "a"],
    [b, "b"],
  ] as const) {
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isInteger(arr[i]!)) throw new RangeError(`${label}[${i}] must be an integer, got ${String(arr[i])}`);
    }
  }
  if (k * maxAbs(a) * maxAbs(b) > INT32_MAX) {
    throw new RangeError(`${name} = ${k} with max|a| = ${maxAbs(a)}, max|b| = ${maxAbs(b)} may overflow Int32 sums`);
  }
}

/** Exact integer GEMM, same shapes as scGemm: out[i·n + j] = Σ_kk a[i·k + kk]·b[j·k + kk]. */
export function intGemm(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Int32Array {
  checkGemmDims(m, k, n);
  checkLength(a, m * k, "a (m×k)");
  checkLength(b, n * k, "b (n×k)");
  checkIntRange(a, b, k);
  const r = new Int32Array(n * m);
  intKernel(transpose(a, m, k), m, asInt32(b), n, k, r);
  return transpose(r, n, m);
}
