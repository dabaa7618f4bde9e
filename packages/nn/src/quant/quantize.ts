/**
 * Symmetric quantisation, sign-magnitude convention (the SC one, see sc-core API.md):
 * `bits` counts the MAGNITUDE bits; a signed value needs one sign bit more. A quantised value
 * lies in [−(2^bits − 1), 2^bits − 1] (signed) or [0, 2^bits − 1] (non-negative, e.g. after
 * ReLU), and its SC bitstream has length 2^bits. real ≈ q · scale, scale = clip / (2^bits − 1).
 */

import { fakeQuantizeWasm, quantizeWasm } from "../engine/wasm-kernels.ts";

export function checkQuantBits(bits: unknown, name = "bits"): number {
  if (typeof bits !== "number" || !Number.isInteger(bits) || bits < 1 || bits > 16) {
    throw new RangeError(`${name} must be an integer 1…16 (magnitude bits, sign extra), got ${String(bits)}`);
  }
  return bits;
}

/** Largest magnitude at `bits` magnitude bits: 2^bits − 1. */
export function maxMagnitude(bits: number): number {
  return 2 ** checkQuantBits(bits) - 1;
}

/** The scale that maps `clip` to the largest magnitude; 1 for an all-zero tensor. */
export function scaleForClip(clip: number, bits: number): number {
  if (!(clip >= 0) || !Number.isFinite(clip)) throw new RangeError(`clip must be a finite number ≥ 0, got ${clip}`);
  return clip > 0 ? clip / maxMagnitude(bits) : 1;
}

/** round-half-away-from-zero(v / scale), clamped to the representable range. */
export function quantizeValue(v: number, scale: number, bits: number, signed: boolean): number {
  const m = 2 ** bits - 1;
  const r = v / scale;
  let q = r >= 0 ? Math.round(r) : -Math.round(-r);
  if (q > m) q = m;
  const lo = signed ? -m : 0;
  if (q < lo) q = lo;
  return q + 0; // no −0
}

/**
 * The integer of r = v / scale at `bits` magnitude bits: clamped to [lo, m] first (keeps |r| small
 * for the integer rounding), then rounded half away from zero; never −0.
 */
function quantizedAt(r: number, m: number, lo: number): number {
  if (r > m) r = m;
  else if (r < lo) r = lo;
  return r >= 0 ? (r + 0.5) | 0 : -((0.5 - r) | 0) | 0;
}

export function quantizeTensor(
  data: ArrayLike<number>,
  scale: number,
  bits: number,
  signed: boolean,
  out = new Int32Array(data.length),
): Int32Array {
  checkQuantBits(bits);
  const m = 2 ** bits - 1;
  const lo = signed ? -m : 0;
  const inv = 1 / scale;
  for (let i = 0; i < data.length; i++) out[i] = quantizedAt(data[i] * inv, m, lo);
  return out;
}

/**
 * Fake quantisation: quantise then dequantise (q · scale), as float, with no integer array between.
 * Float32 data of WASM_MIN values or more runs on the SIMD kernel (`fakeQuantizeWasm`, the same
 * floats: tested against this loop); the loop is `fakeQuantizeReference`.
 */
export function fakeQuantizeTensor(
  data: ArrayLike<number>,
  scale: number,
  bits: number,
  signed: boolean,
  out = new Float32Array(data.length),
): Float32Array {
  if (data instanceof Float32Array && data.length >= WASM_MIN) {
    checkQuantBits(bits);
    return fakeQuantizeWasm(data, scale, bits, signed, out);
  }
  return fakeQuantizeReference(data, scale, bits, signed, out);
}

/** Below this many values a kernel call's copies cost more than the loop. */
const WASM_MIN = 256;

/** fakeQuantizeTensor's TypeScript loop (the reference the SIMD kernel is tested against). */
export function fakeQuantizeReference(
  data: ArrayLike<number>,
  scale: number,
  bits: number,
  signed: boolean,
  out = new Float32Array(data.length),
): Float32Array {
  checkQuantBits(bits);
  const m = 2 ** bits - 1;
  const lo = signed ? -m : 0;
  const inv = 1 / scale;
  for (let i = 0; i < data.length; i++) out[i] = quantizedAt(data[i] * inv, m, lo) * scale;
  return out;
}

/**
 * Weight scales for a weight tensor whose first dimension is the output channel/feature
 * (conv [K, C/g, R, S], linear [out, in]): max-abs per output channel (`perChannel`) or one
 * max-abs for the whole layer, returned per output channel either way.
 */
export function weightScales(
  weight: Float32Array,
  outChannels: number,
  bits: number,
  perChannel: boolean,
): Float32Array {
  if (!Number.isInteger(outChannels) || outChannels < 1 || weight.length % outChannels !== 0) {
    throw new RangeError(`weightScales: outChannels ${outChannels} does not divide the weight length ${weight.length}`);
  }
  const per = weight.length / outChannels;
  const maxAbs = new Float64Array(outChannels);
  for (let k = 0; k < outChannels; k++) {
    let m = 0;
    for (let i = k * per; i < (k + 1) * per; i++) {
      const a = Math.abs(weight[i]);
      if (a > m) m = a;
    }
    maxAbs[k] = m;
  }
  const scales = new Float32Array(outChannels);
  if (perChannel) {
    for (let k = 0; k < outChannels; k++) scales[k] = scaleForClip(maxAbs[k], bits);
  } else {
    let m = 0;
    for (let k = 0; k < outChannels; k++) m = Math.max(m, maxAbs[k]);
    scales.fill(scaleForClip(m, bits));
  }
  return scales;
}

export interface QuantizedWeights {
  /** Signed integers in [−(2^bits − 1), 2^bits − 1], same layout as the float weight. */
  q: Int32Array;
  /** Scale per output channel (all equal when per-layer). */
  scales: Float32Array;
}

export function quantizeWeights(
  weight: Float32Array,
  outChannels: number,
  bits: number,
  perChannel: boolean,
): QuantizedWeights {
  const scales = weightScales(weight, outChannels, bits, perChannel);
  const per = weight.length / outChannels;
  const q = new Int32Array(weight.length);
  // one scale for the layer: one pass (on the SIMD kernel where it pays, the same integers)
  if (!perChannel) {
    if (weight.length >= WASM_MIN) quantizeWasm(weight, scales[0], bits, true, 0, q);
    else quantizeTensor(weight, scales[0], bits, true, q);
    return { q, scales };
  }
  for (let k = 0; k < outChannels; k++)
    quantizeTensor(weight.subarray(k * per, (k + 1) * per), scales[k], bits, true, q.subarray(k * per, (k + 1) * per));
  return { q, scales };
}

/** Fake-quantised weights (per output channel scales), as float. */
export function fakeQuantizeWeights(
  weight: Float32Array,
  outChannels: number,
  bits: number,
  perChannel: boolean,
): Float32Array {
  const scales = weightScales(weight, outChannels, bits, perChannel);
  const per = weight.length / outChannels;
  const out = new Float32Array(weight.length);
  if (!perChannel) return fakeQuantizeTensor(weight, scales[0], bits, true, out);
  for (let k = 0; k < outChannels; k++)
    fakeQuantizeTensor(
      weight.subarray(k * per, (k + 1) * per),
      scales[k],
      bits,
      true,
      out.subarray(k * per, (k + 1) * per),
    );
  return out;
}
