import { describe, expect, test } from "vitest";
import { claimsFromMarkdown, claimsFromRecords, markdownTables, verdictKind } from "../src/claims.ts";

const REPORT = `# Report

| Figure | File |
|---|---|
| pareto | pareto.svg |

## Claims

| Claim | Measured | **Verdict** | Reason |
| :--- | ---: | :---: | --- |
| < 1 % loss | 0.4 \\| 0.6 % | holds | |
| +50–100 % ops/area | +35 % | fails | lower at N = 4 |
`;

describe("claims", () => {
  test("markdownTables(report) finds every pipe table, keeping an escaped \\| inside a cell", () => {
    const tables = markdownTables(REPORT);
    expect(tables.map((t) => t.columns)).toEqual([
      ["Figure", "File"],
      ["Claim", "Measured", "**Verdict**", "Reason"],
    ]);
    expect(tables[1].rows[0]).toEqual(["< 1 % loss", "0.4 | 0.6 %", "holds", ""]);
  });

  test("claimsFromMarkdown(report) takes the first table with a Verdict column", () => {
    const claims = claimsFromMarkdown(REPORT, "paper/out/REPORT.md")!;
    expect(claims.source).toBe("paper/out/REPORT.md");
    expect(claims.rows.map((r) => r["**Verdict**"])).toEqual(["holds", "fails"]);
    expect(claims.rows[1].Reason).toBe("lower at N = 4");
  });

  test("claimsFromMarkdown(text without a verdict table) is undefined", () => {
    expect(claimsFromMarkdown("| a | b |\n|---|---|\n| 1 | 2 |\n", "x")).toBeUndefined();
  });

  test("claimsFromRecords(records) keeps only records with a verdict, columns in first-seen order", () => {
    const claims = claimsFromRecords(
      [
        { claim: "loss < 1 %", measured: 0.4, verdict: "holds" },
        { figure: "pareto.svg" },
        { claim: "faults", verdict: "pending", reason: "no study" },
      ],
      "paper/out/results.json",
    )!;
    expect(claims.columns).toEqual(["claim", "measured", "verdict", "reason"]);
    expect(claims.rows).toEqual([
      { claim: "loss < 1 %", measured: "0.4", verdict: "holds", reason: "" },
      { claim: "faults", measured: "", verdict: "pending", reason: "no study" },
    ]);
    expect(claimsFromRecords([{ a: 1 }], "x")).toBeUndefined();
  });

  test("verdictKind(text) reads pass, fail and partial wordings", () => {
    const kinds = [
      "holds",
      "**PASS**",
      "reproduced ✓",
      "fails",
      "differs",
      "does not hold",
      "❌",
      "partly",
      "not yet measured",
      "pending",
      "n/a",
      "who knows",
    ].map(verdictKind);
    expect(kinds).toEqual([
      "pass",
      "pass",
      "pass",
      "fail",
      "fail",
      "fail",
      "fail",
      "partial",
      "partial",
      "partial",
      "partial",
      "unknown",
    ]);
    // The paper study's own vocabulary (studies/paper/src/claims.ts).
    expect(["supported", "**partly supported**", "not supported", "not measured yet"].map(verdictKind)).toEqual([
      "pass",
      "partial",
      "fail",
      "partial",
    ]);
  });
});
