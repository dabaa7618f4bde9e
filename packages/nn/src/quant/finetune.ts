import type { KernelName } from "../engine/gemm.ts";
import { buildModel, type WeightRecord } from "../engine/model.ts";
import { softmaxCrossEntropy } from "../engine/loss.ts";
import { createOptimizer, type OptimizerConfig } from "../engine/optimizer.ts";
import { learningRate, type LrSchedule } from "../engine/schedule.ts";
import { Rng } from "../engine/prng.ts";
import { Tensor } from "../engine/tensor.ts";
import type { IntegerBackend } from "./backend.ts";
import { fineTuneHooksFor } from "./finetune-hooks.ts";
import type { QuantConfig, QuantizedNetwork } from "./quantized-network.ts";

export interface FineTuneOptions {
  /**
   * Training periods at most (an epoch each unless `periodImages` is set). With `validate`,
   * training stops early after `patience` periods without a better validation accuracy.
   */
  epochs: number;
  /** Images per period (default: the whole training set, i.e. periods are epochs). */
  periodImages?: number;
  /**
   * Validation accuracy (0…1) of the network quantised with (weights, config): called before
   * the first step (period 0, the post-training-quantised start) and after every period. The
   * returned weights are those of the best period (the earliest on ties).
   */
  validate?: (weights: WeightRecord, config: QuantConfig) => number;
  /** Periods without improvement before stopping (default: never stop early). */
  patience?: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  schedule?: LrSchedule;
  /** Seed of the batch order (and dropout masks). */
  seed: number;
  backend?: IntegerBackend;
  /** GEMM kernels of the float engine (default "wasm"); part of the result's identity (float rounding). */
  kernels?: KernelName;
  /** Called after every batch. */
  onBatch?: (p: { epoch: number; batch: number; batches: number; loss: number; imagesPerS: number }) => void;
}

export interface FineTuneEpochLog {
  /** 0-based period index (periods are epochs unless periodImages is set). */
  epoch: number;
  /** Mean training loss of the epoch (with the quantised / SC forward pass). */
  meanLoss: number;
  /** Training accuracy of the epoch, 0…1. */
  trainAccuracy: number;
  lr: number;
  seconds: number;
  /** Validation accuracy after the period (when `validate` is given). */
  validationAccuracy?: number;
}

export interface FineTuneResult {
  weights: WeightRecord;
  /** The configuration to quantise the fine-tuned weights with (activation clips pinned). */
  config: QuantConfig;
  log: FineTuneEpochLog[];
  /** Validation accuracy of the start (post-training quantisation), when `validate` is given. */
  startValidationAccuracy?: number;
  /** Periods completed after which the returned weights were taken (0 = the start), when `validate` is given. */
  bestPeriod?: number;
  bestValidationAccuracy?: number;
}

/**
 * Quantisation-aware (`fixed`) or SC-aware (`sc-*`) fine-tuning of a batch-norm-folded network:
 * the engine model of `qnet.spec` starts from `qnet`'s float weights, every conv/linear layer gets
 * `fineTuneHooks` (fake-quantised operands, SC forward for SC layers, straight-through backward),
 * and the model trains with softmax cross-entropy on `images`/`labels`. Activation clips stay those
 * of `qnet` (calibrated before fine-tuning) and are returned pinned in `config`.
 * Deterministic: single-threaded, batch order from `seed`; the last partial batch is dropped.
 */
export function fineTune(
  qnet: QuantizedNetwork,
  images: Float32Array,
  labels: ArrayLike<number>,
  opts: FineTuneOptions,
): FineTuneResult {
  const per = qnet.spec.input[0] * qnet.spec.input[1] * qnet.spec.input[2];
  const n = labels.length;
  if (images.length !== n * per)
    throw new RangeError(`fineTune: ${images.length} pixels for ${n} labels of ${per} pixels each`);
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1 || opts.batchSize > n)
    throw new RangeError(`fineTune: batchSize must be an integer in 1…${n}, got ${opts.batchSize}`);
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1)
    throw new RangeError(`fineTune: epochs must be a positive integer, got ${opts.epochs}`);
  const model = buildModel(qnet.spec, { seed: opts.seed, kernels: opts.kernels });
  const start: WeightRecord = {};
  for (const l of Object.values(qnet.layers)) {
    start[`${l.name}.weight`] = l.weight;
    start[`${l.name}.bias`] = l.bias;
  }
  model.loadWeights(start);
  for (const [name, hooks] of Object.entries(fineTuneHooksFor(qnet, { backend: opts.backend })))
    model.setLayerHooks(name, hooks);
  const opt = createOptimizer(opts.optimizer);
  const rng = new Rng(opts.seed, 0x66696e65);
  const periodImages = opts.periodImages ?? n;
  if (!Number.isInteger(periodImages) || periodImages < opts.batchSize)
    throw new RangeError(`fineTune: periodImages must be an integer ≥ batchSize, got ${opts.periodImages}`);
  const patience = opts.patience ?? Infinity;
  if (patience !== Infinity && (!Number.isInteger(patience) || patience < 1))
    throw new RangeError(`fineTune: patience must be a positive integer, got ${opts.patience}`);
  // periods are whole epochs by default (exactly the old behaviour: one shuffle per epoch, last
  // partial batch dropped); otherwise `periodImages / batchSize` steps drawn from a continuing
  // stream of shuffled passes over the data
  const batches =
    opts.periodImages === undefined ? Math.floor(n / opts.batchSize) : Math.floor(periodImages / opts.batchSize);
  const passBatches = Math.floor(n / opts.batchSize);
  const order = new Int32Array(n);
  let cursor = passBatches; // batches used of the current shuffled pass
  const reshuffle = (): void => {
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    cursor = 0;
  };
  const x = new Float32Array(opts.batchSize * per);
  const y = new Int32Array(opts.batchSize);
  const log: FineTuneEpochLog[] = [];
  const config = pinnedConfig(qnet);
  const snapshot = (): WeightRecord => {
    const w: WeightRecord = {};
    for (const [k, v] of Object.entries(model.weights)) w[k] = v.slice();
    return w;
  };
  let best: WeightRecord | null = null;
  let bestAcc = -1,
    bestPeriod = 0,
    startAcc: number | undefined;
  if (opts.validate) {
    startAcc = opts.validate(snapshot(), config);
    best = snapshot();
    bestAcc = startAcc;
  }
  let step = 0;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const t0 = performance.now();
    let lossSum = 0,
      correct = 0,
      lr = 0;
    for (let b = 0; b < batches; b++) {
      if (cursor >= passBatches) reshuffle();
      for (let i = 0; i < opts.batchSize; i++) {
        const idx = order[cursor * opts.batchSize + i];
        x.set(images.subarray(idx * per, (idx + 1) * per), i * per);
        y[i] = labels[idx];
      }
      cursor++;
      const out = model.forward(new Tensor([opts.batchSize, ...qnet.spec.input], x), { train: true });
      const r = softmaxCrossEntropy(out, y);
      model.zeroGrad();
      model.backward(r.grad);
      lr = learningRate(opts.optimizer.lr, opts.schedule, { epoch, step, stepsPerEpoch: batches, epochs: opts.epochs });
      opt.step(model.paramData, model.gradData, lr);
      step++;
      lossSum += r.loss;
      correct += r.correct;
      opts.onBatch?.({
        epoch,
        batch: b + 1,
        batches,
        loss: r.loss,
        imagesPerS: ((b + 1) * opts.batchSize) / ((performance.now() - t0) / 1000),
      });
    }
    const entry: FineTuneEpochLog = {
      epoch,
      meanLoss: lossSum / batches,
      trainAccuracy: correct / (batches * opts.batchSize),
      lr,
      seconds: (performance.now() - t0) / 1000,
    };
    log.push(entry);
    if (opts.validate) {
      const acc = opts.validate(snapshot(), config);
      entry.validationAccuracy = acc;
      if (acc > bestAcc) {
        bestAcc = acc;
        bestPeriod = epoch + 1;
        best = snapshot();
      } else if (epoch + 1 - bestPeriod >= patience) break;
    }
  }
  const weights: WeightRecord = best ?? snapshot();
  return opts.validate
    ? { weights, config, log, startValidationAccuracy: startAcc, bestPeriod, bestValidationAccuracy: bestAcc }
    : { weights, config, log };
}

/** qnet's quantisation config with the activation clips it was calibrated to pinned per layer. */
function pinnedConfig(qnet: QuantizedNetwork): QuantConfig {
  const layers: NonNullable<QuantConfig["layers"]> = {};
  for (const l of Object.values(qnet.layers)) {
    layers[l.name] = { ...(qnet.config.layers?.[l.name] ?? {}), aClip: l.aScale * (2 ** l.bitsA - 1) };
  }
  return { ...qnet.config, layers };
}
