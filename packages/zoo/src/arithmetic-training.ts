/**
 * Training with the arithmetic in the loop, the same way for both sides at every N: `fixed`
 * (quantisation-aware training, straight-through) and `sc-*` (forward with bit-exact SC products,
 * straight-through backward), both starting from the zoo's float checkpoint (batch norm folded),
 * calibrated on the validation split, trained on the rest of the training file, evaluated after
 * every period of `periodImages` images on the validation split with the bit-exact quantised
 * network, and stopped after `patience` periods without improvement; the best period's weights
 * are kept. Checkpoints live in weights/finetuned/ (`pnpm train <id> --arithmetic A --bits N`).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  calibrateNetwork,
  evaluateQuantized,
  fineTune,
  loadCheckpoint,
  quantizeCalibrated,
  quantizeNetwork,
  saveCheckpoint,
  type Arithmetic,
  type CalibratedNetwork,
  type FineTuneEpochLog,
  type NetworkSpec,
  type QuantConfig,
} from "@sccnn/nn";
import { getNetwork } from "./registry.ts";
import { checkpointPath, fineTunedDir, loadTrainedWeights, trainedWeightsHash } from "./trained.ts";
import { networkDataset } from "./network-dataset.ts";

/** How quantisation is set up for every trained and post-training-quantised point. */
export interface QuantSettings {
  /** First images of the validation split used for activation calibration. */
  calibrationImages: number;
  calibration: "max" | "percentile" | "mse";
  percentile: number;
  perChannel: boolean;
  lfsrSeed: number;
}

export const QUANT_SETTINGS: QuantSettings = {
  calibrationImages: 1000,
  calibration: "mse",
  percentile: 99.99,
  perChannel: false,
  lfsrSeed: 1,
};

/** The recipe of training with arithmetic in the loop (identical for fixed and SC). */
export interface ArithmeticRecipe {
  /** Images per period; validation after each. */
  periodImages: number;
  /** Periods at most. */
  maxPeriods: number;
  /** Periods without a better validation accuracy before stopping. */
  patience: number;
  batchSize: number;
  optimizer: "sgd";
  learningRate: number;
  momentum: number;
  /** Cosine decay over maxPeriods (early stopping may end before). */
  schedule: "cosine";
  seed: number;
  /** Float engine kernels (their float rounding is part of the result): the WebAssembly SIMD build. */
  kernels: "wasm";
}

export const ARITHMETIC_RECIPE: ArithmeticRecipe = {
  periodImages: 2500,
  maxPeriods: 6,
  patience: 2,
  batchSize: 64,
  optimizer: "sgd",
  learningRate: 0.005,
  momentum: 0.9,
  schedule: "cosine",
  seed: 1,
  kernels: "wasm",
};

export function quantConfigOf(q: QuantSettings, arithmetic: Arithmetic, bits: number): QuantConfig {
  return {
    arithmetic,
    bitsW: bits,
    bitsA: bits,
    perChannel: q.perChannel,
    calibration:
      q.calibration === "percentile" ? { kind: "percentile", percentile: q.percentile } : { kind: q.calibration },
    lfsrSeed: q.lfsrSeed,
  };
}

const calibrated = new Map<string, CalibratedNetwork>();
/** The zoo's float network of `id`, batch norm folded, calibrated on the validation split (memoised). */
export function calibratedZooNetwork(id: string, q: QuantSettings = QUANT_SETTINGS): CalibratedNetwork {
  const key = `${id}/${q.calibrationImages}`;
  let c = calibrated.get(key);
  if (!c) {
    const spec = getNetwork(id);
    const val = networkDataset(spec, "validation", q.calibrationImages);
    c = calibrateNetwork(spec, loadTrainedWeights(id).weights, val.images);
    calibrated.set(key, c);
  }
  return c;
}

/** What a checkpoint trained with arithmetic in the loop records in its header's `training`. */
export interface ArithmeticTraining {
  kind: "quantisation-aware-training" | "sc-aware-training";
  network: string;
  arithmetic: string;
  bitsW: number;
  bitsA: number;
  /** Quantise the checkpoint's weights with this (activation clips pinned). */
  quantConfig: QuantConfig;
  quantSettings: QuantSettings;
  recipe: ArithmeticRecipe;
  /** Which images trained, validated (and calibrated) and tested. */
  data: { fit: string; validation: string; calibration: string; test: string };
  /**
   * The float checkpoint this one descends from: file, SHA-256 of its bytes, and the training
   * images it saw (from its header). Checkpoints written before this field existed descend from
   * the float weights trained on the whole training file, validation split included.
   */
  floatWeights?: FloatWeightsSource;
  /** Per period, without wall-clock fields (a rerun writes the same bytes). */
  log: { period: number; meanLoss: number; trainAccuracy: number; lr: number; validationAccuracy: number }[];
  /** Validation accuracy of the post-training-quantised start, of the kept weights, and their period (0 = start). */
  startValidationAccuracy: number;
  validationAccuracy: number;
  validationCorrect: number;
  validationImages: number;
  bestPeriod: number;
  testCorrect: number;
  testImages: number;
  command: string;
}

/** Where a checkpoint trained with arithmetic in the loop started from. */
export interface FloatWeightsSource {
  file: string;
  sha256: string;
  /** e.g. "mnist train[0:55000]", or "mnist train[0:60000] (validation split included)". */
  trainedOn: string;
}

/** The provenance of the zoo's float checkpoint of `id`, as recorded in descendants. */
export function floatWeightsSource(id: string): FloatWeightsSource {
  const path = checkpointPath(id);
  const header = loadTrainedWeights(id).header as { training?: { data?: { fit?: string }; trainImages?: number } };
  const dataset = getNetwork(id).dataset;
  const fit = header.training?.data?.fit;
  const n = header.training?.trainImages;
  const trainedOn =
    fit ??
    (n !== undefined ? `${dataset} train[0:${n}]${n > 55000 ? " (validation split included)" : ""}` : "unrecorded");
  return { file: `${id}.ckpt`, sha256: createHash("sha256").update(readFileSync(path)).digest("hex"), trainedOn };
}

/**
 * Where a checkpoint trained with arithmetic stands against the zoo's float checkpoint of its
 * network today: "current" when its recorded floatWeights SHA-256 is that file's, else
 * "superseded" (it descends from float weights since retrained; its `floatWeights.trainedOn` says
 * which images those saw), "unrecorded" for a header without floatWeights.
 */
export function floatWeightsStatus(training: Pick<ArithmeticTraining, "network" | "floatWeights">): {
  status: "current" | "superseded" | "unrecorded";
  trainedOn: string;
} {
  const f = training.floatWeights;
  if (!f) return { status: "unrecorded", trainedOn: "unrecorded" };
  const now = floatWeightsSource(training.network);
  return { status: f.sha256 === now.sha256 ? "current" : "superseded", trainedOn: f.trainedOn };
}

export function arithmeticCheckpointName(id: string, arithmetic: string, bits: number, seed = 1): string {
  return `${id}-${arithmetic}-w${bits}a${bits}${seed === 1 ? "" : `-seed${seed}`}`;
}

export function arithmeticCheckpointPath(id: string, arithmetic: string, bits: number, seed = 1): string {
  return join(fineTunedDir(id), `${arithmeticCheckpointName(id, arithmetic, bits, seed)}.ckpt`);
}

export interface ArithmeticTrainingResult {
  weights: Record<string, Float32Array>;
  training: ArithmeticTraining;
  spec: NetworkSpec;
  testAccuracy: number;
  /** Validation accuracy of the post-training-quantised start, for the log. */
  ptqValidationAccuracy: number;
}

/** Trains `id` with (arithmetic, bits) in the loop; deterministic for a given recipe. */
export function trainWithArithmetic(
  id: string,
  arithmetic: Arithmetic,
  bits: number,
  opts: { recipe?: Partial<ArithmeticRecipe>; command?: string; progress?: (line: string) => void } = {},
): ArithmeticTrainingResult {
  if (arithmetic === "float32")
    throw new Error("--arithmetic: float32 has nothing to train in the loop (use pnpm train <id>)");
  if (!Number.isInteger(bits) || bits < 1 || bits > 16)
    throw new Error(`--bits: expected an integer in 1…16, got ${bits}`);
  const recipe: ArithmeticRecipe = { ...ARITHMETIC_RECIPE, ...opts.recipe };
  const q = QUANT_SETTINGS;
  const net = calibratedZooNetwork(id, q);
  const spec = net.spec;
  const fit = networkDataset(getNetwork(id), "fit", Number.MAX_SAFE_INTEGER);
  const val = networkDataset(getNetwork(id), "validation", Number.MAX_SAFE_INTEGER);
  const test = networkDataset(getNetwork(id), "test", Number.MAX_SAFE_INTEGER);
  const qnet = quantizeCalibrated(net, quantConfigOf(q, arithmetic, bits));
  let lastPrint = 0;
  const t0 = performance.now();
  const valResults: { correct: number; total: number }[] = [];
  const ft = fineTune(qnet, fit.images, fit.labels, {
    epochs: recipe.maxPeriods,
    periodImages: recipe.periodImages,
    patience: recipe.patience,
    batchSize: recipe.batchSize,
    optimizer: { type: "sgd", lr: recipe.learningRate, momentum: recipe.momentum },
    schedule: { type: recipe.schedule },
    seed: recipe.seed,
    kernels: recipe.kernels,
    validate: (w, config) => {
      const r = evaluateQuantized(quantizeNetwork(spec, w, net.stats, config), val.images, val.labels);
      valResults.push(r);
      opts.progress?.(
        `period ${valResults.length - 1}: validation ${(r.accuracy * 100).toFixed(2)} % (${r.correct}/${r.total}) at ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
      return r.accuracy;
    },
    onBatch: (p) => {
      if (opts.progress && performance.now() - lastPrint > 15_000) {
        lastPrint = performance.now();
        opts.progress(
          `period ${p.epoch + 1} batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)} ${p.imagesPerS.toFixed(0)} img/s`,
        );
      }
    },
  });
  const best = valResults[ft.bestPeriod ?? 0]!;
  const tuned = evaluateQuantized(quantizeNetwork(spec, ft.weights, net.stats, ft.config), test.images, test.labels);
  const training: ArithmeticTraining = {
    kind: arithmetic === "fixed" ? "quantisation-aware-training" : "sc-aware-training",
    network: id,
    arithmetic,
    bitsW: bits,
    bitsA: bits,
    quantConfig: ft.config,
    quantSettings: q,
    recipe,
    data: {
      fit: `${spec.dataset} train[0:${fit.count}]`,
      validation: `${spec.dataset} train[${fit.count}:${fit.count + val.count}]`,
      calibration: `first ${q.calibrationImages} of the validation split`,
      test: `${spec.dataset} test[0:${test.count}]`,
    },
    floatWeights: floatWeightsSource(id),
    log: ft.log.map((e: FineTuneEpochLog) => ({
      period: e.epoch + 1,
      meanLoss: e.meanLoss,
      trainAccuracy: e.trainAccuracy,
      lr: e.lr,
      validationAccuracy: e.validationAccuracy ?? Number.NaN,
    })),
    startValidationAccuracy: ft.startValidationAccuracy ?? Number.NaN,
    validationAccuracy: best.correct / best.total,
    validationCorrect: best.correct,
    validationImages: best.total,
    bestPeriod: ft.bestPeriod ?? 0,
    testCorrect: tuned.correct,
    testImages: tuned.total,
    command: opts.command ?? `pnpm train ${id} --arithmetic ${arithmetic} --bits ${bits}`,
  };
  return {
    weights: ft.weights,
    training,
    spec,
    testAccuracy: tuned.accuracy,
    ptqValidationAccuracy: valResults[0]!.correct / valResults[0]!.total,
  };
}

export function saveArithmeticCheckpoint(path: string, r: ArithmeticTrainingResult): void {
  mkdirSync(join(path, ".."), { recursive: true });
  saveCheckpoint(path, {
    spec: r.spec,
    seed: r.training.recipe.seed,
    weights: r.weights,
    training: r.training as unknown as Record<string, unknown>,
    accuracy: { test: r.testAccuracy, dataset: r.spec.dataset, testImages: r.training.testImages },
    notes:
      "batch-norm-folded network trained with its arithmetic in the loop; quantise with training.quantConfig (activation clips pinned)",
  });
}

/** A checkpoint trained with arithmetic in the loop, or null when none is committed. */
export function loadArithmeticCheckpoint(
  id: string,
  arithmetic: string,
  bits: number,
  seed = 1,
): { training: ArithmeticTraining; weights: Record<string, Float32Array>; spec: NetworkSpec; path: string } | null {
  const path = arithmeticCheckpointPath(id, arithmetic, bits, seed);
  if (!existsSync(path)) return null;
  const ck = loadCheckpoint(path);
  const training = ck.header.training as unknown as ArithmeticTraining | null;
  if (!training || typeof training !== "object" || !training.quantConfig || !training.recipe)
    throw new Error(`${path}: header /training has no quantConfig/recipe: not a checkpoint trained with arithmetic`);
  return { training, weights: ck.weights, spec: ck.spec, path };
}

/**
 * SHA-256 over the float checkpoints of `ids` and every checkpoint trained with arithmetic for
 * them (weights/finetuned/<id>-*.ckpt, by name): a cache key for results computed from them.
 */
export function arithmeticWeightsHash(ids: readonly string[]): string {
  const h = createHash("sha256");
  h.update(trainedWeightsHash(ids));
  for (const id of [...ids].sort()) {
    const dir = fineTunedDir(id);
    const files = existsSync(dir) ? readdirSync(dir).sort() : [];
    for (const f of files)
      if (f.startsWith(`${id}-`) && f.endsWith(".ckpt")) {
        h.update(f);
        h.update(readFileSync(join(dir, f)));
      }
  }
  return h.digest("hex");
}
