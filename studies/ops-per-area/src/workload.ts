import { quantiseMagnitudes, type LayerWorkload } from "@sccnn/cost";
import { layerStats, type LayerStats } from "@sccnn/nn";
import { gaussian, getNetwork, layerSeed, loadTrainedWeights, mulberry32, trainedNetworkIds } from "@sccnn/zoo";

/** One network's float weights per conv/linear layer, with where they came from. */
export interface NetworkWeights {
  network: string;
  /** True when the weights are the zoo's documented synthetic distribution, not trained ones. */
  synthetic: boolean;
  source: string;
  layers: { stats: LayerStats; weights: Float32Array }[];
}

/**
 * The zoo's synthetic weights as tensors: layer i draws i.i.d. standard normals from
 * gaussian(mulberry32(layerSeed(seed, i))), the same stream the zoo's syntheticWeightStats
 * summarises (σ cancels under max-abs scaling), in [K][C/groups][R][S] order.
 */
export function syntheticWeights(networkId: string, seed: number): NetworkWeights {
  const spec = getNetwork(networkId);
  const layers = layerStats(spec).map((stats, i) => {
    const draw = gaussian(mulberry32(layerSeed(seed, i)));
    const w = new Float32Array(stats.weights);
    for (let k = 0; k < w.length; k++) w[k] = draw();
    return { stats, weights: w };
  });
  return { network: networkId, synthetic: true, source: `synthetic: i.i.d. Gaussian per layer (zoo weight-stats), seed ${seed}`, layers };
}

/** Trained weights when the zoo has a checkpoint for the network, else the synthetic ones. */
export function networkWeights(networkId: string, seed: number, useTrained: boolean): NetworkWeights {
  if (useTrained && trainedNetworkIds().includes(networkId)) {
    const ckpt = loadTrainedWeights(networkId);
    const layers = layerStats(ckpt.spec).map((stats) => {
      const w = ckpt.weights[`${stats.name}.weight`];
      if (!w || w.length !== stats.weights) throw new Error(`${networkId}: checkpoint weight "${stats.name}.weight" missing or of the wrong size`);
      return { stats, weights: w };
    });
    return { network: networkId, synthetic: false, source: `trained checkpoint (zoo weights/${networkId}.ckpt)`, layers };
  }
  return syntheticWeights(networkId, seed);
}

/** The latency model's view of the network at precision N (per-layer max-abs quantisation). */
export function workloadAt(net: NetworkWeights, bits: number, batch = 1): LayerWorkload[] {
  return net.layers.map(({ stats, weights }) => ({
    name: stats.name,
    kind: stats.type,
    dims: { N: batch, C: stats.C, K: stats.K, R: stats.R, S: stats.S, P: stats.P, Q: stats.Q },
    groups: stats.groups,
    weightMagnitudes: quantiseMagnitudes(weights, bits),
  }));
}
