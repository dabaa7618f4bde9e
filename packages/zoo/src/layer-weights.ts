/**
 * The per-layer view a latency model needs (conv and linear weights with their Timeloop
 * dimensions), for any network reference loadNetworkSource accepts, so a study can take
 * `--networks path/to/model.onnx` by calling this instead of a zoo-only loader. Real weights are
 * the batch-norm-folded ones the hardware runs (hardwareLayerWeights).
 */
import { layerStats, type LayerStats } from "@sccnn/nn";
import { layerRng } from "./weight-stats.ts";
import { hardwareLayerWeights } from "./hardware-weights.ts";
import { loadNetworkSource } from "./network-source.ts";

export interface NetworkLayerWeights {
  /** Network id (for an ONNX file: the stored id, else the file's base name). */
  network: string;
  /** True when the weights are the zoo's documented synthetic distribution, not real ones. */
  synthetic: boolean;
  source: string;
  /** Conv/linear layers with their weights (real ones batch-norm folded). */
  layers: { stats: LayerStats; weights: Float32Array }[];
}

export interface NetworkLayerWeightsOptions {
  /** Seed of the synthetic distribution (layer i draws layerRng(seed, i).normal()). */
  seed: number;
  /** Use a zoo network's trained checkpoint when there is one (default true); files always use their own weights. */
  useTrained?: boolean;
}

/**
 * Real weights of an .onnx / .ckpt file or of a trained zoo network, as the hardware runs them:
 * batch norm folded into the conv/linear before it (hardwareLayerWeights, the weights the quantised
 * runtime and the accuracy evaluations use; issue 13: SC latency must not come from the unfolded
 * ones). Otherwise the zoo's synthetic weights (i.i.d. standard normal per layer, the stream
 * syntheticWeightStats summarises; σ cancels under max-abs quantisation), flagged `synthetic: true`.
 * hardwareWorkload turns either into the latency model's workload.
 */
export function networkLayerWeights(ref: string, options: NetworkLayerWeightsOptions): NetworkLayerWeights {
  const src = loadNetworkSource(ref);
  const useReal = src.weights !== undefined && (src.kind !== "zoo" || (options.useTrained ?? true));
  if (useReal) {
    const { layers } = hardwareLayerWeights(
      src.kind === "zoo" ? { network: src.spec.id, path: null } : { network: src.spec.id, path: null, ref },
    );
    const source = src.kind === "zoo" ? `trained checkpoint (zoo weights/${src.spec.id}.ckpt)` : src.source;
    return { network: src.spec.id, synthetic: false, source, layers };
  }
  const stats = layerStats(src.spec);
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
