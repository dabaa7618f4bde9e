import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildModel } from "@sccnn/nn";
import { exportOnnx } from "@sccnn/onnx";
import {
  getNetwork,
  layerRng,
  loadTrainedWeights,
  syntheticWeightStats,
  networkLayerWeights,
  weightStatsFromWeights,
} from "../src/index.ts";

describe("networkLayerWeights", () => {
  it("networkLayerWeights(untrained zoo id) draws the zoo's synthetic stream and its statistics equal syntheticWeightStats", () => {
    const net = networkLayerWeights("resnet20-cifar", { seed: 3 });
    expect(net).toMatchObject({ network: "resnet20-cifar", synthetic: true });
    const rng = layerRng(3, 1);
    expect(Array.from(net.layers[1].weights.subarray(0, 4))).toEqual(
      [rng.normal(), rng.normal(), rng.normal(), rng.normal()].map(Math.fround),
    );
    const weights = Object.fromEntries(net.layers.map((l) => [`${l.stats.name}.weight`, l.weights]));
    const fromWeights = weightStatsFromWeights(getNetwork("resnet20-cifar"), weights, 4, "x").layers.map(
      (l) => l.magnitudeHistogram,
    );
    expect(fromWeights).toEqual(
      syntheticWeightStats(getNetwork("resnet20-cifar"), { bits: 4, seed: 3 }).layers.map((l) => l.magnitudeHistogram),
    );
  });

  it("networkLayerWeights(lenet5) uses the trained checkpoint unless useTrained is false", () => {
    const trained = networkLayerWeights("lenet5", { seed: 1 });
    expect(trained).toMatchObject({ synthetic: false, source: "trained checkpoint (zoo weights/lenet5.ckpt)" });
    expect(trained.layers[0].weights).toEqual(loadTrainedWeights("lenet5").weights["c1.weight"]);
    expect(networkLayerWeights("lenet5", { seed: 1, useTrained: false }).synthetic).toBe(true);
  });

  it("networkLayerWeights(path.onnx) gives the file's weights per conv/linear layer with their dimensions", () => {
    const spec = getNetwork("vgg-small-cifar");
    const m = buildModel(spec, { seed: 8, kernels: "ts" });
    const path = join(mkdtempSync(join(tmpdir(), "lw-")), "vgg.onnx");
    writeFileSync(path, exportOnnx(spec, m.weights));
    const net = networkLayerWeights(path, { seed: 1, useTrained: false });
    expect(net).toMatchObject({ network: "vgg-small-cifar", synthetic: false, source: `ONNX file ${path}` });
    expect(net.layers.map((l) => [l.stats.name, l.stats.C, l.stats.K])).toEqual([
      ["conv1_1", 3, 32],
      ["conv1_2", 32, 32],
      ["conv2_1", 32, 64],
      ["conv2_2", 64, 64],
      ["fc1", 2304, 512],
      ["fc2", 512, 10],
    ]);
    expect(net.layers[4].weights).toEqual(m.weights["fc1.weight"]);
  });
});
