import { hardwareWeights } from "./hardware-weights.ts";
import { getNetwork } from "./registry.ts";
import { trainedNetworkIds } from "./trained.ts";
import { syntheticWeightStats, weightStatsFromWeights, type WeightStats } from "./weight-stats.ts";

/**
 * Weight-magnitude statistics of a zoo network for the latency model: from its committed
 * trained checkpoint when there is one (`synthetic: false`; batch norm folded, the weights the
 * hardware runs: hardwareWeights), else from the synthetic Gaussian
 * distribution of weight-stats.ts (`synthetic: true`, which every record and figure built on it
 * must show).
 */
export function zooWeightStats(id: string, options: { bits: number; seed?: number }): WeightStats {
  if (trainedNetworkIds().includes(id)) {
    const folded = hardwareWeights({ network: id, path: null });
    return weightStatsFromWeights(
      folded.spec,
      folded.weights,
      options.bits,
      `trained checkpoint packages/zoo/weights/${id}.ckpt`,
    );
  }
  return syntheticWeightStats(getNetwork(id), options);
}
