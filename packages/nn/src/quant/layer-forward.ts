import { stackTruncPlanes, truncPlanes, type ScSpec } from "@sccnn/sc-core";
import { isScArithmetic, scSchemeOf, truncGuardBits, type Arithmetic } from "./arithmetic.ts";
import type { IntegerBackend } from "./backend.ts";
import { convOutputSize } from "@sccnn/sc-core";
import { floatConv2d, floatLinear, type Act, type ConvOptions } from "./float-ops.ts";
import type { QuantizedLayer } from "./quantized-network.ts";
import { quantizeWasm, rescaleWasm } from "../engine/wasm-kernels.ts";
import { checkQuantBits, quantizeTensor } from "./quantize.ts";

export interface ScOptions {
  lfsrSeed?: number;
  lfsrSeedW?: number;
}

/**
 * SC precision of a layer: one stream length 2^N for both operands, N = max(bitsW, bitsA). The
 * narrower operand is left-aligned (shifted up by the width difference), so its grid spans the
 * whole N-bit range; its scale shrinks by the same factor.
 */
export function scBitsOf(layer: Pick<QuantizedLayer, "bitsW" | "bitsA">): number {
  return Math.max(layer.bitsW, layer.bitsA);
}

/**
 * Arithmetics whose kernel sees both operands at one width N = max(bitsW, bitsA), the narrower
 * left-aligned: SC (one stream length) and the truncated multiplier (one N x N array, cut at N − g).
 */
function alignsOperands(a: Arithmetic): boolean {
  return isScArithmetic(a) || truncGuardBits(a) !== null;
}

/** The sc-core spec of an SC layer, or null for `fixed` and `fixed-trunc-g<g>` (integer products). */
export function layerScSpec(layer: QuantizedLayer, sc: ScOptions = {}): ScSpec | null {
  if (layer.arithmetic === "fixed" || truncGuardBits(layer.arithmetic) !== null) return null;
  if (!isScArithmetic(layer.arithmetic))
    throw new RangeError(`layer ${layer.name}: arithmetic ${layer.arithmetic} has no integer kernel`);
  const scheme = scSchemeOf(layer.arithmetic);
  const spec: ScSpec = { scheme, bits: scBitsOf(layer) };
  if (scheme === "lfsr") {
    if (sc.lfsrSeed !== undefined) spec.seed = sc.lfsrSeed;
    if (sc.lfsrSeedW !== undefined) spec.seedW = sc.lfsrSeedW;
  }
  return spec;
}

/** Quantises a layer input to integers at bitsA (shifted to the SC width for SC layers). */
export function quantizeLayerInput(layer: QuantizedLayer, x: ArrayLike<number>): Int32Array {
  const shift = inputShiftOf(layer);
  // float32 activations on the SIMD kernel (the same integers, tested; JavaScript's float-to-int
  // conversion is ~4 ns per value), when the shifted range fits an int32
  if (x instanceof Float32Array && (2 ** checkQuantBits(layer.bitsA) - 1) * 2 ** shift <= 2 ** 31 - 1)
    return quantizeWasm(x, layer.aScale, layer.bitsA, layer.aSigned, shift);
  const q = quantizeTensor(x, layer.aScale, layer.bitsA, layer.aSigned);
  shiftInPlace(q, shift);
  return q;
}

/** Bits the layer's quantised input is shifted up by before its kernel (N − bitsA for SC/truncated, else 0). */
export function inputShiftOf(layer: QuantizedLayer): number {
  return alignsOperands(layer.arithmetic) ? scBitsOf(layer) - layer.bitsA : 0;
}

/** The layer's integer weights as the kernel sees them (shifted to the SC width for SC layers). */
export function layerKernelWeights(layer: QuantizedLayer): Int32Array {
  if (!alignsOperands(layer.arithmetic) || layer.bitsW === scBitsOf(layer)) return layer.wInt;
  const w = layer.wInt.slice();
  shiftInPlace(w, scBitsOf(layer) - layer.bitsW);
  return w;
}

function shiftInPlace(a: Int32Array, by: number): void {
  if (by === 0) return;
  const f = 2 ** by;
  for (let i = 0; i < a.length; i++) a[i] *= f;
}

/**
 * Real value of one accumulator unit per output channel:
 * fixed: sA·sW[k]; SC: a count is x·w/2^N of the (shifted) operands, so one count is
 * 2^N · (sA/2^(N−bitsA)) · (sW[k]/2^(N−bitsW)) = sA·sW[k]·2^(bitsA+bitsW−N); truncated: a unit is
 * 2^c of the shifted operands' product, c = max(0, N − g): sA·sW[k]·2^(c + bitsA + bitsW − 2N).
 */
export function accumulatorUnit(layer: QuantizedLayer): Float64Array {
  const K = layer.wShape[0];
  const g = truncGuardBits(layer.arithmetic);
  const N = scBitsOf(layer);
  const f = isScArithmetic(layer.arithmetic)
    ? 2 ** (layer.bitsA + layer.bitsW - N)
    : g !== null
      ? 2 ** (Math.max(0, N - g) + layer.bitsA + layer.bitsW - 2 * N)
      : 1;
  const u = new Float64Array(K);
  for (let k = 0; k < K; k++) u[k] = layer.aScale * layer.wScale[k] * f;
  return u;
}

/** Stacked truncation-plane weights per layer (a layer's integer weights never change). */
const stackedWeights = new WeakMap<QuantizedLayer, Int32Array>();

/**
 * The integer accumulators of a fixed/SC/truncated layer: conv [N, K, P, Q], linear [N, out].
 * A truncated layer runs on the backend's table kernel where it has one for (N, g) (the WebAssembly
 * backend's nibble tables, N ≤ 8 and g ≤ 5), else the exact kernel once over the sc-core `truncPlanes` planes
 * (c + 1 exact products of transformed operands) stacked as input channels; both tested equal to
 * `truncDot` per output.
 * `into` (optional, the result's length) receives the accumulators: no allocation per call.
 */
export function layerAccumulate(
  layer: QuantizedLayer,
  xInt: Int32Array,
  xShape: number[],
  backend: IntegerBackend,
  sc: ScOptions = {},
  into?: Int32Array,
): { acc: Int32Array; shape: number[] } {
  const g = truncGuardBits(layer.arithmetic);
  if (g !== null) {
    // Σ over planes p of conv(x_p, w_p) is one convolution over the planes stacked as extra input
    // channels (channel c·P + p; a group's channels stay contiguous), so the exact kernel runs once
    // with P times the fan-in instead of P times (the per-call work and the JavaScript sums were
    // ~9x a fixed layer's time); the stacked weights are made once per layer.
    const bits = scBitsOf(layer);
    const table = truncTableAccumulate(layer, bits, g, xInt, xShape, backend, into);
    if (table) return table;
    const P = truncPlanes(bits, g).length;
    if (P === 0) throw new RangeError(`layer ${layer.name}: no truncation planes`);
    const conv = layer.kind === "conv";
    const xs = stackTruncPlanes(xInt, conv ? xShape[2] * xShape[3] : 1, bits, g, "x");
    let ws = stackedWeights.get(layer);
    if (!ws) {
      ws = stackTruncPlanes(layerKernelWeights(layer), conv ? layer.wShape[2] * layer.wShape[3] : 1, bits, g, "w");
      stackedWeights.set(layer, ws);
    }
    const stacked: QuantizedLayer = {
      ...layer,
      wShape: conv
        ? [layer.wShape[0], layer.wShape[1] * P, layer.wShape[2], layer.wShape[3]]
        : [layer.wShape[0], layer.wShape[1] * P],
    };
    const sShape = conv ? [xShape[0], xShape[1] * P, xShape[2], xShape[3]] : [xShape[0], (xInt.length / xShape[0]) * P];
    return exactAccumulate(stacked, xs, sShape, ws, backend, null, into);
  }
  return exactAccumulate(layer, xInt, xShape, layerKernelWeights(layer), backend, layerScSpec(layer, sc), into);
}

/** A truncated layer on the backend's table kernel (`truncConv2d` / `truncGemm`), or null where it has none. */
function truncTableAccumulate(
  layer: QuantizedLayer,
  bits: number,
  g: number,
  xInt: Int32Array,
  xShape: number[],
  backend: IntegerBackend,
  into?: Int32Array,
): { acc: Int32Array; shape: number[] } | null {
  if (!(layer.kind === "conv" ? backend.truncConv2d : backend.truncGemm)) return null;
  const shape = accumulatorShape(layer, xShape, xInt.length);
  const w = layerKernelWeights(layer);
  const acc =
    layer.kind === "conv"
      ? (backend.truncConv2d?.(bits, g, xInt, xShape, w, layer.wShape, convOptions(layer), into) ?? null)
      : (backend.truncGemm?.(bits, g, xInt, w, shape[0], xInt.length / shape[0], shape[1], into) ?? null);
  return acc ? { acc, shape } : null;
}

/** The accumulators' shape: conv [N, K, P, Q], linear [N, out] (checks a linear layer's fan-in). */
function accumulatorShape(layer: QuantizedLayer, xShape: number[], xLength: number): number[] {
  const N = xShape[0];
  if (layer.kind === "conv") {
    const [, , H, W] = xShape;
    const [K, , R, S] = layer.wShape;
    return [N, K, convOutputSize(H, R, layer.stride, layer.padding), convOutputSize(W, S, layer.stride, layer.padding)];
  }
  const F = xLength / N;
  if (layer.wShape[1] !== F)
    throw new RangeError(`layer ${layer.name}: input has ${F} features, weight expects ${layer.wShape[1]}`);
  return [N, layer.wShape[0]];
}

function convOptions(layer: QuantizedLayer): ConvOptions {
  return { stride: layer.stride, padding: layer.padding, groups: layer.groups };
}

function exactAccumulate(
  layer: QuantizedLayer,
  xInt: Int32Array,
  xShape: number[],
  w: Int32Array,
  backend: IntegerBackend,
  spec: ScSpec | null,
  out?: Int32Array,
): { acc: Int32Array; shape: number[] } {
  const shape = accumulatorShape(layer, xShape, xInt.length);
  const acc =
    layer.kind === "conv"
      ? backend.conv2d(spec, xInt, xShape, w, layer.wShape, convOptions(layer), out)
      : backend.gemm(spec, xInt, w, shape[0], xInt.length / shape[0], shape[1], out);
  return { acc, shape };
}

/** One conv/linear layer of a quantised network, input and output in float (binary). */
export function quantizedLayerForward(layer: QuantizedLayer, x: Act, backend: IntegerBackend, sc: ScOptions = {}): Act {
  if (layer.arithmetic === "float32") {
    return layer.kind === "conv"
      ? floatConv2d(x, layer.weight, layer.wShape, layer.bias, {
          stride: layer.stride,
          padding: layer.padding,
          groups: layer.groups,
        })
      : floatLinear(x, layer.weight, layer.wShape[0], layer.bias);
  }
  const xInt = quantizeLayerInput(layer, x.data);
  const { acc, shape } = layerAccumulate(layer, xInt, x.shape, backend, sc);
  return { data: rescale(acc, shape, accumulatorUnit(layer), layer.bias), shape };
}

/**
 * y = acc · unit[k] + bias[k], channel k = dim 1: on the SIMD kernel (`rescaleWasm`, the same
 * floats, tested against `rescaleReference`) unless acc is small.
 */
export function rescale(acc: Int32Array, shape: number[], unit: Float64Array, bias: Float32Array): Float32Array {
  return acc.length >= 256 ? rescaleWasm(acc, shape, unit, bias) : rescaleReference(acc, shape, unit, bias);
}

/** rescale's TypeScript loop (the reference the SIMD kernel is tested against). */
export function rescaleReference(
  acc: Int32Array,
  shape: number[],
  unit: Float64Array,
  bias: Float32Array,
): Float32Array {
  const N = shape[0];
  const K = shape[1];
  const inner = acc.length / (N * K);
  const y = new Float32Array(acc.length);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const u = unit[k];
      const b = bias[k];
      const o = (n * K + k) * inner;
      for (let i = 0; i < inner; i++) y[o + i] = acc[o + i] * u + b;
    }
  }
  return y;
}
