/**
 * The per-layer view a latency model needs (conv and linear weights with their Timeloop
 * dimensions), for any network reference loadNetworkSource accepts. Same shape as the
 * ops-per-area study's `NetworkWeights`, so a study can take `--networks path/to/model.onnx`
 * by calling this instead of its zoo-only loader.
 */
import { layerStats, type LayerStats } from "@sccnn/nn";
import { layerRng } from "./weight-stats.ts";
import { loadNetworkSource } from "./network-source.ts";

export interface NetworkLayerWeights {
  /** Network id (for an ONNX file: the stored id, else the file's base name). */
  network: string;
  /** True when the weights are the zoo's documented synthetic distribution, not real ones. */
  synthetic: boolean;
  source: string;
  layers: { stats: LayerStats; weights: Float32Array }[];
}

export interface NetworkLayerWeightsOptions {
  /** Seed of the synthetic distribution (layer i draws layerRng(seed, i).normal()). */
  seed: number;
  /** Use a zoo network's trained checkpoint when there is one (default true); files always use their own weights. */
  useTrained?: boolean;
}

/**
 * Real weights of an .onnx / .ckpt file or of a trained zoo network; otherwise the zoo's
 * synthetic weights (i.i.d. standard normal per layer, the stream syntheticWeightStats
 * summarises; σ cancels under max-abs quantisation), flagged `synthetic: true`.
 */
export function networkLayerWeights(ref: string, options: NetworkLayerWeightsOptions): NetworkLayerWeights {
  const src = loadNetworkSource(ref);
  const useReal = src.weights !== undefined && (src.kind !== "zoo" || (options.useTrained ?? true));
  const stats = layerStats(src.spec);
  if (useReal) {
    const layers = stats.map((s) => {
      const w = src.weights![`${s.name}.weight`];
      if (!w || w.length !== s.weights)
        throw new Error(
          `${ref}: weight "${s.name}.weight" is missing or has ${w?.length ?? 0} values, layer ${s.name} needs ${s.weights}`,
        );
      return { stats: s, weights: w };
    });
    const source = src.kind === "zoo" ? `trained checkpoint (zoo weights/${src.spec.id}.ckpt)` : src.source;
    return { network: src.spec.id, synthetic: false, source, layers };
  }
  const layers = stats.map((s, i) => {
    const rng = layerRng(options.seed, i);
    const w = new Float32Array(s.weights);
    for (let k = 0; k < w.length; k++) w[k] = rng.normal();
    return { stats: s, weights: w };
  });
  return {
    network: src.spec.id,
    synthetic: true,
    source: `synthetic: i.i.d. Gaussian per layer (zoo weight-stats), seed ${options.seed}`,
    layers,
  };
}
