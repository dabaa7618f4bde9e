/**
 * Trained weights committed with a network: <weightsDir>/<id>.ckpt (the engine's checkpoint
 * format, packages/nn/CHECKPOINT.md) written by `pnpm train <id>`, with the run's log in
 * <weightsDir>/<id>.train.log; weightsDir is the zoo's weights/ for built-in networks and the
 * package's weights/ for network packages.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadCheckpoint, type Checkpoint } from "@sccnn/nn";
import { BUILT_IN_WEIGHTS_DIR, getZooEntry, registry } from "./registry.ts";

/** Folder holding the built-in networks' committed checkpoints and training logs. */
export const WEIGHTS_DIR = BUILT_IN_WEIGHTS_DIR;

/** Folder of the committed weights of network `id` (its registry entry's; the zoo's own for an id not registered). */
export function weightsDir(id: string): string {
  return registry.find((e) => e.spec.id === id)?.weightsDir ?? WEIGHTS_DIR;
}

/** Folder of the checkpoints of `id` fine-tuned / trained with arithmetic in the loop. */
export function fineTunedDir(id: string): string {
  return join(weightsDir(id), "finetuned");
}

export function checkpointPath(id: string): string {
  return join(weightsDir(id), `${id}.ckpt`);
}

export function trainLogPath(id: string): string {
  return join(weightsDir(id), `${id}.train.log`);
}

/** Ids of networks that have a committed checkpoint. */
export function trainedNetworkIds(): string[] {
  return registry.map((e) => e.spec.id).filter((id) => existsSync(checkpointPath(id)));
}

/**
 * The committed checkpoint of `id` (spec, seed, weights keyed `${layer}.weight` etc., header
 * with training config and test accuracy). The checkpoint must fit the registered table.
 */
export function loadTrainedWeights(id: string): Checkpoint {
  const entry = getZooEntry(id);
  const path = checkpointPath(id);
  if (!existsSync(path)) {
    const have = trainedNetworkIds();
    throw new Error(
      `${id}: no trained weights at ${path}${entry.training ? ` (make them with \`pnpm train ${id}\`)` : " (this network has no training recipe here; use synthetic weight statistics or an ONNX import)"}; trained: ${have.join(", ") || "none"}`,
    );
  }
  return loadCheckpoint(path, { spec: entry.spec });
}

/** SHA-256 over the committed checkpoints of `ids` ("missing" for absent ones): a cache key for results computed from them. */
export function trainedWeightsHash(ids: readonly string[]): string {
  const h = createHash("sha256");
  for (const id of [...ids].sort()) {
    const p = checkpointPath(id);
    h.update(id);
    h.update(existsSync(p) ? readFileSync(p) : "missing");
  }
  return h.digest("hex");
}
