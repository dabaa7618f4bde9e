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
 * Which images a point is scored on: `validation` = the `images` training images right after the
 * first `calibrationImages` (which calibrate the activations), `test` = the first `images` of the
 * test set. Every choice of the study is made on validation, every reported number on test. The
 * zoo checkpoints were trained on the whole training set, so validation is held out from
 * calibration and from the test set, not from training.
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
}

export interface AccuracyValue {
  correct: number;
  total: number;
}

/** The images of a split (memoised by networkDataset per worker). */
export function splitImages(
  spec: { id: string; dataset: string },
  split: SplitName,
  images: number,
  calibrationImages: number,
): Dataset {
  const s = getNetwork(spec.id);
  if (split === "test") return networkDataset(s, "test", images);
  const train = networkDataset(s, "train", calibrationImages + images);
  const n = train.labels.length;
  if (n < calibrationImages + images)
    throw new RangeError(
      `validationImages (${images}) + calibrationImages (${calibrationImages}) exceed the ${n} training images of ${spec.dataset}`,
    );
  const pixels = train.images.length / n;
  return {
    ...train,
    images: train.images.subarray(calibrationImages * pixels),
    labels: train.labels.subarray(calibrationImages),
    count: n - calibrationImages,
  };
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
      networkDataset(spec, "train", calibrationImages).images,
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
  const data = splitImages(net.spec, input.split, input.images, input.calibrationImages);
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
