import { convGeometry, scConv2d, type Conv2dOptions, type Conv2dResult, type ConvGeometry } from "../conv2d.ts";
import { checkGemmDims, checkScFanIn, scGemm } from "../gemm.ts";
import { resolveSpec, type ResolvedSpec, type ScSpec } from "../spec.ts";
import { checkLength, checkSignedArray } from "../validate.ts";
import {
  asInt32,
  checkOut,
  CHUNK_PIXELS,
  chunkWidth,
  deliverInto,
  directRows,
  directSc,
  planeRows,
  resultArray,
  SC_BLOCK,
  SC_UNSIGNED_BLOCK,
  tapOffsets,
} from "./layout.ts";
import { runIntConv } from "./int.ts";
import { Heap, kernelExports } from "./module.ts";
import {
  byteTables,
  nibbleTables,
  nibbleTablesOf,
  NIBBLE_KERNEL_MAX_BITS,
  type ByteTables,
  type NibbleTables,
} from "./nibble-tables.ts";
import { truncCutColumn, truncProduct, truncProductTable } from "../truncated.ts";

/** The reference convolution's options, plus `out`: an Int32Array of N·K·P·Q that receives the result. */
export interface WasmConv2dOptions extends Conv2dOptions {
  /** Receives the result, which is then this array (saves allocating one per call). */
  out?: Int32Array;
}

/**
 * SC convolution on the WebAssembly SIMD kernels (asm/kernels.ts): same arguments, result and
 * errors as `scConv2d`, bit-exact with it (tested).
 *
 * N ≤ 8 (scKernel): per weight, two 16-entry byte tables of its product counts over the high and
 * low nibble of |x| (i8x16.swizzle, 16 output pixels per instruction; see nibble-tables.ts),
 * signs by XOR, sums in i16 lanes flushed to i32 every 128 taps; when no input is negative (every
 * layer after a ReLU) the signs come from the weights alone (scKernelUnsigned: two planes, no XOR).
 * Such a layer at stride 1 whose padded rows are at most about 5/4 of its output rows reads its
 * planes in place with no im2col copy (scKernelUnsignedDirect, see directSc): on LeNet-5's conv1
 * (batch 100, N = 8) 94 ms instead of 105 ms per 10 000 images on this machine.
 * N = 9…16 (bisc): split into three exact convolutions the kernels take (see wideSplit):
 * an N = 8 SC convolution, an integer convolution and an (N − 8)-bit SC convolution.
 * Schemes whose product is not separable in the nibbles of |x| (bitrev, lfsr, sobol) at N = 5…8:
 * scTableKernel, a byte table of every count per weight (see kernelTables).
 * Any stride, padding and groups (incl. depthwise). Falls back to the TypeScript `scConv2d` only
 * for those schemes above N = 8.
 * `opts.out` (optional) receives the result.
 */
export function wasmScConv2d(
  spec: ScSpec,
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: WasmConv2dOptions = {},
): Conv2dResult {
  const s = resolveSpec(spec);
  const tables = kernelTables(s);
  const wide = !tables && s.scheme === "bisc";
  const g = convGeometry(inShape, wShape, opts);
  const into = checkOut(opts.out, g.N * g.K * g.P * g.Q, "convolution output [N, K, P, Q]");
  if (!tables && !wide) {
    const r = scConv2d(spec, input, inShape, weight, wShape, opts);
    return { data: deliverInto(r.data, into), shape: r.shape };
  }
  checkLength(input, g.N * g.C * g.H * g.W, "input");
  checkLength(weight, g.K * g.Cg * g.R * g.S, "weight");
  if (!(input instanceof Int32Array) || wide) checkSignedArray(input, s.bits, "input");
  if (!(weight instanceof Int32Array) || wide) checkSignedArray(weight, s.bits, "weight");
  checkScFanIn(g.Cg * g.R * g.S, s.bits, "C/groups·R·S (fan-in)");
  const data = tables
    ? runScConv(
        tables,
        g,
        asInt32(input),
        weight,
        (w) => checkSignedArray(w ? weight : input, s.bits, w ? "weight" : "input"),
        into,
      )
    : deliverInto(runWide(s, g, input, weight), into);
  return { data, shape: [g.N, g.K, g.P, g.Q] };
}

/**
 * SC GEMM on the SIMD kernels: same arguments, result and errors as `scGemm` (a: M×K stream
 * operands, b: N×K count operands, out M×N), run as a 1×1 convolution. Same coverage and
 * fallbacks as wasmScConv2d; `out` (optional, m·n) receives the result.
 */
export function wasmScGemm(
  spec: ScSpec,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  out?: Int32Array,
): Int32Array {
  const s = resolveSpec(spec);
  const tables = kernelTables(s);
  const wide = !tables && s.scheme === "bisc";
  checkGemmDims(m, k, n);
  const into = checkOut(out, m * n, "product m×n");
  if (!tables && !wide) return deliverInto(scGemm(spec, a, b, m, k, n), into);
  checkLength(a, m * k, "a (m×k)");
  checkLength(b, n * k, "b (n×k)");
  if (!(a instanceof Int32Array) || wide) checkSignedArray(a, s.bits, "a");
  if (!(b instanceof Int32Array) || wide) checkSignedArray(b, s.bits, "b");
  checkScFanIn(k, s.bits);
  const g = convGeometry([m, k, 1, 1], [n, k, 1, 1]);
  return tables
    ? runScConv(tables, g, asInt32(a), b, (w) => checkSignedArray(w ? b : a, s.bits, w ? "b" : "a"), into)
    : deliverInto(runWide(s, g, a, b), into);
}

/**
 * Truncated-multiplier convolution (g guard bits; one `truncProductSigned` per MAC, summed) on the
 * SIMD nibble kernel: the truncated product is linear in the bits of |x| for a fixed |w|, so it is
 * separable in the nibbles of |x| like a BISC count (nibbleTablesOf checks every pair). Where its
 * products exceed a byte (N + g > 8), it runs as two byte-sized parts by columns,
 *   T_g(x, w) = 2^g · T_0(x, w) + D_g(x, w),
 * T_0 the columns ≥ N (the g = 0 product, < 2^N) and D_g the columns N − g … N − 1 (at most 222 at
 * N = 8, g = 5), summed as 2^g · conv(T_0) + conv(D_g). Same arguments and geometry as
 * `wasmScConv2d` with (N, g) for the spec. Null where neither form fits (N > 8, or D_g above a byte);
 * the caller then runs the exact kernel on `stackTruncPlanes`. Tested equal to `truncDot`.
 */
export function wasmTruncConv2d(
  bits: number,
  guard: number,
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: WasmConv2dOptions = {},
): Conv2dResult | null {
  const parts = truncKernelParts(bits, guard);
  if (!parts) return null;
  const g = convGeometry(inShape, wShape, opts);
  const into = checkOut(opts.out, g.N * g.K * g.P * g.Q, "convolution output [N, K, P, Q]");
  checkLength(input, g.N * g.C * g.H * g.W, "input");
  checkLength(weight, g.K * g.Cg * g.R * g.S, "weight");
  if (!(input instanceof Int32Array)) checkSignedArray(input, bits, "input");
  if (!(weight instanceof Int32Array)) checkSignedArray(weight, bits, "weight");
  const taps = g.Cg * g.R * g.S;
  const maxProduct = truncProduct(2 ** bits - 1, 2 ** bits - 1, bits, guard);
  if (taps * maxProduct > 2 ** 31 - 1)
    throw new RangeError(
      `C/groups·R·S (fan-in) = ${taps} is too large for Int32 sums of truncated products up to ${maxProduct}`,
    );
  const rangeError = (w: boolean) => checkSignedArray(w ? weight : input, bits, w ? "weight" : "input");
  const x = asInt32(input);
  if (parts.length === 1)
    return { data: runScConv(parts[0]!, g, x, weight, rangeError, into), shape: [g.N, g.K, g.P, g.Q] };
  const high = runScConv(parts[0]!, g, x, weight, rangeError);
  const low = runScConv(parts[1]!, g, x, weight, rangeError);
  const scale = 2 ** guard;
  const data = into ?? high;
  for (let i = 0; i < data.length; i++) data[i] = scale * high[i]! + low[i]!;
  return { data, shape: [g.N, g.K, g.P, g.Q] };
}

/** The truncated-multiplier GEMM (a: M×K activations, b: N×K weights, out M×N) as a 1×1 `wasmTruncConv2d`; null likewise. */
export function wasmTruncGemm(
  bits: number,
  guard: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  out?: Int32Array,
): Int32Array | null {
  checkGemmDims(m, k, n);
  const r = wasmTruncConv2d(bits, guard, a, [m, k, 1, 1], b, [n, k, 1, 1], { out });
  return r ? r.data : null;
}

/** The kernel tables of T_g (one part), or of 2^g · T_0 and D_g (two parts, first scaled by 2^g), or null. */
function truncKernelParts(bits: number, guard: number): KernelTables[] | null {
  truncCutColumn(bits, guard);
  if (bits > NIBBLE_KERNEL_MAX_BITS) return null;
  const whole = nibbleKernel(nibbleTablesOf(`trunc/${bits}/${guard}`, () => truncProductTable(bits, guard)));
  if (whole || guard === 0) return whole ? [whole] : null;
  const high = nibbleKernel(nibbleTablesOf(`trunc/${bits}/0`, () => truncProductTable(bits, 0)));
  const low = nibbleKernel(
    nibbleTablesOf(`trunc-low/${bits}/${guard}`, () => {
      const t = truncProductTable(bits, guard);
      const t0 = truncProductTable(bits, 0);
      const table = new Int32Array(t.table.length);
      for (let i = 0; i < table.length; i++) table[i] = t.table[i]! - 2 ** guard * t0.table[i]!;
      return { bits, size: t.size, table };
    }),
  );
  return high && low ? [high, low] : null;
}

/**
 * BISC at N = 9…16 from kernels of at most 8 bits. With the stream operand's magnitude split as
 * s = sTop·2^(N−8) + sLow (sTop: its top 8 bits) and the count operand's as c = cHi·2^8 + cLo,
 *   count_N(s, c) = count_8(sTop, cLo) + sTop·cHi + count_(N−8)(sLow, cHi).
 * Why: count_N(s, c) = Σ_j c_j·G_j(s) with G_j(s) = (s >> (N−j)) + s[N−1−j]. For j < 8, G_j
 * reads only the top j + 1 ≤ 8 bits of s, so it is the 8-bit G_j of sTop (first term). For
 * j = 8 + i, s >> (N−j) = sTop·2^i + (sLow >> (N−8−i)), so G_j(s) = sTop·2^i + G'_i(sLow) with
 * G' the (N − 8)-bit gain; summing c_(8+i) over i gives sTop·cHi + count_(N−8)(sLow, cHi).
 * Every part carries the product's sign sign(x)·sign(w); a part is 0 when its operand is 0, so
 * losing a sign on a zero part changes nothing. Checked against scConv2d (tests).
 */
export function wideSplit(bits: number, stream: number, count: number): [number, number, number, number] {
  const sm = stream < 0 ? -stream : stream;
  const cm = count < 0 ? -count : count;
  const ss = stream < 0 ? -1 : 1;
  const cs = count < 0 ? -1 : 1;
  return [
    ss * Math.floor(sm / 2 ** (bits - 8)),
    ss * (sm % 2 ** (bits - 8)),
    cs * (cm & 255),
    cs * Math.floor(cm / 256),
  ];
}

function runWide(s: ResolvedSpec, g: ConvGeometry, input: ArrayLike<number>, weight: ArrayLike<number>): Int32Array {
  const low = s.bits - 8;
  const split = (values: ArrayLike<number>, role: "stream" | "count") => {
    const a = new Int32Array(values.length);
    const b = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      const [sTop, sLow, cLo, cHi] = role === "stream" ? wideSplit(s.bits, v, 0) : wideSplit(s.bits, 0, v);
      a[i] = role === "stream" ? sTop : cLo;
      b[i] = role === "stream" ? sLow : cHi;
    }
    return [a, b] as const;
  };
  const xStream = s.countOperand === "w";
  const [x1, x2] = split(input, xStream ? "stream" : "count");
  const [w1, w2] = split(weight, xStream ? "count" : "stream");
  const t8 = kernelTables(resolveSpec({ scheme: "bisc", bits: 8, countOperand: s.countOperand }))!;
  const tLow = kernelTables(resolveSpec({ scheme: "bisc", bits: low, countOperand: s.countOperand }))!;
  const noRangeError = () => {
    throw new Error("internal: split operand out of range");
  };
  // Stream top with count low byte; stream top times count high part; stream low with count high part.
  const first = runScConv(t8, g, x1, w1, noRangeError);
  const middle = xStream ? runIntConv(g, x1, w2) : runIntConv(g, x2, w1);
  const last = runScConv(tLow, g, x2, w2, noRangeError);
  if (!middle) throw new Error("internal: integer part of the N > 8 split not taken by the int kernel");
  for (let i = 0; i < first.length; i++) first[i] = first[i]! + middle[i]! + last[i]!;
  return first;
}

/**
 * The tables one of the two SIMD SC kernels runs on: nibble tables (scKernel: two lookups per
 * product) where the scheme's product is separable in the nibbles of |x| (bisc; any scheme at
 * N <= 4), else byte tables of every count (scTableKernel: 2^N / 16 lookups per product; bitrev,
 * lfsr, sobol at N = 5…8). Null above N = 8.
 */
interface KernelTables {
  bits: number;
  shift: number;
  loMask: number;
  bytes: Uint8Array;
  /** Bytes per |w| in `bytes`. */
  stride: number;
  /** scTableKernel's rows of 16 per |w|, or null for scKernel. */
  rows: number | null;
  /** Counts above 255 stored as 255 (see ByteTables). */
  overflow: ByteTables["overflow"];
  /** scKernelUnsigned's tables for negative weights (nibble tables only), same layout as `bytes`. */
  negated: Uint8Array | null;
}

function kernelTables(s: ResolvedSpec): KernelTables | null {
  const nt = nibbleKernel(nibbleTables(s));
  if (nt) return nt;
  const bt = byteTables(s);
  return bt
    ? {
        bits: bt.bits,
        shift: 0,
        loMask: 0xff,
        bytes: bt.bytes,
        stride: 16 * bt.rows,
        rows: bt.rows,
        overflow: bt.overflow,
        negated: null,
      }
    : null;
}

/** scKernel's tables from nibble tables (32 bytes per |w|), or null. */
function nibbleKernel(nt: NibbleTables | null): KernelTables | null {
  return nt ? { ...nt, stride: 32, rows: null, overflow: null } : null;
}

/**
 * Runs the kernel; `rangeError(weights)` throws the reference's error when an input (false) or a
 * weight (true) is out of range (Int32Array operands are range-checked here, in WASM).
 */
function runScConv(
  t: KernelTables,
  g: ConvGeometry,
  input: Int32Array,
  weight: ArrayLike<number>,
  rangeError: (weights: boolean) => void,
  into?: Int32Array,
): Int32Array {
  const ex = kernelExports();
  const heap = new Heap(ex);
  const hp = g.H + 2 * g.padding;
  const wp = g.W + 2 * g.padding;
  const PQ = g.P * g.Q;
  const M = g.N * PQ;
  const taps = g.Cg * g.R * g.S;
  const tMax = chunkWidth(Math.min(M, CHUNK_PIXELS), SC_BLOCK);
  const rowStride = tMax + 16;
  const planeElems = g.N * g.C * hp * wp;
  // Slack past each plane: the direct kernel reads up to S + 30 bytes beyond (scKernelUnsignedDirect).
  const planeBytes = Math.ceil((planeElems + 64 + g.S) / 16) * 16;
  const colPlaneBytes = Math.ceil((taps * rowStride + 16) / 16) * 16;

  const tab = heap.alloc(t.bytes.length);
  const negTab = t.negated ? heap.alloc(t.negated.length) : tab;
  const prog = heap.alloc(g.K * taps * 8);
  const rawW = heap.alloc(g.K * taps * 4);
  const koff = heap.alloc(taps * 4);
  const raw = heap.alloc(input.length * 4);
  const planes = heap.alloc(4 * planeBytes);
  const col = heap.alloc(4 * colPlaneBytes);
  const direct = t.negated !== null && directSc(g);
  const rowsPer = directRows(g);
  const chunk = heap.alloc(g.Kg * Math.max(tMax, direct ? chunkWidth(rowsPer * wp, SC_BLOCK) : 0) * 4);
  const out = heap.alloc(g.N * g.K * PQ * 4);
  const { u8, i32 } = heap.commit();

  u8.set(t.bytes, tab);
  i32.set(tapOffsets(g), koff / 4);
  i32.set(input, raw / 4);
  i32.set(asInt32(weight), rawW / 4);
  if (g.padding > 0) {
    // Zero borders: x = 0 (XH = XL = SX = 0, NSX = 0xFF). Without padding every byte the kernel
    // uses is written; the rest is read only into pixels that are discarded.
    u8.fill(0, planes, planes + 3 * planeBytes);
    u8.fill(0xff, planes + 3 * planeBytes, planes + 4 * planeBytes);
  }
  const [rows, h, w] = planeRows(g.N * g.C, g.H, g.W, g.padding);
  const planesInfo = ex.scInputPlanes(raw, rows, h, w, g.padding, t.shift, t.loMask, planes, planeBytes);
  if ((planesInfo & 0xffff) > 2 ** t.bits - 1) rangeError(false);
  // No negative input (every layer after a ReLU): scKernelUnsigned on two planes, negative weights
  // on negated tables with a mismatch count of 1 each; else scKernel with the sign planes.
  const unsigned = t.negated !== null && planesInfo >>> 16 === 0;
  if (unsigned) u8.set(t.negated!, negTab);
  const maxW = unsigned
    ? ex.scProgram(rawW, g.K * taps, tab, negTab, t.stride, 0, 1, prog)
    : ex.scProgram(rawW, g.K * taps, tab, tab, t.stride, 2 * colPlaneBytes, 3 * colPlaneBytes, prog);
  if (maxW > 2 ** t.bits - 1) rangeError(true);

  if (unsigned && direct) {
    // Whole padded rows of one image per chunk, read in place (see directSc).
    for (let grp = 0; grp < g.groups; grp++) {
      const gp = prog + grp * g.Kg * taps * 8;
      for (let b = 0; b < g.N; b++) {
        for (let p0 = 0; p0 < g.P; p0 += rowsPer) {
          const rows = Math.min(rowsPer, g.P - p0);
          const T = chunkWidth(rows * wp, SC_BLOCK);
          const x = planes + ((b * g.C + grp * g.Cg) * hp + p0) * wp;
          ex.scKernelUnsignedDirect(x, planeBytes, koff, taps, T, gp, g.Kg, chunk);
          ex.scatterRows(chunk, T, g.Kg, rows, wp, g.Q, PQ, out + ((b * g.K + grp * g.Kg) * PQ + p0 * g.Q) * 4);
        }
      }
    }
  } else {
    for (let grp = 0; grp < g.groups; grp++) {
      for (let m0 = 0; m0 < M; m0 += tMax) {
        const m1 = Math.min(M, m0 + tMax);
        const T = chunkWidth(m1 - m0, unsigned ? SC_UNSIGNED_BLOCK : SC_BLOCK);
        ex.scIm2col(
          planes,
          planeBytes,
          g.C,
          grp * g.Cg,
          hp,
          wp,
          g.P,
          g.Q,
          g.stride,
          koff,
          taps,
          m0,
          m1,
          col,
          rowStride,
          colPlaneBytes,
          unsigned ? 0 : 1,
        );
        const gp = prog + grp * g.Kg * taps * 8;
        if (unsigned) ex.scKernelUnsigned(col, colPlaneBytes, rowStride, taps, T, gp, g.Kg, chunk);
        else if (t.rows === null) ex.scKernel(col, colPlaneBytes, rowStride, taps, T, gp, g.Kg, chunk);
        else ex.scTableKernel(col, colPlaneBytes, rowStride, taps, T, gp, g.Kg, chunk, t.rows);
        ex.scatterOut(chunk, T, g.Kg, m0, m1, PQ, g.K, grp * g.Kg, out);
      }
    }
  }
  const result = resultArray(ex.memory.buffer, out, g.N * g.K * PQ, into);
  if (t.overflow) addOverflow(t.overflow, g, input, weight, result);
  return result;
}

/** Adds excess · conv(sign(x)[|x| ∈ xs], sign(w)[|w| ∈ ws]) for the counts the byte tables capped at 255. */
function addOverflow(
  o: NonNullable<ByteTables["overflow"]>,
  g: ConvGeometry,
  input: Int32Array,
  weight: ArrayLike<number>,
  result: Int32Array,
): void {
  const ind = (v: ArrayLike<number>, set: Uint8Array) => {
    const out = new Int32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      out[i] = set[x < 0 ? -x : x]! ? (x < 0 ? -1 : 1) : 0;
    }
    return out;
  };
  const corr = runIntConv(g, ind(input, o.xs), ind(weight, o.ws));
  if (!corr) throw new Error("internal: the overflow correction was not taken by the int kernel");
  for (let i = 0; i < result.length; i++) result[i] = result[i]! + o.excess * corr[i]!;
}
