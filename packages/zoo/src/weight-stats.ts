/**
 * Per-layer weight-magnitude statistics for the SC latency model (a BISC multiply takes |w|
 * cycles, so throughput depends on the distribution of quantised weight magnitudes).
 *
 * Quantisation here: per-tensor (per-layer) max-abs scaling to `bits` magnitude bits with a
 * separate sign (sc-core's convention): q = round(|w| / max|w| · (2^bits − 1)), so the largest
 * weight of a layer maps to 2^bits − 1.
 *
 * Two sources:
 * - `weightStatsFromWeights`: real (trained or imported) weights, `synthetic: false`.
 * - `syntheticWeightStats`: for networks without weights here (the ImageNet and CIFAR networks).
 *   The documented synthetic distribution: each conv/linear layer's weights are i.i.d. Gaussian
 *   N(0, σ²) — σ = sqrt(2 / fanIn) (He initialisation), although σ cancels under max-abs scaling —
 *   drawn with sc-core's seeded Rng (Marsaglia polar normals, stream (seed, layer index)), one
 *   sample per actual weight of the layer (so the layer's maximum, and with it the scale, behaves
 *   like that of a real layer of that size). For a
 *   Gaussian layer of 10^4 … 10^7 weights the mean |q| comes out near 20 … 15 % of 2^bits − 1.
 *   Every record built from it carries `synthetic: true`; figures must say so.
 */
import { layerStats, type NetworkSpec } from "@sccnn/nn";
import { Rng } from "@sccnn/sc-core";

export interface LayerWeightStats {
  /** conv/linear layer name. */
  layer: string;
  type: "conv" | "linear";
  /** True when the weights were drawn from the synthetic distribution, not trained/imported. */
  synthetic: boolean;
  /** Magnitude bits N (sign separate); magnitudes lie in 0 … 2^N − 1. */
  bits: number;
  /** Number of weights in the layer (biases excluded). */
  weightCount: number;
  /** magnitudeHistogram[m] = number of weights with |q| = m, length 2^bits. */
  magnitudeHistogram: number[];
  /** Mean of |q| over the layer's weights. */
  meanMagnitude: number;
  /** meanMagnitude / (2^bits − 1). */
  meanMagnitudeFraction: number;
  /** Fraction of weights quantised to 0. */
  zeroFraction: number;
  /** Largest |w| before quantisation (the scale); synthetic weights are in units of σ·sqrt(2/fanIn). */
  maxAbsWeight: number;
}

export interface WeightStats {
  network: string;
  synthetic: boolean;
  bits: number;
  /** How the weights were obtained: "synthetic gaussian (seed 1)", "checkpoint weights/lenet5.ckpt", … */
  source: string;
  layers: LayerWeightStats[];
}

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16)
    throw new Error(`bits: expected an integer magnitude width 1…16, got ${bits}`);
}

/** Histogram and summary of max-abs-quantised magnitudes of `values` (see the file comment). */
export function magnitudeStats(
  values: ArrayLike<number>,
  bits: number,
): Omit<LayerWeightStats, "layer" | "type" | "synthetic"> {
  checkBits(bits);
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > maxAbs) maxAbs = a;
  }
  return histogramOf(
    (visit) => {
      for (let i = 0; i < values.length; i++) visit(values[i]);
    },
    values.length,
    maxAbs,
    bits,
  );
}

function histogramOf(
  each: (visit: (w: number) => void) => void,
  count: number,
  maxAbs: number,
  bits: number,
): Omit<LayerWeightStats, "layer" | "type" | "synthetic"> {
  const top = 2 ** bits - 1;
  const histogram = new Array<number>(top + 1).fill(0);
  const scale = maxAbs > 0 ? top / maxAbs : 0;
  let sum = 0;
  each((w) => {
    const q = Math.min(top, Math.round(Math.abs(w) * scale));
    histogram[q]++;
    sum += q;
  });
  const meanMagnitude = count > 0 ? sum / count : 0;
  return {
    bits,
    weightCount: count,
    magnitudeHistogram: histogram,
    meanMagnitude,
    meanMagnitudeFraction: meanMagnitude / top,
    zeroFraction: count > 0 ? histogram[0] / count : 0,
    maxAbsWeight: maxAbs,
  };
}

/** Statistics of real weights (keyed `${layer}.weight`, the engine's convention). */
export function weightStatsFromWeights(
  spec: NetworkSpec,
  weights: Record<string, Float32Array>,
  bits: number,
  source: string,
): WeightStats {
  checkBits(bits);
  const layers = layerStats(spec).map((l) => {
    const key = `${l.name}.weight`;
    const w = weights[key];
    if (!w) throw new Error(`${spec.id}: weights have no "${key}" for layer ${l.name}`);
    if (w.length !== l.weights)
      throw new Error(`${spec.id}: "${key}" has ${w.length} values, layer ${l.name} needs ${l.weights}`);
    return { layer: l.name, type: l.type, synthetic: false, ...magnitudeStats(w, bits) };
  });
  return { network: spec.id, synthetic: false, bits, source, layers };
}

/** Layer `index`'s generator: sc-core's Rng stream (seed, index), so layers draw unrelated streams. */
export function layerRng(seed: number, index: number): Rng {
  return new Rng(seed, index);
}

export interface SyntheticWeightOptions {
  /** Magnitude bits N. */
  bits: number;
  /** Seed of the generator (default 1); layer i draws layerRng(seed, i).normal(). */
  seed?: number;
}

/**
 * Synthetic per-layer weight statistics (see the file comment for the distribution). Each
 * layer is drawn twice from the same seed (once for the max, once for the histogram), so no
 * weight tensor is held in memory; VGG-16's 2 × 138 M draws took 67 s at load ~16 on 2 cores.
 */
export function syntheticWeightStats(spec: NetworkSpec, options: SyntheticWeightOptions): WeightStats {
  const { bits } = options;
  const seed = options.seed ?? 1;
  checkBits(bits);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new Error(`seed: expected an integer in [0, 2^32), got ${seed}`);
  const top = 2 ** bits - 1;
  const layers = layerStats(spec).map((l, i): LayerWeightStats => {
    // σ cancels under max-abs scaling, so the passes work on standard normal draws, rounded to
    // float32 like every weight tensor (networkLayerWeights' synthetic weights are these values).
    const sigma = Math.sqrt(2 / l.fanIn);
    let rng = layerRng(seed, i);
    let maxAbs = 0;
    for (let k = 0; k < l.weights; k++) {
      const a = Math.abs(Math.fround(rng.normal()));
      if (a > maxAbs) maxAbs = a;
    }
    const histogram = new Array<number>(top + 1).fill(0);
    const counts = new Float64Array(top + 1);
    const scale = maxAbs > 0 ? top / maxAbs : 0;
    rng = layerRng(seed, i);
    for (let k = 0; k < l.weights; k++)
      counts[Math.min(top, Math.round(Math.abs(Math.fround(rng.normal())) * scale))]++;
    let sum = 0;
    for (let q = 0; q <= top; q++) {
      histogram[q] = counts[q];
      sum += q * counts[q];
    }
    const meanMagnitude = l.weights > 0 ? sum / l.weights : 0;
    return {
      layer: l.name,
      type: l.type,
      synthetic: true,
      bits,
      weightCount: l.weights,
      magnitudeHistogram: histogram,
      meanMagnitude,
      meanMagnitudeFraction: meanMagnitude / top,
      zeroFraction: l.weights > 0 ? histogram[0] / l.weights : 0,
      maxAbsWeight: sigma * maxAbs,
    };
  });
  return {
    network: spec.id,
    synthetic: true,
    bits,
    source: `synthetic: i.i.d. Gaussian N(0, 2/fanIn) per layer, max-abs quantised, seed ${seed}`,
    layers,
  };
}
