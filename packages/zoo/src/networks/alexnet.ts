import type { ZooEntry } from "../zoo-entry.ts";

/**
 * AlexNet as in torchvision (the "one weird trick" variant, Krizhevsky 2014: 64-192-384-256-256
 * channels, no LRN, single tower). torchvision's AdaptiveAvgPool2d(6) is the identity for a
 * 224×224 input (the last feature map is already 6×6), so it is left out.
 */
export const alexnet: ZooEntry = {
  spec: {
    id: "alexnet",
    title: "AlexNet (ImageNet, torchvision variant)",
    input: [3, 224, 224],
    classes: 1000,
    dataset: "imagenet",
    layers: [
      { type: "conv", name: "conv1", outChannels: 64, kernel: 11, stride: 4, padding: 2 },
      { type: "relu" },
      { type: "maxpool", kernel: 3, stride: 2 },
      { type: "conv", name: "conv2", outChannels: 192, kernel: 5, padding: 2 },
      { type: "relu" },
      { type: "maxpool", kernel: 3, stride: 2 },
      { type: "conv", name: "conv3", outChannels: 384, kernel: 3, padding: 1 },
      { type: "relu" },
      { type: "conv", name: "conv4", outChannels: 256, kernel: 3, padding: 1 },
      { type: "relu" },
      { type: "conv", name: "conv5", outChannels: 256, kernel: 3, padding: 1 },
      { type: "relu" },
      { type: "maxpool", kernel: 3, stride: 2 },
      { type: "flatten" },
      { type: "dropout", p: 0.5 },
      { type: "linear", name: "fc6", outFeatures: 4096 },
      { type: "relu" },
      { type: "dropout", p: 0.5 },
      { type: "linear", name: "fc7", outFeatures: 4096 },
      { type: "relu" },
      { type: "linear", name: "fc8", outFeatures: 1000 },
    ],
    published: {
      macs: 0.71e9,
      params: 61_100_840,
      source:
        "torchvision model card AlexNet_Weights.IMAGENET1K_V1: num_params 61100840, GFLOPS 0.71 (torchvision's GFLOPS column counts multiply-adds)",
    },
  },
  countCheck: "published",
};
