import { performance } from "node:perf_hooks";
import {
  calibrateNetwork,
  evaluateQuantized,
  fineTune,
  quantizeCalibrated,
  quantizeNetwork,
  type Arithmetic,
  type CalibratedNetwork,
  type CalibrationMethod,
  type FineTuneEpochLog,
  type NetworkSpec,
  type QuantConfig,
} from "@sccnn/nn";
import {
  deterministicLog,
  fineTunedName,
  getNetwork,
  loadFineTuned,
  loadTrainedWeights,
  networkDataset,
  saveFineTuned,
} from "@sccnn/zoo";

/** How SC-aware / quantisation-aware fine-tuning runs (from the study config). */
export interface FineTuneRecipe {
  /** First `trainLimit` training images. */
  trainLimit: number;
  epochs: number;
  batchSize: number;
  optimizer: "sgd" | "adam";
  learningRate: number;
  momentum: number;
  schedule: "constant" | "cosine";
  seed: number;
}

export interface QuantSettings {
  calibrationImages: number;
  calibration: "max" | "percentile" | "mse";
  percentile: number;
  perChannel: boolean;
  lfsrSeed: number;
}

export interface AccuracyInput extends QuantSettings {
  network: string;
  arithmetic: Arithmetic;
  /** null for float32. */
  bits: number | null;
  fineTuned: boolean;
  testLimit: number;
  /** Present when fineTuned. */
  recipe: FineTuneRecipe | null;
  /** Folder for fine-tuned weights (reused when present, else written there); null = do not keep. */
  fineTunedDir: string | null;
}

export interface AccuracyValue {
  /** Test accuracy, 0…1. */
  accuracy: number;
  correct: number;
  total: number;
  evalSeconds: number;
  fineTuneSeconds: number | null;
  fineTuneLog: FineTuneEpochLog[] | null;
}

export function calibrationMethod(q: QuantSettings): CalibrationMethod {
  return q.calibration === "percentile" ? { kind: "percentile", percentile: q.percentile } : { kind: q.calibration };
}

export function quantConfigOf(q: QuantSettings, arithmetic: Arithmetic, bits: number): QuantConfig {
  return {
    arithmetic,
    bitsW: bits,
    bitsA: bits,
    perChannel: q.perChannel,
    calibration: calibrationMethod(q),
    lfsrSeed: q.lfsrSeed,
  };
}

/** Folded, calibrated trained network (memoised per worker: calibration does not depend on bits). */
const calibrated = new Map<string, CalibratedNetwork>();
export function calibratedNetwork(
  spec: NetworkSpec,
  weights: Record<string, Float32Array>,
  calibrationImages: number,
  key: string,
): CalibratedNetwork {
  let c = calibrated.get(key);
  if (!c) {
    const train = networkDataset(spec, "train", calibrationImages);
    c = calibrateNetwork(spec, weights, train.images);
    calibrated.set(key, c);
  }
  return c;
}

export function optimizerOf(r: FineTuneRecipe) {
  return r.optimizer === "sgd"
    ? ({ type: "sgd", lr: r.learningRate, momentum: r.momentum } as const)
    : ({ type: "adam", lr: r.learningRate } as const);
}

/**
 * Fine-tunes the calibrated network for (arithmetic, bits) with `recipe`; returns the weights and
 * the quantisation config with the activation clips it trained with.
 */
export function fineTuneFor(
  net: CalibratedNetwork,
  q: QuantSettings,
  arithmetic: Arithmetic,
  bits: number,
  recipe: FineTuneRecipe,
  onEpoch?: (msg: string) => void,
) {
  const qnet = quantizeCalibrated(net, quantConfigOf(q, arithmetic, bits));
  const train = networkDataset(net.spec, "train", recipe.trainLimit);
  let lastPrint = 0;
  return fineTune(qnet, train.images, train.labels, {
    epochs: recipe.epochs,
    batchSize: recipe.batchSize,
    optimizer: optimizerOf(recipe),
    schedule: { type: recipe.schedule },
    seed: recipe.seed,
    onBatch: (p) => {
      if (onEpoch && (p.batch === p.batches || performance.now() - lastPrint > 10_000)) {
        lastPrint = performance.now();
        onEpoch(
          `epoch ${p.epoch + 1} batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)} ${p.imagesPerS.toFixed(0)} images/s`,
        );
      }
    },
  });
}

/** The dse evaluator: test accuracy of one (network, arithmetic, bits, fineTuned) point. */
export async function evaluateAccuracy(input: AccuracyInput): Promise<AccuracyValue> {
  const spec = getNetwork(input.network);
  const net = calibratedNetwork(
    spec,
    loadTrainedWeights(input.network).weights,
    input.calibrationImages,
    `${input.network}/${input.calibrationImages}`,
  );
  const test = networkDataset(spec, "test", input.testLimit);
  if (input.arithmetic === "float32" || input.bits === null) {
    if (input.arithmetic !== "float32" || input.bits !== null || input.fineTuned)
      throw new Error(
        `float32 points have bits null and fineTuned false (got ${input.arithmetic}, ${input.bits}, ${input.fineTuned})`,
      );
    const t = performance.now();
    const r = evaluateQuantized(quantizeCalibrated(net, quantConfigOf(input, "float32", 8)), test.images, test.labels);
    return { ...r, evalSeconds: (performance.now() - t) / 1000, fineTuneSeconds: null, fineTuneLog: null };
  }
  let qnet = quantizeCalibrated(net, quantConfigOf(input, input.arithmetic, input.bits));
  let fineTuneSeconds: number | null = null;
  let fineTuneLog: FineTuneEpochLog[] | null = null;
  if (input.fineTuned) {
    if (!input.recipe)
      throw new Error(`fineTuned point ${input.network}/${input.arithmetic}/${input.bits} has no recipe`);
    const name = fineTunedName(input.network, input.arithmetic, input.bits, input.bits);
    const saved = input.fineTunedDir ? loadFineTuned(input.fineTunedDir, name) : null;
    if (saved && JSON.stringify(saved.training.recipe) === JSON.stringify(input.recipe)) {
      qnet = quantizeNetwork(net.spec, saved.weights, net.stats, saved.training.quantConfig);
      fineTuneLog = null;
    } else {
      const t = performance.now();
      const ft = fineTuneFor(net, input, input.arithmetic, input.bits, input.recipe);
      fineTuneSeconds = (performance.now() - t) / 1000;
      fineTuneLog = ft.log;
      qnet = quantizeNetwork(net.spec, ft.weights, net.stats, ft.config);
      if (input.fineTunedDir) {
        const acc = evaluateQuantized(qnet, test.images, test.labels);
        saveFineTuned(
          input.fineTunedDir,
          name,
          net.spec,
          input.recipe.seed,
          {
            kind: input.arithmetic === "fixed" ? "quantisation-aware-training" : "sc-aware-fine-tuning",
            network: input.network,
            arithmetic: input.arithmetic,
            bitsW: input.bits,
            bitsA: input.bits,
            quantConfig: ft.config,
            recipe: input.recipe,
            log: deterministicLog(ft.log),
            command:
              "pnpm study accuracy-vs-precision (fine-tuned points; see studies/accuracy-vs-precision/README.md)",
          },
          ft.weights,
          { test: acc.accuracy, dataset: spec.dataset, testImages: acc.total },
        );
      }
    }
  }
  const t = performance.now();
  const r = evaluateQuantized(qnet, test.images, test.labels);
  return { ...r, evalSeconds: (performance.now() - t) / 1000, fineTuneSeconds, fineTuneLog };
}
