import { describe, expect, it } from "vitest";
import * as scCore from "../src/index.ts";
import { gaussian, Rng } from "../src/prng.ts";

describe("Rng, the one seeded generator", () => {
  it("new Rng(42).nextUint32() gives the pinned first draws (the checkpoints' generator must not change)", () => {
    const r = new Rng(42);
    expect(Array.from({ length: 3 }, () => r.nextUint32())).toEqual([660444221, 3652823732, 77672526]);
  });
  it("unit() is nextUint32() / 2^32 on the same stream, in [0, 1)", () => {
    const a = new Rng(9, 2);
    const b = new Rng(9, 2);
    for (let i = 0; i < 1000; i++) {
      const u = a.unit();
      expect(u).toBe(b.nextUint32() / 2 ** 32);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });
  it("unit() resolves below float()'s 2^-24 grid (so unit() < p holds with probability p for tiny fault rates)", () => {
    // float() takes only multiples of 2^-24, so float() < 2^-26 iff float() = 0; unit() takes every multiple of 2^-32.
    const r = new Rng(1);
    let finer = false;
    for (let i = 0; i < 64 && !finer; i++) finer = (r.unit() * 2 ** 24) % 1 !== 0;
    expect(finer).toBe(true);
  });
  it("between(lo, hi) stays in range, hits both ends over 2000 draws and is lo + int(hi − lo + 1)", () => {
    const r = new Rng(7);
    const ref = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.between(-3, 3);
      expect(v).toBe(-3 + ref.int(7));
      seen.add(v);
    }
    expect([...seen].sort((x, y) => x - y)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });
  it("between(lo, hi) refuses hi < lo and non-integers naming both", () => {
    expect(() => new Rng(1).between(2, 1)).toThrow(/between\(lo, hi\).*2, 1/);
    expect(() => new Rng(1).between(0.5, 1)).toThrow(/between/);
  });
  it("new Rng(-1) throws naming seed", () => {
    expect(() => new Rng(-1)).toThrow(/seed/);
  });
  it("sc-core exports no second generator (SplitMix32, splitmix32, mulberry32 are gone)", () => {
    for (const name of ["SplitMix32", "splitmix32", "mulberry32"]) expect(Object.keys(scCore)).not.toContain(name);
  });
});

describe("one normal sampler", () => {
  it("Rng.normal() is gaussian() over its own float(), draw for draw", () => {
    const b = new Rng(4, 1);
    const ub = new Rng(4, 1);
    const gb = gaussian(() => ub.float());
    expect(Array.from({ length: 7 }, () => b.normal())).toEqual(Array.from({ length: 7 }, () => gb()));
  });
  it("gaussian(rng.unit) has mean 0 and variance 1 within 5 standard errors", () => {
    const u = new Rng(11);
    const g = gaussian(() => u.unit());
    const n = 20000;
    let s1 = 0,
      s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = g();
      s1 += v;
      s2 += v * v;
    }
    expect(Math.abs(s1 / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
});
