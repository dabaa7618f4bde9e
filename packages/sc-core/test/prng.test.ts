import { describe, expect, it } from "vitest";
import { gaussian, Rng, SplitMix32 } from "../src/prng.ts";

describe("SplitMix32", () => {
  it("new SplitMix32(42).nextU32() gives the pinned first five draws", () => {
    const r = new SplitMix32(42);
    expect(Array.from({ length: 5 }, () => r.nextU32())).toEqual([
      551831576, 144025891, 322543647, 3034809370, 908029994,
    ]);
  });
  it("new SplitMix32(0).nextU32() gives the pinned first two draws", () => {
    const r = new SplitMix32(0);
    expect([r.nextU32(), r.nextU32()]).toEqual([1684164658, 3653269916]);
  });
  it("int(lo, hi) stays in range and hits both ends over 2000 draws", () => {
    const r = new SplitMix32(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
  });
  it("new SplitMix32(-1) throws naming seed", () => {
    expect(() => new SplitMix32(-1)).toThrow(/seed/);
  });
});

describe("one source, one normal sampler", () => {
  it("SplitMix32.normal() and Rng.normal() are gaussian() over their own uniforms, draw for draw", () => {
    const a = new SplitMix32(3);
    const ua = new SplitMix32(3);
    const ga = gaussian(() => ua.next());
    expect(Array.from({ length: 7 }, () => a.normal())).toEqual(Array.from({ length: 7 }, () => ga()));
    const b = new Rng(4, 1);
    const ub = new Rng(4, 1);
    const gb = gaussian(() => ub.float());
    expect(Array.from({ length: 7 }, () => b.normal())).toEqual(Array.from({ length: 7 }, () => gb()));
  });
  it("gaussian(new SplitMix32(11)) has mean 0 and variance 1 within 5 standard errors", () => {
    const u = new SplitMix32(11);
    const g = gaussian(() => u.next());
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
