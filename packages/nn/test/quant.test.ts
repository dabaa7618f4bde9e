import { describe, expect, it } from "vitest";
import {
  activationClip,
  fakeQuantizeReference,
  fakeQuantizeTensor,
  fakeQuantizeWeights,
  maxMagnitude,
  quantizeTensor,
  quantizeValue,
  quantizeWeights,
  scaleForClip,
  weightScales,
  type ActivationStats,
} from "../src/quant/index.ts";
import { seededFloats } from "./quant-helpers.ts";

describe("symmetric quantisation (magnitude bits, sign extra)", () => {
  it("maxMagnitude(bits) is 2^bits − 1 and rejects bits outside 1…16", () => {
    expect(maxMagnitude(1)).toBe(1);
    expect(maxMagnitude(8)).toBe(255);
    expect(() => maxMagnitude(0)).toThrow(/bits must be an integer 1…16/);
    expect(() => maxMagnitude(17)).toThrow(/bits/);
  });

  it("quantizeValue rounds half away from zero and clamps to ±(2^bits − 1), unsigned to [0, 2^bits − 1]", () => {
    expect(quantizeValue(2.5, 1, 4, true)).toBe(3);
    expect(quantizeValue(-2.5, 1, 4, true)).toBe(-3);
    expect(quantizeValue(100, 1, 4, true)).toBe(15);
    expect(quantizeValue(-100, 1, 4, true)).toBe(-15);
    expect(quantizeValue(-3, 1, 4, false)).toBe(0);
  });

  it("quantizeTensor agrees with quantizeValue element-wise and stays within |error| ≤ scale/2 inside the clip", () => {
    const x = seededFloats(1000, 7, -2, 2);
    for (const bits of [2, 4, 8]) {
      const scale = scaleForClip(2, bits);
      const q = quantizeTensor(x, scale, bits, true);
      for (let i = 0; i < x.length; i++) {
        expect(q[i]).toBe(quantizeValue(x[i], scale, bits, true));
        expect(Math.abs(q[i] * scale - x[i])).toBeLessThanOrEqual(scale / 2 + 1e-6);
      }
    }
  });

  it("weightScales per layer maps the largest |w| to 2^bits − 1; per channel does so for every channel", () => {
    const w = new Float32Array([0.4, -0.9, 0.25, 2, -0.7, 1.1]); // 2 channels × 3
    expect(Array.from(weightScales(w, 2, 4, false))).toEqual([2 / 15, 2 / 15].map(Math.fround));
    expect(Array.from(weightScales(w, 2, 4, true))).toEqual([Math.fround(0.9) / 15, 2 / 15].map(Math.fround));
    const { q } = quantizeWeights(w, 2, 4, true);
    expect(Array.from(q)).toEqual([7, -15, 4, 15, -5, 8]);
    expect(() => weightScales(w, 4, 4, true)).toThrow(/outChannels 4 does not divide/);
  });

  it("fakeQuantizeTensor is quantizeTensor's integers times the scale, bit for bit (no −0), signed and not", () => {
    const data = new Float32Array([
      ...seededFloats(5000, 7).map((v) => v * 3),
      0,
      -0,
      -1e-9,
      1e-9,
      0.5,
      -0.5,
      1.5,
      -1.5,
      2.5,
      -2.5,
      1e9,
      -1e9,
    ]);
    for (const [scale, bits, signed] of [
      [0.1, 4, true],
      [0.1, 4, false],
      [Math.fround(1 / 3), 8, true],
      [0.25, 1, true],
      [1, 2, false],
    ] as const) {
      const q = quantizeTensor(data, scale, bits, signed);
      const f = fakeQuantizeTensor(data, scale, bits, signed);
      for (let i = 0; i < data.length; i++)
        expect(Object.is(f[i], Math.fround(q[i]! * scale)), `${data[i]}`).toBe(true);
    }
  });

  it("quantizeWeights and fakeQuantizeWeights with one scale per layer (one pass, the SIMD kernel on large weights) equal the per-channel loop at that scale", () => {
    for (const [K, per] of [
      [2, 3],
      [120, 400],
    ] as const) {
      const w = Float32Array.from(seededFloats(K * per, 11 + K, -1, 1));
      const { q, scales } = quantizeWeights(w, K, 4, false);
      const f = fakeQuantizeWeights(w, K, 4, false);
      for (let k = 0; k < K; k++) {
        const part = w.subarray(k * per, (k + 1) * per);
        expect(Array.from(q.subarray(k * per, (k + 1) * per))).toEqual(
          Array.from(quantizeTensor(part, scales[k]!, 4, true)),
        );
        const want = fakeQuantizeReference(part, scales[k]!, 4, true);
        for (let i = 0; i < per; i++) expect(Object.is(f[k * per + i], want[i])).toBe(true);
      }
    }
  });

  it("fakeQuantizeWeights returns q·scale and an all-zero weight stays zero", () => {
    const w = new Float32Array([0.4, -0.9, 0.25, 2, -0.7, 1.1]);
    const f = fakeQuantizeWeights(w, 2, 2, false);
    const s = Math.fround(2 / 3);
    expect(Array.from(f)).toEqual([1, -1, 0, 3, -1, 2].map((q) => Math.fround(q * s)));
    expect(Array.from(fakeQuantizeWeights(new Float32Array(4), 1, 4, false))).toEqual([0, 0, 0, 0]);
  });
});

describe("activation calibration", () => {
  // 9 999 values evenly in [0, 1) and one outlier at 2
  const sorted = new Float32Array(Array.from({ length: 10_000 }, (_, i) => (i < 9999 ? i / 10_000 : 2))).sort();
  const stats: ActivationStats = { layer: "l", signed: false, maxAbs: 2, sortedAbs: sorted, count: 10_000 };

  it("activationClip max returns the largest |x| and percentile the p-th percentile", () => {
    expect(activationClip(stats, 8, { kind: "max" })).toBe(2);
    expect(activationClip(stats, 8, { kind: "percentile", percentile: 99.9 })).toBeCloseTo(0.9989, 5);
    expect(() => activationClip(stats, 8, { kind: "percentile", percentile: 0 })).toThrow(/percentile must be in/);
  });

  it("activationClip mse clips a lone outlier at 4 bits and lowers the quantisation error against max", () => {
    const clip = activationClip(stats, 4, { kind: "mse" });
    expect(clip).toBeLessThan(1.5);
    const mse = (c: number): number => {
      const s = scaleForClip(c, 4);
      let e = 0;
      for (const v of sorted) e += (v - Math.min(15, Math.round(v / s)) * s) ** 2;
      return e;
    };
    expect(mse(clip)).toBeLessThan(mse(2));
  });

  it("activationClip mse is memoised per statistics object and width: repeats equal a fresh search", () => {
    // a second statistics object with the same values has no memo: its clips are searched afresh
    const fresh = (): ActivationStats => ({ ...stats, sortedAbs: sorted.slice() });
    const clips = [2, 3, 4, 8].map((b) => activationClip(stats, b, { kind: "mse" }));
    expect(new Set(clips).size).toBeGreaterThan(1);
    for (const [i, b] of [2, 3, 4, 8].entries()) {
      expect(activationClip(stats, b, { kind: "mse" })).toBe(clips[i]);
      expect(activationClip(fresh(), b, { kind: "mse" })).toBe(clips[i]);
    }
    // other statistics have their own clips (the memo is not keyed by width alone)
    const halved: ActivationStats = { ...stats, maxAbs: 1, sortedAbs: sorted.map((v) => v / 2) };
    expect(activationClip(halved, 4, { kind: "mse" })).toBeCloseTo(clips[2]! / 2, 6);
  });
});
