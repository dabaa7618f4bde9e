import type { NetworkSpec } from "@sccnn/nn";

/**
 * How a zoo network is trained by `pnpm train <id>` (scripts/train.ts). Everything that decides
 * the resulting weights is here, so a run is reproducible from the entry alone.
 */
export interface TrainingRecipe {
  /** Seed for weight initialisation and batch shuffling. */
  seed: number;
  epochs: number;
  batchSize: number;
  optimizer: "sgd" | "adam";
  learningRate: number;
  /** SGD momentum (ignored by Adam). */
  momentum?: number;
  /** L2 weight decay. */
  weightDecay?: number;
  /** Learning-rate schedule over the epochs: constant, or cosine decay to 0. */
  schedule: "constant" | "cosine";
  /** Training images used (default: the whole training split, less the held-out validation images). */
  trainLimit?: number;
  /**
   * The last this-many training images are held out (datasets' holdOutValidation): never trained
   * on, the per-epoch curve is measured on them, and every later choice (calibration, early
   * stopping, operating points) uses them. Absent: the whole training file is trained on.
   */
  validationImages?: number;
}

/** A registered network: the table plus how its published counts are checked and how it is trained. */
export interface ZooEntry {
  spec: NetworkSpec;
  /**
   * "exact": `spec.published` counts are this project's own declared counts for its own network
   * and must equal the recomputed counts. "published": counts from a paper or model card, which
   * the recomputed counts must match within 1 %.
   */
  countCheck: "exact" | "published";
  /** Present for networks trained here (weights in <weightsDir>/<id>.ckpt). */
  training?: TrainingRecipe;
  /** Deviations from the source architecture, if any. */
  notes?: string;
  /**
   * Folder of its committed weights (<id>.ckpt, <id>.train.log, finetuned/): set by the registry
   * (the zoo's weights/ for built-in networks, the package's weights/ for network packages).
   */
  weightsDir?: string;
}
