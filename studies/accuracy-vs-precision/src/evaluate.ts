import { performance } from "node:perf_hooks";
import { isDeepStrictEqual } from "node:util";
import {
  compensateScBias,
  evaluateQuantized,
  quantizeCalibrated,
  quantizeNetwork,
  type Arithmetic,
  type QuantizedNetwork,
} from "@sccnn/nn";
import { calibratedZooNetwork, loadArithmeticCheckpoint, quantConfigOf, type QuantSettings } from "@sccnn/zoo";
import { getNetwork as networkSpec, networkDataset as dataset } from "@sccnn/zoo";

/**
 * How a point's weights come about:
 * - "float": the zoo's float32 checkpoint, unquantised;
 * - "ptq": post-training quantisation of the float checkpoint;
 * - "ptq+comp": the same, plus SC bias compensation (per-channel accumulator presets measured
 *   on the calibration images of the validation split);
 * - "trained": the committed checkpoint trained with the arithmetic in the loop (QAT for fixed,
 *   SC-aware for sc-*), packages/zoo/weights/finetuned/, for `seed`.
 */
export type Method = "float" | "ptq" | "ptq+comp" | "trained";

export interface AccuracyInput extends QuantSettings {
  network: string;
  arithmetic: Arithmetic;
  /** null for float32. */
  bits: number | null;
  method: Method;
  /** Training seed of a "trained" point; null otherwise. */
  seed: number | null;
  testLimit: number;
  validationLimit: number;
  /**
   * "trained" points: the run also evaluates the "ptq" point of the same network, arithmetic and
   * N (its twin). A checkpoint whose quantised network is the twin's (early stopping kept period 0,
   * the post-training-quantised start) is then not evaluated again: its value says so.
   */
  ptqTwin?: boolean;
}

/**
 * A "trained" point whose quantised network equals its "ptq" twin's (same weights, clips and
 * settings): not evaluated; the study takes the twin's counts.
 */
export interface SameAsPtq {
  sameAsPtq: true;
  trainedPeriod: number;
  evalSeconds: number;
}

export interface AccuracyValue {
  testCorrect: number;
  testTotal: number;
  validationCorrect: number;
  validationTotal: number;
  /** "trained": the period whose weights the checkpoint kept (0 = the post-training-quantised start). */
  trainedPeriod: number | null;
  evalSeconds: number;
}

/**
 * Whether two quantised networks run the same computation: equal spec, layers (integer weights,
 * scales, clips) and float weights, and equal config apart from `layers` (a checkpoint's pinned
 * per-layer clips, which the layers already hold).
 */
export function sameQuantizedNetwork(a: QuantizedNetwork, b: QuantizedNetwork): boolean {
  const { layers: _a, ...ca } = a.config;
  const { layers: _b, ...cb } = b.config;
  return (
    isDeepStrictEqual(ca, cb) &&
    isDeepStrictEqual(a.spec, b.spec) &&
    isDeepStrictEqual(a.layers, b.layers) &&
    isDeepStrictEqual(a.floatWeights, b.floatWeights)
  );
}

function pointNetwork(input: AccuracyInput): { qnet: QuantizedNetwork; trainedPeriod: number | null } {
  const net = calibratedZooNetwork(input.network, input);
  if (input.method === "float" || input.bits === null) {
    if (input.arithmetic !== "float32" || input.bits !== null || input.method !== "float")
      throw new Error(
        `float32 points have bits null and method "float" (got ${input.arithmetic}, ${input.bits}, ${input.method})`,
      );
    return { qnet: quantizeCalibrated(net, quantConfigOf(input, "float32", 8)), trainedPeriod: null };
  }
  if (input.method === "trained") {
    const seed = input.seed ?? 1;
    const ck = loadArithmeticCheckpoint(input.network, input.arithmetic, input.bits, seed);
    if (!ck)
      throw new Error(
        `no trained checkpoint for ${input.network} ${input.arithmetic} N = ${input.bits} seed ${seed}; make it with \`pnpm train ${input.network} --arithmetic ${input.arithmetic} --bits ${input.bits}${seed === 1 ? "" : ` --seed ${seed}`}\``,
      );
    return {
      qnet: quantizeNetwork(net.spec, ck.weights, net.stats, ck.training.quantConfig),
      trainedPeriod: ck.training.bestPeriod,
    };
  }
  const qnet = quantizeCalibrated(net, quantConfigOf(input, input.arithmetic, input.bits));
  if (input.method === "ptq") return { qnet, trainedPeriod: null };
  const calib = dataset(networkSpec(input.network), "validation", input.calibrationImages);
  return { qnet: compensateScBias(qnet, calib.images).qnet, trainedPeriod: null };
}

/** The dse evaluator: validation and test accuracy of one (network, arithmetic, N, method, seed) point. */
export async function evaluateAccuracy(input: AccuracyInput): Promise<AccuracyValue | SameAsPtq> {
  const spec = networkSpec(input.network);
  const { qnet, trainedPeriod } = pointNetwork(input);
  const t = performance.now();
  if (input.method === "trained" && input.ptqTwin === true && trainedPeriod !== null) {
    const twin = pointNetwork({ ...input, method: "ptq", seed: null, ptqTwin: false }).qnet;
    if (sameQuantizedNetwork(qnet, twin))
      return { sameAsPtq: true, trainedPeriod, evalSeconds: (performance.now() - t) / 1000 };
  }
  const val = dataset(spec, "validation", input.validationLimit);
  const test = dataset(spec, "test", input.testLimit);
  const v = evaluateQuantized(qnet, val.images, val.labels);
  const r = evaluateQuantized(qnet, test.images, test.labels);
  return {
    testCorrect: r.correct,
    testTotal: r.total,
    validationCorrect: v.correct,
    validationTotal: v.total,
    trainedPeriod,
    evalSeconds: (performance.now() - t) / 1000,
  };
}
