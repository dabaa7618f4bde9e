import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { collectStudies } from "../scripts/collect.ts";
import { recordsToCsv } from "../src/download.ts";
import { readmeQuestion } from "../src/question.ts";

const fixture = join(import.meta.dirname, "..", "fixtures", "studies");
const tmp = mkdtempSync(join(tmpdir(), "explorer-collect-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmp, "studies-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("collectStudies", () => {
  test("collectStudies keeps every run folder (out/ first, then out-* by name), skips temporaries, and the README text", () => {
    const { bundle } = collectStudies(fixture, "fixture");
    const pareto = bundle.studies.find((s) => s.name === "pareto")!;
    expect(pareto.runs!.map((r) => r.id)).toEqual(["out", "out-smoke"]);
    expect(pareto.runs![1].results!.records.length).toBe(14);
    expect(pareto.readme).toContain("## Findings");
    const dir = tree({
      "s/README.md": "**Question:** q",
      "s/out-custom/results.json": '{"records":[{"a":1}]}',
      "s/out-failed/results.json": "{broken",
      "s/out.tmp-12-1/results.json": '{"records":[]}',
    });
    const s = collectStudies(dir).bundle.studies[0];
    expect(s.runs!.map((r) => r.id)).toEqual(["out-custom", "out-failed"]);
    expect(s.runs![1].error).toMatch(/^s\/out-failed\/results.json: not valid JSON/);
  });

  test("recordsToCsv writes the union of fields in first-seen order, empty for null, quoting commas and quotes", () => {
    expect(
      recordsToCsv([
        { a: 1, b: "x,y" },
        { a: null, c: 'say "hi"' },
      ]),
    ).toBe('a,b,c\n1,"x,y",\n,,"say ""hi"""\n');
  });

  test("readmeQuestion(readme) returns the first **Question:** line without its label", () => {
    expect(readmeQuestion("# x\n\n**Question:** How big is the error?\n\n**Question:** second")).toBe(
      "How big is the error?",
    );
    expect(readmeQuestion("# x\nno question here")).toBe("");
  });

  test("collectStudies(fixture) lists every study with its question, results, figures and the claims", () => {
    const { bundle, figures } = collectStudies(fixture, "fixture");
    expect(bundle.fixture).toBe(true);
    expect(bundle.studies.map((s) => s.name)).toEqual(["accuracy-vs-precision", "multiplier-error", "paper", "pareto"]);
    const byName = Object.fromEntries(bundle.studies.map((s) => [s.name, s]));
    expect(byName.pareto.results!.records).toHaveLength(80);
    expect(byName["multiplier-error"].results!.records).toHaveLength(49);
    expect(byName["accuracy-vs-precision"].results).toBeUndefined();
    expect(byName.pareto.question).toMatch(/^\(fixture\) How much accuracy/);
    expect(figures.map((f) => f.to)).toEqual([
      "studies/multiplier-error/error-vs-precision.svg",
      "studies/paper/REPORT.md",
    ]);
    expect(byName.paper.documents).toEqual(["studies/paper/REPORT.md"]);
    expect(byName.paper.results!.records).toHaveLength(4);
    expect(bundle.claims!.source).toBe("paper/out/REPORT.md"); // the report's table wins over the claim records
    expect(bundle.claims!.rows).toHaveLength(5);
  });

  test("collectStudies reports a bad results.json on its study, naming the file and the JSON path", () => {
    const dir = tree({
      "broken/README.md": "**Question:** q",
      "broken/out/results.json": "{ not json",
      "notarray/out/results.json": JSON.stringify({ study: "notarray", config: {}, records: {} }),
      "badrecord/out/results.json": JSON.stringify({ study: "badrecord", config: {}, records: [{}, 3] }),
      "fine/out/results.json": JSON.stringify({ study: "fine", config: {}, records: [{ a: 1 }] }),
    });
    const { bundle } = collectStudies(dir);
    const byName = Object.fromEntries(bundle.studies.map((s) => [s.name, s]));
    expect(byName.broken.error).toMatch(/^broken\/out\/results\.json: not valid JSON/);
    expect(byName.notarray.error).toBe("notarray/out/results.json: /records is not an array");
    expect(byName.badrecord.error).toBe("badrecord/out/results.json: /records/1 is not an object");
    expect(byName.fine.results!.records).toEqual([{ a: 1 }]);
    expect(bundle.fixture).toBe(false);
    expect(bundle.claims).toBeUndefined();
  });

  test("collectStudies takes the claims from REPORT.md's verdict table, else from records with a verdict", () => {
    const records = JSON.stringify({
      study: "paper",
      config: {},
      records: [{ measure: "claim", claim: "c", verdict: "supported" }],
    });
    const both = tree({
      "paper/out/results.json": records,
      "paper/out/REPORT.md":
        "| # | claim (paper) | verdict |\n|---|---|---|\n| 1 | a | **supported** |\n| 2 | b | **not supported** |\n",
    });
    expect(collectStudies(both).bundle.claims).toEqual({
      source: "paper/out/REPORT.md",
      columns: ["#", "claim (paper)", "verdict"],
      rows: [
        { "#": "1", "claim (paper)": "a", verdict: "**supported**" },
        { "#": "2", "claim (paper)": "b", verdict: "**not supported**" },
      ],
    });
    const recordsOnly = tree({ "paper/out/results.json": records, "paper/out/REPORT.md": "# no table here\n" });
    expect(collectStudies(recordsOnly).bundle.claims).toEqual({
      source: "paper/out/results.json",
      columns: ["measure", "claim", "verdict"],
      rows: [{ measure: "claim", claim: "c", verdict: "supported" }],
    });
  });

  test("collectStudies(missing folder) throws naming --studies and the folder", () => {
    expect(() => collectStudies(join(tmp, "nope"))).toThrow(/--studies .*nope: not a folder/);
  });
});
