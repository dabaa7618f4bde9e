/**
 * CIFAR-10 training and evaluation on the binary version's files ("cifar-10-batches-bin":
 * data_batch_1.bin … data_batch_5.bin, test_batch.bin; 3073-byte records of a label byte and
 * 32×32 red, green, blue planes), read by @sccnn/datasets and trained with the zoo's recipes
 * (vgg-small-cifar, resnet20-cifar) on the engine. The folder comes from `--cifar-dir`, else
 * $CIFAR10_DIR, else $SCCNN_CIFAR10_DIR (the datasets package's variable).
 */
import { Rng } from "@sccnn/sc-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CIFAR10_CLASSES, CIFAR10_DIR_ENV, CIFAR10_RECORD_BYTES, cifar10Files, loadDataset } from "@sccnn/datasets";
import { buildModel, evaluate, Tensor, type NetworkSpec, type WeightRecord } from "@sccnn/nn";
import { getZooEntry } from "./registry.ts";
import { trainNetwork, type TrainNetworkOptions, type TrainNetworkResult } from "./train-network.ts";

/** The variable a user sets to the CIFAR-10 binary folder (the datasets package's own is also read). */
export const CIFAR10_DIR_VARIABLE = "CIFAR10_DIR";

/** The CIFAR-10 folder: `explicit`, else $CIFAR10_DIR, else $SCCNN_CIFAR10_DIR; the error says how to give one. */
export function resolveCifar10Dir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = explicit || env[CIFAR10_DIR_VARIABLE] || env[CIFAR10_DIR_ENV];
  if (!dir) {
    throw new Error(
      `CIFAR-10 folder: none given; pass --cifar-dir <folder of ${[...cifar10Files("train"), ...cifar10Files("test")].join(", ")}> or set ${CIFAR10_DIR_VARIABLE} (or ${CIFAR10_DIR_ENV})`,
    );
  }
  return dir;
}

/**
 * Writes a small CIFAR-10 folder in the binary format for tests: `trainPerFile` records in each
 * of the 5 training files and `test` records in test_batch.bin, labels cycling 0…9, pixels from
 * sc-core's Rng (top byte of each draw). Returns the folder.
 */
export function writeCifar10Binary(dir: string, options: { trainPerFile: number; test: number; seed: number }): string {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(options.seed);
  const file = (name: string, records: number, labelOffset: number) => {
    const bytes = new Uint8Array(records * CIFAR10_RECORD_BYTES);
    for (let r = 0; r < records; r++) {
      const at = r * CIFAR10_RECORD_BYTES;
      bytes[at] = (labelOffset + r) % CIFAR10_CLASSES.length;
      for (let k = 1; k < CIFAR10_RECORD_BYTES; k++) {
        bytes[at + k] = rng.nextUint32() >>> 24;
      }
    }
    writeFileSync(join(dir, name), bytes);
  };
  cifar10Files("train").forEach((name, i) => file(name, options.trainPerFile, i * options.trainPerFile));
  file(cifar10Files("test")[0], options.test, 0);
  return dir;
}

export interface Cifar10Evaluation {
  network: string;
  images: number;
  correct: number;
  /** correct / images. */
  accuracy: number;
  /** Mean softmax cross-entropy. */
  loss: number;
  /** Per class (label order): images of that class and how many were classified correctly. */
  perClass: { class: string; images: number; correct: number }[];
}

/** Float32 evaluation of a CIFAR-10 network on the test split (first `limit` images). */
export function evaluateCifar10(
  spec: NetworkSpec,
  weights: WeightRecord,
  options: { dir?: string; limit?: number } = {},
): Cifar10Evaluation {
  if (spec.dataset !== "cifar10") throw new Error(`${spec.id}: dataset is "${spec.dataset}", not cifar10`);
  const test = loadDataset("cifar10", "test", { dir: resolveCifar10Dir(options.dir), limit: options.limit });
  const model = buildModel(spec, { seed: 0 });
  model.loadWeights(weights);
  const perClass = CIFAR10_CLASSES.map((c) => ({ class: c, images: 0, correct: 0 }));
  const per = spec.input.reduce((a, b) => a * b, 1),
    bs = 100;
  let correct = 0;
  for (let start = 0; start < test.count; start += bs) {
    const n = Math.min(bs, test.count - start);
    const y = model.forward(new Tensor([n, ...spec.input], test.images.subarray(start * per, (start + n) * per))).data;
    for (let i = 0; i < n; i++) {
      const row = y.subarray(i * spec.classes, (i + 1) * spec.classes);
      let best = 0;
      for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
      const label = test.labels[start + i];
      perClass[label].images++;
      if (best === label) {
        perClass[label].correct++;
        correct++;
      }
    }
  }
  const { loss } = evaluate(model, test);
  return {
    network: spec.id,
    images: test.count,
    correct,
    accuracy: test.count ? correct / test.count : 0,
    loss,
    perClass,
  };
}

/** Trains a CIFAR-10 zoo network (vgg-small-cifar, resnet20-cifar) with its recipe on the folder's files. */
export async function trainCifar10(
  id: string,
  options: Omit<TrainNetworkOptions, "dataDir"> & { dir?: string } = {},
): Promise<TrainNetworkResult> {
  const entry = getZooEntry(id);
  if (entry.spec.dataset !== "cifar10")
    throw new Error(
      `${id}: dataset is "${entry.spec.dataset}", not cifar10 (CIFAR-10 networks: vgg-small-cifar, resnet20-cifar)`,
    );
  const { dir, ...rest } = options;
  return trainNetwork(id, { ...rest, dataDir: resolveCifar10Dir(dir) });
}
