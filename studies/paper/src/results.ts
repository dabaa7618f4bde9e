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
