import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readHeadline, readSummary, splitCsvLine } from "../src/results.ts";

describe("results readers", () => {
  it("splitCsvLine keeps quoted commas and doubled quotes inside one cell", () => {
    expect(splitCsvLine('a,"skipped: no weights, no data","say ""hi""",')).toEqual([
      "a",
      "skipped: no weights, no data",
      'say "hi"',
      "",
    ]);
  });

  it("readHeadline keys each row by the header, returns undefined without the file, and names the file and line of a short row", () => {
    const dir = mkdtempSync(join(tmpdir(), "paper-headline-"));
    expect(readHeadline(dir)).toBeUndefined();
    writeFileSync(join(dir, "headline.csv"), 'network,status\nlenet5,ok\nfashion-cnn,"skipped: a, b"\n');
    expect(readHeadline(dir)).toEqual([
      { network: "lenet5", status: "ok" },
      { network: "fashion-cnn", status: "skipped: a, b" },
    ]);
    writeFileSync(join(dir, "headline.csv"), "network,status\nlenet5\n");
    expect(() => readHeadline(dir)).toThrow(`${join(dir, "headline.csv")}: line 2 has 1 cells, the header 2`);
  });

  it("readSummary returns the object, undefined without the file, and names the file when it is not a JSON object", () => {
    const dir = mkdtempSync(join(tmpdir(), "paper-summary-"));
    expect(readSummary(dir)).toBeUndefined();
    writeFileSync(join(dir, "summary.json"), '{"rows":[]}');
    expect(readSummary(dir)).toEqual({ rows: [] });
    writeFileSync(join(dir, "summary.json"), "[1]");
    expect(() => readSummary(dir)).toThrow(`${join(dir, "summary.json")}: not a JSON object`);
  });
});
