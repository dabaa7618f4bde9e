import { Rng } from "@sccnn/sc-core";
import type { NetworkSpec } from "../src/spec.ts";
import { lenet5Spec } from "./lenet5-fixture.ts";

/** Deterministic pseudo-random floats (sc-core's Rng), for test tensors. */
export function seededFloats(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
}

/** A LeNet-5-shaped network (28×28 input, conv-pool-conv-pool-fc-fc-fc). */
export const lenetShaped: NetworkSpec = lenet5Spec("lenet-shaped", "LeNet-5-shaped test network", [
  "conv1",
  "conv2",
  "fc1",
  "fc2",
  "fc3",
]);

/** Random weights scaled like a He initialisation, for the network above. */
export function lenetShapedWeights(seed: number): Record<string, Float32Array> {
  const shapes: Record<string, [number, number]> = {
    conv1: [6, 25],
    conv2: [16, 150],
    fc1: [120, 400],
    fc2: [84, 120],
    fc3: [10, 84],
  };
  const w: Record<string, Float32Array> = {};
  let s = seed;
  for (const [name, [out, fanIn]] of Object.entries(shapes)) {
    const r = Math.sqrt(6 / fanIn);
    w[`${name}.weight`] = seededFloats(out * fanIn, s++, -r, r);
    w[`${name}.bias`] = seededFloats(out, s++, -0.1, 0.1);
  }
  return w;
}
