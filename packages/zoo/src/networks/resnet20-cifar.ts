import type { ZooEntry } from "../zoo-entry.ts";
import { basicStages } from "./resnet.ts";

/**
 * ResNet-20 for CIFAR-10 (He et al. 2016, Section 4.2: 3×3 conv, then 3 stages of n = 3 basic
 * blocks with 16/32/64 channels, global average pool, 10-way fc). The paper uses zero-padding
 * identity shortcuts (option A) for CIFAR; a layer table has no channel-padding op, so the two
 * shape-changing shortcuts here are 1×1 projection convs + BN (option B). That adds 2 560
 * weights, 192 BN params and 0.26 M MACs to option A's 269 722 params and 40.55 M MACs.
 */
export const resnet20Cifar: ZooEntry = {
  spec: {
    id: "resnet20-cifar",
    title: "ResNet-20 (CIFAR-10, projection shortcuts)",
    input: [3, 32, 32],
    classes: 10,
    dataset: "cifar10",
    layers: [
      { type: "conv", name: "conv1", outChannels: 16, kernel: 3, padding: 1, bias: false },
      { type: "batchnorm", name: "bn1" },
      { type: "relu" },
      ...basicStages("layer", 16, [16, 32, 64], 3),
      { type: "gap" },
      { type: "flatten" },
      { type: "linear", name: "fc", outFeatures: 10 },
    ],
    published: {
      macs: 41e6,
      params: 0.27e6,
      source:
        "params: He et al. 2016, Table 6 (ResNet-20: 0.27 M); MACs: 41 M (4.1e7), the figure commonly quoted for CIFAR ResNet-20 in pruning papers (the ResNet paper gives none)",
    },
  },
  countCheck: "published",
  // He et al. 2016, Sec. 4.2: SGD, momentum 0.9, weight decay 1e-4, batch 128, lr 0.1 divided by
  // 10 at 32k and 48k of 64k iterations (~164 epochs) — approximated by a cosine decay over 160
  // epochs. Not run here (no CIFAR-10 data, and no augmentation in the engine).
  training: {
    seed: 1,
    epochs: 160,
    batchSize: 128,
    optimizer: "sgd",
    learningRate: 0.1,
    momentum: 0.9,
    weightDecay: 1e-4,
    schedule: "cosine",
  },
  notes:
    "Projection (option B) shortcuts instead of the paper's zero-padding (option A) for the two downsampling blocks.",
};
