import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { loadDataset, type Dataset } from "@sccnn/datasets";
import type { NetworkSpec } from "@sccnn/nn";
import * as zoo from "@sccnn/zoo";

// The same helpers as studies/accuracy-vs-precision/src/networks.ts (a study does not import another).

export function networkSpec(id: string): NetworkSpec {
  return zoo.getNetwork(id);
}

/** The zoo's trained float weights of `id` (packages/zoo/weights/<id>.ckpt). */
export function trainedWeights(id: string): Record<string, Float32Array> {
  return zoo.loadTrainedWeights(id).weights;
}

/** SHA-256 over the trained checkpoints of `ids` (part of every cached accuracy's key). */
export function trainedWeightsHash(ids: readonly string[]): string {
  const h = createHash("sha256");
  for (const id of [...ids].sort()) {
    const p = zoo.checkpointPath(id);
    h.update(id);
    h.update(existsSync(p) ? readFileSync(p) : "missing");
  }
  return h.digest("hex");
}

const cache = new Map<string, Dataset>();
/** The network's dataset split (first `limit` images), memoised per worker. */
export function dataset(spec: NetworkSpec, split: "train" | "test", limit: number): Dataset {
  const key = `${spec.dataset}/${split}/${limit}`;
  let d = cache.get(key);
  if (!d) {
    if (spec.dataset !== "mnist" && spec.dataset !== "fashion-mnist") throw new Error(`network ${spec.id}: dataset ${spec.dataset} is not supported by this study (mnist, fashion-mnist)`);
    d = loadDataset(spec.dataset, split, { limit });
    cache.set(key, d);
  }
  return d;
}
