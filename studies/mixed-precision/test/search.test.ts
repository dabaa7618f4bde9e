import { describe, expect, it } from "vitest";
import { greedyPath, sensitivityDesigns } from "../src/search.ts";

describe("per-layer precision search", () => {
  it("sensitivityDesigns(3 layers, N 2…4) lowers one layer at a time below the start", () => {
    const d = sensitivityDesigns(3, [2, 3, 4]);
    expect(d.length).toBe(6);
    expect(d[0]).toEqual({ layer: 0, bits: [3, 4, 4] });
    expect(d[5]).toEqual({ layer: 2, bits: [4, 4, 2] });
  });

  it("greedyPath lowers first the layer with the least predicted loss per gained ops per area, down to all-minimum", () => {
    // layer 0 is sensitive, layer 1 is free; ops per area rises with every lowered bit, more for layer 0
    const loss = (l: number, n: number) => (l === 0 ? (4 - n) * 5 : (4 - n) * 0.1);
    const ops = (b: readonly number[]) => 100 * 2 ** ((4 - b[0]!) * 0.5 + (4 - b[1]!) * 0.25);
    const path = greedyPath({ layerCount: 2, levels: [2, 3, 4], lossPt: loss, opsPerArea: ops });
    expect(path.map((s) => s.bits)).toEqual([
      [4, 4],
      [4, 3],
      [4, 2],
      [3, 2],
      [2, 2],
    ]);
    expect(path[2]!.predictedLossPt).toBeCloseTo(0.2, 12);
    expect(path[4]!.predictedLossPt).toBeCloseTo(10.2, 12);
    expect(path[0]!.lowered).toBe(null);
    expect(path[1]!.lowered).toBe(1);
  });

  it("greedyPath takes a step that gains nothing only when no step gains", () => {
    const path = greedyPath({
      layerCount: 2,
      levels: [3, 4],
      lossPt: (l) => (l === 0 ? 0 : 9),
      opsPerArea: (b) => (b[1] === 3 ? 2 : 1),
    });
    expect(path[1]!.lowered).toBe(1);
  });
});
