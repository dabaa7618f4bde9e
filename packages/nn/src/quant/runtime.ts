import type { NetworkSpec } from "../spec.ts";
import { wasmBackend, type IntegerBackend } from "./backend.ts";
import { collectActivationStats, type ActivationStats } from "./calibrate.ts";
import { foldBatchNorm, type FoldedNetwork } from "./fold.ts";
import { runIntChain, tryPlanIntChain } from "./int-chain.ts";
import type { Act } from "./float-ops.ts";
import { quantizedLayerForward } from "./layer-forward.ts";
import { quantizeNetwork, type QuantConfig, type QuantizedNetwork } from "./quantized-network.ts";
import { walkLayers } from "./walk.ts";

export interface RunOptions {
  /** Integer kernels for fixed/SC layers (default sc-core's WebAssembly SIMD kernels). */
  backend?: IntegerBackend;
  batchSize?: number;
  /** Called after each batch with (images done, total). */
  onBatch?: (done: number, total: number) => void;
}

/** Logits [n, classes] of a quantised network over `images` (n × C×H×W, flat float). */
export function runQuantized(qnet: QuantizedNetwork, images: Float32Array, opts: RunOptions = {}): Float32Array {
  const [C, H, W] = qnet.spec.input;
  const per = C * H * W;
  if (images.length % per !== 0)
    throw new RangeError(
      `runQuantized: images length ${images.length} is not a multiple of ${per} (input ${qnet.spec.input})`,
    );
  const n = images.length / per;
  const backend = opts.backend ?? wasmBackend;
  const batchSize = opts.batchSize ?? 100;
  const classes = qnet.spec.classes;
  const logits = new Float32Array(n * classes);
  const sc = { lfsrSeed: qnet.config.lfsrSeed, lfsrSeedW: qnet.config.lfsrSeedW };
  for (let s = 0; s < n; s += batchSize) {
    const b = Math.min(batchSize, n - s);
    const x: Act = { data: images.subarray(s * per, (s + b) * per), shape: [b, C, H, W] };
    const y = walkLayers(
      qnet.spec.layers,
      x,
      (layer, a) => {
        const q = qnet.layers[layer.name];
        if (!q) throw new RangeError(`runQuantized: layer ${layer.name} is not in the quantised network`);
        return quantizedLayerForward(q, a, backend, sc);
      },
      { weights: qnet.floatWeights },
    );
    if (y.data.length !== b * classes)
      throw new RangeError(
        `runQuantized: network output has ${y.data.length / b} values per image, spec says ${classes} classes`,
      );
    logits.set(y.data, s * classes);
    opts.onBatch?.(s + b, n);
  }
  return logits;
}

export function argmaxRows(logits: Float32Array, classes: number): Int32Array {
  const n = logits.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

export interface AccuracyResult {
  /** Fraction correct, 0…1. */
  accuracy: number;
  correct: number;
  total: number;
}

export function accuracyOf(logits: Float32Array, labels: ArrayLike<number>, classes: number): AccuracyResult {
  const pred = argmaxRows(logits, classes);
  if (pred.length !== labels.length)
    throw new RangeError(`accuracyOf: ${pred.length} predictions for ${labels.length} labels`);
  let correct = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) correct++;
  return { accuracy: correct / pred.length, correct, total: pred.length };
}

export function evaluateQuantized(
  qnet: QuantizedNetwork,
  images: Float32Array,
  labels: ArrayLike<number>,
  opts: RunOptions = {},
): AccuracyResult {
  // Without a per-batch callback, a network the int-chain runtime takes runs on it, with the given
  // backend (a fault injector included: the same calls in the same order): bit-identical logits to
  // runQuantized (int-chain.ts, tested), 1.4–2.5x faster on LeNet-5 / the Fashion CNN (integers
  // stay integers between layers). onBatch, or a network it does not take, runs the reference path.
  const plan = opts.onBatch === undefined ? tryPlanIntChain(qnet) : null;
  const logits =
    plan === null
      ? runQuantized(qnet, images, opts)
      : runIntChain(plan, images, { batchSize: opts.batchSize, ...(opts.backend ? { backend: opts.backend } : {}) });
  return accuracyOf(logits, labels, qnet.spec.classes);
}

/** A folded network with its calibration statistics: quantise it at any widths/arithmetic. */
export interface CalibratedNetwork extends FoldedNetwork {
  stats: Record<string, ActivationStats>;
}

/**
 * Folds batch norm and records activation statistics on `calibrationImages` (a training subset).
 * Statistics do not depend on bit widths, so one calibration serves every configuration.
 */
export function calibrateNetwork(
  spec: NetworkSpec,
  weights: Record<string, Float32Array>,
  calibrationImages: Float32Array,
  opts: { bnEps?: number; batchSize?: number; sampleSize?: number } = {},
): CalibratedNetwork {
  const folded = foldBatchNorm(spec, weights, opts.bnEps);
  const stats = collectActivationStats(folded.spec, folded.weights, calibrationImages, opts);
  return { ...folded, stats };
}

export function quantizeCalibrated(net: CalibratedNetwork, config: QuantConfig): QuantizedNetwork {
  return quantizeNetwork(net.spec, net.weights, net.stats, config);
}
