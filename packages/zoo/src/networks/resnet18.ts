import type { ZooEntry } from "../zoo-entry.ts";
import { basicStages } from "./resnet.ts";

/** ResNet-18 (He et al. 2016, Table 1) as in torchvision: projection shortcuts where shapes change. */
export const resnet18: ZooEntry = {
  spec: {
    id: "resnet18",
    title: "ResNet-18 (ImageNet)",
    input: [3, 224, 224],
    classes: 1000,
    dataset: "imagenet",
    layers: [
      { type: "conv", name: "conv1", outChannels: 64, kernel: 7, stride: 2, padding: 3, bias: false },
      { type: "batchnorm", name: "bn1" },
      { type: "relu" },
      { type: "maxpool", kernel: 3, stride: 2, padding: 1 },
      ...basicStages("layer", 64, [64, 128, 256, 512], 2),
      { type: "gap" },
      { type: "flatten" },
      { type: "linear", name: "fc", outFeatures: 1000 },
    ],
    published: {
      macs: 1.81e9,
      params: 11_689_512,
      source:
        "torchvision model card ResNet18_Weights.IMAGENET1K_V1: num_params 11689512, GFLOPS 1.81 (multiply-adds); He et al. 2016, Table 1: 1.8e9 FLOPs (multiply-adds)",
    },
  },
  countCheck: "published",
};
