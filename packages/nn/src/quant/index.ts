export {
  ARITHMETICS,
  checkArithmetic,
  isScArithmetic,
  scSchemeOf,
  truncGuardBits,
  type Arithmetic,
  type TruncArithmetic,
} from "./arithmetic.ts";
export {
  checkQuantBits,
  maxMagnitude,
  scaleForClip,
  quantizeValue,
  quantizeTensor,
  fakeQuantizeReference,
  fakeQuantizeTensor,
  weightScales,
  quantizeWeights,
  fakeQuantizeWeights,
  type QuantizedWeights,
} from "./quantize.ts";
export {
  floatConv2d,
  floatLinear,
  relu,
  pool2d,
  globalAvgPool,
  squash,
  concatChannels,
  batchNormInference,
  addActs,
  type Act,
} from "./float-ops.ts";
export {
  walkLayers,
  paramLayers,
  floatOnlyLayers,
  convGeometry,
  type ParamLayerSpec,
  type ParamLayerForward,
  type WalkOptions,
} from "./walk.ts";
export { foldBatchNorm, type FoldedNetwork } from "./fold.ts";
export {
  collectActivationStats,
  activationClip,
  floatParamForward,
  DEFAULT_CALIBRATION,
  type ActivationStats,
  type CalibrationMethod,
} from "./calibrate.ts";
export {
  quantizeNetwork,
  type QuantConfig,
  type LayerQuantConfig,
  type QuantizedLayer,
  type QuantizedNetwork,
} from "./quantized-network.ts";
export {
  scCoreBackend,
  wasmBackend,
  cycleLevelBackend,
  referenceDot,
  INTEGER_BACKENDS,
  integerBackendByName,
  type IntegerBackend,
  type IntegerBackendName,
} from "./backend.ts";
export {
  INT_CHAIN_RUNTIME,
  planIntChain,
  tryPlanIntChain,
  runIntChain,
  maxPoolInt,
  type IntChainPlan,
  type IntChainOptions,
} from "./int-chain.ts";
export { IntChainPool, type IntChainPoolOptions } from "./int-chain-pool.ts";
export {
  scBitsOf,
  layerScSpec,
  quantizeLayerInput,
  inputShiftOf,
  layerKernelWeights,
  accumulatorUnit,
  layerAccumulate,
  quantizedLayerForward,
  rescale,
  type ScOptions,
} from "./layer-forward.ts";
export {
  runQuantized,
  argmaxRows,
  accuracyOf,
  evaluateQuantized,
  calibrateNetwork,
  quantizeCalibrated,
  type RunOptions,
  type AccuracyResult,
  type CalibratedNetwork,
} from "./runtime.ts";
export { fineTuneHooks, fineTuneHooksFor } from "./finetune-hooks.ts";
export { fineTune, type FineTuneOptions, type FineTuneResult, type FineTuneEpochLog } from "./finetune.ts";
export { binomialInterval95, binomialInterval95Pct } from "./interval.ts";
export { compensateScBias, type ScBiasPresets } from "./compensate.ts";
