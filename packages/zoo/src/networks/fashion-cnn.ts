import type { ZooEntry } from "../zoo-entry.ts";

/**
 * A small CNN for Fashion-MNIST, sized to train in minutes on 2 CPU cores (1.22 M MACs per
 * image, about 3x LeNet-5): two 3×3 conv + batchnorm + ReLU + 2×2 max-pool stages (16, 32
 * channels), then a 128-unit hidden layer with dropout. Convs have no bias (batchnorm follows).
 */
export const fashionCnn: ZooEntry = {
  spec: {
    id: "fashion-cnn",
    title: "Small CNN (Fashion-MNIST)",
    input: [1, 28, 28],
    classes: 10,
    dataset: "fashion-mnist",
    layers: [
      { type: "conv", name: "c1", outChannels: 16, kernel: 3, padding: 1, bias: false },
      { type: "batchnorm", name: "bn1" },
      { type: "relu" },
      { type: "maxpool", kernel: 2 },
      { type: "conv", name: "c2", outChannels: 32, kernel: 3, padding: 1, bias: false },
      { type: "batchnorm", name: "bn2" },
      { type: "relu" },
      { type: "maxpool", kernel: 2 },
      { type: "flatten" },
      { type: "linear", name: "f1", outFeatures: 128 },
      { type: "relu" },
      { type: "dropout", p: 0.25 },
      { type: "linear", name: "f2", outFeatures: 10 },
    ],
    published: {
      // c1 16·9·28·28 + c2 32·144·14·14 + f1 1568·128 + f2 128·10
      macs: 1_218_048,
      // c1 144, bn1 32, c2 4608, bn2 64, f1 200704+128, f2 1280+10
      params: 206_970,
      source: "declared: hand count of this table (network designed for this project)",
    },
  },
  countCheck: "exact",
  training: {
    seed: 1,
    epochs: 15,
    batchSize: 64,
    optimizer: "adam",
    learningRate: 2e-3,
    weightDecay: 0,
    schedule: "cosine",
    validationImages: 5000,
  },
};
