/**
 * NN engine: float32 NCHW tensors, layers with forward and backward, training and checkpoints.
 *
 * - `buildModel(spec, { seed, kernels })` builds a model from a NetworkSpec (src/spec.ts) with
 *   seeded He-uniform init; `model.weights` maps `${layer}.weight|bias|gamma|beta|runningMean|
 *   runningVar` to live views; `model.forward(x, { train, rng })`, `model.zeroGrad()`,
 *   `model.backward(dLdy, { inputGrad })`, `model.params` (value + grad views), `paramData` /
 *   `gradData` / `bufferData` (flat arrays).
 * - Hooks for quantisation- and SC-aware training: `model.setLayerHooks(name, hooks)`; the
 *   contract (weightTransform, inputTransform with clipped STE, forwardOverride) is in hooks.ts.
 * - `train(model, data, config)` — seeded shuffling, minibatches, data-parallel shards on worker
 *   threads (results independent of the thread count, see train.ts), progress bar on stderr.
 * - Kernels: "ts" (plain TypeScript reference) or "wasm" (WebAssembly SIMD, committed; the default);
 *   the wasm kernels are tested equal to the reference within float tolerance.
 * - Checkpoints: `saveCheckpoint` / `loadCheckpoint`, format in packages/nn/CHECKPOINT.md.
 * - Batchnorm folding for inference: `foldBatchNorm` in src/quant/fold.ts (tested against the
 *   engine's eval forward in test/engine-fold.test.ts).
 */
export { Rng } from "./prng.ts";
export { Tensor, shapeSize } from "./tensor.ts";
export { gemmReference, tsKernels, type GemmForm, type KernelName, type Kernels, type ConvKernels } from "./gemm.ts";
export { gemmWasm, nnKernelsWasmBytes, wasmKernels } from "./wasm-kernels.ts";
export { selectKernels } from "./kernels.ts";
export type { LayerHooks, LayerInfo, InputTransformResult } from "./hooks.ts";
export type { Layer, Param, Buffer, TensorDecl, ForwardContext, BackwardContext } from "./layer.ts";
export { Conv2d, type Conv2dOptions } from "./conv2d.ts";
export { Linear } from "./linear.ts";
export { Clamp } from "./activations.ts";
export { MaxPool, AvgPool, GlobalAvgPool } from "./pooling.ts";
export { BatchNorm, BATCHNORM_EPS, BATCHNORM_MOMENTUM } from "./batchnorm.ts";
export { Flatten, Dropout } from "./shape-layers.ts";
export { Sequential, Residual } from "./sequential.ts";
export {
  Model,
  buildModel,
  specTensors,
  type BuildModelOptions,
  type ForwardOptions,
  type WeightRecord,
  type TensorEntry,
} from "./model.ts";
export { softmaxCrossEntropy, type LossResult } from "./loss.ts";
export { Sgd, Adam, createOptimizer, type Optimizer, type OptimizerConfig } from "./optimizer.ts";
export { learningRate, type LrSchedule, type ScheduleClock } from "./schedule.ts";
export { computeShard, type ShardInput, type ShardResult } from "./shard.ts";
export {
  train,
  evaluate,
  closeTrainingWorkers,
  describeTrainConfig,
  type TrainData,
  type TrainConfig,
  type TrainHistory,
  type EpochRecord,
  type EvaluateResult,
  type HooksModule,
} from "./train.ts";
export {
  saveCheckpoint,
  loadCheckpoint,
  encodeCheckpoint,
  decodeCheckpoint,
  modelCheckpoint,
  CHECKPOINT_MAGIC,
  type Checkpoint,
  type CheckpointContent,
  type CheckpointHeader,
  type CheckpointTensor,
  type CheckpointAccuracy,
  type LoadCheckpointOptions,
} from "./checkpoint.ts";
export { checkpointHeaderSchema } from "./checkpoint-schema.ts";
