/**
 * Which weights a design point runs with, and those weights as the hardware sees them: batch
 * norm folded into the conv/linear before it (what the quantised runtime and the latency model
 * use). A weights reference is a zoo network's trained checkpoint, a fine-tuned checkpoint for
 * (arithmetic, N) in the network's fineTunedDir, or an .onnx / .ckpt file.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, extname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDataset } from "@sccnn/datasets";
import {
  foldBatchNorm,
  layerStats,
  loadCheckpoint,
  type LayerStats,
  type NetworkSpec,
  type QuantConfig,
} from "@sccnn/nn";
import { fineTunedFile, fineTunedTraining } from "./finetuned.ts";
import { loadNetworkSource } from "./network-source.ts";
import { getNetwork } from "./registry.ts";
import { checkpointPath, fineTunedDir, loadTrainedWeights } from "./trained.ts";

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
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
  | {
      network: string;
      available: true;
      weightsSha256: string;
      ref?: string;
      /** A file network's data set when the study names it (the file records another or none). */
      dataset?: string;
    }
  | {
      network: string;
      available: false;
      reason: string;
      /** the file itself is missing or unreadable: a study refuses it rather than skipping it */
      broken?: boolean;
    };

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
export function networkAvailability(
  network: string,
  ckpt = checkpointPath(network),
  options: { dataset?: string } = {},
): Availability {
  if (isFileRef(network)) return fileAvailability(network, options.dataset);
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

/** `dataset`: the study's data set for file networks (its --dataset), over what the file records. */
function fileAvailability(ref: string, datasetOverride?: string): Availability {
  const path = resolve(ref);
  if (!existsSync(path)) return { network: ref, available: false, reason: `${ref}: file not found`, broken: true };
  let source;
  try {
    source = loadNetworkSource(path);
  } catch (e) {
    return {
      network: ref,
      available: false,
      reason: `${ref}: cannot be loaded: ${(e as Error).message.split("\n")[0]}`,
      broken: true,
    };
  }
  if (!source.weights || source.synthetic)
    return {
      network: ref,
      available: false,
      reason: `${ref}: holds no weights (accuracy needs real weights)`,
      broken: true,
    };
  const dataset = datasetOverride ?? source.spec.dataset;
  if (!FILE_DATASETS.includes(dataset)) {
    return {
      network: ref,
      available: false,
      reason: `dataset "${dataset}" is not one of ${FILE_DATASETS.join(", ")} (give the study --dataset, or set it with \`pnpm onnx:import --dataset\`)`,
    };
  }
  const problem = datasetProblem(dataset);
  if (problem) return { network: ref, available: false, reason: `${ref}: ${problem}` };
  const name = source.spec.id || basename(path, extname(path));
  return {
    network: name,
    available: true,
    weightsSha256: sha256File(path),
    ref: path,
    ...(datasetOverride !== undefined && datasetOverride !== source.spec.dataset ? { dataset: datasetOverride } : {}),
  };
}

/** One set of weights a point runs with: the trained checkpoint, or a fine-tuned one for (arithmetic, N). */
export interface WeightsRef {
  network: string;
  fineTuned: boolean;
  /** Fine-tuned checkpoint file name in fineTunedDir(network) (null: the zoo's trained checkpoint). */
  path: string | null;
  /** SHA-256 of the checkpoint file (part of every cache key). */
  sha256: string;
  /** File network: absolute path of its .onnx / .ckpt file (absent for zoo ids). */
  ref?: string;
  /** File network: the data set the study names for it (absent: the one the file records). */
  dataset?: string;
}

/** Fine-tuned weights for (network, arithmetic, N) when committed, else null. */
export function fineTunedRef(network: string, arithmetic: string, bits: number): WeightsRef | null {
  const file = fineTunedFile(network, arithmetic, bits);
  const path = join(fineTunedDir(network), file);
  return existsSync(path) ? { network, fineTuned: true, path: file, sha256: sha256File(path) } : null;
}

/** Batch-norm-folded float weights (and spec) of a weights reference, plus the quantisation config a fine-tuned checkpoint pins. */
export interface LoadedWeights {
  spec: NetworkSpec;
  weights: Record<string, Float32Array>;
  /** Fine-tuned: the quantisation config the fine-tuning ran with (activation clips); null otherwise. */
  quantConfig: QuantConfig | null;
}

/**
 * The weights of a reference as the hardware sees them: batch norm folded (fine-tuned checkpoints
 * hold the folded network already). `ref.ref`: the .onnx / .ckpt file of a file network.
 */
export function hardwareWeights(
  ref: Pick<WeightsRef, "network" | "path"> & { ref?: string; dataset?: string },
): LoadedWeights {
  if (ref.ref !== undefined) {
    if (ref.path !== null) throw new Error(`${ref.ref}: a file network has no fine-tuned weights (path ${ref.path})`);
    const source = loadNetworkSource(ref.ref);
    if (!source.weights) throw new Error(`${ref.ref}: holds no weights`);
    const spec = ref.dataset === undefined ? source.spec : { ...source.spec, dataset: ref.dataset };
    const folded = foldBatchNorm(spec, source.weights);
    return { spec: folded.spec, weights: folded.weights, quantConfig: null };
  }
  if (ref.path === null) {
    const ck = loadTrainedWeights(ref.network);
    const folded = foldBatchNorm(ck.spec, ck.weights);
    return { spec: folded.spec, weights: folded.weights, quantConfig: null };
  }
  const path = join(fineTunedDir(ref.network), ref.path);
  const ck = loadCheckpoint(path);
  const training = fineTunedTraining(repoPath(path), ck.header);
  // fine-tuned checkpoints hold the batch-norm-folded network already
  return { spec: ck.spec, weights: ck.weights, quantConfig: training.quantConfig };
}

/** One conv/linear layer as the hardware sees it: its dimensions and its (batch-norm-folded) float weights. */
export interface HardwareLayer {
  stats: LayerStats;
  weights: Float32Array;
}

/**
 * The conv/linear layers of a weights reference as the hardware runs them (batch norm folded),
 * each with its dimensions: what a latency model quantises. The one place SC latency gets its
 * weights from.
 */
export function hardwareLayerWeights(
  ref: Pick<WeightsRef, "network" | "path"> & { ref?: string },
): LoadedWeights & { layers: HardwareLayer[] } {
  const loaded = hardwareWeights(ref);
  const layers = layerStats(loaded.spec).map((stats) => {
    const w = loaded.weights[`${stats.name}.weight`];
    if (!w || w.length !== stats.weights)
      throw new Error(
        `${ref.ref ?? ref.network}: weight ${stats.name}.weight missing or of the wrong size (${w?.length ?? 0}, expected ${stats.weights})`,
      );
    return { stats, weights: w };
  });
  return { ...loaded, layers };
}
