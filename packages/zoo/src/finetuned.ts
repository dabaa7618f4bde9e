import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadCheckpoint, saveCheckpoint, type NetworkSpec, type QuantConfig } from "@sccnn/nn";
import { WEIGHTS_DIR } from "./trained.ts";

/** Folder of the built-in networks' fine-tuned checkpoints (a network's own: trained.ts fineTunedDir(id)). */
export const FINE_TUNED_DIR = `${WEIGHTS_DIR}finetuned/`;

/**
 * Fine-tuned weights are engine checkpoints (`<name>.ckpt`, packages/nn checkpoint format) of the
 * batch-norm-folded network. Their `training` object records what is needed to use and to
 * regenerate them: the quantisation config with the activation clips the fine-tuning ran with,
 * the recipe, the per-epoch log and the command.
 */
export interface FineTunedTraining {
  kind: "sc-aware-fine-tuning" | "quantisation-aware-training";
  network: string;
  arithmetic: string;
  bitsW: number;
  bitsA: number;
  quantConfig: QuantConfig;
  recipe: unknown;
  log: unknown;
  command: string;
}

/** The per-epoch log without wall-clock fields, so a rerun writes the same bytes. */
export function deterministicLog(
  log: readonly { epoch: number; meanLoss: number; trainAccuracy: number; lr: number }[],
): unknown[] {
  return log.map((e) => ({ epoch: e.epoch, meanLoss: e.meanLoss, trainAccuracy: e.trainAccuracy, lr: e.lr }));
}

/** Name (without .ckpt) of the fine-tuned checkpoint of (network, arithmetic, weight bits, activation bits). */
export function fineTunedName(network: string, arithmetic: string, bitsW: number, bitsA: number): string {
  return `${network}-${arithmetic}-w${bitsW}a${bitsA}`;
}

/** File name in fineTunedDir(network) of the fine-tuned checkpoint of (network, arithmetic, N) at N bits for weights and activations. */
export function fineTunedFile(network: string, arithmetic: string, bits: number): string {
  return `${fineTunedName(network, arithmetic, bits, bits)}.ckpt`;
}

/** The fine-tuned checkpoint's training header, or an error naming the file when it has no quantConfig. */
export function fineTunedTraining(path: string, header: { training: unknown }): FineTunedTraining {
  const training = header.training as FineTunedTraining | null;
  if (!training || typeof training !== "object" || !training.quantConfig)
    throw new Error(`${path}: header /training has no quantConfig: not a fine-tuned checkpoint`);
  return training;
}

export function saveFineTuned(
  dir: string,
  name: string,
  spec: NetworkSpec,
  seed: number,
  training: FineTunedTraining,
  weights: Record<string, Float32Array>,
  accuracy: { test: number; dataset: string; testImages: number } | null,
): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.ckpt`);
  saveCheckpoint(path, {
    spec,
    seed,
    weights,
    training: training as unknown as Record<string, unknown>,
    accuracy,
    notes: "batch-norm-folded network after fine-tuning; quantise with training.quantConfig (activation clips pinned)",
  });
  return path;
}

/** Loads fine-tuned weights; null when the file is absent. */
export function loadFineTuned(
  dir: string,
  name: string,
): { training: FineTunedTraining; weights: Record<string, Float32Array>; spec: NetworkSpec } | null {
  const path = join(dir, `${name}.ckpt`);
  if (!existsSync(path)) return null;
  const ck = loadCheckpoint(path);
  return { training: fineTunedTraining(path, ck.header), weights: ck.weights, spec: ck.spec };
}
