import type { NetworkSpec } from "@sccnn/nn";
import * as zoo from "@sccnn/zoo";

export { trainedWeightsHash, networkDataset as dataset } from "@sccnn/zoo";

export const NETWORKS = ["lenet5", "fashion-cnn"] as const;
export type NetworkId = (typeof NETWORKS)[number];

export function networkSpec(id: string): NetworkSpec {
  return zoo.getNetwork(id);
}

/** The zoo's trained float weights of `id` (packages/zoo/weights/<id>.ckpt). */
export function trainedWeights(id: string): Record<string, Float32Array> {
  return zoo.loadTrainedWeights(id).weights;
}

/** The checkpoint file the trained weights come from. */
export function trainedWeightsPath(id: string): string {
  return zoo.checkpointPath(id);
}
