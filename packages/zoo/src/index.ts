export type { TrainingRecipe, ZooEntry } from "./zoo-entry.ts";
export {
  registry,
  networkIds,
  getZooEntry,
  getNetwork,
  networkPackages,
  findNetworkPackages,
  loadNetworkPackages,
  networkPackageDirs,
  type NetworkPackage,
} from "./registry.ts";
export { lenet5 } from "./networks/lenet5.ts";
export { fashionCnn } from "./networks/fashion-cnn.ts";
export { alexnet } from "./networks/alexnet.ts";
export { vgg16, vggFeatures, VGG16_CONFIG } from "./networks/vgg16.ts";
export { resnet18 } from "./networks/resnet18.ts";
export { mobilenetV1 } from "./networks/mobilenet-v1.ts";
export { vggSmallCifar, vgg16Cifar } from "./networks/vgg-cifar.ts";
export { resnet20Cifar } from "./networks/resnet20-cifar.ts";
export { basicBlock, basicStages } from "./networks/resnet.ts";
export {
  magnitudeStats,
  weightStatsFromWeights,
  syntheticWeightStats,
  layerRng,
  type LayerWeightStats,
  type WeightStats,
  type SyntheticWeightOptions,
} from "./weight-stats.ts";
export { zooRecords, zooTable, type ZooRecord } from "./listing.ts";
export { trainNetwork, engineConfigOf, type TrainNetworkOptions, type TrainNetworkResult } from "./train-network.ts";
export {
  loadTrainedWeights,
  checkpointPath,
  trainLogPath,
  trainedNetworkIds,
  trainedWeightsHash,
  weightsDir,
  fineTunedDir,
  WEIGHTS_DIR,
} from "./trained.ts";
export { networkDataset } from "./network-dataset.ts";
export { zooWeightStats } from "./zoo-weight-stats.ts";
export { loadNetworkSource, type NetworkSource } from "./network-source.ts";
export { networkLayerWeights, type NetworkLayerWeights, type NetworkLayerWeightsOptions } from "./layer-weights.ts";
export { hardwareWorkload, type HardwareWorkloadOptions, type LayerBits } from "./hardware-workload.ts";
export {
  CIFAR10_DIR_VARIABLE,
  resolveCifar10Dir,
  writeCifar10Binary,
  evaluateCifar10,
  trainCifar10,
  type Cifar10Evaluation,
} from "./cifar10.ts";
export {
  FINE_TUNED_DIR,
  fineTunedName,
  fineTunedFile,
  fineTunedTraining,
  saveFineTuned,
  loadFineTuned,
  deterministicLog,
  type FineTunedTraining,
} from "./finetuned.ts";
export {
  hardwareWeights,
  hardwareLayerWeights,
  networkAvailability,
  fineTunedRef,
  isFileRef,
  sha256File,
  repoPath,
  FILE_DATASETS,
  type Availability,
  type WeightsRef,
  type LoadedWeights,
  type HardwareLayer,
} from "./hardware-weights.ts";
export {
  ARITHMETIC_RECIPE,
  QUANT_SETTINGS,
  quantConfigOf,
  calibratedZooNetwork,
  trainWithArithmetic,
  saveArithmeticCheckpoint,
  loadArithmeticCheckpoint,
  arithmeticCheckpointName,
  arithmeticCheckpointPath,
  arithmeticWeightsHash,
  floatWeightsSource,
  floatWeightsStatus,
  type FloatWeightsSource,
  type ArithmeticRecipe,
  type ArithmeticTraining,
  type ArithmeticTrainingResult,
  type QuantSettings,
} from "./arithmetic-training.ts";
