import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  formatResultsCsv,
  formatResultsCsvChunks,
  formatResultsJson,
  formatResultsJsonChunks,
  RecordSpool,
  runStudy,
  type StudyRecord,
} from "../src/index.ts";
import { tempDir } from "./helpers.ts";

/** Records of uneven shapes: new columns appear late, quoting, non-ASCII text, empty records. */
function sampleRecords(n: number): StudyRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const r: StudyRecord = { i, name: i % 7 === 0 ? `a, "q" ${i}` : `µ-lane ✓ ${i}`, x: i / 3 };
    if (i % 5 === 0) r.late = null;
    if (i % 11 === 0) r.flag = i % 2 === 0;
    return i === 3 ? {} : r;
  });
}

describe("streamed results (RecordSpool and the chunked formats)", () => {
  beforeEach(() => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  for (const n of [0, 1, 4, 4999]) {
    it(`chunked results.json and results.csv are byte-identical to the one-string format (${n} records)`, () => {
      const records = sampleRecords(n);
      const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
      const config = { z: [1, 2], a: { y: "é", b: null } };
      expect([...formatResultsJsonChunks("s", config, records, columns)].join("")).toBe(
        formatResultsJson({ study: "s", config, records }),
      );
      expect([...formatResultsCsvChunks(records, columns)].join("")).toBe(formatResultsCsv(records));
    });
  }

  it("a spool gives back its records in order (multi-byte text across its 1 MiB read chunks) with their columns", () => {
    const out = join(tempDir("spool"), "out");
    const spool = new RecordSpool(out);
    const records = Array.from({ length: 30_000 }, (_, i) => ({ i, text: "αβγ✓".repeat(1 + (i % 9)) }));
    for (const r of records) spool.push(r);
    expect(spool.length).toBe(records.length);
    expect(spool.columns()).toEqual(["i", "text"]);
    expect([...spool.records()]).toEqual(records);
    expect(() => spool.push({ i: 0 })).toThrow("push after");
    spool.discard();
    expect(readdirSync(join(out, ".."))).toEqual([]);
  });

  it("a spool refuses a bad record naming its index and field", () => {
    const spool = new RecordSpool(join(tempDir("spool"), "out"));
    spool.push({ a: 1 });
    expect(() => spool.push({ a: Number.POSITIVE_INFINITY })).toThrow("records[1].a is Infinity");
    spool.discard();
  });

  it("runStudy writes a spooled run's results.json/csv identical to the array run's, and leaves no spool behind", async () => {
    const dir = tempDir("study");
    writeFileSync(join(dir, "config.json"), JSON.stringify({ n: 1 }));
    const schema = { type: "object", additionalProperties: false, properties: { n: { type: "integer" } } };
    const records = sampleRecords(2500);
    expect(await runStudy({ name: "s", dir, schema, run: async () => ({ records }) }, ["--out", join(dir, "a")])).toBe(
      0,
    );
    const spooled = await runStudy(
      {
        name: "s",
        dir,
        schema,
        run: async (ctx) => {
          const spool = ctx.recordSpool();
          for (const r of records) spool.push(r);
          return { records: spool };
        },
      },
      ["--out", join(dir, "b")],
    );
    expect(spooled).toBe(0);
    for (const f of ["results.json", "results.csv"])
      expect(readFileSync(join(dir, "b", f), "utf8")).toBe(readFileSync(join(dir, "a", f), "utf8"));
    expect(readdirSync(dir).filter((f) => /\.(tmp|old)-/.test(f))).toEqual([]);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("a run that fails after spooling leaves neither outputs nor the spool", async () => {
    const dir = tempDir("study");
    writeFileSync(join(dir, "config.json"), JSON.stringify({ n: 1 }));
    const schema = { type: "object", additionalProperties: false, properties: { n: { type: "integer" } } };
    const code = await runStudy(
      {
        name: "s",
        dir,
        schema,
        run: async (ctx) => {
          const spool = ctx.recordSpool();
          spool.push({ a: 1 });
          throw new Error("boom");
        },
      },
      [],
    );
    expect(code).toBe(1);
    expect(readdirSync(dir).filter((f) => f.startsWith("out"))).toEqual([]);
  });
});
