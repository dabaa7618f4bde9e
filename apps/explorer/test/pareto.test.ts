import { describe, expect, test } from "vitest";
import { groupedParetoFront, paretoFront, paretoFrontReference } from "../src/pareto.ts";

// Seeded LCG so the property test is the same every run.
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe("paretoFront", () => {
  test("paretoFront(hand-made set) keeps the non-dominated points and both copies of a duplicate", () => {
    // (x, y): both maximised.
    const pts = [
      [1, 1], // front
      [2, 0.5], // front (duplicate below)
      [0.5, 2], // front
      [1, 0.9], // dominated by (1, 1)
      [2, 0.5], // front (equal points do not dominate each other)
      [0.4, 2], // dominated by (0.5, 2): same y, less x
      [0.1, 0.1], // dominated
    ];
    expect(
      paretoFront(
        pts.map((p) => p[0]),
        pts.map((p) => p[1]),
      ),
    ).toEqual([true, true, true, false, true, false, false]);
  });

  test("paretoFront equals the O(n²) reference on 300 seeded random sets with many ties", () => {
    const rand = lcg(7);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rand() * 40);
      const xs = Array.from({ length: n }, () => Math.floor(rand() * 8));
      const ys = Array.from({ length: n }, () => Math.floor(rand() * 8));
      expect(paretoFront(xs, ys)).toEqual(paretoFrontReference(xs, ys));
    }
  });

  test("paretoFront never puts a point with a NaN objective on the front", () => {
    expect(paretoFront([1, Number.NaN, 0.5], [1, 5, Number.NaN])).toEqual([true, false, false]);
    expect(paretoFront([], [])).toEqual([]);
  });

  test("paretoFront(xs, ys) of different lengths throws naming both lengths", () => {
    expect(() => paretoFront([1, 2], [1])).toThrow(/xs has 2 values but ys has 1/);
  });

  test("groupedParetoFront computes one front per group", () => {
    const items = [
      { g: "a", x: 1, y: 1 },
      { g: "a", x: 2, y: 2 }, // dominates the first within a
      { g: "b", x: 1, y: 1 }, // alone in b: on its front although a's (2, 2) dominates it
    ];
    expect(
      groupedParetoFront(
        items,
        (i) => i.g,
        (i) => i.x,
        (i) => i.y,
      ),
    ).toEqual([false, true, true]);
  });
});
