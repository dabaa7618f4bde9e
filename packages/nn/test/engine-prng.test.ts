import { describe, expect, it } from "vitest";
import { Rng } from "../src/engine/prng.ts";

describe("Rng (xoshiro128** seeded by splitmix32)", () => {
  it("Rng.fromState(1, 2, 3, 4).nextUint32() gives the reference C implementation's first outputs", () => {
    // Outputs of Blackman & Vigna's xoshiro128starstar.c from state {1, 2, 3, 4}, compiled with gcc.
    const r = Rng.fromState(1, 2, 3, 4);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it("new Rng(seed) draws pinned golden values (seeding, float and streams)", () => {
    const r = new Rng(42);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).toEqual([
      660444221, 3652823732, 77672526, 910233633, 2297337756, 3786072677,
    ]);
    const f = new Rng(0);
    expect(Array.from({ length: 4 }, () => f.float())).toEqual([
      0.41675132513046265, 0.01047062873840332, 0.5870561599731445, 0.8961040377616882,
    ]);
    const s = new Rng(42, 1, 2);
    expect(Array.from({ length: 3 }, () => s.nextUint32())).toEqual([2840799153, 548917354, 1387695909]);
  });

  it("new Rng(seed, ...streams) gives different sequences for different streams and the same for equal ones", () => {
    const draw = (r: Rng): number[] => Array.from({ length: 4 }, () => r.nextUint32());
    expect(draw(new Rng(5, 1, 2))).toEqual(draw(new Rng(5, 1, 2)));
    expect(draw(new Rng(5, 1, 2))).not.toEqual(draw(new Rng(5, 2, 1)));
    expect(draw(new Rng(5, 1))).not.toEqual(draw(new Rng(5)));
  });

  it("rng.int(n) is uniform within the chi-square bound and rng.shuffle returns a permutation", () => {
    const r = new Rng(7),
      n = 10,
      draws = 20000;
    const counts = new Array(n).fill(0);
    for (let i = 0; i < draws; i++) counts[r.int(n)]++;
    const e = draws / n;
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(27.88); // 99.9 % quantile of chi-square with 9 degrees of freedom
    const a = r.shuffle(Int32Array.from({ length: 100 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...a]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("rng.normal() has mean 0 and variance 1 within 4 standard errors", () => {
    const r = new Rng(8),
      n = 20000;
    let s = 0,
      s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v;
      s2 += v * v;
    }
    const mean = s / n,
      variance = s2 / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it("new Rng(seed) rejects a seed that is not an integer in [0, 2^32)", () => {
    expect(() => new Rng(-1)).toThrow(/seed must be an integer in 0…4294967295, got -1/);
    expect(() => new Rng(1.5)).toThrow(/seed/);
    expect(() => new Rng(1, 2 ** 32)).toThrow(/stream\[0\]/);
  });
});
