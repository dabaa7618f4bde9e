import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { renderSvg } from "@sccnn/plots";
import { describe, expect, it } from "vitest";
import { paretoFigure } from "../src/figure.ts";
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
): ParetoRecord {
  return {
    network,
    design,
    arithmetic: design === "sc" ? "sc-bisc" : "fixed",
    bits,
    builtBits: bits,
    lanesM: 16,
    unitsP: 4,
    parallelB,
    scenario: "fixed-precision",
    fineTuned,
    accuracy,
    accuracyLossPt: Math.round((99 - accuracy) * 100) / 100,
    areaUm2: 1e5,
    latencyCycles: 1e4,
    opsPerCycle: 30,
    gopsPerMm2,
    improvement: null,
    onFront: false,
    onJointFront: false,
    copies: 1,
    costModels: "yosys",
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
    rec("net-a", "binary", 3, null, 98.7, 15),
    rec("net-b", "sc", 6, 8, 98.1, 6),
    rec("net-b", "binary", 4, null, 98.5, 11),
    rec("net-b", "binary", 2, null, 60, 20),
  ]);
  const headlines = ["net-a", "net-b"].map((n) => headline(n, "fixed-precision", records, 1, 0.99));
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
    expect(svg).toContain("within 1 pt: SC 16.0 vs binary 15.0 GOPS/mm² (+7 %)");
  });
});
