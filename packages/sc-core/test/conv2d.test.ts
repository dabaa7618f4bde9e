import { describe, expect, it } from "vitest";
import {
  convGeometry,
  intConv2d,
  scConv2d,
  scConv2dBitplane,
  scConv2dLut,
  scConv2dWith,
  type Conv2dOptions,
} from "../src/conv2d.ts";
import { simulateMacLane } from "../src/lane.ts";
import { Rng } from "../src/prng.ts";
import { SCHEMES, type ScSpec } from "../src/spec.ts";
import { gaussianSigned, randomSigned } from "./helpers.ts";

/** Naive NCHW convolution calling `dot(patch, weights)` once per output (the per-MAC reference). */
function naiveConv(
  input: ArrayLike<number>,
  inShape: number[],
  weight: ArrayLike<number>,
  wShape: number[],
  opts: Conv2dOptions,
  dot: (xs: number[], ws: number[]) => number,
): Int32Array {
  const g = convGeometry(inShape, wShape, opts);
  const out = new Int32Array(g.N * g.K * g.P * g.Q);
  for (let n = 0; n < g.N; n++)
    for (let ko = 0; ko < g.K; ko++) {
      const grp = Math.floor(ko / g.Kg);
      for (let p = 0; p < g.P; p++)
        for (let q = 0; q < g.Q; q++) {
          const xs: number[] = [];
          const ws: number[] = [];
          for (let c = 0; c < g.Cg; c++)
            for (let r = 0; r < g.R; r++)
              for (let s = 0; s < g.S; s++) {
                const y = p * g.stride - g.padding + r;
                const x = q * g.stride - g.padding + s;
                const inside = y >= 0 && y < g.H && x >= 0 && x < g.W;
                xs.push(inside ? input[((n * g.C + grp * g.Cg + c) * g.H + y) * g.W + x]! : 0);
                ws.push(weight[((ko * g.Cg + c) * g.R + r) * g.S + s]!);
              }
          out[((n * g.K + ko) * g.P + p) * g.Q + q] = dot(xs, ws);
        }
    }
  return out;
}

const CONFIGS: { inShape: number[]; wShape: number[]; opts: Conv2dOptions }[] = [
  { inShape: [2, 3, 6, 5], wShape: [4, 3, 3, 3], opts: {} },
  { inShape: [1, 4, 7, 7], wShape: [6, 2, 3, 3], opts: { stride: 2, padding: 1, groups: 2 } },
  { inShape: [2, 3, 5, 6], wShape: [3, 1, 3, 2], opts: { padding: 2, groups: 3 } }, // depthwise
  { inShape: [1, 2, 4, 4], wShape: [5, 2, 1, 1], opts: { stride: 3 } },
];

describe("scConv2d", () => {
  it("scConv2d equals a naive per-MAC loop over the cycle-level lane (stride, padding, groups; every scheme)", () => {
    const rng = new Rng(31);
    for (const scheme of SCHEMES) {
      for (const [ci, cfg] of CONFIGS.entries()) {
        const N = [3, 5, 8, 4][ci]!;
        const countOperand = ci % 2 ? "x" : "w";
        const spec: ScSpec = { scheme, bits: N, countOperand };
        const input = randomSigned(
          rng,
          N,
          cfg.inShape.reduce((a, b) => a * b, 1),
        );
        const weight = gaussianSigned(
          rng,
          N,
          cfg.wShape.reduce((a, b) => a * b, 1),
        );
        const ref = naiveConv(
          input,
          cfg.inShape,
          weight,
          cfg.wShape,
          cfg.opts,
          (xs, ws) => simulateMacLane(spec, xs, ws).acc,
        );
        const got = scConv2d(spec, input, cfg.inShape, weight, cfg.wShape, cfg.opts);
        const geo = convGeometry(cfg.inShape, cfg.wShape, cfg.opts);
        expect(got.shape).toEqual([cfg.inShape[0], cfg.wShape[0], geo.P, geo.Q]);
        expect(got.data).toEqual(ref);
        expect(scConv2dLut(spec, input, cfg.inShape, weight, cfg.wShape, cfg.opts).data).toEqual(ref);
        expect(scConv2dWith("row-lut", spec, input, cfg.inShape, weight, cfg.wShape, cfg.opts).data).toEqual(ref);
        if (scheme === "bisc")
          expect(scConv2dBitplane(spec, input, cfg.inShape, weight, cfg.wShape, cfg.opts).data).toEqual(ref);
      }
    }
  });
  it("scConv2d and scConv2dBitplane equal scConv2dLut on a LeNet-sized layer at N = 8, both count operands", () => {
    const rng = new Rng(32);
    const inShape = [4, 6, 12, 12];
    const wShape = [16, 6, 5, 5];
    const input = randomSigned(rng, 8, 4 * 6 * 144);
    const weight = gaussianSigned(rng, 8, 16 * 6 * 25);
    for (const countOperand of ["w", "x"] as const) {
      const spec: ScSpec = { scheme: "bisc", bits: 8, countOperand };
      const ref = scConv2dLut(spec, input, inShape, weight, wShape).data;
      expect(scConv2d(spec, input, inShape, weight, wShape).data).toEqual(ref);
      expect(scConv2dBitplane(spec, input, inShape, weight, wShape).data).toEqual(ref);
    }
  });
  it("scConv2d and scConv2dBitplane at N = 12 with stride, padding and groups equal scConv2dLut", () => {
    const rng = new Rng(33);
    const inShape = [2, 4, 9, 9];
    const wShape = [6, 2, 3, 3];
    const opts = { padding: 1, stride: 2, groups: 2 };
    const input = randomSigned(rng, 12, 2 * 4 * 81);
    const weight = randomSigned(rng, 12, 6 * 2 * 9);
    const spec: ScSpec = { scheme: "bisc", bits: 12 };
    const ref = scConv2dLut(spec, input, inShape, weight, wShape, opts).data;
    expect(scConv2d(spec, input, inShape, weight, wShape, opts).data).toEqual(ref);
    expect(scConv2dBitplane(spec, input, inShape, weight, wShape, opts).data).toEqual(ref);
  });
  it("intConv2d equals the naive integer convolution for every config", () => {
    const rng = new Rng(34);
    for (const cfg of CONFIGS) {
      const input = randomSigned(
        rng,
        8,
        cfg.inShape.reduce((a, b) => a * b, 1),
      );
      const weight = randomSigned(
        rng,
        8,
        cfg.wShape.reduce((a, b) => a * b, 1),
      );
      const ref = naiveConv(input, cfg.inShape, weight, cfg.wShape, cfg.opts, (xs, ws) =>
        xs.reduce((s, x, i) => s + x * ws[i]!, 0),
      );
      expect(intConv2d(input, cfg.inShape, weight, cfg.wShape, cfg.opts).data).toEqual(ref);
    }
  });
  it("scConv2d rejects bad shapes and options naming the parameter", () => {
    const spec: ScSpec = { scheme: "bisc", bits: 4 };
    const input = new Int32Array(2 * 4 * 4);
    const weight = new Int32Array(2 * 2 * 3 * 3);
    expect(() => scConv2d(spec, input, [1, 2, 4, 4], weight, [2, 2, 3, 3])).not.toThrow();
    expect(() => scConv2d(spec, input, [1, 2, 4, 4], weight, [2, 2, 3, 3], { groups: 2 })).toThrow(
      /wShape\[1\] must be C\/groups = 1/,
    );
    expect(() => scConv2d(spec, input, [1, 3, 4, 4], weight, [2, 2, 3, 3], { groups: 3 })).toThrow(
      /^groups = 3 must divide wShape\[0\]/,
    );
    expect(() => scConv2d(spec, input, [1, 2, 4, 4], weight, [2, 2, 3, 3], { stride: 0 })).toThrow(/^stride/);
    expect(() => scConv2d(spec, input, [1, 2, 4, 4], weight, [2, 2, 3, 3], { padding: -1 })).toThrow(/^padding/);
    expect(() => scConv2d(spec, input, [1, 2, 3, 3], weight, [2, 2, 3, 3])).toThrow(/^input must have length 18/);
    expect(() => scConv2d(spec, input.subarray(0, 8), [1, 2, 2, 2], weight, [2, 2, 3, 3])).toThrow(/does not fit/);
    expect(() => scConv2d(spec, input, [1, 2, 4], weight, [2, 2, 3, 3])).toThrow(/^inShape/);
    const bad = new Int32Array(weight.length);
    bad[5] = 16;
    expect(() => scConv2d(spec, input, [1, 2, 4, 4], bad, [2, 2, 3, 3])).toThrow(
      /^weight\[5\] must be an integer in −15…15/,
    );
  });
});
