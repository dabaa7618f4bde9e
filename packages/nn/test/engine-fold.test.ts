import { describe, expect, it } from "vitest";
import { buildModel } from "../src/engine/model.ts";
import { Rng } from "../src/engine/prng.ts";
import { Tensor } from "../src/engine/tensor.ts";
import { train } from "../src/engine/train.ts";
import { foldBatchNorm } from "../src/quant/fold.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { randomArray, syntheticImages } from "./engine-helpers.ts";

const spec: NetworkSpec = {
  id: "bn",
  title: "bn",
  input: [2, 10, 10],
  classes: 4,
  dataset: "synthetic",
  layers: [
    { type: "conv", name: "c1", outChannels: 6, kernel: 3, padding: 1, bias: false },
    { type: "batchnorm", name: "bn1" },
    { type: "relu" },
    {
      type: "residual",
      body: [
        { type: "conv", name: "c2", outChannels: 6, kernel: 3, padding: 1, groups: 3 },
        { type: "batchnorm", name: "bn2" },
      ],
    },
    { type: "maxpool", kernel: 2 },
    { type: "flatten" },
    { type: "linear", name: "f1", outFeatures: 16 },
    { type: "batchnorm", name: "bn3" },
    { type: "relu" },
    { type: "linear", name: "f2", outFeatures: 4 },
  ],
};

describe("batchnorm folding", () => {
  it("foldBatchNorm(spec, model.weights) builds a bn-free model whose eval forward equals the trained model's", async () => {
    const m = buildModel(spec, { seed: 2 });
    await train(m, syntheticImages(96, [2, 10, 10], 4, 9), {
      epochs: 2,
      batchSize: 16,
      optimizer: { type: "sgd", lr: 0.05, momentum: 0.9 },
      seed: 1,
      threads: 1,
      progress: false,
    });
    expect(Math.max(...m.weights["bn1.runningVar"].map((v) => Math.abs(v - 1)))).toBeGreaterThan(0.01);
    const folded = foldBatchNorm(m.spec, m.weights);
    const f = buildModel(folded.spec, { seed: 0 });
    expect(f.tensors.some((t) => t.name.startsWith("bn"))).toBe(false);
    f.loadWeights(folded.weights);
    const x = new Tensor([5, 2, 10, 10], randomArray(1000, new Rng(3), 0, 1));
    const a = m.forward(x).data,
      b = f.forward(x).data;
    const scale = Math.max(...a.map(Math.abs));
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5 * scale);
  });
});
