import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { renderSvg } from "@sccnn/plots";
import { describe, expect, it } from "vitest";
import { paretoFigure, placeLabels } from "../src/figure.ts";
import { headline, markFronts, type ParetoRecord } from "../src/records.ts";

const goldenSvg = new URL("golden/pareto-tiny.svg", import.meta.url);

function rec(
  network: string,
  design: "sc" | "binary",
  bits: number,
  parallelB: number | null,
  accuracy: number,
  gopsPerMm2: number,
  fineTuned = false,
  energyPerInferencePj: number | null = null,
  baseline: "exact" | "iso-bisc" = "exact",
): ParetoRecord {
  return {
    network,
    design,
    baseline: design === "sc" ? null : baseline,
    arithmetic: design === "sc" || baseline === "iso-bisc" ? "sc-bisc" : "fixed",
    bits,
    builtBits: bits,
    lanesM: 16,
    unitsP: 4,
    parallelB,
    scenario: "fixed-precision",
    fineTuned,
    accuracy,
    accuracyLossPt: Math.round((99 - accuracy) * 100) / 100,
    validationAccuracy: accuracy,
    validationLossPt: Math.round((99 - accuracy) * 100) / 100,
    areaUm2: 1e5,
    latencyCycles: 1e4,
    opsPerCycle: 30,
    gopsPerMm2,
    improvement: null,
    improvementBaseline: null,
    onFront: false,
    onBaselineFront: false,
    onJointFront: false,
    copies: 1,
    costModels: "yosys",
    energyPerInferencePj,
    memoryEnergyPj: null,
    gopsPerW: energyPerInferencePj === null ? null : 1,
    energyModel: energyPerInferencePj === null ? "off" : "test",
    onEnergyFront: false,
    onJointEnergyFront: false,
  };
}

/** A hand-made set: two networks, SC and binary points, a fine-tuned twin, a dominated point, one network skipped. */
function tiny() {
  const records = markFronts([
    rec("net-a", "sc", 8, 8, 99, 2),
    rec("net-a", "sc", 4, 8, 98.6, 16),
    rec("net-a", "sc", 4, 8, 98.61, 15.99, true),
    rec("net-a", "sc", 3, 4, 97.5, 21),
    rec("net-a", "sc", 6, 1, 98.9, 0.9),
    rec("net-a", "binary", 4, null, 99.02, 13),
    rec("net-a", "binary", 3, null, 98.7, 15, false, null, "iso-bisc"),
    rec("net-b", "sc", 6, 8, 98.1, 6),
    rec("net-b", "binary", 4, null, 98.5, 11),
    rec("net-b", "binary", 2, null, 60, 20),
  ]);
  const headlines = ["net-a", "net-b"].flatMap((n) =>
    headline(n, "fixed-precision", records, 1, 0.99, ["exact", "iso-bisc"]),
  );
  return paretoFigure(records, {
    budgetPt: 1,
    technology: "osu018",
    clockHz: 2e8,
    testImages: 100,
    skipped: [{ network: "net-c", reason: "no trained weights" }],
    headlines,
  });
}

describe("paretoFigure", () => {
  it("renderSvg(paretoFigure(tiny hand-made set)) equals the committed golden SVG", () => {
    const svg = renderSvg(tiny());
    if (process.env.UPDATE_GOLDENS === "1") writeFileSync(goldenSvg, svg);
    expect(existsSync(goldenSvg), `missing golden ${goldenSvg.pathname}; run with UPDATE_GOLDENS=1`).toBe(true);
    expect(svg).toBe(readFileSync(goldenSvg, "utf8"));
  });

  it("paretoFigure(…) labels front points with N and b, merges a fine-tuned twin, and names skipped networks and the headline", () => {
    const svg = renderSvg(tiny());
    expect(svg).toContain("N4 b8 (+ft)");
    expect(svg).toContain("N3 b4");
    expect(svg).not.toContain("N6 b1"); // dominated: no label
    expect(svg).toContain("net-c (no trained weights)");
    expect(svg).toContain("within 1 pt: SC 16.0 vs strongest binary (iso-bisc) 15.0 GOPS/mm² (+7 %)");
    expect(svg).toContain("N3 iso-bisc"); // a binary front point names its baseline
  });

  it("paretoFigure(…) stars the headline pair with its array M×P; placeLabels never overlaps two labels and leaves out what does not fit", () => {
    const svg = renderSvg(tiny());
    expect(svg).toContain("best SC: N4 b8 M16×P4");
    expect(svg).toContain("best binary (exact): N4 M16×P4");
    const at = (text: string, px: number, py: number, preferLeft = false) => ({ text, px, py, preferLeft });
    // ten labels on one spot: each takes a free slot (8 of them), the rest are left out
    const same = Array.from({ length: 10 }, (_, i) => at(`label ${i}`, 100, 100));
    const { placed, dropped } = placeLabels(same);
    expect(new Set(placed.map((p) => p.slot)).size).toBe(placed.length);
    expect(placed.length + dropped).toBe(10);
    expect(dropped).toBeGreaterThan(0);
    // far apart: all take their first choice (right for SC, left for binary)
    const apart = placeLabels([at("N4 b8", 10, 10), at("N3", 300, 200, true)], [], 1000);
    expect(apart.placed.map((p) => p.slot)).toEqual([0, 2]);
    // a label that would cross the facet's right edge moves left
    expect(placeLabels([at("a long label here", 97, 50)], [], 100).placed[0].slot).toBe(2);
  });
});
