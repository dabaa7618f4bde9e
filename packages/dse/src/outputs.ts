import { csvFormat } from "d3-dsv";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.ts";
import { canonicalJson } from "./canonical.ts";

/** One row of results: flat, field names carry units (`maxAbsErrLsb`, `areaUm2`, `latencyCycles`). */
export type StudyRecord = Record<string, string | number | boolean | null>;

export interface StudyOutputs {
  study: string;
  config: unknown;
  records: StudyRecord[];
}

/**
 * Column order of a set of records: the keys in order of first appearance, record by record.
 * Records built by the same code therefore give the same columns every run.
 */
export function recordColumns(records: readonly StudyRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

function checkRecords(records: readonly StudyRecord[]): void {
  records.forEach((record, i) => {
    if (record === null || typeof record !== "object" || Array.isArray(record))
      throw new Error(`records[${i}] is not an object`);
    for (const [k, v] of Object.entries(record)) {
      if (v === null || typeof v === "string" || typeof v === "boolean") continue;
      if (typeof v === "number" && Number.isFinite(v)) continue;
      throw new Error(
        `records[${i}].${k} is ${typeof v === "number" ? v : typeof v}; record fields must be finite numbers, strings, booleans or null`,
      );
    }
  });
}

/** results.json text: `{ study, config, records }`, config with sorted keys, records in column order, 2-space indent. */
export function formatResultsJson(outputs: StudyOutputs): string {
  checkRecords(outputs.records);
  const columns = recordColumns(outputs.records);
  const records = outputs.records.map((r) => {
    const ordered: Record<string, unknown> = {};
    for (const c of columns) if (c in r) ordered[c] = r[c];
    return ordered;
  });
  const config = JSON.parse(canonicalJson(outputs.config)) as unknown;
  return `${JSON.stringify({ study: outputs.study, config, records }, null, 2)}\n`;
}

/** results.csv text: one header row of the record columns, then one row per record (RFC 4180 quoting by d3-dsv). */
export function formatResultsCsv(records: readonly StudyRecord[]): string {
  checkRecords(records);
  return `${csvFormat(records as StudyRecord[], recordColumns(records))}\n`;
}

/**
 * Writes `results.json` and `results.csv` into outDir, each atomically. Everything is formatted
 * (and validated) before the first byte is written, so a bad record writes nothing.
 */
export function writeStudyOutputs(outDir: string, outputs: StudyOutputs): { jsonPath: string; csvPath: string } {
  const json = formatResultsJson(outputs);
  const csv = formatResultsCsv(outputs.records);
  const jsonPath = join(outDir, "results.json");
  const csvPath = join(outDir, "results.csv");
  writeFileAtomic(jsonPath, json);
  writeFileAtomic(csvPath, csv);
  return { jsonPath, csvPath };
}
