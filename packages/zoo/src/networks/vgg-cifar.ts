import type { ZooEntry } from "../zoo-entry.ts";
import { VGG16_CONFIG, vggFeatures } from "./vgg16.ts";

/**
 * A small VGG-style CIFAR-10 CNN: the Keras example network `cifar10_cnn.py`
 * (conv32-conv32-pool-conv64-conv64-pool-fc512-fc10; the second conv of each pair has no
 * padding, as in the example, so the maps go 32 → 30 → 15 → 13 → 6).
 */
export const vggSmallCifar: ZooEntry = {
  spec: {
    id: "vgg-small-cifar",
    title: "Small VGG-style CNN (CIFAR-10, Keras cifar10_cnn)",
    input: [3, 32, 32],
    classes: 10,
    dataset: "cifar10",
    layers: [
      { type: "conv", name: "conv1_1", outChannels: 32, kernel: 3, padding: 1 },
      { type: "relu" },
      { type: "conv", name: "conv1_2", outChannels: 32, kernel: 3 },
      { type: "relu" },
      { type: "maxpool", kernel: 2 },
      { type: "dropout", p: 0.25 },
      { type: "conv", name: "conv2_1", outChannels: 64, kernel: 3, padding: 1 },
      { type: "relu" },
      { type: "conv", name: "conv2_2", outChannels: 64, kernel: 3 },
      { type: "relu" },
      { type: "maxpool", kernel: 2 },
      { type: "dropout", p: 0.25 },
      { type: "flatten" },
      { type: "linear", name: "fc1", outFeatures: 512 },
      { type: "relu" },
      { type: "dropout", p: 0.5 },
      { type: "linear", name: "fc2", outFeatures: 10 },
    ],
    published: {
      params: 1_250_858,
      source: "Keras examples, cifar10_cnn.py, model.summary(): Total params 1,250,858 (no MAC count published)",
    },
  },
  countCheck: "published",
  // Not run here (no CIFAR-10 data on this machine): `pnpm train vgg-small-cifar --data <dir>`.
  // The Keras example trains 100 epochs with RMSprop and augmentation; the engine has no
  // augmentation, so this recipe is shorter and untested for accuracy.
  training: {
    seed: 1,
    epochs: 30,
    batchSize: 64,
    optimizer: "adam",
    learningRate: 1e-3,
    weightDecay: 0,
    schedule: "cosine",
  },
};

/**
 * VGG-16 for CIFAR-10 as used by Li et al. 2017 ("Pruning Filters for Efficient ConvNets",
 * after Zagoruyko 2015): the 13 conv layers of VGG-16 with batchnorm, then fc 512 → BN → ReLU →
 * fc 10.
 */
export const vgg16Cifar: ZooEntry = {
  spec: {
    id: "vgg16-cifar",
    title: "VGG-16 (CIFAR-10, Li et al. 2017)",
    input: [3, 32, 32],
    classes: 10,
    dataset: "cifar10",
    layers: [
      ...vggFeatures(VGG16_CONFIG, true),
      { type: "flatten" },
      { type: "linear", name: "fc1", outFeatures: 512 },
      { type: "batchnorm", name: "fc1_bn" },
      { type: "relu" },
      { type: "linear", name: "fc2", outFeatures: 10 },
    ],
    published: {
      macs: 3.13e8,
      params: 1.5e7,
      source:
        "Li et al. 2017, Pruning Filters for Efficient ConvNets, Table 1 (VGG-16 on CIFAR-10): FLOP 3.13e8 (multiply-adds), parameters 1.5e7",
    },
  },
  countCheck: "published",
};
