import { describe, expect, it } from "vitest";
import { wilson95 } from "../src/index.ts";

describe("wilson95", () => {
  it("wilson95(9900, 10000) ≈ 98.785…99.177 % (the closed form, by hand), and the interval holds the estimate", () => {
    const w = wilson95(9900, 10000);
    expect(w.lo).toBeCloseTo(98.7853, 3);
    expect(w.hi).toBeCloseTo(99.1771, 3);
  });
  it("wilson95 at 0 and all correct stays inside 0…100; bad counts name the problem", () => {
    expect(wilson95(0, 10).lo).toBe(0);
    expect(wilson95(10, 10).hi).toBeCloseTo(100, 10);
    expect(wilson95(10, 10).lo).toBeCloseTo(72.25, 1);
    expect(() => wilson95(11, 10)).toThrow(/correct ≤ total/);
  });
});
