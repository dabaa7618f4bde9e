import { csvFormat, csvFormatRow, csvFormatRows } from "d3-dsv";
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

/** Throws, naming `records[i].field`, unless the record is a flat object of finite numbers, strings, booleans and nulls. */
export function checkRecord(record: StudyRecord, i: number): void {
  if (record === null || typeof record !== "object" || Array.isArray(record))
    throw new Error(`records[${i}] is not an object`);
  for (const [k, v] of Object.entries(record)) {
    if (v === null || typeof v === "string" || typeof v === "boolean") continue;
    if (typeof v === "number" && Number.isFinite(v)) continue;
    throw new Error(
      `records[${i}].${k} is ${typeof v === "number" ? v : typeof v}; record fields must be finite numbers, strings, booleans or null`,
    );
  }
}

function checkRecords(records: readonly StudyRecord[]): void {
  records.forEach(checkRecord);
}

/** Records a chunk of text is built from at a time when results are written as a stream. */
const CHUNK_RECORDS = 2000;

/**
 * results.json as a sequence of text chunks (a few thousand records each), for records that are
 * not held in memory (a RecordSpool): the concatenation is byte-identical to formatResultsJson of
 * the same records. `columns` is their column order (recordColumns; RecordSpool.columns()); the
 * records must already be valid (RecordSpool.push checks each).
 */
export function* formatResultsJsonChunks(
  study: string,
  config: unknown,
  records: Iterable<StudyRecord>,
  columns: readonly string[],
): Generator<string> {
  const head = JSON.stringify({ study, config: JSON.parse(canonicalJson(config)) as unknown, records: [] }, null, 2);
  // head ends in `"records": []\n}`: open the array there and close it after the last record
  const open = head.slice(0, head.length - "[]\n}".length);
  let parts: string[] = [];
  let count = 0;
  for (const r of records) {
    const ordered: Record<string, unknown> = {};
    for (const c of columns) if (c in r) ordered[c] = r[c];
    const text = JSON.stringify(ordered, null, 2).replaceAll("\n", "\n    ");
    parts.push(`${count === 0 ? `${open}[\n` : ",\n"}    ${text}`);
    count++;
    if (parts.length >= CHUNK_RECORDS) {
      yield parts.join("");
      parts = [];
    }
  }
  parts.push(count === 0 ? `${open}[]\n}\n` : "\n  ]\n}\n");
  yield parts.join("");
}

/** results.csv as a sequence of text chunks; the concatenation is byte-identical to formatResultsCsv of the same records. */
export function* formatResultsCsvChunks(records: Iterable<StudyRecord>, columns: readonly string[]): Generator<string> {
  let parts: string[] = [csvFormatRows([columns as string[]])];
  for (const r of records) {
    parts.push(`\n${csvFormatRow(columns.map((c) => r[c]) as string[])}`);
    if (parts.length >= CHUNK_RECORDS) {
      yield parts.join("");
      parts = [];
    }
  }
  parts.push("\n");
  yield parts.join("");
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
