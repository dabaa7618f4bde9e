import { resolveLaneSpec, simulateMacLane } from "@sccnn/sc-core";
import { describe, expect, it } from "vitest";
import { latencyStats } from "../src/latency.ts";
import { erf, gaussianMagnitudePmf, gaussianMagnitudePmfExact, uniformMagnitudePmf } from "../src/weights.ts";

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe("erf", () => {
  it("erf matches tabulated values to 1e-12", () => {
    // Abramowitz & Stegun table 7.1 / high-precision references.
    const table: [number, number][] = [
      [0, 0],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [2.5, 0.999593047982555],
      [3, 0.9999779095030014],
      [-1, -0.8427007929497149],
    ];
    for (const [x, v] of table) expect(Math.abs(erf(x) - v), `erf(${x})`).toBeLessThan(1e-12);
  });
});

describe("weight distributions", () => {
  it("uniformMagnitudePmf(N) sums to 1 with mean |q| = 2^N(2^N − 1)/(2^(N+1) − 1)", () => {
    for (const bits of [1, 2, 5, 8]) {
      const pmf = uniformMagnitudePmf(bits);
      const max = 2 ** bits - 1;
      expect(sum(pmf)).toBeCloseTo(1, 12);
      const mean = Array.from(pmf).reduce((s, p, m) => s + p * m, 0);
      expect(mean).toBeCloseTo((max * (max + 1)) / (2 * max + 1), 10);
    }
  });

  it("gaussianMagnitudePmf's mean |q| lies within 5 standard errors of the exact pmf's", () => {
    const samples = 20000;
    for (const bits of [2, 4, 8]) {
      const exact = gaussianMagnitudePmfExact(bits, 3);
      expect(sum(exact)).toBeCloseTo(1, 10);
      const mean = Array.from(exact).reduce((s, p, m) => s + p * m, 0);
      const variance = Array.from(exact).reduce((s, p, m) => s + p * (m - mean) ** 2, 0);
      const sampled = gaussianMagnitudePmf(bits, { samples, seed: 7, clipSigma: 3 });
      const sampledMean = Array.from(sampled).reduce((s, p, m) => s + p * m, 0);
      expect(Math.abs(sampledMean - mean), `N = ${bits}`).toBeLessThan(5 * Math.sqrt(variance / samples));
    }
  });

  it("gaussianMagnitudePmf gives the same pmf for the same seed and a different one for another seed", () => {
    const a = gaussianMagnitudePmf(6, { samples: 1000, seed: 1, clipSigma: 3 });
    expect(gaussianMagnitudePmf(6, { samples: 1000, seed: 1, clipSigma: 3 })).toEqual(a);
    expect(gaussianMagnitudePmf(6, { samples: 1000, seed: 2, clipSigma: 3 })).not.toEqual(a);
  });

  it("gaussianMagnitudePmf with max-abs scaling maps the largest draw to 2^N − 1 and gives a smaller mean than a 3σ clip", () => {
    const samples = 20000;
    const maxAbs = gaussianMagnitudePmf(8, { samples, seed: 3, clipSigma: 3, scaling: "max-abs" });
    const clip = gaussianMagnitudePmf(8, { samples, seed: 3, clipSigma: 3 });
    const mean = (pmf: Float64Array) => Array.from(pmf).reduce((s, p, m) => s + p * m, 0);
    expect(maxAbs[255]! * samples).toBeGreaterThanOrEqual(1);
    // The largest of 20 000 half-normal draws is about 4σ, so E|q| / 255 falls from ~0.27 (3σ clip) to ~0.2.
    expect(mean(maxAbs)).toBeLessThan(mean(clip));
    expect(mean(maxAbs) / 255).toBeGreaterThan(0.15);
    expect(mean(maxAbs) / 255).toBeLessThan(0.25);
  });

  it("gaussianMagnitudePmf and uniformMagnitudePmf name a bad bits value", () => {
    expect(() => uniformMagnitudePmf(0)).toThrow(/bits \(N\)/);
    expect(() => gaussianMagnitudePmf(17, { samples: 10, seed: 1, clipSigma: 3 })).toThrow(/bits \(N\)/);
  });
});

describe("latencyStats", () => {
  it("latencyStats(uniform) equals the mean cycles of sc-core's cycle-level lane over every signed weight", () => {
    for (const bits of [2, 4, 6]) {
      const max = 2 ** bits - 1;
      const ws = Array.from({ length: 2 * max + 1 }, (_, i) => i - max);
      const xs = ws.map(() => max);
      for (const parallel of [1, 2, 4, 8, 16]) {
        for (const zeroWeightCycles of [0, 1] as const) {
          const lane = { scheme: "bisc" as const, bits, parallel, zeroWeightCycles };
          const simulated = simulateMacLane(lane, xs, ws).cycles / ws.length;
          expect(
            latencyStats(uniformMagnitudePmf(bits), lane).meanLatencyCycles,
            `N=${bits} b=${parallel} zero=${zeroWeightCycles}`,
          ).toBeCloseTo(simulated, 10);
        }
      }
    }
  });

  it("latencyStats reports 2^N / b as the full-stream latency and checks the pmf length", () => {
    const lane = { scheme: "bisc" as const, bits: 8, parallel: 4, zeroWeightCycles: 1 as const };
    expect(latencyStats(uniformMagnitudePmf(8), lane).fullStreamCycles).toBe(64);
    expect(resolveLaneSpec(lane).parallel).toBe(4);
    expect(() => latencyStats(uniformMagnitudePmf(6), lane)).toThrow(/expected 2\^N = 256/);
  });
});
