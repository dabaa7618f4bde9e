import { holdOutValidation, loadDataset, type Dataset } from "@sccnn/datasets";
import type { NetworkSpec } from "@sccnn/nn";

const cache = new Map<string, Dataset>();

/**
 * A split of the dataset a network is trained on (first `limit` images), memoised per
 * process/worker. "train" and "test" are the files' splits; "fit" and "validation" divide the
 * training file (datasets' holdOutValidation: the last 5 000 images are validation).
 */
export function networkDataset(
  spec: NetworkSpec,
  split: "train" | "test" | "fit" | "validation",
  limit: number,
): Dataset {
  const key = `${spec.dataset}/${split}/${limit}`;
  let d = cache.get(key);
  if (!d) {
    if (spec.dataset !== "mnist" && spec.dataset !== "fashion-mnist")
      throw new Error(`network ${spec.id}: dataset ${spec.dataset} is not supported here (mnist, fashion-mnist)`);
    if (split === "fit" || split === "validation") {
      const full = networkDataset(spec, "train", Number.MAX_SAFE_INTEGER);
      const part = holdOutValidation(full)[split];
      const n = Math.min(limit, part.count);
      const per = part.shape[0] * part.shape[1] * part.shape[2];
      d = { ...part, images: part.images.subarray(0, n * per), labels: part.labels.subarray(0, n), count: n };
    } else d = loadDataset(spec.dataset, split, { limit: limit === Number.MAX_SAFE_INTEGER ? undefined : limit });
    cache.set(key, d);
  }
  return d;
}
