export { parseIdx, readIdxFile, readIdxPair, type IdxArray } from "./idx.ts";
export {
  bytesToUnitFloats,
  resolveLimit,
  type Dataset,
  type DatasetId,
  type LoadOptions,
  type Split,
} from "./dataset.ts";
export { loadMnist, mnistDir, idxFileNames, MNIST_CLASSES } from "./mnist.ts";
export { loadFashionMnist, FASHION_MNIST_CLASSES, FASHION_MNIST_DEBIAN_DIR } from "./fashion-mnist.ts";
export { loadCifar10, cifar10Files, CIFAR10_CLASSES, CIFAR10_DIR_ENV, CIFAR10_RECORD_BYTES } from "./cifar10.ts";
export { loadDataset, DATASET_IDS } from "./load-dataset.ts";
export { holdOutValidation, VALIDATION_IMAGES, type SplitRanges } from "./validation.ts";
