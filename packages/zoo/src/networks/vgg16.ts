import type { LayerSpec } from "@sccnn/nn";
import type { ZooEntry } from "../zoo-entry.ts";

/** VGG-16 configuration "D" (Simonyan & Zisserman 2015, Table 1): channels per conv, "M" = 2×2 max-pool. */
export const VGG16_CONFIG: readonly (number | "M")[] = [
  64,
  64,
  "M",
  128,
  128,
  "M",
  256,
  256,
  256,
  "M",
  512,
  512,
  512,
  "M",
  512,
  512,
  512,
  "M",
];

/** 3×3 conv (pad 1) + [batchnorm] + ReLU per number, 2×2 max-pool per "M"; convs named conv1_1, conv1_2, conv2_1, …. */
export function vggFeatures(config: readonly (number | "M")[], batchNorm: boolean): LayerSpec[] {
  const layers: LayerSpec[] = [];
  let stage = 1,
    index = 1;
  for (const item of config) {
    if (item === "M") {
      layers.push({ type: "maxpool", kernel: 2 });
      stage++;
      index = 1;
      continue;
    }
    const name = `conv${stage}_${index++}`;
    layers.push({ type: "conv", name, outChannels: item, kernel: 3, padding: 1 });
    if (batchNorm) layers.push({ type: "batchnorm", name: `${name}_bn` });
    layers.push({ type: "relu" });
  }
  return layers;
}

/**
 * VGG-16 (configuration D) as in torchvision, without batchnorm. torchvision's
 * AdaptiveAvgPool2d(7) is the identity for a 224×224 input, so it is left out.
 */
export const vgg16: ZooEntry = {
  spec: {
    id: "vgg16",
    title: "VGG-16 (ImageNet)",
    input: [3, 224, 224],
    classes: 1000,
    dataset: "imagenet",
    layers: [
      ...vggFeatures(VGG16_CONFIG, false),
      { type: "flatten" },
      { type: "linear", name: "fc6", outFeatures: 4096 },
      { type: "relu" },
      { type: "dropout", p: 0.5 },
      { type: "linear", name: "fc7", outFeatures: 4096 },
      { type: "relu" },
      { type: "dropout", p: 0.5 },
      { type: "linear", name: "fc8", outFeatures: 1000 },
    ],
    published: {
      macs: 15.47e9,
      params: 138_357_544,
      source:
        "torchvision model card VGG16_Weights.IMAGENET1K_V1: num_params 138357544, GFLOPS 15.47 (multiply-adds); Simonyan & Zisserman 2015, Table 2: 138 M parameters",
    },
  },
  countCheck: "published",
};
