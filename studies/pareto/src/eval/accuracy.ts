import {
  calibrateNetwork,
  evaluateQuantized,
  quantizeNetwork,
  type Arithmetic,
  type CalibratedNetwork,
  type CalibrationMethod,
  type QuantConfig,
} from "@sccnn/nn";
import { hardwareWeights, networkDataset } from "@sccnn/zoo";

/** What one accuracy depends on (the cache key of the "accuracy" kind): no array size, b or scenario. */
export interface AccuracyInput {
  network: string;
  /** Version of the network package's source (zoo networkPackageDirs; set by the study, part of the key only). */
  networkSource?: string;
  arithmetic: Arithmetic;
  /** Weight and activation magnitude bits; null for float32. */
  bits: number | null;
  fineTuned: boolean;
  /** Fine-tuned checkpoint file in packages/zoo/weights/finetuned/ (null: the zoo's trained weights). */
  weightsPath: string | null;
  /** SHA-256 of the checkpoint the point runs with (trained or fine-tuned). */
  weightsSha256: string;
  /** SHA-256 of the trained checkpoint (calibration statistics come from it). */
  trainedSha256: string;
  testLimit: number;
  /** First images of the validation split scored (operating points are chosen on them). */
  validationLimit: number;
  /** First images of the validation split used for calibration. */
  calibrationImages: number;
  calibration: "max" | "percentile" | "mse";
  percentile: number;
  perChannel: boolean;
  /** File network: absolute path of its .onnx / .ckpt file (absent for zoo ids). */
  ref?: string;
}

export interface AccuracyValue {
  /** Test accuracy, 0…1. */
  accuracy: number;
  correct: number;
  total: number;
  /** Validation-split accuracy, 0…1 (the last 5 000 training images). */
  validationAccuracy: number;
  validationCorrect: number;
  validationTotal: number;
}

export function calibrationMethod(input: Pick<AccuracyInput, "calibration" | "percentile">): CalibrationMethod {
  return input.calibration === "percentile"
    ? { kind: "percentile", percentile: input.percentile }
    : { kind: input.calibration };
}

/** The trained network, batch norm folded and calibrated on the first validation-split images (memoised per worker). */
const calibrated = new Map<string, CalibratedNetwork>();
function calibratedNetwork(network: string, calibrationImages: number, ref?: string): CalibratedNetwork {
  const key = `${ref ?? network}/${calibrationImages}`;
  let net = calibrated.get(key);
  if (!net) {
    const { spec, weights } = hardwareWeights({ network, path: null, ...(ref !== undefined ? { ref } : {}) });
    net = calibrateNetwork(spec, weights, networkDataset(spec, "validation", calibrationImages).images);
    calibrated.set(key, net);
  }
  return net;
}

/**
 * The quantisation config of a point: the study's settings at N, or, for fine-tuned weights, the
 * config the fine-tuning pinned (its activation clips), which must be for the same arithmetic and N.
 */
export function quantConfigOf(input: AccuracyInput, pinned: QuantConfig | null): QuantConfig {
  const bits = input.bits ?? 8;
  if (pinned) {
    if (pinned.arithmetic !== input.arithmetic || pinned.bitsW !== bits || pinned.bitsA !== bits) {
      throw new Error(
        `${input.weightsPath}: fine-tuned for ${pinned.arithmetic} w${pinned.bitsW}a${pinned.bitsA}, the point is ${input.arithmetic} w${bits}a${bits}`,
      );
    }
    return pinned;
  }
  return {
    arithmetic: input.arithmetic,
    bitsW: bits,
    bitsA: bits,
    perChannel: input.perChannel,
    calibration: calibrationMethod(input),
  };
}

/** The dse evaluator: test accuracy of one (network, arithmetic, N, weights) point with the nn quantised runtime. */
export function evaluateAccuracy(input: AccuracyInput): AccuracyValue {
  if ((input.arithmetic === "float32") !== (input.bits === null))
    throw new Error(
      `accuracy point: bits must be null exactly for float32 (got ${input.arithmetic}, bits ${String(input.bits)})`,
    );
  if (input.fineTuned !== (input.weightsPath !== null))
    throw new Error(`accuracy point: fineTuned (${input.fineTuned}) needs a weightsPath and only then`);
  const net = calibratedNetwork(input.network, input.calibrationImages, input.ref);
  const w =
    input.weightsPath === null
      ? { spec: net.spec, weights: net.weights, quantConfig: null }
      : hardwareWeights({ network: input.network, path: input.weightsPath });
  const qnet = quantizeNetwork(w.spec, w.weights, net.stats, quantConfigOf(input, w.quantConfig));
  const test = networkDataset(net.spec, "test", input.testLimit);
  const r = evaluateQuantized(qnet, test.images, test.labels);
  const val = networkDataset(net.spec, "validation", input.validationLimit);
  const v = evaluateQuantized(qnet, val.images, val.labels);
  return {
    accuracy: r.accuracy,
    correct: r.correct,
    total: r.total,
    validationAccuracy: v.accuracy,
    validationCorrect: v.correct,
    validationTotal: v.total,
  };
}
