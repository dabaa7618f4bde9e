import type { ZooEntry } from "../zoo-entry.ts";

/**
 * LeNet-5 for MNIST in its common modern form (LeCun et al. 1998 with ReLU and max pooling,
 * 28×28 input padded by 2 in the first conv instead of a 32×32 input).
 */
export const lenet5: ZooEntry = {
  spec: {
    id: "lenet5",
    title: "LeNet-5 (MNIST)",
    input: [1, 28, 28],
    classes: 10,
    dataset: "mnist",
    layers: [
      { type: "conv", name: "c1", outChannels: 6, kernel: 5, padding: 2 },
      { type: "relu" },
      { type: "maxpool", kernel: 2 },
      { type: "conv", name: "c2", outChannels: 16, kernel: 5 },
      { type: "relu" },
      { type: "maxpool", kernel: 2 },
      { type: "flatten" },
      { type: "linear", name: "f1", outFeatures: 120 },
      { type: "relu" },
      { type: "linear", name: "f2", outFeatures: 84 },
      { type: "relu" },
      { type: "linear", name: "f3", outFeatures: 10 },
    ],
    published: {
      // c1 6·25·28·28 + c2 16·150·10·10 + f1 400·120 + f2 120·84 + f3 84·10
      macs: 416_520,
      // c1 150+6, c2 2400+16, f1 48000+120, f2 10080+84, f3 840+10
      params: 61_706,
      source:
        "declared: hand count of this table (the 1998 paper's LeNet-5 differs: 32×32 input, partial C3 connections, ~60 k params)",
    },
  },
  countCheck: "exact",
  training: {
    seed: 1,
    epochs: 20,
    batchSize: 64,
    optimizer: "sgd",
    learningRate: 0.05,
    momentum: 0.9,
    weightDecay: 5e-4,
    schedule: "cosine",
    validationImages: 5000,
  },
};
