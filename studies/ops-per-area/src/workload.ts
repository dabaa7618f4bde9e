import type { LayerWorkload } from "@sccnn/cost";
import { hardwareWorkload, type NetworkLayerWeights } from "@sccnn/zoo";

/**
 * The latency model's view of the network at precision N: the zoo's hardwareWorkload of its
 * (batch-norm-folded, or synthetic) layers, per-layer max-abs quantisation as the runtime does.
 */
export function workloadAt(net: NetworkLayerWeights, bits: number, batch = 1): LayerWorkload[] {
  return hardwareWorkload(net.layers, bits, { perChannel: false, batch });
}
