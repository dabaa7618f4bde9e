import type { LayerPrecision } from "@sccnn/cost";
import { designQuantLayers } from "@sccnn/cost";
import type { Dataset } from "@sccnn/datasets";
import {
  calibrateNetwork,
  evaluateQuantized,
  quantizeCalibrated,
  type Arithmetic,
  type CalibratedNetwork,
} from "@sccnn/nn";
import { getNetwork, loadTrainedWeights, networkDataset } from "@sccnn/zoo";

/**
 * Which images a point is scored on: `validation` = the first `images` of the zoo's held-out
 * validation split (the last 5 000 training images, never used by the arithmetic-in-the-loop
 * trainings; `networkDataset(spec, "validation")`, as pareto), `test` = the first `images` test
 * images. Activations are calibrated on the first `calibrationImages` of the validation split (as
 * pareto does, so a uniform design here and pareto's point of the same N are one network). Every
 * choice of the study is made on validation, every reported number on test.
 */
export type SplitName = "validation" | "test";

/** What one accuracy depends on (the cache key of the "accuracy" kind). */
export interface AccuracyInput {
  network: string;
  /** float32, or the arithmetic of every conv/linear layer. */
  arithmetic: Arithmetic;
  /** Per-layer precision (null for float32). */
  layers: LayerPrecision[] | null;
  split: SplitName;
  images: number;
  calibrationImages: number;
  calibration: "max" | "mse";
  perChannel: boolean;
  /** zoo trainedWeightsHash of this network's checkpoint (part of the cache key; a network's points survive another's retraining). */
  weightsSha256: string;
  /** Version of the network package's source (codeVersion of none for a built-in network): part of the key only. */
  networkSource: string;
}

export interface AccuracyValue {
  correct: number;
  total: number;
}

/** The images of a split (memoised by networkDataset per worker); refuses more than the split holds. */
export function splitImages(spec: { id: string; dataset: string }, split: SplitName, images: number): Dataset {
  const s = getNetwork(spec.id);
  const d = networkDataset(s, split, images);
  if (d.count < images)
    throw new RangeError(
      `${split === "test" ? "testLimit" : "validationImages"} (${images}) exceeds the ${d.count} ${split} images of ${spec.dataset}`,
    );
  return d;
}

const calibrated = new Map<string, CalibratedNetwork>();
function calibratedNetwork(network: string, calibrationImages: number): CalibratedNetwork {
  const key = `${network}/${calibrationImages}`;
  let c = calibrated.get(key);
  if (!c) {
    const spec = getNetwork(network);
    c = calibrateNetwork(
      spec,
      loadTrainedWeights(network).weights,
      networkDataset(spec, "validation", calibrationImages).images,
    );
    calibrated.set(key, c);
  }
  return c;
}

/** The dse evaluator: correct / total of one design's network on one split, with nn's quantised runtime (bit-exact BISC for sc-bisc). */
export function evaluateAccuracy(input: AccuracyInput): AccuracyValue {
  if ((input.arithmetic === "float32") !== (input.layers === null))
    throw new RangeError(`accuracy point: layers must be null exactly for float32 (got ${input.arithmetic})`);
  const net = calibratedNetwork(input.network, input.calibrationImages);
  const data = splitImages(net.spec, input.split, input.images);
  const maxBits = input.layers === null ? 8 : Math.max(...input.layers.map((l) => Math.max(l.bitsW, l.bitsA)));
  const qnet = quantizeCalibrated(net, {
    arithmetic: input.arithmetic,
    bitsW: maxBits,
    bitsA: maxBits,
    perChannel: input.perChannel,
    calibration: { kind: input.calibration },
    ...(input.layers === null ? {} : { layers: designQuantLayers({ layers: input.layers }) }),
  });
  const r = evaluateQuantized(qnet, data.images, data.labels);
  return { correct: r.correct, total: r.total };
}
