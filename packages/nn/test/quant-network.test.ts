import { describe, expect, it } from "vitest";
import {
  accumulatorUnit,
  calibrateNetwork,
  floatOnlyLayers,
  layerKernelWeights,
  quantizeCalibrated,
  runQuantized,
  scBitsOf,
} from "../src/quant/index.ts";
import { buildModel } from "../src/engine/index.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { lenetShaped, lenetShapedWeights, seededFloats } from "./quant-helpers.ts";

const net = calibrateNetwork(lenetShaped, lenetShapedWeights(11), seededFloats(32 * 784, 12, 0, 1));
const x = seededFloats(8 * 784, 13, 0, 1);
const float = runQuantized(quantizeCalibrated(net, { arithmetic: "float32", bitsW: 8, bitsA: 8 }), x);

function relRms(a: Float32Array, b: Float32Array): number {
  let e = 0,
    s = 0;
  for (let i = 0; i < a.length; i++) {
    e += (a[i] - b[i]) ** 2;
    s += b[i] ** 2;
  }
  return Math.sqrt(e / s);
}

describe("quantizeNetwork and runQuantized", () => {
  it("runQuantized(fixed) approaches the float logits as the width grows (8 bits within 2 % RMS, 4 bits worse)", () => {
    const e8 = relRms(runQuantized(quantizeCalibrated(net, { arithmetic: "fixed", bitsW: 8, bitsA: 8 }), x), float);
    const e4 = relRms(runQuantized(quantizeCalibrated(net, { arithmetic: "fixed", bitsW: 4, bitsA: 4 }), x), float);
    expect(e8).toBeLessThan(0.02);
    expect(e4).toBeGreaterThan(e8);
  });

  it("runQuantized(sc-bisc 8/8) stays within 5 % RMS of float, and its error exceeds fixed 8/8's", () => {
    const sc = relRms(runQuantized(quantizeCalibrated(net, { arithmetic: "sc-bisc", bitsW: 8, bitsA: 8 }), x), float);
    const fx = relRms(runQuantized(quantizeCalibrated(net, { arithmetic: "fixed", bitsW: 8, bitsA: 8 }), x), float);
    expect(sc).toBeLessThan(0.05);
    expect(sc).toBeGreaterThan(fx);
  });

  it("an SC layer with bitsW 4 < bitsA 6 runs at N = 6 with weights left-aligned by 2 bits and unit sA·sW·2^4", () => {
    const q = quantizeCalibrated(net, {
      arithmetic: "sc-bisc",
      bitsW: 8,
      bitsA: 8,
      layers: { fc1: { bitsW: 4, bitsA: 6 } },
    });
    const l = q.layers.fc1;
    expect(scBitsOf(l)).toBe(6);
    expect(Array.from(layerKernelWeights(l).subarray(0, 20))).toEqual(Array.from(l.wInt.subarray(0, 20), (w) => w * 4));
    expect(Math.max(...Array.from(l.wInt, Math.abs))).toBe(15);
    expect(accumulatorUnit(l)[0]).toBeCloseTo(l.aScale * l.wScale[0] * 16, 12);
    expect(q.layers.conv1.bitsW).toBe(8);
  });

  it("per-layer arithmetic: a float32 last layer keeps its float weights while the others are SC", () => {
    const q = quantizeCalibrated(net, {
      arithmetic: "sc-bisc",
      bitsW: 6,
      bitsA: 6,
      layers: { fc3: { arithmetic: "float32" } },
    });
    expect(q.layers.fc3.arithmetic).toBe("float32");
    expect(q.layers.conv1.arithmetic).toBe("sc-bisc");
    expect(runQuantized(q, x).length).toBe(80);
  });

  it("quantizeCalibrated names the bad field: unknown layer, bad bits, bad arithmetic", () => {
    expect(() =>
      quantizeCalibrated(net, { arithmetic: "fixed", bitsW: 8, bitsA: 8, layers: { nope: { bitsW: 4 } } }),
    ).toThrow(/config\.layers\.nope/);
    expect(() =>
      quantizeCalibrated(net, { arithmetic: "fixed", bitsW: 8, bitsA: 8, layers: { fc1: { bitsA: 0 } } }),
    ).toThrow(/config\.layers\.fc1\.bitsA/);
    expect(() => quantizeCalibrated(net, { arithmetic: "sc-magic" as never, bitsW: 8, bitsA: 8 })).toThrow(
      /config\.arithmetic must be one of/,
    );
  });

  it("quantizeCalibrated(perChannel) gives each output channel its own max-abs scale and fixed 8/8 stays within 2 % RMS", () => {
    const q = quantizeCalibrated(net, { arithmetic: "fixed", bitsW: 8, bitsA: 8, perChannel: true });
    const l = q.layers.conv2;
    expect(new Set(Array.from(l.wScale)).size).toBe(16);
    const per = l.wInt.length / 16;
    for (let k = 0; k < 16; k++)
      expect(Math.max(...Array.from(l.wInt.subarray(k * per, (k + 1) * per), Math.abs))).toBe(255);
    expect(relRms(runQuantized(q, x), float)).toBeLessThan(0.02);
  });

  it("runQuantized is deterministic: two runs give identical logits", () => {
    const q = quantizeCalibrated(net, { arithmetic: "sc-lfsr", bitsW: 5, bitsA: 5, lfsrSeed: 7 });
    expect(Array.from(runQuantized(q, x))).toEqual(Array.from(runQuantized(q, x)));
  });
});

describe("runQuantized over the layers imported networks bring (concat, sigmoid, tanh, avgpool without padding counted, batch norm on the input)", () => {
  const spec: NetworkSpec = {
    id: "imported-shapes",
    title: "t",
    input: [2, 6, 6],
    classes: 4,
    dataset: "synthetic",
    layers: [
      { type: "batchnorm", name: "bn_in" },
      { type: "conv", name: "stem", outChannels: 3, kernel: 3, padding: 1 },
      {
        type: "concat",
        branches: [[], [{ type: "conv", name: "br", outChannels: 2, kernel: 1 }, { type: "sigmoid" }]],
      },
      { type: "avgpool", kernel: 3, stride: 2, padding: 1, countIncludePad: false },
      { type: "tanh" },
      { type: "linear", name: "fc", outFeatures: 4 },
    ],
  };
  const model = buildModel(spec, { seed: 3, kernels: "ts" });
  const w = model.weights;
  w["bn_in.runningMean"].set([0.1, -0.2]);
  w["bn_in.runningVar"].set([0.5, 2]);
  w["bn_in.gamma"].set([1.5, 0.7]);
  const images = seededFloats(5 * 72, 21, 0, 1);
  const reference = model.forward(images).data;
  const cal = calibrateNetwork(spec, w, images);

  it("the float32 path equals the engine's forward within 1e-5 (batch norm on the input stays unfolded)", () => {
    const y = runQuantized(quantizeCalibrated(cal, { arithmetic: "float32", bitsW: 8, bitsA: 8 }), images);
    expect(cal.spec.layers[0]).toEqual({ type: "batchnorm", name: "bn_in" });
    let d = 0;
    for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(y[i] - reference[i]));
    expect(d).toBeLessThan(1e-5);
  });

  it("sc-bisc 8/8 runs it (sigmoid and tanh in float) within 10 % RMS of float, and floatOnlyLayers names them", () => {
    const sc = runQuantized(quantizeCalibrated(cal, { arithmetic: "sc-bisc", bitsW: 8, bitsA: 8 }), images);
    expect(relRms(sc, reference)).toBeLessThan(0.1);
    expect(floatOnlyLayers(spec.layers)).toEqual(["sigmoid", "tanh"]);
    expect(floatOnlyLayers(lenetShaped.layers)).toEqual([]);
  });
});
