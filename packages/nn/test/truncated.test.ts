import { convOutputSize, truncDot, truncProductSigned } from "@sccnn/sc-core";
import { describe, expect, it } from "vitest";
import {
  accumulatorUnit,
  calibrateNetwork,
  checkArithmetic,
  layerAccumulate,
  quantizeCalibrated,
  quantizeLayerInput,
  runQuantized,
  scCoreBackend,
  wasmBackend,
  type QuantizedLayer,
} from "../src/quant/index.ts";
import { lenetShaped, lenetShapedWeights, seededFloats } from "./quant-helpers.ts";

const net = calibrateNetwork(lenetShaped, lenetShapedWeights(21), seededFloats(32 * 784, 22, 0, 1));
const x = seededFloats(4 * 784, 23, 0, 1);

/** Reference accumulators of a truncated layer: one truncProductSigned per MAC, plain loops. */
function referenceConv(l: QuantizedLayer, xq: Int32Array, xShape: number[], g: number): Int32Array {
  const [N, C, H, W] = xShape;
  const [K, Cg, R, S] = l.wShape;
  const P = convOutputSize(H, R, l.stride, l.padding);
  const Q = convOutputSize(W, S, l.stride, l.padding);
  const out = new Int32Array(N * K * P * Q);
  const bits = Math.max(l.bitsA, l.bitsW);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++)
      for (let p = 0; p < P; p++)
        for (let q = 0; q < Q; q++) {
          let s = 0;
          for (let c = 0; c < Cg; c++)
            for (let r = 0; r < R; r++)
              for (let t = 0; t < S; t++) {
                const h = p * l.stride - l.padding + r;
                const w = q * l.stride - l.padding + t;
                if (h < 0 || h >= H || w < 0 || w >= W) continue;
                const ch = Math.floor(k / (K / (l.groups ?? 1))) * Cg + c;
                s += truncProductSigned(
                  xq[((n * C + ch) * H + h) * W + w],
                  l.wInt[((k * Cg + c) * R + r) * S + t],
                  bits,
                  g,
                );
              }
          out[((n * K + k) * P + p) * Q + q] = s;
        }
  return out;
}

describe("fixed-trunc-g<g> arithmetic (truncated multiplier, g guard bits)", () => {
  it("checkArithmetic takes fixed-trunc-g0…g16 and refuses other names", () => {
    expect(checkArithmetic("fixed-trunc-g3")).toBe("fixed-trunc-g3");
    expect(() => checkArithmetic("fixed-trunc-g17")).toThrow(/fixed-trunc-g<g>/);
    expect(() => checkArithmetic("fixed-trunc")).toThrow(/arithmetic must be/);
  });

  it("conv and linear accumulators (wasm and TS backends) equal one truncProductSigned per MAC (wasm: nibble tables in one and two parts, and the stacked planes at N = 8, g = 6)", () => {
    for (const [bits, g] of [
      [4, 0],
      [6, 1],
      [8, 2],
      [8, 6],
    ] as const) {
      const q = quantizeCalibrated(net, { arithmetic: `fixed-trunc-g${g}`, bitsW: bits, bitsA: bits });
      const conv1 = q.layers.conv1;
      const xq = quantizeLayerInput(conv1, x);
      const shape = [4, 1, 28, 28];
      const want = referenceConv(conv1, xq, shape, g);
      for (const backend of [wasmBackend, scCoreBackend])
        expect(Array.from(layerAccumulate(conv1, xq, shape, backend).acc)).toEqual(Array.from(want));
      const fc = q.layers.fc1;
      const F = fc.wShape[1];
      const xf = quantizeLayerInput(fc, seededFloats(3 * F, 24 + bits, 0, 1));
      const acc = layerAccumulate(fc, xf, [3, F], wasmBackend).acc;
      for (let n = 0; n < 3; n++)
        for (let o = 0; o < fc.wShape[0]; o += 7)
          expect(acc[n * fc.wShape[0] + o]).toBe(
            truncDot(xf.subarray(n * F, (n + 1) * F), fc.wInt.subarray(o * F, (o + 1) * F), bits, g),
          );
    }
  });

  it("a multi-channel and a grouped truncated conv (planes stacked as channels) equal one truncProductSigned per MAC", () => {
    for (const [bits, g] of [
      [5, 0],
      [8, 3],
    ] as const) {
      const q = quantizeCalibrated(net, { arithmetic: `fixed-trunc-g${g}`, bitsW: bits, bitsA: bits });
      const conv2 = q.layers.conv2;
      const shape = [2, conv2.wShape[1], 12, 12];
      const xq = quantizeLayerInput(conv2, seededFloats(shape[0] * shape[1] * 144, 31 + bits, 0, 1));
      const grouped: QuantizedLayer = {
        ...conv2,
        groups: 2,
        wShape: [conv2.wShape[0], conv2.wShape[1] / 2, conv2.wShape[2], conv2.wShape[3]],
        wInt: conv2.wInt.subarray(0, conv2.wInt.length / 2),
      };
      for (const l of [conv2, grouped]) {
        const want = referenceConv(l, xq, shape, g);
        expect(new Set(Array.from(want)).size).toBeGreaterThan(10);
        for (const backend of [wasmBackend, scCoreBackend])
          expect(Array.from(layerAccumulate(l, xq, shape, backend).acc)).toEqual(Array.from(want));
      }
    }
  });

  it("g ≥ N runs exactly like fixed; fewer guard bits move the logits further from fixed", () => {
    const fixed = runQuantized(quantizeCalibrated(net, { arithmetic: "fixed", bitsW: 6, bitsA: 6 }), x);
    const full = runQuantized(quantizeCalibrated(net, { arithmetic: "fixed-trunc-g6", bitsW: 6, bitsA: 6 }), x);
    for (let i = 0; i < fixed.length; i++) expect(full[i]).toBeCloseTo(fixed[i], 4);
    const err = (g: number) => {
      const y = runQuantized(quantizeCalibrated(net, { arithmetic: `fixed-trunc-g${g}`, bitsW: 6, bitsA: 6 }), x);
      let e = 0;
      for (let i = 0; i < y.length; i++) e += (y[i] - fixed[i]) ** 2;
      return e;
    };
    expect(err(0)).toBeGreaterThan(err(2));
    expect(err(2)).toBeGreaterThan(0);
  });

  it("the accumulator unit is sA·sW·2^(N−g) at equal widths", () => {
    const l = quantizeCalibrated(net, { arithmetic: "fixed-trunc-g1", bitsW: 5, bitsA: 5 }).layers.fc2;
    expect(accumulatorUnit(l)[0]).toBeCloseTo(l.aScale * l.wScale[0] * 16, 12);
  });
});
