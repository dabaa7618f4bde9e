import { convGeometry, scConv2d, type Conv2dOptions, type Conv2dResult, type ConvGeometry } from "../conv2d.ts";
import { checkScFanIn, scGemm } from "../gemm.ts";
import { resolveSpec, type ScSpec } from "../spec.ts";
import { checkInteger, checkLength, checkSignedArray } from "../validate.ts";
import { asInt32, CHUNK_PIXELS, chunkWidth, planeRows, SC_BLOCK, tapOffsets } from "./layout.ts";
import { Heap, kernelExports } from "./module.ts";
import { nibbleTables, type NibbleTables } from "./nibble-tables.ts";

/**
 * SC convolution on the WebAssembly SIMD kernel (asm/kernels.ts, scKernel): same arguments,
 * result and errors as `scConv2d`, bit-exact with it (tested).
 *
 * Kernel: per weight, two 16-entry byte tables of its product counts over the high and low
 * nibble of |x| (i8x16.swizzle, 16 output pixels per instruction; see nibble-tables.ts), signs by
 * XOR, sums in i16 lanes flushed to i32 every 128 taps. Any stride, padding and groups (incl.
 * depthwise). Falls back to the TypeScript `scConv2d` for what the kernel cannot take:
 * N > 8 (a product count no longer fits a byte) and schemes whose product table is not
 * separable in the nibbles of |x| (bitrev, lfsr, sobol — only bisc is).
 */
export function wasmScConv2d(
  spec: ScSpec, input: ArrayLike<number>, inShape: readonly number[], weight: ArrayLike<number>, wShape: readonly number[],
  opts: Conv2dOptions = {},
): Conv2dResult {
  const s = resolveSpec(spec);
  const tables = nibbleTables(s);
  if (!tables) return scConv2d(spec, input, inShape, weight, wShape, opts);
  const g = convGeometry(inShape, wShape, opts);
  checkLength(input, g.batch * g.c * g.h * g.w, "input");
  checkLength(weight, g.k * g.cg * g.r * g.s, "weight");
  if (!(input instanceof Int32Array)) checkSignedArray(input, s.bits, "input");
  checkSignedArray(weight, s.bits, "weight");
  checkScFanIn(g.cg * g.r * g.s, s.bits, "C/groups·R·S (fan-in)");
  const data = runScConv(tables, g, asInt32(input), weight, () => checkSignedArray(input, s.bits, "input"));
  return { data, shape: [g.batch, g.k, g.p, g.q] };
}

/**
 * SC GEMM on the SIMD kernel: same arguments, result and errors as `scGemm` (a: M×K stream
 * operands, b: N×K count operands, out M×N), run as a 1×1 convolution. Same fallbacks as
 * wasmScConv2d.
 */
export function wasmScGemm(spec: ScSpec, a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Int32Array {
  const s = resolveSpec(spec);
  const tables = nibbleTables(s);
  if (!tables) return scGemm(spec, a, b, m, k, n);
  checkInteger(m, "m (rows of a)", 1, 2 ** 30);
  checkInteger(k, "k (inner dimension)", 1, 2 ** 30);
  checkInteger(n, "n (rows of b)", 1, 2 ** 30);
  checkLength(a, m * k, "a (m×k)");
  checkLength(b, n * k, "b (n×k)");
  if (!(a instanceof Int32Array)) checkSignedArray(a, s.bits, "a");
  checkSignedArray(b, s.bits, "b");
  checkScFanIn(k, s.bits);
  const g = convGeometry([m, k, 1, 1], [n, k, 1, 1]);
  return runScConv(tables, g, asInt32(a), b, () => checkSignedArray(a, s.bits, "a"));
}

/** Runs the kernel; `rangeError` throws the reference's error when an input is out of range. */
function runScConv(t: NibbleTables, g: ConvGeometry, input: Int32Array, weight: ArrayLike<number>, rangeError: () => void): Int32Array {
  const ex = kernelExports();
  const heap = new Heap(ex);
  const hp = g.h + 2 * g.padding;
  const wp = g.w + 2 * g.padding;
  const PQ = g.p * g.q;
  const M = g.batch * PQ;
  const taps = g.cg * g.r * g.s;
  const tMax = chunkWidth(Math.min(M, CHUNK_PIXELS), SC_BLOCK);
  const rowStride = tMax + 16;
  const planeElems = g.batch * g.c * hp * wp;
  const planeBytes = Math.ceil((planeElems + 64) / 16) * 16;
  const colPlaneBytes = Math.ceil((taps * rowStride + 16) / 16) * 16;

  const tab = heap.alloc(t.bytes.length);
  const prog = heap.alloc(g.k * taps * 8);
  const koff = heap.alloc(taps * 4);
  const raw = heap.alloc(input.length * 4);
  const planes = heap.alloc(4 * planeBytes);
  const col = heap.alloc(4 * colPlaneBytes);
  const chunk = heap.alloc(g.kg * tMax * 4);
  const out = heap.alloc(g.batch * g.k * PQ * 4);
  const { u8, i32 } = heap.commit();

  u8.set(t.bytes, tab);
  const pos = 2 * colPlaneBytes;
  const neg = 3 * colPlaneBytes;
  for (let i = 0, j = prog / 4; i < g.k * taps; i++, j += 2) {
    const w = weight[i]!;
    i32[j] = tab + 32 * (w < 0 ? -w : w);
    i32[j + 1] = w < 0 ? neg : pos;
  }
  i32.set(tapOffsets(g), koff / 4);
  i32.set(input, raw / 4);
  if (g.padding > 0) {
    // Zero borders: x = 0 (XH = XL = SX = 0, NSX = 0xFF). Without padding every byte the kernel
    // uses is written; the rest is read only into pixels that are discarded.
    u8.fill(0, planes, planes + 3 * planeBytes);
    u8.fill(0xff, planes + 3 * planeBytes, planes + 4 * planeBytes);
  }
  const [rows, h, w] = planeRows(g.batch * g.c, g.h, g.w, g.padding);
  const maxX = ex.scInputPlanes(raw, rows, h, w, g.padding, t.shift, t.loMask, planes, planeBytes);
  if (maxX > 2 ** t.bits - 1) rangeError();

  for (let grp = 0; grp < g.groups; grp++) {
    for (let m0 = 0; m0 < M; m0 += tMax) {
      const m1 = Math.min(M, m0 + tMax);
      const T = chunkWidth(m1 - m0, SC_BLOCK);
      ex.scIm2col(planes, planeBytes, g.c, grp * g.cg, hp, wp, g.p, g.q, g.stride, koff, taps, m0, m1, col, rowStride, colPlaneBytes);
      ex.scKernel(col, colPlaneBytes, rowStride, taps, T, prog + grp * g.kg * taps * 8, g.kg, chunk);
      ex.scatterOut(chunk, T, g.kg, m0, m1, PQ, g.k, grp * g.kg, out);
    }
  }
  return new Int32Array(ex.memory.buffer, out, g.batch * g.k * PQ).slice();
}
