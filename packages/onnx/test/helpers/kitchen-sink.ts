import type { NetworkSpec } from "@sccnn/nn";

/** A small table using every layer type and option the exporter handles (non-square kernel, groups, pool padding with and without counting it, residuals with identity and projection shortcuts and nested, channel concat with an identity branch, sigmoid, tanh, linear without flatten or bias). */
export const kitchenSink: NetworkSpec = {
  id: "kitchen-sink",
  title: "Every layer type and option",
  input: [2, 9, 9],
  classes: 5,
  dataset: "none",
  layers: [
    { type: "conv", name: "a", outChannels: 4, kernel: [3, 1], padding: 1 },
    { type: "batchnorm", name: "a_bn" },
    { type: "relu6" },
    { type: "avgpool", kernel: 3, stride: 2, padding: 1 },
    {
      type: "residual",
      body: [
        { type: "conv", name: "b", outChannels: 4, kernel: 3, padding: 1, groups: 2, bias: false },
        { type: "relu" },
      ],
    },
    {
      type: "residual",
      body: [{ type: "conv", name: "c", outChannels: 8, kernel: 1, stride: 2 }],
      shortcut: [
        { type: "conv", name: "d", outChannels: 8, kernel: 1, stride: 2, bias: false },
        { type: "batchnorm", name: "d_bn" },
      ],
    },
    {
      type: "residual",
      body: [
        {
          type: "residual",
          body: [{ type: "conv", name: "e", outChannels: 8, kernel: 3, padding: 1 }, { type: "relu" }],
        },
        { type: "conv", name: "f", outChannels: 8, kernel: 1 },
      ],
      shortcut: [{ type: "relu" }],
    },
    { type: "maxpool", kernel: 3, stride: 1, padding: 1 },
    {
      type: "concat",
      branches: [[], [{ type: "conv", name: "g", outChannels: 3, kernel: 1 }, { type: "sigmoid" }]],
    },
    { type: "avgpool", kernel: 3, stride: 1, padding: 1, countIncludePad: false },
    { type: "dropout", p: 0.3 },
    { type: "gap" },
    { type: "linear", name: "fc1", outFeatures: 6, bias: false },
    { type: "tanh" },
    { type: "dropout", p: 0.5 },
    { type: "linear", name: "fc2", outFeatures: 5 },
  ],
};
