import { describe, expect, test } from "vitest";
import { groupedParetoFront } from "../src/pareto.ts";

describe("groupedParetoFront", () => {
  test("groupedParetoFront keeps the non-dominated points and both copies of a duplicate, and never a NaN point", () => {
    // (x, y): both maximised.
    const pts = [
      [1, 1], // front
      [2, 0.5], // front (duplicate below)
      [0.5, 2], // front
      [1, 0.9], // dominated by (1, 1)
      [2, 0.5], // front (equal points do not dominate each other)
      [0.4, 2], // dominated by (0.5, 2): same y, less x
      [0.1, 0.1], // dominated
      [Number.NaN, 5], // missing objective
    ];
    expect(
      groupedParetoFront(
        pts,
        () => "all",
        (p) => p[0]!,
        (p) => p[1]!,
      ),
    ).toEqual([true, true, true, false, true, false, false, false]);
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
