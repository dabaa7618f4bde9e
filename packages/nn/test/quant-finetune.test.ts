import { describe, expect, it } from "vitest";
import { buildModel } from "../src/engine/model.ts";
import {
  argmaxRows,
  calibrateNetwork,
  fineTune,
  fineTuneHooksFor,
  quantizeCalibrated,
  quantizeNetwork,
  runQuantized,
  type Arithmetic,
} from "../src/quant/index.ts";
import { lenetShaped, lenetShapedWeights, seededFloats } from "./quant-helpers.ts";

const net = calibrateNetwork(lenetShaped, lenetShapedWeights(7), seededFloats(16 * 784, 8, 0, 1));

describe("fine-tuning hooks", () => {
  for (const [arithmetic, bits] of [
    ["fixed", 6],
    ["sc-bisc", 4],
    ["sc-lfsr", 5],
  ] as [Arithmetic, number][]) {
    it(`the engine model with fineTuneHooksFor(${arithmetic} ${bits}/${bits}) computes the quantised runtime's logits`, () => {
      const q = quantizeCalibrated(net, { arithmetic, bitsW: bits, bitsA: bits, lfsrSeed: 3 });
      const model = buildModel(net.spec, { seed: 1 });
      model.loadWeights(net.weights);
      for (const [name, h] of Object.entries(fineTuneHooksFor(q))) model.setLayerHooks(name, h);
      const x = seededFloats(4 * 784, 9, 0, 1);
      const hooked = model.forward(x).data;
      const ref = runQuantized(q, x);
      // fixed: fake-quantised float products vs exact integer products (float rounding only);
      // SC: the override computes each layer with the same kernel and rescaling
      const tol = arithmetic === "fixed" ? 1e-4 : 1e-6;
      for (let i = 0; i < ref.length; i++)
        expect(Math.abs(hooked[i] - ref[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(ref[i])));
    });
  }
});

describe("fineTune", () => {
  // a task the network can learn: the labels the float network itself predicts
  const images = seededFloats(192 * 784, 10, 0, 1);
  const labels = argmaxRows(
    runQuantized(quantizeCalibrated(net, { arithmetic: "float32", bitsW: 8, bitsA: 8 }), images),
    10,
  );
  const q = quantizeCalibrated(net, { arithmetic: "sc-bisc", bitsW: 3, bitsA: 3 });
  const opts = { epochs: 3, batchSize: 32, optimizer: { type: "sgd" as const, lr: 0.02, momentum: 0.9 }, seed: 5 };

  it("fineTune(sc-bisc 3/3) is deterministic, lowers the training loss and pins the activation clips", () => {
    const a = fineTune(q, images, labels, opts);
    const b = fineTune(q, images, labels, opts);
    expect(a.log.map((e) => e.meanLoss)).toEqual(b.log.map((e) => e.meanLoss));
    for (const k of Object.keys(a.weights)) expect(Array.from(a.weights[k])).toEqual(Array.from(b.weights[k]));
    expect(a.log[2].meanLoss).toBeLessThan(a.log[0].meanLoss);
    expect(Array.from(a.weights["conv1.weight"])).not.toEqual(Array.from(net.weights["conv1.weight"]));
    for (const l of Object.values(q.layers)) expect(a.config.layers?.[l.name]?.aClip).toBeCloseTo(l.aScale * 7, 5);
    // the pinned clips reproduce the scales the fine-tuning ran with
    const again = quantizeNetwork(net.spec, a.weights, net.stats, a.config);
    for (const l of Object.values(q.layers)) expect(again.layers[l.name].aScale).toBeCloseTo(l.aScale, 6);
  });

  it("fineTune names the bad option", () => {
    expect(() => fineTune(q, images, labels, { ...opts, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => fineTune(q, images.subarray(0, 100), labels, opts)).toThrow(/pixels for 192 labels/);
  });
});
