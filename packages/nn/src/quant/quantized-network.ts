import type { NetworkSpec } from "../spec.ts";
import { checkArithmetic, type Arithmetic } from "./arithmetic.ts";
import { activationClip, DEFAULT_CALIBRATION, type ActivationStats, type CalibrationMethod } from "./calibrate.ts";
import { checkQuantBits, quantizeWeights, scaleForClip } from "./quantize.ts";
import { convGeometry, paramLayers } from "./walk.ts";

export interface LayerQuantConfig {
  arithmetic?: Arithmetic;
  bitsW?: number;
  bitsA?: number;
  perChannel?: boolean;
  /**
   * Activation clip (real value mapped to 2^bitsA − 1), overriding calibration — e.g. the clips
   * a quantisation-aware / SC-aware fine-tuning run trained with.
   */
  aClip?: number;
}

/** Network-wide defaults plus per-layer overrides (keyed by layer name). */
export interface QuantConfig {
  arithmetic: Arithmetic;
  /** Weight magnitude bits (sign extra). */
  bitsW: number;
  /** Activation magnitude bits (sign extra when the layer input can be negative). */
  bitsA: number;
  /** Per-output-channel weight scales (default false: one scale per layer). */
  perChannel?: boolean;
  calibration?: CalibrationMethod;
  /** `sc-lfsr`: LFSR start states (see sc-core ScSpec.seed / seedW). */
  lfsrSeed?: number;
  lfsrSeedW?: number;
  layers?: Record<string, LayerQuantConfig>;
}

export interface QuantizedLayer {
  name: string;
  kind: "conv" | "linear";
  arithmetic: Arithmetic;
  bitsW: number;
  bitsA: number;
  /** Folded float weight and bias (the `float32` path, and the reference for rescaling). */
  weight: Float32Array;
  bias: Float32Array;
  /** conv [K, C/g, R, S]; linear [out, in]. */
  wShape: number[];
  wInt: Int32Array;
  /** Weight scale per output channel. */
  wScale: Float32Array;
  /** Activation scale and whether the input carries a sign. */
  aScale: number;
  aSigned: boolean;
  stride: number;
  padding: number;
  groups: number;
}

export interface QuantizedNetwork {
  spec: NetworkSpec;
  config: QuantConfig;
  layers: Record<string, QuantizedLayer>;
  /** Tensors of batch norms that no conv/linear absorbed (e.g. on the input), applied in float. */
  floatWeights?: Record<string, Float32Array>;
}

/**
 * Quantises a (batch-norm-folded) network: weights symmetric max-abs (per layer or per channel),
 * activation scales from calibration statistics at each layer's bitsA.
 */
export function quantizeNetwork(
  spec: NetworkSpec,
  weights: Record<string, Float32Array>,
  stats: Record<string, ActivationStats>,
  config: QuantConfig,
): QuantizedNetwork {
  checkArithmetic(config.arithmetic, "config.arithmetic");
  checkQuantBits(config.bitsW, "config.bitsW");
  checkQuantBits(config.bitsA, "config.bitsA");
  const all = paramLayers(spec.layers);
  const names = new Set(all.map((l) => l.name));
  for (const name of Object.keys(config.layers ?? {})) {
    if (!names.has(name))
      throw new RangeError(
        `config.layers.${name}: no conv/linear layer of that name in ${spec.id} (has ${[...names].join(", ")})`,
      );
  }
  const layers: Record<string, QuantizedLayer> = {};
  for (const l of all) {
    const o = config.layers?.[l.name] ?? {};
    const arithmetic = checkArithmetic(o.arithmetic ?? config.arithmetic, `config.layers.${l.name}.arithmetic`);
    const bitsW = checkQuantBits(o.bitsW ?? config.bitsW, `config.layers.${l.name}.bitsW`);
    const bitsA = checkQuantBits(o.bitsA ?? config.bitsA, `config.layers.${l.name}.bitsA`);
    const perChannel = o.perChannel ?? config.perChannel ?? false;
    const w = weights[`${l.name}.weight`];
    if (!w) throw new RangeError(`quantizeNetwork: weight ${l.name}.weight is missing`);
    const K = l.type === "conv" ? l.outChannels : l.outFeatures;
    const bias = (l.bias === false ? undefined : weights[`${l.name}.bias`]) ?? new Float32Array(K);
    const st = stats[l.name];
    if (!st) throw new RangeError(`quantizeNetwork: no calibration statistics for layer ${l.name}`);
    const { q, scales } = quantizeWeights(w, K, bitsW, perChannel);
    let wShape: number[];
    let stride = 1,
      padding = 0,
      groups = 1;
    if (l.type === "conv") {
      const g = convGeometry(l);
      stride = g.stride;
      padding = g.padding;
      groups = g.groups;
      wShape = [K, w.length / (K * g.R * g.S), g.R, g.S];
    } else {
      wShape = [K, w.length / K];
    }
    layers[l.name] = {
      name: l.name,
      kind: l.type,
      arithmetic,
      bitsW,
      bitsA,
      weight: w,
      bias,
      wShape,
      wInt: q,
      wScale: scales,
      aScale: scaleForClip(o.aClip ?? activationClip(st, bitsA, config.calibration ?? DEFAULT_CALIBRATION), bitsA),
      aSigned: st.signed,
      stride,
      padding,
      groups,
    };
  }
  const floatWeights: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(weights))
    if (/\.(gamma|beta|runningMean|runningVar)$/.test(k)) floatWeights[k] = v;
  return { spec, config, layers, floatWeights };
}
