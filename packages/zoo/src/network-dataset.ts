import { loadDataset, type Dataset } from "@sccnn/datasets";
import type { NetworkSpec } from "@sccnn/nn";

const cache = new Map<string, Dataset>();

/** The dataset split a network is trained on (first `limit` images), memoised per process/worker. */
export function networkDataset(spec: NetworkSpec, split: "train" | "test", limit: number): Dataset {
  const key = `${spec.dataset}/${split}/${limit}`;
  let d = cache.get(key);
  if (!d) {
    if (spec.dataset !== "mnist" && spec.dataset !== "fashion-mnist")
      throw new Error(`network ${spec.id}: dataset ${spec.dataset} is not supported here (mnist, fashion-mnist)`);
    d = loadDataset(spec.dataset, split, { limit });
    cache.set(key, d);
  }
  return d;
}
