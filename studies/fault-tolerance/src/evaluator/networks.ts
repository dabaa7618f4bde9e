import type { NetworkSpec } from "@sccnn/nn";
import * as zoo from "@sccnn/zoo";

export { trainedWeightsHash, networkDataset as dataset } from "@sccnn/zoo";

export function networkSpec(id: string): NetworkSpec {
  return zoo.getNetwork(id);
}

/** The zoo's trained float weights of `id` (packages/zoo/weights/<id>.ckpt). */
export function trainedWeights(id: string): Record<string, Float32Array> {
  return zoo.loadTrainedWeights(id).weights;
}
