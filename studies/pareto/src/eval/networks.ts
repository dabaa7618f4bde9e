import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, extname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDataset, type Dataset } from "@sccnn/datasets";
import { foldBatchNorm, loadCheckpoint, type NetworkSpec, type QuantConfig } from "@sccnn/nn";
import { loadNetworkSource } from "@sccnn/onnx";
import { checkpointPath, getNetwork, loadTrainedWeights, WEIGHTS_DIR } from "@sccnn/zoo";

/** Folder of fine-tuned checkpoints committed with the zoo (written by studies/accuracy-vs-precision). */
export const FINE_TUNED_DIR = `${WEIGHTS_DIR}finetuned/`;

/** File name of the fine-tuned checkpoint of (network, arithmetic, N) in FINE_TUNED_DIR. */
export function fineTunedFile(network: string, arithmetic: string, bits: number): string {
  return `${network}-${arithmetic}-w${bits}a${bits}.ckpt`;
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
/** A path relative to the repository root when inside it (outputs name no machine paths). */
export function repoPath(path: string): string {
  const r = relative(REPO_ROOT, path);
  return r.startsWith("..") || isAbsolute(r) ? path : r;
}

/**
 * Whether a network can be evaluated here: trained weights committed and its dataset installed.
 * `ref` (an available file network): the absolute path of the .onnx / .ckpt file the points load.
 */
export type Availability =
  | { network: string; available: true; weightsSha256: string; ref?: string }
  | { network: string; available: false; reason: string };

/** Datasets the study can evaluate a file network on (its spec's `dataset`). */
export const FILE_DATASETS: readonly string[] = ["mnist", "fashion-mnist"];

/** Whether a network reference names a file (.onnx / .ckpt) rather than a zoo id. */
export function isFileRef(ref: string): boolean {
  return /\.(onnx|ckpt)$/i.test(ref);
}

function datasetProblem(dataset: string): string | null {
  try {
    loadDataset(dataset, "test", { limit: 1 });
    return null;
  } catch (e) {
    return `dataset ${dataset} not installed: ${(e as Error).message.split("\n")[0]}`;
  }
}

/**
 * Availability of a network reference: a zoo id (its committed checkpoint, or `ckpt`) or a path
 * to an .onnx / .ckpt file (resolved against the working directory; its spec's id, else the file's
 * base name, names its records; the SHA-256 of the file's bytes keys its cache entries).
 */
export function networkAvailability(network: string, ckpt = checkpointPath(network)): Availability {
  if (isFileRef(network)) return fileAvailability(network);
  const spec = getNetwork(network);
  if (!existsSync(ckpt))
    return {
      network,
      available: false,
      reason: `no trained weights (${repoPath(ckpt)} is missing; make them with \`pnpm train ${network}\`)`,
    };
  const problem = datasetProblem(spec.dataset);
  if (problem) return { network, available: false, reason: problem };
  return { network, available: true, weightsSha256: sha256File(ckpt) };
}

function fileAvailability(ref: string): Availability {
  const path = resolve(ref);
  if (!existsSync(path)) return { network: ref, available: false, reason: `${ref}: file not found` };
  let source;
  try {
    source = loadNetworkSource(path);
  } catch (e) {
    return {
      network: ref,
      available: false,
      reason: `${ref}: cannot be loaded: ${(e as Error).message.split("\n")[0]}`,
    };
  }
  if (!source.weights || source.synthetic)
    return { network: ref, available: false, reason: `${ref}: holds no weights (accuracy needs real weights)` };
  const dataset = source.spec.dataset;
  if (!FILE_DATASETS.includes(dataset)) {
    return {
      network: ref,
      available: false,
      reason: `${ref}: dataset "${dataset}" is not one of ${FILE_DATASETS.join(", ")} (set it with \`pnpm onnx:import --dataset\`)`,
    };
  }
  const problem = datasetProblem(dataset);
  if (problem) return { network: ref, available: false, reason: `${ref}: ${problem}` };
  const name = source.spec.id || basename(path, extname(path));
  return { network: name, available: true, weightsSha256: sha256File(path), ref: path };
}

/** One set of weights a point runs with: the trained checkpoint, or a fine-tuned one for (arithmetic, N). */
export interface WeightsRef {
  network: string;
  fineTuned: boolean;
  /** Fine-tuned checkpoint file name in FINE_TUNED_DIR (null: the zoo's trained checkpoint). */
  path: string | null;
  /** SHA-256 of the checkpoint file (part of every cache key). */
  sha256: string;
  /** File network: absolute path of its .onnx / .ckpt file (absent for zoo ids). */
  ref?: string;
}

/** Fine-tuned weights for (network, arithmetic, N) when committed, else null. */
export function fineTunedRef(network: string, arithmetic: string, bits: number): WeightsRef | null {
  const file = fineTunedFile(network, arithmetic, bits);
  const path = FINE_TUNED_DIR + file;
  return existsSync(path) ? { network, fineTuned: true, path: file, sha256: sha256File(path) } : null;
}

/** Batch-norm-folded float weights (and spec) of a weights reference, plus the quantisation config a fine-tuned checkpoint pins. */
export interface LoadedWeights {
  spec: NetworkSpec;
  weights: Record<string, Float32Array>;
  /** Fine-tuned: the quantisation config the fine-tuning ran with (activation clips); null otherwise. */
  quantConfig: QuantConfig | null;
}

/** `ref.ref`: the .onnx / .ckpt file of a file network (its weights, batch norm folded as for zoo checkpoints). */
export function loadWeights(ref: Pick<WeightsRef, "network" | "path"> & { ref?: string }): LoadedWeights {
  if (ref.ref !== undefined) {
    if (ref.path !== null) throw new Error(`${ref.ref}: a file network has no fine-tuned weights (path ${ref.path})`);
    const source = loadNetworkSource(ref.ref);
    if (!source.weights) throw new Error(`${ref.ref}: holds no weights`);
    const folded = foldBatchNorm(source.spec, source.weights);
    return { spec: folded.spec, weights: folded.weights, quantConfig: null };
  }
  if (ref.path === null) {
    const ck = loadTrainedWeights(ref.network);
    const folded = foldBatchNorm(ck.spec, ck.weights);
    return { spec: folded.spec, weights: folded.weights, quantConfig: null };
  }
  const path = FINE_TUNED_DIR + ref.path;
  const ck = loadCheckpoint(path);
  const training = ck.header.training as { quantConfig?: QuantConfig } | null;
  if (!training || typeof training !== "object" || !training.quantConfig)
    throw new Error(`${repoPath(path)}: header /training has no quantConfig: not a fine-tuned checkpoint`);
  // fine-tuned checkpoints hold the batch-norm-folded network already
  return { spec: ck.spec, weights: ck.weights, quantConfig: training.quantConfig };
}

const datasets = new Map<string, Dataset>();
/** First `limit` images of a network's dataset split, memoised per worker. */
export function dataset(spec: NetworkSpec, split: "train" | "test", limit: number): Dataset {
  const key = `${spec.dataset}/${split}/${limit}`;
  let d = datasets.get(key);
  if (!d) {
    d = loadDataset(spec.dataset, split, { limit });
    datasets.set(key, d);
  }
  return d;
}
