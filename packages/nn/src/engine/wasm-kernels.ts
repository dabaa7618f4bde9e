/**
 * WebAssembly SIMD kernels (asm/*.ts, compiled by `pnpm build:wasm` into the committed
 * src/engine/kernels.wasm.ts, sc-core's policy): GEMM and a whole convolution forward/backward
 * (im2col, GEMM, reshuffles) inside the module's memory. Operands are copied in, results copied
 * out; each call lays its arrays out from HEAP_BASE. Tested equal to the TS reference (gemm.ts,
 * conv2d.ts) within float tolerance; test/wasm.build.test.ts checks the bytes match asm/.
 */
import { instantiateWasm, wasmBytesFromBase64, type ConvGeometry, type WasmMemory } from "@sccnn/sc-core";
import {
  checkGemmArgs,
  type ConvKernels,
  type GemmForm,
  type Kernels,
  type MaxPoolKernels,
  type ReluKernels,
} from "./gemm.ts";
import { KERNELS_WASM_BASE64 } from "./kernels.wasm.ts";

type Ptr = number;
interface KernelExports {
  memory: WasmMemory;
  gemmNN(M: number, N: number, K: number, a: Ptr, sai: number, sak: number, b: Ptr, c: Ptr, accumulate: number): void;
  gemmNT(M: number, N: number, K: number, a: Ptr, b: Ptr, c: Ptr, accumulate: number): void;
  im2col(
    x: Ptr,
    N: number,
    C: number,
    H: number,
    W: number,
    c0: number,
    Cg: number,
    R: number,
    S: number,
    P: number,
    Q: number,
    stride: number,
    pad: number,
    col: Ptr,
  ): void;
  col2im(
    col: Ptr,
    N: number,
    C: number,
    H: number,
    W: number,
    c0: number,
    Cg: number,
    R: number,
    S: number,
    P: number,
    Q: number,
    stride: number,
    pad: number,
    dx: Ptr,
  ): void;
  scatterBias(out: Ptr, y: Ptr, bias: Ptr, N: number, K: number, Kg: number, g: number, PQ: number): void;
  gatherGrad(dy: Ptr, dyg: Ptr, biasGrad: Ptr, N: number, K: number, Kg: number, g: number, PQ: number): void;
  poolRequant2x2(
    acc: Ptr,
    N: number,
    K: number,
    H: number,
    W: number,
    base: Ptr,
    len: Ptr,
    off: Ptr,
    table: Ptr,
    out: Ptr,
  ): void;
  requant(acc: Ptr, N: number, K: number, inner: number, base: Ptr, len: Ptr, off: Ptr, table: Ptr, out: Ptr): void;
  quantizeInput(src: Ptr, n: number, inv: number, m: number, lo: number, mul: number, dst: Ptr): void;
  fakeQuantize(src: Ptr, n: number, inv: number, m: number, lo: number, scale: number, dst: Ptr): void;
  rescale(acc: Ptr, N: number, K: number, inner: number, unit: Ptr, bias: Ptr, dst: Ptr): void;
  relu(x: Ptr, n: number, y: Ptr): void;
  reluBackward(x: Ptr, dy: Ptr, n: number, dx: Ptr): void;
  maxPool2x2(x: Ptr, NC: number, H: number, W: number, P: number, Q: number, y: Ptr, am: Ptr): void;
  maxPoolBackward(am: Ptr, dy: Ptr, n: number, dx: Ptr, dxLength: number): number;
}

/** First byte the kernels may use (above the module's own static data). */
const HEAP_BASE = 65536;

let instance: KernelExports | null = null;
let heap: Float32Array | null = null;

/** The bytes of the committed module. */
export function nnKernelsWasmBytes(): Uint8Array {
  return wasmBytesFromBase64(KERNELS_WASM_BASE64);
}

function load(): KernelExports {
  instance ??= instantiateWasm<KernelExports>(KERNELS_WASM_BASE64, 'nn kernels "wasm"');
  return instance;
}

/**
 * Lays out arrays of the given float counts (16-byte aligned) from HEAP_BASE, grows memory as
 * needed, and returns the heap view plus each array's byte pointer and float index.
 */
function layout(ex: KernelExports, sizes: number[]): { h: Float32Array; ptr: Ptr[]; idx: number[] } {
  const idx: number[] = [];
  let off = HEAP_BASE / 4;
  for (const n of sizes) {
    idx.push(off);
    off += (n + 3) & ~3;
  }
  const bytes = off * 4,
    have = ex.memory.buffer.byteLength;
  if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / 65536));
  if (!heap || heap.buffer !== ex.memory.buffer) heap = new Float32Array(ex.memory.buffer);
  return { h: heap, ptr: idx.map((i) => i * 4), idx };
}

export function gemmWasm(
  form: GemmForm,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  accumulate: boolean,
): void {
  checkGemmArgs(form, M, N, K, A, B, C);
  const ex = load();
  const aLen = M * K,
    bLen = K * N,
    cLen = M * N;
  const { h, ptr, idx } = layout(ex, [aLen, bLen, cLen]);
  h.set(A.length === aLen ? A : A.subarray(0, aLen), idx[0]);
  h.set(B.length === bLen ? B : B.subarray(0, bLen), idx[1]);
  if (accumulate) h.set(C.subarray(0, cLen), idx[2]);
  const acc = accumulate ? 1 : 0;
  if (form === "nt") ex.gemmNT(M, N, K, ptr[0], ptr[1], ptr[2], acc);
  else if (form === "nn") ex.gemmNN(M, N, K, ptr[0], K, 1, ptr[1], ptr[2], acc);
  else ex.gemmNN(M, N, K, ptr[0], 1, M, ptr[1], ptr[2], acc);
  C.set(h.subarray(idx[2], idx[2] + cLen));
}

/**
 * Images per chunk so that one group's column matrix stays below COL_LIMIT floats (the whole
 * batch at once would need e.g. 600 MB for a 64-channel 3x3 conv on 32x32 images at batch 256).
 */
const COL_LIMIT = 1 << 22;
function chunkImages(g: ConvGeometry, CRS: number, limit = COL_LIMIT): number {
  return Math.max(1, Math.min(g.N, Math.floor(limit / (CRS * g.P * g.Q))));
}

/**
 * The forward's chunk: column matrices of at most 1 MB (a core's L2 here), e.g. 13 LeNet-5 conv1
 * images instead of the whole batch (conv1 forward at batch 64: 2.7 → 1.6 ms). Every output is one
 * image's dot product, so the chunking does not change a bit (tested against one image per call).
 * The backward keeps COL_LIMIT: its weight gradient sums over the chunk, so its chunking is part of
 * the results.
 */
const FORWARD_COL_LIMIT = 1 << 18;

function convForwardWasm(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  g: ConvGeometry,
  groups: number,
  K: number,
): Float32Array {
  const ex = load();
  const { N, C, H, W, R, S, P, Q, stride, padding: pad } = g;
  const Cg = C / groups,
    Kg = K / groups,
    CRS = Cg * R * S,
    PQ = P * Q,
    CHW = C * H * W;
  const chunk = chunkImages(g, CRS, FORWARD_COL_LIMIT);
  const { h, ptr, idx } = layout(ex, [chunk * CHW, w.length, K, CRS * chunk * PQ, Kg * chunk * PQ, chunk * K * PQ]);
  const [xP, wP, bP, colP, outP, yP] = ptr;
  const y = new Float32Array(N * K * PQ);
  h.set(w, idx[1]);
  if (bias) h.set(bias, idx[2]);
  for (let n0 = 0; n0 < N; n0 += chunk) {
    const n = Math.min(chunk, N - n0),
      NPQ = n * PQ;
    h.set(x.subarray(n0 * CHW, (n0 + n) * CHW), idx[0]);
    for (let gi = 0; gi < groups; gi++) {
      ex.im2col(xP, n, C, H, W, gi * Cg, Cg, R, S, P, Q, stride, pad, colP);
      ex.gemmNN(Kg, NPQ, CRS, wP + gi * Kg * CRS * 4, CRS, 1, colP, outP, 0);
      ex.scatterBias(outP, yP, bias ? bP : 0, n, K, Kg, gi, PQ);
    }
    y.set(h.subarray(idx[5], idx[5] + n * K * PQ), n0 * K * PQ);
  }
  return y;
}

function convBackwardWasm(
  x: Float32Array,
  w: Float32Array,
  dy: Float32Array,
  g: ConvGeometry,
  groups: number,
  K: number,
  wGrad: Float32Array,
  biasGrad: Float32Array | null,
  needDx: boolean,
): Float32Array | null {
  const ex = load();
  const { N, C, H, W, R, S, P, Q, stride, padding: pad } = g;
  const Cg = C / groups,
    Kg = K / groups,
    CRS = Cg * R * S,
    PQ = P * Q,
    CHW = C * H * W,
    KPQ = K * PQ;
  const chunk = chunkImages(g, CRS);
  const colLen = CRS * chunk * PQ;
  const { h, ptr, idx } = layout(ex, [
    chunk * CHW,
    w.length,
    chunk * KPQ,
    colLen,
    Kg * chunk * PQ,
    w.length,
    K,
    needDx ? colLen : 0,
    needDx ? chunk * CHW : 0,
  ]);
  const [xP, wP, dyP, colP, dygP, dwP, dbP, dcolP, dxP] = ptr;
  const dx = needDx ? new Float32Array(N * CHW) : null;
  h.set(w, idx[1]);
  h.set(wGrad, idx[5]);
  if (biasGrad) h.set(biasGrad, idx[6]);
  for (let n0 = 0; n0 < N; n0 += chunk) {
    const n = Math.min(chunk, N - n0),
      NPQ = n * PQ;
    h.set(x.subarray(n0 * CHW, (n0 + n) * CHW), idx[0]);
    h.set(dy.subarray(n0 * KPQ, (n0 + n) * KPQ), idx[2]);
    if (needDx) h.fill(0, idx[8], idx[8] + n * CHW);
    for (let gi = 0; gi < groups; gi++) {
      ex.im2col(xP, n, C, H, W, gi * Cg, Cg, R, S, P, Q, stride, pad, colP);
      ex.gatherGrad(dyP, dygP, biasGrad ? dbP : 0, n, K, Kg, gi, PQ);
      ex.gemmNT(Kg, CRS, NPQ, dygP, colP, dwP + gi * Kg * CRS * 4, 1);
      if (needDx) {
        ex.gemmNN(CRS, NPQ, Kg, wP + gi * Kg * CRS * 4, 1, CRS, dygP, dcolP, 0);
        ex.col2im(dcolP, n, C, H, W, gi * Cg, Cg, R, S, P, Q, stride, pad, dxP);
      }
    }
    if (dx) dx.set(h.subarray(idx[8], idx[8] + n * CHW), n0 * CHW);
  }
  wGrad.set(h.subarray(idx[5], idx[5] + w.length));
  if (biasGrad) biasGrad.set(h.subarray(idx[6], idx[6] + K));
  return dx;
}

const wasmConv: ConvKernels = { forward: convForwardWasm, backward: convBackwardWasm };

/**
 * ReLU on the SIMD kernel (asm/pointwise.ts): the TypeScript loops' branch per value is ~50 %
 * mispredicted on real activations. The same bits (tested against Clamp's loops, −0 and NaN included).
 */
const wasmRelu: ReluKernels = {
  minLength: 1024,
  forward(x) {
    const ex = load();
    const { h, ptr, idx } = layout(ex, [x.length, x.length]);
    h.set(x, idx[0]);
    ex.relu(ptr[0]!, x.length, ptr[1]!);
    return h.slice(idx[1]!, idx[1]! + x.length);
  },
  backward(x, dy) {
    if (dy.length !== x.length) throw new RangeError(`relu backward: dy has ${dy.length} values, x ${x.length}`);
    const ex = load();
    const { h, ptr, idx } = layout(ex, [x.length, x.length, x.length]);
    h.set(x, idx[0]);
    h.set(dy, idx[1]);
    ex.reluBackward(ptr[0]!, ptr[1]!, x.length, ptr[2]!);
    return h.slice(idx[2]!, idx[2]! + x.length);
  },
};

/** Max pooling on the SIMD kernel (asm/pointwise.ts): the same outputs and argmax as MaxPool's loops (tested). */
const wasmMaxPool: MaxPoolKernels = {
  minLength: 1024,
  forward2x2(x, NC, H, W, P, Q, y, argmax) {
    const n = NC * P * Q;
    if (x.length < NC * H * W || y.length < n || argmax.length < n)
      throw new RangeError(`maxPool2x2: x, y or argmax shorter than ${NC} planes of ${H}x${W} → ${P}x${Q}`);
    const ex = load();
    const { h, ptr, idx } = layout(ex, [NC * H * W, n, n]);
    h.set(x.subarray(0, NC * H * W), idx[0]);
    ex.maxPool2x2(ptr[0]!, NC, H, W, P, Q, ptr[1]!, ptr[2]!);
    y.set(h.subarray(idx[1]!, idx[1]! + n));
    argmax.set(new Int32Array(ex.memory.buffer, ptr[2]!, n));
  },
  backward(argmax, dy, dxLength) {
    const n = dy.length;
    if (argmax.length < n) throw new RangeError(`maxPool backward: ${argmax.length} argmax for ${n} gradients`);
    const ex = load();
    const { h, ptr, idx } = layout(ex, [n, n, dxLength]);
    new Int32Array(ex.memory.buffer).set(argmax.subarray(0, n), idx[0]);
    h.set(dy, idx[1]);
    const bad = ex.maxPoolBackward(ptr[0]!, ptr[1]!, n, ptr[2]!, dxLength);
    if (bad >= 0) throw new RangeError(`maxPool backward: argmax[${bad}] = ${argmax[bad]} outside 0…${dxLength - 1}`);
    return h.slice(idx[2]!, idx[2]! + dxLength);
  },
};

export const wasmKernels: Kernels = {
  name: "wasm",
  gemm: gemmWasm,
  conv: wasmConv,
  relu: wasmRelu,
  maxPool: wasmMaxPool,
};

/**
 * The int-chain runtime's 2×2/2 max pooling + per-channel requantisation table in one pass, on the
 * SIMD kernel (asm/int-chain.ts): out[n, k, p, q] = table[off[k] + clamp(max of the 2×2 window of
 * acc [N, K, H, W] − base[k], 0, len[k] − 1)], out [N, K, ⌊H/2⌋, ⌊W/2⌋]. Integer in, integer out:
 * tested equal to maxPoolInt followed by requantize (src/quant/int-chain.ts).
 */
export function poolRequant2x2Wasm(acc: Int32Array, shape: readonly number[], t: DenseRequant, out: Int32Array): void {
  const [N, K, H, W] = shape as [number, number, number, number];
  const n = checkRequant("poolRequant2x2Wasm", acc, shape, t, out, N * K * (H >> 1) * (W >> 1));
  const { ex, ptr } = requantOperands(acc, K, t, n);
  ex.poolRequant2x2(ptr[0]!, N, K, H, W, ptr[1]!, ptr[2]!, ptr[3]!, ptr[4]!, ptr[5]!);
  out.set(new Int32Array(ex.memory.buffer, ptr[5]!, n));
}

/**
 * The int-chain runtime's per-channel requantisation table without pooling (asm/int-chain.ts
 * requant): out[n, k, …] = table[off[k] + clamp(acc[n, k, …] − base[k], 0, len[k] − 1)], acc
 * [N, K, …]. Tested equal to requantize's TypeScript loop (src/quant/int-chain.ts).
 */
export function requantWasm(acc: Int32Array, shape: readonly number[], t: DenseRequant, out: Int32Array): void {
  const [N, K] = shape as [number, number];
  checkRequant("requantWasm", acc, shape, t, out, acc.length);
  const { ex, ptr } = requantOperands(acc, K, t, acc.length);
  ex.requant(ptr[0]!, N, K, acc.length / (N * K), ptr[1]!, ptr[2]!, ptr[3]!, ptr[4]!, ptr[5]!);
  out.set(new Int32Array(ex.memory.buffer, ptr[5]!, acc.length));
}

/** A dense requantisation table (RequantTable without step points). */
interface DenseRequant {
  base: Int32Array;
  len: Int32Array;
  off: Int32Array;
  table: Int32Array;
}

/** Checks acc against its shape, the table's channel count and out's length; returns out's length. */
function checkRequant(
  what: string,
  acc: Int32Array,
  shape: readonly number[],
  t: DenseRequant,
  out: Int32Array,
  outLength: number,
): number {
  const K = shape[1]!;
  if (acc.length !== shape.reduce((a, b) => a * b, 1))
    throw new RangeError(`${what}: acc has ${acc.length} values, shape [${shape}]`);
  if (t.base.length < K || t.len.length < K || t.off.length < K)
    throw new RangeError(`${what}: the table has fewer than ${K} channels`);
  if (out.length !== outLength) throw new RangeError(`${what}: out has ${out.length} values, needs ${outLength}`);
  return outLength;
}

/** Copies acc and the table's K channels into the module: pointers acc, base, len, off, table, out. */
function requantOperands(acc: Int32Array, K: number, t: DenseRequant, outLength: number) {
  const ex = load();
  const { ptr } = layout(ex, [acc.length, K, K, K, t.table.length, outLength]);
  const i32 = new Int32Array(ex.memory.buffer);
  i32.set(acc, ptr[0]! / 4);
  i32.set(t.base.subarray(0, K), ptr[1]! / 4);
  i32.set(t.len.subarray(0, K), ptr[2]! / 4);
  i32.set(t.off.subarray(0, K), ptr[3]! / 4);
  i32.set(t.table, ptr[4]! / 4);
  return { ex, ptr };
}

/**
 * quantizeTensor(data, scale, bits, signed) times 2^shift (a layer's input as its kernel takes it),
 * on the SIMD kernel (asm/int-chain.ts quantizeInput): the same float64 operations, so the same
 * integers (tested against quantizeTensor with halves, ±0, NaN and out-of-range values).
 */
export function quantizeWasm(
  data: Float32Array,
  scale: number,
  bits: number,
  signed: boolean,
  shift: number,
  out: Int32Array = new Int32Array(data.length),
): Int32Array {
  if (out.length !== data.length)
    throw new RangeError(`quantizeWasm: out has ${out.length} values, data ${data.length}`);
  const m = 2 ** bits - 1;
  const mul = 2 ** shift;
  if (!Number.isInteger(shift) || shift < 0 || m * mul > 2 ** 31 - 1)
    throw new RangeError(`quantizeWasm: (2^${bits} − 1)·2^${shift} does not fit an int32`);
  const ex = load();
  const { ptr } = layout(ex, [data.length, data.length]);
  new Float32Array(ex.memory.buffer).set(data, ptr[0]! / 4);
  ex.quantizeInput(ptr[0]!, data.length, 1 / scale, m, signed ? -m : 0, mul, ptr[1]!);
  out.set(new Int32Array(ex.memory.buffer, ptr[1]!, data.length));
  return out;
}

/**
 * fakeQuantizeTensor(data, scale, bits, signed) on the SIMD kernel (asm/int-chain.ts fakeQuantize):
 * quantizeWasm's integers times scale, in float64 rounded to float32 as the TypeScript loop does,
 * so the same floats (tested bit for bit against the loop, −0 and NaN included).
 */
export function fakeQuantizeWasm(
  data: Float32Array,
  scale: number,
  bits: number,
  signed: boolean,
  out: Float32Array = new Float32Array(data.length),
): Float32Array {
  if (out.length !== data.length)
    throw new RangeError(`fakeQuantizeWasm: out has ${out.length} values, data ${data.length}`);
  const m = 2 ** bits - 1;
  const ex = load();
  const { h, ptr, idx } = layout(ex, [data.length, data.length]);
  h.set(data, idx[0]);
  ex.fakeQuantize(ptr[0]!, data.length, 1 / scale, m, signed ? -m : 0, scale, ptr[1]!);
  out.set(h.subarray(idx[1]!, idx[1]! + data.length));
  return out;
}

/**
 * rescale(acc, shape, unit, bias) of src/quant/layer-forward.ts on the SIMD kernel
 * (asm/int-chain.ts rescale): y = acc·unit[k] + bias[k] in float64, rounded to float32, channel
 * k = dim 1 of acc. The same operations, so the same floats (tested bit for bit).
 */
export function rescaleWasm(
  acc: Int32Array,
  shape: readonly number[],
  unit: Float64Array,
  bias: Float32Array,
): Float32Array {
  const N = shape[0]!,
    K = shape[1]!;
  if (unit.length < K || bias.length < K)
    throw new RangeError(`rescaleWasm: ${K} channels, unit has ${unit.length} and bias ${bias.length}`);
  const inner = acc.length / (N * K);
  if (!Number.isInteger(inner)) throw new RangeError(`rescaleWasm: acc has ${acc.length} values, shape [${shape}]`);
  const ex = load();
  // unit (float64) first: HEAP_BASE and every array are 16-byte aligned
  const { h, ptr, idx } = layout(ex, [2 * K, K, acc.length, acc.length]);
  new Float64Array(ex.memory.buffer, ptr[0]!, K).set(unit.subarray(0, K));
  h.set(bias.subarray(0, K), idx[1]);
  new Int32Array(ex.memory.buffer).set(acc, idx[2]);
  ex.rescale(ptr[2]!, N, K, inner, ptr[0]!, ptr[1]!, ptr[3]!);
  return h.slice(idx[3]!, idx[3]! + acc.length);
}
