import { describe, expect, it } from "vitest";
import { foldBatchNorm, layerStats, quantizeWeights } from "@sccnn/nn";
import { getNetwork, loadTrainedWeights, networkLayerWeights, syntheticWeightStats } from "@sccnn/zoo";
import { workloadAt } from "../src/workload.ts";

describe("workload", () => {
  it("networkLayerWeights(lenet5, synthetic) quantised at N = 8 has exactly the zoo's syntheticWeightStats histograms", () => {
    const net = networkLayerWeights("lenet5", { seed: 1, useTrained: false });
    const stats = syntheticWeightStats(getNetwork("lenet5"), { bits: 8, seed: 1 });
    const layers = workloadAt(net, 8);
    layers.forEach((l, i) => {
      const h = new Array<number>(256).fill(0);
      for (const m of l.weightMagnitudes as Uint16Array) h[m]!++;
      expect(h, l.name).toEqual(stats.layers[i]!.magnitudeHistogram);
    });
  });

  it("workloadAt(net, N) carries the zoo's Timeloop dims and groups for every conv/linear layer", () => {
    const net = networkLayerWeights("mobilenet-v1", { seed: 1, useTrained: false });
    const layers = workloadAt(net, 4);
    const stats = layerStats(getNetwork("mobilenet-v1"));
    expect(layers.length).toBe(stats.length);
    layers.forEach((l, i) => {
      const s = stats[i]!;
      expect(l.dims).toEqual({ N: 1, C: s.C, K: s.K, R: s.R, S: s.S, P: s.P, Q: s.Q });
      expect(l.groups).toBe(s.groups);
      expect(l.weightMagnitudes.length).toBe(s.weights);
    });
    expect(layers.some((l) => l.groups > 1)).toBe(true);
  });

  it("workloadAt(trained fashion-cnn, N) quantises the batch-norm-folded weights the hardware runs, not the stored ones (issue 13)", () => {
    const net = networkLayerWeights("fashion-cnn", { seed: 1, useTrained: true });
    const raw = loadTrainedWeights("fashion-cnn").weights;
    const folded = foldBatchNorm(getNetwork("fashion-cnn"), raw).weights;
    const mag = (w: Float32Array, K: number) => Array.from(quantizeWeights(w, K, 8, false).q, Math.abs);
    let unfoldedDiffers = 0;
    for (const l of workloadAt(net, 8)) {
      const got = Array.from(l.weightMagnitudes);
      expect(got, l.name).toEqual(mag(folded[`${l.name}.weight`]!, l.dims.K));
      const unfolded = mag(raw[`${l.name}.weight`]!, l.dims.K);
      if (got.some((m, i) => m !== unfolded[i])) unfoldedDiffers++;
    }
    expect(unfoldedDiffers).toBeGreaterThan(0);
  });
});
