import type { NetworkSpec } from "../src/spec.ts";

/** Names of LeNet-5's five weight layers, in order: conv, conv, linear, linear, linear. */
export type Lenet5LayerNames = readonly [string, string, string, string, string];

/**
 * LeNet-5 as in the zoo (28×28 input padded by 2, conv-pool-conv-pool-fc-fc-fc), written out
 * once for nn's tests and benches so they do not depend on the zoo package (which depends on nn).
 * `names` renames the weight layers (default c1, c2, f1, f2, f3, the zoo's names).
 */
export function lenet5Spec(
  id: string,
  title: string,
  names: Lenet5LayerNames = ["c1", "c2", "f1", "f2", "f3"],
): NetworkSpec {
  const [c1, c2, f1, f2, f3] = names;
  return {
    id,
    title,
    input: [1, 28, 28],
    classes: 10,
    dataset: "mnist",
    layers: [
      { type: "conv", name: c1, outChannels: 6, kernel: 5, padding: 2 },
      { type: "relu" },
      { type: "maxpool", kernel: 2 },
      { type: "conv", name: c2, outChannels: 16, kernel: 5 },
      { type: "relu" },
      { type: "maxpool", kernel: 2 },
      { type: "flatten" },
      { type: "linear", name: f1, outFeatures: 120 },
      { type: "relu" },
      { type: "linear", name: f2, outFeatures: 84 },
      { type: "relu" },
      { type: "linear", name: f3, outFeatures: 10 },
    ],
  };
}
