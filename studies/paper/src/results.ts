import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A study's results.json as the runner writes it. */
export interface StudyResults {
  study: string;
  config: Record<string, unknown>;
  records: Record<string, unknown>[];
}

/** Reads `<outDir>/results.json`; undefined when absent, an Error naming the file when unreadable. */
export function readResults(outDir: string): StudyResults | undefined {
  const path = join(outDir, "results.json");
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const r = parsed as Partial<StudyResults>;
  if (!r || typeof r !== "object" || !Array.isArray(r.records)) throw new Error(`${path}: no "records" array`);
  return { study: String(r.study ?? ""), config: (r.config ?? {}) as Record<string, unknown>, records: r.records };
}

/** One row of pareto's `headline.csv`: best ops per area of each design within the accuracy budget. */
export type HeadlineRow = Record<string, string>;

/** Splits one CSV line (RFC 4180 quoting: "a, b" and doubled quotes). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") cells.push(cell), (cell = "");
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** Reads `<outDir>/headline.csv` (pareto) as rows keyed by the header; undefined when absent. */
export function readHeadline(outDir: string): HeadlineRow[] | undefined {
  const path = join(outDir, "headline.csv");
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
  if (lines.length === 0) throw new Error(`${path}: empty (no header line)`);
  const header = splitCsvLine(lines[0]!);
  return lines.slice(1).map((line, i) => {
    const cells = splitCsvLine(line);
    if (cells.length !== header.length)
      throw new Error(`${path}: line ${i + 2} has ${cells.length} cells, the header ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h, cells[j]!]));
  });
}

/** Reads `<outDir>/summary.json` (fault-tolerance); undefined when absent, an Error naming the file when unreadable. */
export function readSummary(outDir: string): Record<string, unknown> | undefined {
  const path = join(outDir, "summary.json");
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path}: not a JSON object (${(e as Error).message})`);
  }
}
