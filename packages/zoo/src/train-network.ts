/**
 * Trains a zoo network with its registered recipe on the training split, less the last
 * recipe.validationImages when the recipe holds them out (or a subset for tests), and evaluates
 * float32 accuracy on the test split. Used by scripts/train.ts.
 */
import {
  buildModel,
  evaluate,
  train,
  type EpochRecord,
  type Model,
  type TrainConfig,
  type TrainHistory,
} from "@sccnn/nn";
import { holdOutValidation, loadDataset, type Dataset } from "@sccnn/datasets";
import { getZooEntry } from "./registry.ts";
import type { TrainingRecipe } from "./zoo-entry.ts";

export interface TrainNetworkOptions {
  /** Replace recipe fields (smoke tests, experiments); recorded in the result. */
  override?: Partial<TrainingRecipe>;
  /** Folder of the dataset files (required for cifar10 unless $SCCNN_CIFAR10_DIR is set). */
  dataDir?: string;
  /** Test images evaluated (default: the whole test split). */
  testLimit?: number;
  /** Threads for the engine (default: one per shard, up to the CPU count); does not change results. */
  threads?: number;
  /** Progress bar on stderr. */
  progress?: boolean;
  /** Called after each epoch (validation = the held-out split when the recipe has one, else the test split). */
  onEpoch?: (record: EpochRecord) => void;
}

export interface TrainNetworkResult {
  model: Model;
  recipe: TrainingRecipe;
  /** The engine configuration derived from the recipe (without callbacks and data). */
  engineConfig: Omit<TrainConfig, "validation" | "onEpoch" | "progress" | "threads">;
  history: TrainHistory;
  trainImages: number;
  testImages: number;
  /** Which images trained, drew the per-epoch curve and were tested, e.g. `mnist train[0:55000]`. */
  data: { fit: string; validation: string; test: string };
  /** Float32 accuracy on the evaluated test images, 0…1. */
  testAccuracy: number;
  testLoss: number;
}

/** The engine's TrainConfig for a recipe (data-parallel shards fixed at 2: part of the result's identity). */
export function engineConfigOf(recipe: TrainingRecipe): TrainNetworkResult["engineConfig"] {
  const optimizer: TrainConfig["optimizer"] =
    recipe.optimizer === "sgd"
      ? { type: "sgd", lr: recipe.learningRate, momentum: recipe.momentum ?? 0, weightDecay: recipe.weightDecay ?? 0 }
      : { type: "adam", lr: recipe.learningRate, weightDecay: recipe.weightDecay ?? 0 };
  return {
    epochs: recipe.epochs,
    batchSize: recipe.batchSize,
    optimizer,
    schedule: recipe.schedule === "cosine" ? { type: "cosine" } : { type: "constant" },
    seed: recipe.seed,
    shards: 2,
    dropLast: true,
  };
}

export async function trainNetwork(id: string, options: TrainNetworkOptions = {}): Promise<TrainNetworkResult> {
  const entry = getZooEntry(id);
  if (!entry.training)
    throw new Error(`${id}: no training recipe in the zoo entry (only networks with data here can be trained)`);
  const recipe: TrainingRecipe = { ...entry.training, ...options.override };
  const spec = entry.spec;
  const testSet = loadDataset(spec.dataset, "test", { limit: options.testLimit, dir: options.dataDir });
  let trainSet: Dataset;
  let curveSet: Dataset;
  let data: TrainNetworkResult["data"];
  if (recipe.validationImages !== undefined) {
    const split = holdOutValidation(
      loadDataset(spec.dataset, "train", { dir: options.dataDir }),
      recipe.validationImages,
    );
    trainSet = firstImages(split.fit, recipe.trainLimit);
    curveSet = split.validation;
    data = {
      fit: `${spec.dataset} train[0:${trainSet.count}]`,
      validation: `${spec.dataset} ${split.ranges.validation}`,
      test: `${spec.dataset} test[0:${testSet.count}]`,
    };
  } else {
    trainSet = loadDataset(spec.dataset, "train", { limit: recipe.trainLimit, dir: options.dataDir });
    curveSet = testSet;
    data = {
      fit: `${spec.dataset} train[0:${trainSet.count}]`,
      validation: `none (per-epoch curve on ${spec.dataset} test[0:${testSet.count}])`,
      test: `${spec.dataset} test[0:${testSet.count}]`,
    };
  }
  const model = buildModel(spec, { seed: recipe.seed });
  const engineConfig = engineConfigOf(recipe);
  const history = await train(model, trainSet, {
    ...engineConfig,
    validation: curveSet,
    progress: options.progress ?? false,
    threads: options.threads,
    onEpoch: options.onEpoch,
  });
  const final = evaluate(model, testSet);
  return {
    model,
    recipe,
    engineConfig,
    history,
    trainImages: trainSet.count,
    testImages: testSet.count,
    data,
    testAccuracy: final.accuracy,
    testLoss: final.loss,
  };
}

function firstImages(d: Dataset, limit: number | undefined): Dataset {
  if (limit === undefined || limit >= d.count) return d;
  const per = d.shape[0] * d.shape[1] * d.shape[2];
  return { ...d, images: d.images.subarray(0, limit * per), labels: d.labels.subarray(0, limit), count: limit };
}
