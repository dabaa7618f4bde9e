import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  expandSpace,
  formatResultsCsv,
  formatResultsJson,
  writeStudyOutputs,
  type StudyRecord,
} from "../src/index.ts";
import { tempDir } from "./helpers.ts";

describe("writeStudyOutputs", () => {
  it("writeStudyOutputs writes results.json ({study, config, records}) and the same records as results.csv", () => {
    const dir = join(tempDir("out"), "out");
    const records: StudyRecord[] = [
      { scheme: "bisc", bits: 4, maxAbsErrLsb: 1.0625 },
      { scheme: "lfsr, seeded", bits: 4, maxAbsErrLsb: 3.5, note: 'says "hi"' },
    ];
    writeStudyOutputs(dir, { study: "s", config: { z: 1, a: { y: 2, b: 3 } }, records });
    const json = readFileSync(join(dir, "results.json"), "utf8");
    expect(JSON.parse(json)).toEqual({ study: "s", config: { a: { b: 3, y: 2 }, z: 1 }, records });
    expect(json.indexOf('"a"')).toBeLessThan(json.indexOf('"z"'));
    expect(readFileSync(join(dir, "results.csv"), "utf8")).toBe(
      'scheme,bits,maxAbsErrLsb,note\nbisc,4,1.0625,\n"lfsr, seeded",4,3.5,"says ""hi"""\n',
    );
    expect(readdirSync(dir).sort()).toEqual(["results.csv", "results.json"]);
  });

  it("formatResultsJson gives the same bytes whatever the key order the records were built in", () => {
    const a = formatResultsJson({ study: "s", config: { b: 1, a: 2 }, records: [{ x: 1, y: 2 }] });
    const b = formatResultsJson({ study: "s", config: { a: 2, b: 1 }, records: [{ x: 1, y: 2 }] });
    expect(a).toBe(b);
  });

  it("writeStudyOutputs rejects a NaN field, naming the record and field, and writes nothing", () => {
    const dir = join(tempDir("out"), "out");
    expect(() => writeStudyOutputs(dir, { study: "s", config: {}, records: [{ a: 1 }, { a: Number.NaN }] })).toThrow(
      "records[1].a is NaN",
    );
    expect(existsSync(dir)).toBe(false);
  });

  it("formatResultsCsv orders columns by first appearance across records", () => {
    expect(formatResultsCsv([{ b: 1 }, { a: 2, b: 3 }])).toBe("b,a\n1,\n3,2\n");
  });
});

describe("canonicalJson", () => {
  it("canonicalJson sorts keys at every level and names non-finite numbers", () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
    expect(() => canonicalJson({ a: [1, Infinity] })).toThrow("$.a[1] is Infinity");
  });
});

describe("expandSpace", () => {
  it("expandSpace gives the cartesian product with the last axis fastest", () => {
    expect(expandSpace({ bits: [4, 8], scheme: ["bisc", "lfsr"], m: [16] })).toEqual([
      { bits: 4, scheme: "bisc", m: 16 },
      { bits: 4, scheme: "lfsr", m: 16 },
      { bits: 8, scheme: "bisc", m: 16 },
      { bits: 8, scheme: "lfsr", m: 16 },
    ]);
  });

  it("expandSpace names an empty axis", () => {
    expect(() => expandSpace({ bits: [4], networks: [] })).toThrow('axis "networks" has no values');
  });
});
