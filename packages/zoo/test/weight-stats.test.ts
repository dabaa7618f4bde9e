import { describe, expect, it } from "vitest";
import type { NetworkSpec } from "@sccnn/nn";
import { getNetwork, layerRng, magnitudeStats, syntheticWeightStats, weightStatsFromWeights } from "../src/index.ts";

describe("weight-stats", () => {
  it("layerRng(seed, i).normal() has mean 0, variance 1 within 5 standard errors and kurtosis 3", () => {
    const n = 200_000;
    const rng = layerRng(123, 0);
    const g = () => rng.normal();
    let s = 0,
      s2 = 0,
      s4 = 0;
    for (let i = 0; i < n; i++) {
      const x = g();
      s += x;
      s2 += x * x;
      s4 += x ** 4;
    }
    const mean = s / n,
      variance = s2 / n;
    // SE of the mean is 1/sqrt(n); SE of the second moment is sqrt((E x^4 − 1)/n) = sqrt(2/n).
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.1);
  });

  it("magnitudeStats(values, bits) quantises by max-abs scaling and rounding", () => {
    const s = magnitudeStats([0.5, -1, 0.26, 0, 0.74], 2); // top = 3: 1.5→2, 3, 0.78→1, 0, 2.22→2
    expect(s.magnitudeHistogram).toEqual([1, 1, 2, 1]);
    expect(s.meanMagnitude).toBeCloseTo(8 / 5, 12);
    expect(s.meanMagnitudeFraction).toBeCloseTo(8 / 15, 12);
    expect(s.zeroFraction).toBeCloseTo(0.2, 12);
    expect(s.maxAbsWeight).toBe(1);
  });

  it("syntheticWeightStats(lenet5) is flagged synthetic, covers every conv/linear layer and is reproducible", () => {
    const a = syntheticWeightStats(getNetwork("lenet5"), { bits: 8, seed: 3 });
    const b = syntheticWeightStats(getNetwork("lenet5"), { bits: 8, seed: 3 });
    expect(a).toEqual(b);
    expect(a.synthetic).toBe(true);
    expect(a.layers.map((l) => l.layer)).toEqual(["c1", "c2", "f1", "f2", "f3"]);
    for (const l of a.layers) {
      expect(l.synthetic).toBe(true);
      expect(l.magnitudeHistogram.reduce((x, y) => x + y, 0)).toBe(l.weightCount);
      expect(l.magnitudeHistogram[255]).toBeGreaterThanOrEqual(1); // the max maps to 2^8 − 1
    }
    expect(a.layers[2].weightCount).toBe(48_000);
    const c = syntheticWeightStats(getNetwork("lenet5"), { bits: 8, seed: 4 });
    expect(c.layers[2].meanMagnitude).not.toBe(a.layers[2].meanMagnitude);
  });

  it("syntheticWeightStats: the mean |q| of a 48 000-weight Gaussian layer is E|z| / max|z| of the draw (≈ 0.18 of full scale)", () => {
    const f1 = syntheticWeightStats(getNetwork("lenet5"), { bits: 12, seed: 1 }).layers[2];
    // Expected max of 48 000 |N(0,1)| draws ≈ sqrt(2 ln(2·48000)) − small ≈ 4.4; E|z| = sqrt(2/π) ≈ 0.798.
    const maxZ = f1.maxAbsWeight / Math.sqrt(2 / 400);
    expect(maxZ).toBeGreaterThan(3.8);
    expect(maxZ).toBeLessThan(5.2);
    expect(f1.meanMagnitudeFraction).toBeCloseTo(Math.sqrt(2 / Math.PI) / maxZ, 2);
  });

  it("syntheticWeightStats equals magnitudeStats of the float32-rounded reference draws layerRng(seed, i).normal(), odd and even layer sizes", () => {
    // 70 001 weights: odd, so the polar sampler's spare draw is left over.
    const spec: NetworkSpec = {
      id: "wide",
      title: "wide",
      input: [1, 1, 70001],
      classes: 3,
      dataset: "none",
      layers: [
        { type: "linear", name: "a", outFeatures: 1 },
        { type: "linear", name: "b", outFeatures: 3 },
      ],
    };
    const fast = syntheticWeightStats(spec, { bits: 6, seed: 9 });
    [70001, 3].forEach((count, i) => {
      const rng = layerRng(9, i);
      const g = () => rng.normal();
      const sigma = Math.sqrt(2 / [70001, 1][i]);
      const reference = magnitudeStats(
        Float64Array.from({ length: count }, () => sigma * Math.fround(g())),
        6,
      );
      expect(fast.layers[i]).toEqual({ layer: ["a", "b"][i], type: "linear", synthetic: true, ...reference });
    });
  });

  it("layerRng(seed, i) draws differ across layers and seeds", () => {
    const first = new Set([0, 1, 2, 3].flatMap((s) => [0, 1, 2, 3].map((i) => layerRng(s, i).nextUint32())));
    expect(first.size).toBe(16);
  });

  it("weightStatsFromWeights uses real weights, flags them non-synthetic, and names a missing tensor", () => {
    const spec = getNetwork("lenet5");
    const weights: Record<string, Float32Array> = {};
    for (const [name, n] of [
      ["c1", 150],
      ["c2", 2400],
      ["f1", 48000],
      ["f2", 10080],
      ["f3", 840],
    ] as const) {
      weights[`${name}.weight`] = Float32Array.from({ length: n }, (_, i) => ((i % 7) - 3) / 3);
    }
    const s = weightStatsFromWeights(spec, weights, 4, "test weights");
    expect(s.synthetic).toBe(false);
    expect(s.layers[0].synthetic).toBe(false);
    // values −1, −2/3, −1/3, 0, 1/3, 2/3, 1 → magnitudes 15, 10, 5, 0, 5, 10, 15 over 150 = 21·7 + 3 weights
    expect(s.layers[0].magnitudeHistogram[15]).toBe(43);
    delete weights["f2.weight"];
    expect(() => weightStatsFromWeights(spec, weights, 4, "x")).toThrow(
      'lenet5: weights have no "f2.weight" for layer f2',
    );
  });

  it("syntheticWeightStats rejects bad bits", () => {
    expect(() => syntheticWeightStats(getNetwork("lenet5"), { bits: 0 })).toThrow(
      /bits: expected an integer magnitude width 1…16, got 0/,
    );
  });
});
