import type { LayerSpec } from "@sccnn/nn";
import type { ZooEntry } from "../zoo-entry.ts";

/** Depthwise-separable layers of MobileNet-v1 (Howard et al. 2017, Table 1): [pointwise channels, depthwise stride]. */
const SEPARABLE: readonly [number, number][] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

function mobilenetLayers(): LayerSpec[] {
  const layers: LayerSpec[] = [
    { type: "conv", name: "conv0", outChannels: 32, kernel: 3, stride: 2, padding: 1, bias: false },
    { type: "batchnorm", name: "conv0_bn" },
    { type: "relu" },
  ];
  let c = 32;
  SEPARABLE.forEach(([k, stride], i) => {
    const n = i + 1;
    layers.push(
      { type: "conv", name: `dw${n}`, outChannels: c, kernel: 3, stride, padding: 1, groups: c, bias: false },
      { type: "batchnorm", name: `dw${n}_bn` },
      { type: "relu" },
      { type: "conv", name: `pw${n}`, outChannels: k, kernel: 1, bias: false },
      { type: "batchnorm", name: `pw${n}_bn` },
      { type: "relu" },
    );
    c = k;
  });
  layers.push({ type: "gap" }, { type: "flatten" }, { type: "linear", name: "fc", outFeatures: 1000 });
  return layers;
}

/**
 * MobileNet-v1, width 1.0, 224×224 (Howard et al. 2017, Table 1): a 3×3 conv then 13
 * depthwise-separable pairs, each conv followed by batchnorm and ReLU; global average pool and
 * a 1000-way fully-connected layer. The last depthwise layer has stride 1 (Table 1 prints
 * "s2", but the feature map stays 7×7, as in every released implementation).
 */
export const mobilenetV1: ZooEntry = {
  spec: {
    id: "mobilenet-v1",
    title: "MobileNet-v1 1.0-224 (ImageNet)",
    input: [3, 224, 224],
    classes: 1000,
    dataset: "imagenet",
    layers: mobilenetLayers(),
    published: {
      macs: 569e6,
      params: 4.2e6,
      source:
        "Howard et al. 2017, MobileNets (arXiv:1704.04861), row 1.0 MobileNet-224 of its comparison tables: 569 million mult-adds, 4.2 million parameters",
    },
  },
  countCheck: "published",
};
