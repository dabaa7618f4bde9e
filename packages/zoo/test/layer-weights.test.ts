import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildModel, foldBatchNorm, quantizeWeights } from "@sccnn/nn";
import { exportOnnx } from "@sccnn/onnx";
import {
  getNetwork,
  hardwareLayerWeights,
  hardwareWorkload,
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

  it("networkLayerWeights(fashion-cnn) gives the batch-norm-folded weights the hardware runs, not the stored ones (issue 13)", () => {
    const net = networkLayerWeights("fashion-cnn", { seed: 1 });
    const raw = loadTrainedWeights("fashion-cnn");
    const folded = foldBatchNorm(raw.spec, raw.weights).weights;
    const hw = hardwareLayerWeights({ network: "fashion-cnn", path: null }).layers;
    expect(net.synthetic).toBe(false);
    expect(net.layers.map((l) => l.stats)).toEqual(hw.map((l) => l.stats));
    let changed = 0;
    for (const { stats, weights } of net.layers) {
      expect(weights, stats.name).toEqual(folded[`${stats.name}.weight`]);
      if (!weights.every((v, i) => v === raw.weights[`${stats.name}.weight`]![i])) changed++;
    }
    expect(changed).toBeGreaterThan(0); // fashion-cnn has batch norm after its convs
  });

  it("networkLayerWeights of a file gives its batch-norm-folded weights", () => {
    const spec = getNetwork("fashion-cnn");
    const m = buildModel(spec, { seed: 8, kernels: "ts" });
    const path = join(mkdtempSync(join(tmpdir(), "lw-")), "fashion.onnx");
    writeFileSync(path, exportOnnx(spec, m.weights));
    const net = networkLayerWeights(path, { seed: 1, useTrained: false });
    const folded = foldBatchNorm(spec, m.weights).weights;
    for (const { stats, weights } of net.layers) expect(weights, stats.name).toEqual(folded[`${stats.name}.weight`]);
  });
});

describe("hardwareWorkload", () => {
  it("hardwareWorkload(fashion-cnn, N) holds |quantizeWeights| of the folded weights (per layer: not of the stored ones); lenet5 (no batch norm) is unchanged", () => {
    for (const [network, hasBn] of [
      ["fashion-cnn", true],
      ["lenet5", false],
    ] as const) {
      const net = networkLayerWeights(network, { seed: 1 });
      const raw = loadTrainedWeights(network).weights;
      const folded = foldBatchNorm(getNetwork(network), raw).weights;
      for (const perChannel of [false, true]) {
        const wl = hardwareWorkload(net.layers, 4, { perChannel });
        let differs = false;
        wl.forEach((l, i) => {
          const s = net.layers[i]!.stats;
          const mag = (w: Float32Array) => Array.from(quantizeWeights(w, s.K, 4, perChannel).q, Math.abs);
          expect(Array.from(l.weightMagnitudes), l.name).toEqual(mag(folded[`${l.name}.weight`]!));
          if (JSON.stringify(mag(raw[`${l.name}.weight`]!)) !== JSON.stringify(Array.from(l.weightMagnitudes)))
            differs = true;
          expect(l.dims).toEqual({ N: 1, C: s.C, K: s.K, R: s.R, S: s.S, P: s.P, Q: s.Q });
        });
        // folding scales each output channel by one factor: per-channel max-abs cancels it (up to
        // float rounding), per-layer quantisation does not
        if (!perChannel) expect(differs, network).toBe(hasBn);
      }
    }
  });

  it("hardwareWorkload with per-layer { bitsW, runBits } shifts the magnitudes to the run width and refuses a run width below bitsW", () => {
    const { layers } = hardwareLayerWeights({ network: "lenet5", path: null });
    const at4 = hardwareWorkload(layers, 4, { perChannel: false, batch: 3 });
    const bits = layers.map(() => ({ bitsW: 4, runBits: 6 }));
    const shifted = hardwareWorkload(layers, bits, { perChannel: false, batch: 3 });
    shifted.forEach((l, i) => {
      expect(l.dims.N).toBe(3);
      expect(Array.from(l.weightMagnitudes)).toEqual(Array.from(at4[i]!.weightMagnitudes, (m) => m * 4));
    });
    expect(() => hardwareWorkload(layers, bits.slice(1), { perChannel: false })).toThrow(/layer precisions/);
    expect(() =>
      hardwareWorkload(
        layers,
        layers.map(() => ({ bitsW: 4, runBits: 3 })),
        { perChannel: false },
      ),
    ).toThrow(/below its bitsW/);
  });
});
