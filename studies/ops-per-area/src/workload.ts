import { quantiseMagnitudes, type LayerWorkload } from "@sccnn/cost";
import { networkLayerWeights, type NetworkLayerWeights } from "@sccnn/onnx";

/** One network's float weights per conv/linear layer, with where they came from. */
export type NetworkWeights = NetworkLayerWeights;

/**
 * The zoo's synthetic weights as tensors: layer i draws i.i.d. standard normals from
 * gaussian(mulberry32(layerSeed(seed, i))), the same stream the zoo's syntheticWeightStats
 * summarises (σ cancels under max-abs scaling), in [K][C/groups][R][S] order.
 */
export function syntheticWeights(networkId: string, seed: number): NetworkWeights {
  return networkLayerWeights(networkId, { seed, useTrained: false });
}

/**
 * Weights of a network reference: a zoo id (its trained checkpoint when there is one and
 * useTrained is set, else the synthetic ones) or a path to an .onnx / .ckpt file (its own weights).
 */
export function networkWeights(ref: string, seed: number, useTrained: boolean): NetworkWeights {
  return networkLayerWeights(ref, { seed, useTrained });
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
