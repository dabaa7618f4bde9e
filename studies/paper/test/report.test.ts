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

  it("buildReport marks a smoke-scale report", () => {
    expect(buildReport({ smoke: true, claims, studies })).toContain("**smoke scale**");
  });
});
