/**
 * Trains a zoo network with its registered recipe on the full training split (or a subset for
 * tests) and evaluates float32 accuracy on the test split. Used by scripts/train.ts.
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
import { loadDataset } from "@sccnn/datasets";
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
  /** Called after each epoch (with test-set accuracy as validation). */
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
  const trainSet = loadDataset(spec.dataset, "train", { limit: recipe.trainLimit, dir: options.dataDir });
  const testSet = loadDataset(spec.dataset, "test", { limit: options.testLimit, dir: options.dataDir });
  const model = buildModel(spec, { seed: recipe.seed });
  const engineConfig = engineConfigOf(recipe);
  const history = await train(model, trainSet, {
    ...engineConfig,
    validation: testSet,
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
    testAccuracy: final.accuracy,
    testLoss: final.loss,
  };
}
