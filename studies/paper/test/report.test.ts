import { describe, expect, it } from "vitest";
import { buildReport } from "../src/report.ts";

describe("buildReport", () => {
  const claims = [
    { id: "x", claim: "a | b", study: "s", measured: "1 | 2", verdict: "supported" as const, reason: "because" },
  ];
  const studies = [
    { name: "s", question: "Why?", status: "ran", records: 3, figures: ["fig-a"] },
    { name: "t", question: "", status: "missing (no studies/t/study.ts yet)", records: null, figures: [] },
  ];

  it("buildReport writes the claims table with escaped pipes and one section per study with its figures", () => {
    const md = buildReport({ smoke: false, claims, studies });
    expect(md).toContain("| 1 | a \\| b | `s` | 1 \\| 2 | **supported** | because |");
    expect(md).toContain("### s\n\n**Question:** Why?\n\nStatus: ran; 3 records.");
    expect(md).toContain("![s: fig-a](figures/s/fig-a.png)");
    expect(md).toContain("Status: missing (no studies/t/study.ts yet).");
    expect(md).not.toContain("smoke scale");
    expect(md.endsWith("\n") && !md.endsWith("\n\n")).toBe(true);
  });

  it("buildReport lists the per-layer SC design of each headline row that has one, with its ratio to the best uniform-N SC point", () => {
    const row = {
      network: "lenet5",
      scenario: "fixed-precision",
      status: "ok",
      improvement: "0.1",
      mixedScPoint: "N=4/3/3/4/4 M=16 P=4 b=8",
      mixedScGopsPerMm2: "18.2",
      mixedScAccuracy: "99.2",
      mixedVsUniformSc: "0.077",
    };
    const md = buildReport({
      smoke: false,
      claims,
      studies,
      headline: [row, { ...row, scenario: "precision-flexible", mixedScPoint: "" }],
    });
    expect(md).toContain(
      "- lenet5 / fixed-precision: 18.2 GOPS/mm² at N=4/3/3/4/4 M=16 P=4 b=8, 99.2 % (+7.7 % vs the best uniform-N SC point)",
    );
    expect(md).not.toContain("lenet5 / precision-flexible: 18.2");
  });

  it("buildReport writes the energy section from headline rows with energy, saying the paper makes no energy claim", () => {
    const row = {
      network: "lenet5",
      scenario: "fixed-precision",
      status: "ok",
      accuracyBudgetPt: "1",
      improvement: "0.1",
      scEnergyPj: "27986700",
      scEnergyPoint: "N=4 M=16 P=4 b=8",
      binaryEnergyPj: "14758900",
      binaryEnergyPoint: "N=3 M=16 P=4",
      energyRatio: "1.89623",
    };
    const md = buildReport({ smoke: false, claims, studies, headline: [row] });
    expect(md).toContain("The paper makes no energy claim");
    // a headline.csv without a baseline column: the row is against the strongest (the only) binary design
    expect(md).toContain(
      "| lenet5 | fixed-precision | strongest | 28 | N=4 M=16 P=4 b=8 | 14.8 | N=3 M=16 P=4 | **1.90x** |",
    );
    const perBaseline = buildReport({
      smoke: false,
      claims,
      studies,
      headline: [{ ...row, baseline: "iso-bisc", binaryBaseline: "iso-bisc" }],
    });
    expect(perBaseline).toContain("| lenet5 | fixed-precision | iso-bisc | 28 |");
    // Without energy columns (an older headline.csv) there is no energy section.
    expect(buildReport({ smoke: false, claims, studies, headline: [{ ...row, energyRatio: "" }] })).not.toContain(
      "no energy claim",
    );
  });

  it("buildReport marks a smoke-scale report", () => {
    expect(buildReport({ smoke: true, claims, studies })).toContain("**smoke scale**");
  });
});
