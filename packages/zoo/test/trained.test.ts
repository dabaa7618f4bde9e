import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { buildModel, evaluate } from "@sccnn/nn";
import { loadDataset } from "@sccnn/datasets";
import { FASHION_MNIST, skipWithout } from "@sccnn/test-support";
import {
  checkpointPath,
  getNetwork,
  zooWeightStats,
  loadTrainedWeights,
  trainLogPath,
  trainedNetworkIds,
  weightStatsFromWeights,
} from "../src/index.ts";

// Float32 targets of issue 3 on the 10 000-image test sets.
const TARGETS: Record<string, number> = { lenet5: 0.99, "fashion-cnn": 0.91 };

describe("committed trained weights", () => {
  it("trainedNetworkIds() lists the committed checkpoints of lenet5 and fashion-cnn", () => {
    expect(trainedNetworkIds()).toEqual(expect.arrayContaining(["lenet5", "fashion-cnn"]));
  });

  for (const id of Object.keys(TARGETS)) {
    it(`loadTrainedWeights('${id}') reproduces the recorded test accuracy (≥ ${100 * TARGETS[id]} %) on all 10 000 test images`, (ctx) => {
      if (getNetwork(id).dataset === "fashion-mnist") skipWithout(ctx, FASHION_MNIST);
      const ckpt = loadTrainedWeights(id);
      expect(ckpt.spec).toEqual(getNetwork(id));
      const recorded = ckpt.header.accuracy?.test;
      expect(recorded).toBeGreaterThanOrEqual(TARGETS[id]);
      const model = buildModel(ckpt.spec, { seed: ckpt.seed });
      model.loadWeights(ckpt.weights);
      const test = loadDataset(ckpt.spec.dataset, "test");
      const r = evaluate(model, test);
      expect(r.count).toBe(10000);
      expect(r.accuracy).toBeCloseTo(recorded!, 3);
    });

    it(`weights/${id}.train.log records the command, config, epochs and final accuracy`, () => {
      expect(existsSync(trainLogPath(id))).toBe(true);
      const log = readFileSync(trainLogPath(id), "utf8");
      expect(log).toContain(`command: pnpm train ${id}`);
      expect(log).toMatch(/^recipe: \{"seed":\d+/m);
      expect(log).toMatch(/^epoch {2}1: /m);
      expect(log).toMatch(/^final float32 test accuracy: \d+\.\d\d %/m);
      expect(log).toMatch(/^wall time: \d+\.\d s/m);
    });
  }

  it("weightStatsFromWeights(lenet5 checkpoint) gives non-synthetic per-layer magnitude statistics", () => {
    const ckpt = loadTrainedWeights("lenet5");
    const s = weightStatsFromWeights(ckpt.spec, ckpt.weights, 8, checkpointPath("lenet5"));
    expect(s.synthetic).toBe(false);
    expect(s.layers.map((l) => l.layer)).toEqual(["c1", "c2", "f1", "f2", "f3"]);
    for (const l of s.layers) expect(l.meanMagnitudeFraction).toBeGreaterThan(0.01);
  });

  it("zooWeightStats uses the checkpoint for lenet5 (not synthetic) and the synthetic distribution for resnet20-cifar", () => {
    const real = zooWeightStats("lenet5", { bits: 8 });
    expect(real.synthetic).toBe(false);
    expect(real.source).toContain("weights/lenet5.ckpt");
    const synthetic = zooWeightStats("resnet20-cifar", { bits: 8, seed: 2 });
    expect(synthetic.synthetic).toBe(true);
    expect(synthetic.layers.every((l) => l.synthetic)).toBe(true);
    expect(synthetic.layers).toHaveLength(22);
  });

  it("loadTrainedWeights of a network without weights says how to get them and lists the trained ones", () => {
    expect(() => loadTrainedWeights("vgg16")).toThrow(
      /vgg16: no trained weights at .*vgg16\.ckpt \(this network has no training recipe here.*; trained: .*lenet5/,
    );
    expect(() => loadTrainedWeights("resnet20-cifar")).toThrow(/make them with `pnpm train resnet20-cifar`/);
  });
});
