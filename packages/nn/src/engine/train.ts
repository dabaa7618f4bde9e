/**
 * Minibatch training with data-parallel shards.
 *
 * Each minibatch (seeded shuffle per epoch) is cut into `shards` contiguous pieces (default 2).
 * Every shard's gradient is computed from the same parameters by `computeShard` (batchnorm uses
 * per-shard batch statistics, as data-parallel training without synchronised batchnorm does);
 * the main thread adds the shard gradients weighted by shard size in shard order, averages the
 * running statistics the same way, and takes one optimiser step. Shards run on `threads` threads
 * (the main thread plus worker_threads replicas; default min(shards, CPU count)).
 *
 * Determinism: the weights after training are a function of (spec, initial weights, data,
 * config.seed, config.shards, kernels) — byte for byte — and do NOT depend on `threads`, because
 * a shard computes the same thing wherever it runs and the reduction order is fixed. Changing
 * `shards` changes the results (batchnorm statistics, summation order).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import cliProgress from "cli-progress";
import type { KernelName } from "./gemm.ts";
import { softmaxCrossEntropy } from "./loss.ts";
import type { Model } from "./model.ts";
import { createOptimizer, type OptimizerConfig } from "./optimizer.ts";
import { Rng } from "./prng.ts";
import { learningRate, type LrSchedule } from "./schedule.ts";
import { computeShard, type ShardInput, type ShardResult } from "./shard.ts";
import { Tensor, shapeSize } from "./tensor.ts";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./train-worker.ts";

export interface TrainData {
  /** NCHW images, count × product(spec.input) values. */
  images: Float32Array;
  labels: ArrayLike<number>;
  count: number;
}

export interface HooksModule {
  /** Module URL (file:// or absolute path URL) imported by each worker. */
  url: string;
  /** Export called as `fn(model, args)` to install hooks on the worker's replica; default "installHooks". */
  exportName?: string;
  /** JSON-serialisable arguments passed to the export. */
  args?: unknown;
}

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  schedule?: LrSchedule;
  /** Seed of shuffling and dropout masks. */
  seed: number;
  /** Gradient shards per minibatch (default 2); part of the result's identity. */
  shards?: number;
  /** Threads computing shards (default min(shards, CPU count)); does not change results. */
  threads?: number;
  /** Drop the last partial batch of an epoch (default true); false trains on it too. */
  dropLast?: boolean;
  /** Progress bar on stderr (default: when stderr is a TTY). */
  progress?: boolean;
  /** Kernels for this run: sets model.kernels and those of the worker replicas (default: the model's). */
  kernels?: KernelName;
  /** Evaluated after each epoch when given. */
  validation?: TrainData;
  /** Installs hooks in worker replicas (see hooks.ts); without it a hooked model trains on one thread. */
  hooksModule?: HooksModule;
  /** Stop after this many optimiser steps in total (smoke tests, benchmarks). */
  maxSteps?: number;
  onEpoch?: (record: EpochRecord) => void;
}

export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  steps: number;
  images: number;
  /** Mean training loss and accuracy over the epoch's minibatches (train mode). */
  loss: number;
  accuracy: number;
  /** Learning rate of the epoch's last step. */
  lr: number;
  seconds: number;
  imagesPerSecond: number;
  validationAccuracy?: number;
  validationLoss?: number;
}

export interface TrainHistory {
  epochs: EpochRecord[];
  shards: number;
  threads: number;
  kernels: KernelName;
  seconds: number;
}

export interface EvaluateResult {
  accuracy: number;
  loss: number;
  count: number;
}

function checkData(model: Model, data: TrainData, what: string): void {
  const per = shapeSize(model.spec.input);
  if (!Number.isInteger(data.count) || data.count < 0)
    throw new Error(`${what}.count: expected a non-negative integer, got ${data.count}`);
  if (data.images.length !== data.count * per)
    throw new Error(`${what}.images: ${data.images.length} values, expected count·${per} = ${data.count * per}`);
  if (data.labels.length !== data.count)
    throw new Error(`${what}.labels: ${data.labels.length} labels, expected ${data.count}`);
}

/** Eval-mode accuracy and mean loss. */
export function evaluate(model: Model, data: TrainData, options: { batchSize?: number } = {}): EvaluateResult {
  checkData(model, data, "data");
  const bs = options.batchSize ?? 256,
    per = shapeSize(model.spec.input);
  let correct = 0,
    lossSum = 0;
  for (let start = 0; start < data.count; start += bs) {
    const n = Math.min(bs, data.count - start);
    const x = new Tensor([n, ...model.spec.input], data.images.subarray(start * per, (start + n) * per));
    const labels = Int32Array.from({ length: n }, (_, i) => data.labels[start + i]);
    const r = softmaxCrossEntropy(model.forward(x), labels);
    correct += r.correct;
    lossSum += r.loss * n;
  }
  return {
    accuracy: data.count ? correct / data.count : 0,
    loss: data.count ? lossSum / data.count : 0,
    count: data.count,
  };
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`config.${name}: expected a positive integer, got ${v}`);
  return v;
}

/**
 * A training worker. Workers are kept in a pool between `train` calls (unref'ed while idle, so
 * they never keep the process alive) because starting one costs about 0.2–0.5 s (tsx, JIT).
 */
class WorkerHandle {
  readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  broken = false;

  constructor() {
    this.worker = new Worker(new URL("./train-worker.mjs", import.meta.url));
    this.worker.on("message", (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.type === "error") p.reject(new Error(m.message));
      else p.resolve(m);
    });
    const fail = (e: Error): void => {
      this.broken = true;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`training worker exited (code ${code})`)));
  }

  request(msg: DistributiveOmit<WorkerRequest, "id">): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id } as WorkerRequest);
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const idleWorkers: WorkerHandle[] = [];

async function acquireWorker(init: WorkerInit): Promise<WorkerHandle> {
  const handle = idleWorkers.pop() ?? new WorkerHandle();
  handle.worker.ref();
  try {
    await handle.request({ type: "init", ...init });
  } catch (e) {
    await handle.worker.terminate();
    throw new Error(`training worker failed to start: ${(e as Error).message}`);
  }
  return handle;
}

async function releaseWorker(handle: WorkerHandle, ok: boolean): Promise<void> {
  if (!ok || handle.broken) {
    await handle.worker.terminate();
    return;
  }
  handle.worker.unref();
  idleWorkers.push(handle);
}

/** Terminates the idle training workers kept for reuse (optional: they never block exit). */
export async function closeTrainingWorkers(): Promise<void> {
  const all = idleWorkers.splice(0);
  await Promise.all(all.map((h) => h.worker.terminate()));
}

/** Trains `model` in place and returns the per-epoch history. */
export async function train(model: Model, data: TrainData, config: TrainConfig): Promise<TrainHistory> {
  checkData(model, data, "data");
  if (config.validation) checkData(model, config.validation, "config.validation");
  const epochs = positiveInt("epochs", config.epochs);
  const batchSize = positiveInt("batchSize", config.batchSize);
  const shards = positiveInt("shards", config.shards ?? 2);
  if (shards > batchSize) throw new Error(`config.shards: ${shards} shards exceed batchSize ${batchSize}`);
  let threads = positiveInt("threads", config.threads ?? Math.min(shards, availableParallelism()));
  threads = Math.min(threads, shards);
  if (model.hasHooks() && !config.hooksModule) threads = 1;
  if (config.kernels) model.setKernels(config.kernels);
  const dropLast = config.dropLast ?? true;
  const optimizer = createOptimizer(config.optimizer);
  const per = shapeSize(model.spec.input);
  const stepsPerEpoch = dropLast ? Math.floor(data.count / batchSize) : Math.ceil(data.count / batchSize);
  if (stepsPerEpoch === 0)
    throw new Error(`config.batchSize: ${batchSize} exceeds the ${data.count} training images (dropLast)`);
  const totalSteps = Math.min(epochs * stepsPerEpoch, config.maxSteps ?? Infinity);
  const seed = config.seed;
  new Rng(seed); // validates the seed

  const workers: WorkerHandle[] = [];
  const showProgress = config.progress ?? process.stderr.isTTY === true;
  const bar = showProgress
    ? new cliProgress.SingleBar(
        {
          format:
            "epoch {epoch}/{epochs} |{bar}| batch {value}/{total} | loss {loss} | {ips} img/s | ETA {eta_formatted}",
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const history: TrainHistory = { epochs: [], shards, threads, kernels: model.kernels.name, seconds: 0 };
  const t0 = performance.now();
  let ok = false;
  try {
    for (let w = 1; w < threads; w++) {
      workers.push(
        await acquireWorker({ spec: model.spec, kernels: model.kernels.name, hooksModule: config.hooksModule }),
      );
    }
    let step = 0;
    for (let epoch = 0; epoch < epochs && step < totalSteps; epoch++) {
      const order = new Rng(seed, 0x73687566, epoch).shuffle(Int32Array.from({ length: data.count }, (_, i) => i));
      const te = performance.now();
      let lossSum = 0,
        correct = 0,
        seen = 0,
        stepsThisEpoch = 0,
        lr = 0;
      const stepsHere = Math.min(stepsPerEpoch, totalSteps - step);
      bar?.start(stepsHere, 0, { epoch: epoch + 1, epochs, loss: "-", ips: "-" });
      for (let b = 0; b < stepsHere; b++, step++) {
        const start = b * batchSize,
          B = Math.min(batchSize, data.count - start);
        const nShards = Math.min(shards, B);
        const inputs: ShardInput[] = [];
        for (let s = 0; s < nShards; s++) {
          const lo = start + Math.floor((s * B) / nShards),
            hi = start + Math.floor(((s + 1) * B) / nShards);
          const images = new Float32Array((hi - lo) * per),
            labels = new Int32Array(hi - lo);
          for (let i = lo; i < hi; i++) {
            const src = order[i];
            images.set(data.images.subarray(src * per, (src + 1) * per), (i - lo) * per);
            labels[i - lo] = data.labels[src];
          }
          inputs.push({ images, labels, rngSeed: seed, rngStreams: [0x64726f70, epoch, b, s] });
        }
        const params = model.paramData.slice(),
          buffers = model.bufferData.slice();
        const results: (ShardResult | null)[] = new Array(nShards).fill(null);
        const waits: Promise<void>[] = [];
        for (let w = 1; w < threads; w++) {
          const mine = inputs.map((_, s) => s).filter((s) => s % threads === w);
          if (!mine.length) continue;
          waits.push(
            workers[w - 1]
              .request({ type: "step", params, buffers, shards: mine.map((s) => inputs[s]) })
              .then((reply) => {
                if (reply.type !== "step") throw new Error(`training worker: unexpected reply ${reply.type}`);
                mine.forEach((s, i) => {
                  results[s] = reply.results[i];
                });
              }),
          );
        }
        for (let s = 0; s < nShards; s += threads) results[s] = computeShard(model, params, buffers, inputs[s]);
        await Promise.all(waits);
        // Fixed-order reduction: weights by shard size, shard 0 first.
        const done = results as ShardResult[];
        reduceShards(model.gradData, done, "grad", B);
        reduceShards(model.bufferData, done, "buffers", B);
        const grad = model.gradData;
        let stepLoss = 0;
        for (const r of done) {
          stepLoss += r.lossSum;
          correct += r.correct;
        }
        model.paramData.set(params);
        lr = learningRate(config.optimizer.lr, config.schedule, { epoch, step, stepsPerEpoch, epochs });
        optimizer.step(model.paramData, grad, lr);
        lossSum += stepLoss;
        seen += B;
        stepsThisEpoch++;
        if (bar) {
          const secs = (performance.now() - te) / 1000;
          bar.update(b + 1, { loss: (stepLoss / B).toFixed(4), ips: (seen / secs).toFixed(0) });
        }
      }
      bar?.stop();
      const seconds = (performance.now() - te) / 1000;
      const record: EpochRecord = {
        epoch: epoch + 1,
        steps: stepsThisEpoch,
        images: seen,
        loss: lossSum / seen,
        accuracy: correct / seen,
        lr,
        seconds,
        imagesPerSecond: seen / seconds,
      };
      if (config.validation) {
        const v = evaluate(model, config.validation);
        record.validationAccuracy = v.accuracy;
        record.validationLoss = v.loss;
      }
      history.epochs.push(record);
      config.onEpoch?.(record);
    }
    ok = true;
  } finally {
    bar?.stop();
    await Promise.all(workers.map((w) => releaseWorker(w, ok)));
  }
  history.seconds = (performance.now() - t0) / 1000;
  return history;
}

/**
 * out[i] = Σ over shards in order of (count/B)·shard[key][i], each partial sum rounded to float32
 * as it is stored: the same floats as zeroing `out` and adding the shards one pass each, in one
 * pass over memory (the step's serial part; the other thread waits for it).
 */
export function reduceShards(out: Float32Array, shards: ShardResult[], key: "grad" | "buffers", B: number): void {
  const n = out.length;
  if (shards.length === 2) {
    const a = shards[0]![key],
      b = shards[1]![key];
    const fa = shards[0]!.count / B,
      fb = shards[1]!.count / B;
    for (let i = 0; i < n; i++) out[i] = Math.fround(0 + fa * a[i]!) + fb * b[i]!;
    return;
  }
  out.fill(0);
  for (const r of shards) {
    const f = r.count / B,
      src = r[key];
    for (let i = 0; i < n; i++) out[i] += f * src[i]!;
  }
}

/**
 * The JSON-serialisable part of a training configuration, for checkpoint headers: callbacks
 * dropped, validation data replaced by its image count, `threads` dropped (it does not change
 * results), `shards` made explicit.
 */
export function describeTrainConfig(config: TrainConfig): Record<string, unknown> {
  const { onEpoch: _onEpoch, validation, threads: _threads, progress: _progress, ...rest } = config;
  const out: Record<string, unknown> = { ...rest, shards: config.shards ?? 2, dropLast: config.dropLast ?? true };
  if (validation) out.validationImages = validation.count;
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}
