import type { NetworkSpec } from "../spec.ts";
import { floatConv2d, floatLinear, type Act } from "./float-ops.ts";
import { scaleForClip } from "./quantize.ts";
import { convGeometry, walkLayers, type ParamLayerSpec } from "./walk.ts";

/** What calibration saw at the input of one conv/linear layer (float network). */
export interface ActivationStats {
  layer: string;
  /** True when a negative input was seen (then the activation needs a sign bit). */
  signed: boolean;
  maxAbs: number;
  /** Sorted |x| of a deterministic subsample (every stride-th value), for percentiles / MSE. */
  sortedAbs: Float32Array;
  count: number;
}

/**
 * How to turn statistics into a clipping value:
 * - `max`: the largest |x| seen (no clipping on the calibration set);
 * - `percentile`: the p-th percentile of |x| (e.g. 99.99);
 * - `mse`: the clip (searched on a grid of 1…100 % of max) that minimises the quantisation
 *   mean-squared error on the sample at the layer's bitsA — the default: at 2–4 bits clipping
 *   outliers pays, at 8+ bits it picks nearly the max.
 */
export type CalibrationMethod = { kind: "max" } | { kind: "percentile"; percentile: number } | { kind: "mse" };

export const DEFAULT_CALIBRATION: CalibrationMethod = { kind: "mse" };

export function floatParamForward(weights: Record<string, Float32Array>) {
  return (layer: ParamLayerSpec, x: Act): Act => {
    const w = weights[`${layer.name}.weight`];
    if (!w) throw new RangeError(`weight ${layer.name}.weight is missing`);
    const b = layer.bias === false ? null : (weights[`${layer.name}.bias`] ?? null);
    if (layer.type === "linear") return floatLinear(x, w, layer.outFeatures, b);
    const g = convGeometry(layer);
    const C = x.shape[1];
    return floatConv2d(x, w, [layer.outChannels, C / g.groups, g.R, g.S], b, g);
  };
}

/**
 * Runs the float network over `images` (N×C×H×W, flat) in batches and records the inputs of
 * every conv/linear layer. Keeps at most `sampleSize` values per layer (evenly strided).
 */
export function collectActivationStats(
  spec: NetworkSpec,
  weights: Record<string, Float32Array>,
  images: Float32Array,
  opts: { batchSize?: number; sampleSize?: number; bnEps?: number } = {},
): Record<string, ActivationStats> {
  const [C, H, W] = spec.input;
  const per = C * H * W;
  if (images.length % per !== 0 || images.length === 0)
    throw new RangeError(
      `collectActivationStats: images length ${images.length} is not a positive multiple of ${per} (input ${spec.input})`,
    );
  const n = images.length / per;
  const batchSize = opts.batchSize ?? 64;
  const sampleSize = opts.sampleSize ?? 200_000;
  const seen: Record<string, { signed: boolean; maxAbs: number; chunks: Float32Array[]; count: number }> = {};
  const float = floatParamForward(weights);
  for (let s = 0; s < n; s += batchSize) {
    const b = Math.min(batchSize, n - s);
    const x: Act = { data: images.subarray(s * per, (s + b) * per), shape: [b, C, H, W] };
    walkLayers(
      spec.layers,
      x,
      (layer, a) => {
        const st = (seen[layer.name] ??= { signed: false, maxAbs: 0, chunks: [], count: 0 });
        // per-layer stride so that the whole calibration set yields ≈ sampleSize values
        const stride = Math.max(1, Math.ceil(((a.data.length / b) * n) / sampleSize));
        const chunk = new Float32Array(Math.ceil(a.data.length / stride));
        let j = 0;
        for (let i = 0; i < a.data.length; i++) {
          const v = a.data[i];
          if (v < 0) st.signed = true;
          const m = Math.abs(v);
          if (m > st.maxAbs) st.maxAbs = m;
          if (i % stride === 0) chunk[j++] = m;
        }
        st.chunks.push(chunk.subarray(0, j));
        st.count += a.data.length;
        return float(layer, a);
      },
      { weights, bnEps: opts.bnEps },
    );
  }
  const out: Record<string, ActivationStats> = {};
  for (const [name, st] of Object.entries(seen)) {
    const total = st.chunks.reduce((t, c) => t + c.length, 0);
    const all = new Float32Array(total);
    let o = 0;
    for (const c of st.chunks) {
      all.set(c, o);
      o += c.length;
    }
    all.sort();
    out[name] = { layer: name, signed: st.signed, maxAbs: st.maxAbs, sortedAbs: all, count: st.count };
  }
  return out;
}

/**
 * MSE clips already searched, per statistics object and width. Statistics are not changed once
 * collected, and every quantisation of a calibrated network repeats the search (100 passes over
 * up to 200 000 samples per layer, ~0.2 s per LeNet-5 / Fashion CNN quantisation): the studies
 * quantise one calibrated network per worker at many widths and arithmetics.
 */
const mseClips = new WeakMap<ActivationStats, Map<number, number>>();

/** The clipping value for an activation at `bits` magnitude bits under `method`. */
export function activationClip(
  stats: ActivationStats,
  bits: number,
  method: CalibrationMethod = DEFAULT_CALIBRATION,
): number {
  const s = stats.sortedAbs;
  if (stats.maxAbs === 0 || s.length === 0) return 0;
  if (method.kind === "mse") {
    let memo = mseClips.get(stats);
    if (!memo) mseClips.set(stats, (memo = new Map()));
    let clip = memo.get(bits);
    if (clip === undefined) memo.set(bits, (clip = mseClip(stats, bits)));
    return clip;
  }
  switch (method.kind) {
    case "max":
      return stats.maxAbs;
    case "percentile": {
      const p = method.percentile;
      if (!(p > 0 && p <= 100)) throw new RangeError(`calibration percentile must be in (0, 100], got ${p}`);
      const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length - 1e-9) - 1));
      return s[idx];
    }
    default: {
      const never: never = method;
      throw new RangeError(`unknown calibration method ${JSON.stringify(never)}`);
    }
  }
}

/** The clip of 100 candidates (maxAbs·k/100) with the least squared quantisation error over the samples. */
function mseClip(stats: ActivationStats, bits: number): number {
  const s = stats.sortedAbs;
  const m = 2 ** bits - 1;
  let best = stats.maxAbs;
  let bestErr = Infinity;
  for (let step = 100; step >= 1; step--) {
    const clip = (stats.maxAbs * step) / 100;
    const scale = scaleForClip(clip, bits);
    let err = 0;
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      const q = Math.min(m, Math.round(v / scale)) * scale;
      err += (v - q) * (v - q);
    }
    if (err < bestErr) {
      bestErr = err;
      best = clip;
    }
  }
  return best;
}
