import { quantiseMagnitudes, type LayerWorkload } from "@sccnn/cost";
import type { NetworkLayerWeights } from "@sccnn/zoo";

/** The latency model's view of the network at precision N (per-layer max-abs quantisation). */
export function workloadAt(net: NetworkLayerWeights, bits: number, batch = 1): LayerWorkload[] {
  return net.layers.map(({ stats, weights }) => ({
    name: stats.name,
    kind: stats.type,
    dims: { N: batch, C: stats.C, K: stats.K, R: stats.R, S: stats.S, P: stats.P, Q: stats.Q },
    groups: stats.groups,
    weightMagnitudes: quantiseMagnitudes(weights, bits),
  }));
}
