import { describe, expect, it } from "vitest";
import { floatParamForward, foldBatchNorm, walkLayers } from "../src/quant/index.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { seededFloats } from "./quant-helpers.ts";

const spec: NetworkSpec = {
  id: "bn-net",
  title: "conv-bn net",
  input: [2, 8, 8],
  classes: 5,
  dataset: "test",
  layers: [
    { type: "conv", name: "c1", outChannels: 4, kernel: 3, padding: 1, bias: false },
    { type: "batchnorm", name: "bn1" },
    { type: "relu" },
    {
      type: "residual",
      body: [
        { type: "conv", name: "c2", outChannels: 4, kernel: 3, padding: 1 },
        { type: "batchnorm", name: "bn2" },
      ],
    },
    { type: "avgpool", kernel: 2 },
    { type: "flatten" },
    { type: "linear", name: "fc", outFeatures: 5 },
    { type: "batchnorm", name: "bn3" },
  ],
};

function weights(): Record<string, Float32Array> {
  const w: Record<string, Float32Array> = {
    "c1.weight": seededFloats(4 * 2 * 9, 1),
    "c2.weight": seededFloats(4 * 4 * 9, 2),
    "c2.bias": seededFloats(4, 3),
    "fc.weight": seededFloats(5 * 64, 4),
    "fc.bias": seededFloats(5, 5),
  };
  let s = 10;
  for (const [bn, n] of [
    ["bn1", 4],
    ["bn2", 4],
    ["bn3", 5],
  ] as const) {
    w[`${bn}.gamma`] = seededFloats(n, s++, 0.5, 1.5);
    w[`${bn}.beta`] = seededFloats(n, s++, -0.5, 0.5);
    w[`${bn}.runningMean`] = seededFloats(n, s++, -0.3, 0.3);
    w[`${bn}.runningVar`] = seededFloats(n, s++, 0.2, 2);
  }
  return w;
}

describe("foldBatchNorm", () => {
  it("foldBatchNorm(spec, w) removes every conv/linear-following batch norm and keeps the float outputs within 1e-5 relative", () => {
    const w = weights();
    const folded = foldBatchNorm(spec, w);
    expect(JSON.stringify(folded.spec)).not.toContain("batchnorm");
    expect(folded.weights["c1.bias"]).toBeDefined();
    const x = { data: seededFloats(3 * 2 * 64, 99), shape: [3, 2, 8, 8] };
    const ref = walkLayers(spec.layers, x, floatParamForward(w), { weights: w });
    const got = walkLayers(folded.spec.layers, x, floatParamForward(folded.weights));
    expect(got.shape).toEqual([3, 5]);
    for (let i = 0; i < ref.data.length; i++)
      expect(Math.abs(got.data[i] - ref.data[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(ref.data[i])));
  });

  it("foldBatchNorm names the missing statistic when a batch-norm weight is absent", () => {
    const w = weights();
    delete w["bn2.runningVar"];
    expect(() => foldBatchNorm(spec, w)).toThrow(/bn2\.runningVar/);
  });
});
