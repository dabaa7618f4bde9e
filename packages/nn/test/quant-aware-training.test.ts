import { describe, expect, it } from "vitest";
import { scMultiply } from "@sccnn/sc-core";
import {
  argmaxRows,
  binomialInterval95,
  binomialInterval95Pct,
  calibrateNetwork,
  compensateScBias,
  cycleLevelBackend,
  evaluateQuantized,
  fineTune,
  quantizeCalibrated,
  quantizeNetwork,
  runQuantized,
} from "../src/quant/index.ts";
import { lenetShaped, lenetShapedWeights, seededFloats } from "./quant-helpers.ts";

const net = calibrateNetwork(lenetShaped, lenetShapedWeights(7), seededFloats(16 * 784, 8, 0, 1));
const images = seededFloats(192 * 784, 10, 0, 1);
const labels = argmaxRows(
  runQuantized(quantizeCalibrated(net, { arithmetic: "float32", bitsW: 8, bitsA: 8 }), images),
  10,
);
const valImages = seededFloats(64 * 784, 11, 0, 1);
const valLabels = argmaxRows(
  runQuantized(quantizeCalibrated(net, { arithmetic: "float32", bitsW: 8, bitsA: 8 }), valImages),
  10,
);

describe("fineTune with validation and early stopping", () => {
  const q = quantizeCalibrated(net, { arithmetic: "sc-bisc", bitsW: 2, bitsA: 2 });
  const calls: number[] = [];
  const validate = (w: Record<string, Float32Array>, config: Parameters<typeof quantizeNetwork>[3]) => {
    const acc = evaluateQuantized(quantizeNetwork(net.spec, w, net.stats, config), valImages, valLabels).accuracy;
    calls.push(acc);
    return acc;
  };
  const opts = {
    epochs: 4,
    periodImages: 64,
    batchSize: 32,
    optimizer: { type: "sgd" as const, lr: 0.05, momentum: 0.9 },
    seed: 3,
    validate,
  };

  it("fineTune validates the start and every period, and returns the best period's weights", () => {
    calls.length = 0;
    const r = fineTune(q, images, labels, opts);
    expect(calls.length).toBe(r.log.length + 1);
    expect(r.startValidationAccuracy).toBe(calls[0]);
    expect(r.bestValidationAccuracy).toBe(Math.max(...calls));
    expect(calls.indexOf(Math.max(...calls))).toBe(r.bestPeriod);
    // the returned weights give the best validation accuracy again
    const again = evaluateQuantized(quantizeNetwork(net.spec, r.weights, net.stats, r.config), valImages, valLabels);
    expect(again.accuracy).toBe(r.bestValidationAccuracy);
    for (const e of r.log) expect(e.validationAccuracy).toBeTypeOf("number");
  });

  it("fineTune stops after `patience` periods without a better validation accuracy", () => {
    // a validation that never improves on the start: stop after exactly `patience` periods
    const r = fineTune(q, images, labels, { ...opts, epochs: 10, patience: 2, validate: () => 0.5 });
    expect(r.log.length).toBe(2);
    expect(r.bestPeriod).toBe(0);
    for (const [k, v] of Object.entries(r.weights)) expect(Array.from(v)).toEqual(Array.from(net.weights[k]!));
  });

  it("fineTune with periodImages draws a continuing shuffled stream (deterministic per seed)", () => {
    const a = fineTune(q, images, labels, { ...opts, validate: undefined });
    const b = fineTune(q, images, labels, { ...opts, validate: undefined });
    expect(a.log.length).toBe(4);
    expect(a.log.map((e) => e.meanLoss)).toEqual(b.log.map((e) => e.meanLoss));
    expect(() => fineTune(q, images, labels, { ...opts, periodImages: 16 })).toThrow(/periodImages/);
    expect(() => fineTune(q, images, labels, { ...opts, patience: 0 })).toThrow(/patience/);
  });
});

describe("compensateScBias", () => {
  const calib = seededFloats(32 * 784, 12, 0, 1);
  const q = quantizeCalibrated(net, { arithmetic: "sc-bisc", bitsW: 4, bitsA: 4 });

  it("compensateScBias(sc-bisc 4/4) presets each channel by minus its mean count error, measured with the cycle-level reference", () => {
    const few = calib.subarray(0, 2 * 784);
    const fast = compensateScBias(q, few).presets;
    const ref = compensateScBias(q, few, { backend: cycleLevelBackend }).presets;
    for (const name of Object.keys(q.layers)) expect(Array.from(fast[name]!)).toEqual(Array.from(ref[name]!));
    const { qnet, presets } = compensateScBias(q, calib);
    expect(
      Object.values(presets)
        .flatMap((p) => Array.from(p))
        .some((v) => v !== 0),
    ).toBe(true);
    // the presets measure the counts alone (the bias is not part of them): the first layer, whose
    // inputs do not depend on earlier compensation, measures the same again
    const twice = compensateScBias(qnet, calib).presets;
    expect(Array.from(twice.conv1!)).toEqual(Array.from(presets.conv1!));
    // conv1 (first layer, no earlier compensation): preset = −round(mean over images/positions of count − x·w/16)
    const l = q.layers.conv1!;
    // one count is sA·sW·2^(bitsA + bitsW − N) = 16·sA·sW at 4/4
    expect(qnet.layers.conv1!.bias[0]).toBeCloseTo(l.bias[0]! + presets.conv1![0]! * 16 * l.aScale * l.wScale[0]!, 5);
  });

  it("compensateScBias's first-layer preset equals a direct count over sc-core's scalar BISC multiply", () => {
    const l = q.layers.conv1!;
    const x = Array.from(calib.subarray(0, 784), (v) => Math.min(15, Math.max(0, Math.round(v / l.aScale))));
    // channel 0, one image, padding as in the layer
    const n1 = compensateScBias(q, calib.subarray(0, 784)).presets.conv1![0]!;
    const [, , R, S] = l.wShape;
    const pad = l.padding;
    const P = 28 + 2 * pad - R! + 1;
    let err = 0;
    for (let p = 0; p < P; p++)
      for (let qq = 0; qq < P; qq++)
        for (let r = 0; r < R!; r++)
          for (let s = 0; s < S!; s++) {
            const yy = p + r - pad,
              xx = qq + s - pad;
            if (yy < 0 || yy >= 28 || xx < 0 || xx >= 28) continue;
            const xv = x[yy * 28 + xx]!;
            const wv = l.wInt[r * S! + s]!;
            err += scMultiply({ scheme: "bisc", bits: 4 }, xv, wv) - (xv * wv) / 16;
          }
    expect(n1).toBe(-Math.round(err / (P * P)));
  });

  it("compensateScBias leaves a fixed network unchanged", () => {
    const f = quantizeCalibrated(net, { arithmetic: "fixed", bitsW: 4, bitsA: 4 });
    const { qnet, presets } = compensateScBias(f, calib);
    expect(Object.keys(presets)).toEqual([]);
    expect(Array.from(runQuantized(qnet, calib))).toEqual(Array.from(runQuantized(f, calib)));
  });
});

describe("binomialInterval95", () => {
  it("binomialInterval95 gives the Wilson interval (9 900 of 10 000: 98.79 … 99.18 %)", () => {
    const { lo, hi } = binomialInterval95(9900, 10000);
    expect(lo).toBeCloseTo(0.98785, 4);
    expect(hi).toBeCloseTo(0.99177, 4);
    expect(binomialInterval95(0, 10).lo).toBe(0);
    expect(binomialInterval95(10, 10).hi).toBe(1);
    expect(() => binomialInterval95(11, 10)).toThrow(/correct/);
  });
});

describe("binomialInterval95Pct", () => {
  it("binomialInterval95Pct(9900, 10000) is the Wilson interval in percent, 98.7853…99.1771 % (closed form by hand)", () => {
    const w = binomialInterval95Pct(9900, 10000);
    expect(w.lo).toBeCloseTo(98.7853, 3);
    expect(w.hi).toBeCloseTo(99.1771, 3);
    expect(binomialInterval95Pct(10, 10).lo).toBeCloseTo(72.25, 1);
    expect(binomialInterval95Pct(10, 10).hi).toBe(100);
  });
});
