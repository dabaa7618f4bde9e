import { describe, expect, it } from "vitest";
import { SplitMix32 } from "../src/prng.ts";

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
