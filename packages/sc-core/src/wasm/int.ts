import { convGeometry, intConv2d, type Conv2dResult, type ConvGeometry } from "../conv2d.ts";
import { checkGemmDims, intGemm } from "../gemm.ts";
import { checkLength } from "../validate.ts";
import {
  checkOut,
  CHUNK_PIXELS,
  chunkWidth,
  deliverInto,
  INT_BLOCK,
  maxAbs,
  planeRows,
  resultArray,
  tapOffsets,
} from "./layout.ts";
import type { WasmConv2dOptions } from "./sc.ts";
import { Heap, kernelExports } from "./module.ts";

const INT32_MAX = 2 ** 31 - 1;
/** Operands the kernel takes: i16 lanes. */
const I16_MAX = 32767;

/**
 * Exact integer convolution on the WebAssembly SIMD kernel (asm/kernels.ts, intKernel):
 * i32x4.dot_i16x8_s over taps interleaved in pairs, 8 MACs per instruction, 4 output channels ×
 * 8 pixels per register block. Same arguments, result and errors as `intConv2d`, bit-exact with
 * it (tested). Any stride, padding, groups. Falls back to the TypeScript `intConv2d` when the
 * kernel cannot take the operands: a non-integer, |x| or |w| > 32767 (i16 lanes), or a fan-in
 * whose sums could overflow Int32 (intConv2d then throws the error naming it). `opts.out`
 * (optional) receives the result.
 */
export function wasmIntConv2d(
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: WasmConv2dOptions = {},
): Conv2dResult {
  const g = convGeometry(inShape, wShape, opts);
  checkLength(input, g.N * g.C * g.H * g.W, "input");
  checkLength(weight, g.K * g.Cg * g.R * g.S, "weight");
  const into = checkOut(opts.out, g.N * g.K * g.P * g.Q, "convolution output [N, K, P, Q]");
  const x = asKernelInt(input);
  const data = x ? runIntConv(g, x, weight, into) : null;
  if (data) return { data, shape: [g.N, g.K, g.P, g.Q] };
  const r = intConv2d(input, inShape, weight, wShape, opts);
  return { data: deliverInto(r.data, into), shape: r.shape };
}

/**
 * Exact integer GEMM on the SIMD kernel (a 1×1 convolution): same arguments, result and errors
 * as `intGemm` (out[i·n + j] = Σ a[i·k + kk]·b[j·k + kk]). Same fallbacks as wasmIntConv2d;
 * `out` (optional, m·n) receives the result.
 */
export function wasmIntGemm(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  out?: Int32Array,
): Int32Array {
  checkGemmDims(m, k, n);
  checkLength(a, m * k, "a (m×k)");
  checkLength(b, n * k, "b (n×k)");
  const into = checkOut(out, m * n, "product m×n");
  const x = asKernelInt(a);
  const data = x ? runIntConv(convGeometry([m, k, 1, 1], [n, k, 1, 1]), x, b, into) : null;
  return data ?? deliverInto(intGemm(a, b, m, k, n), into);
}

/** The operand as an Int32Array, or null when some element is not an integer the kernel takes. */
function asKernelInt(values: ArrayLike<number>): Int32Array | null {
  if (values instanceof Int32Array) return values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < -I16_MAX || v > I16_MAX) return null;
  }
  return Int32Array.from(values);
}

/** Runs the kernel, or returns null when the operands need the TypeScript path. */
export function runIntConv(
  g: ConvGeometry,
  input: Int32Array,
  weight: ArrayLike<number>,
  into?: Int32Array,
): Int32Array | null {
  const taps = g.Cg * g.R * g.S;
  for (let i = 0; i < weight.length; i++) if (!Number.isInteger(weight[i]!)) return null;
  const maxW = maxAbs(weight);
  if (maxW > I16_MAX) return null;

  const ex = kernelExports();
  const heap = new Heap(ex);
  const hp = g.H + 2 * g.padding;
  const wp = g.W + 2 * g.padding;
  const PQ = g.P * g.Q;
  const M = g.N * PQ;
  const k2 = (taps + 1) >> 1;
  const tMax = chunkWidth(Math.min(M, CHUNK_PIXELS), INT_BLOCK);
  const rowStride = tMax + 8; // pixels; the stride-1 copy overshoots by up to 7
  const planeBytes = (g.N * g.C * hp * wp + 32) * 2;

  const wPairs = heap.alloc(g.K * k2 * 4);
  const koff = heap.alloc(taps * 4);
  const raw = heap.alloc(input.length * 4);
  const plane = heap.alloc(planeBytes);
  const col = heap.alloc(k2 * rowStride * 4);
  const chunk = heap.alloc(g.Kg * tMax * 4);
  const out = heap.alloc(g.N * g.K * PQ * 4);
  const { u8, i32 } = heap.commit();

  i32.set(input, raw / 4);
  if (g.padding > 0) u8.fill(0, plane, plane + planeBytes); // zero borders
  const [rows, h, w] = planeRows(g.N * g.C, g.H, g.W, g.padding);
  const maxX = ex.intInputPlanes(raw, rows, h, w, g.padding, plane);
  if (maxX > I16_MAX || taps * maxX * maxW > INT32_MAX) return null;

  const wv = i32.subarray(wPairs / 4, wPairs / 4 + g.K * k2);
  for (let o = 0; o < g.K; o++) {
    for (let j = 0; j < k2; j++) {
      const lo = weight[o * taps + 2 * j]!;
      const hi = 2 * j + 1 < taps ? weight[o * taps + 2 * j + 1]! : 0;
      wv[o * k2 + j] = (lo & 0xffff) | (hi << 16);
    }
  }
  i32.set(tapOffsets(g), koff / 4);

  for (let grp = 0; grp < g.groups; grp++) {
    for (let m0 = 0; m0 < M; m0 += tMax) {
      const m1 = Math.min(M, m0 + tMax);
      const T = chunkWidth(m1 - m0, INT_BLOCK);
      ex.intIm2col(plane, g.C, grp * g.Cg, hp, wp, g.P, g.Q, g.stride, koff, taps, m0, m1, col, rowStride);
      ex.intKernel(col, rowStride, k2, T, wPairs + grp * g.Kg * k2 * 4, g.Kg, chunk);
      ex.scatterOut(chunk, T, g.Kg, m0, m1, PQ, g.K, grp * g.Kg, out);
    }
  }
  return resultArray(ex.memory.buffer, out, g.N * g.K * PQ, into);
}
