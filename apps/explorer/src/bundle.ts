/**
 * The data bundle the explorer page loads (`data/bundle.json`), written by scripts/collect.ts from
 * a studies tree: every study's question, its `out/results.json`, its static figures, and the
 * paper's claims table. Shared by the collector (Node) and the page (browser).
 */

/** One record of a study's results.json: flat fields whose names carry units (areaUm2, accuracy…). */
export type StudyRecord = Record<string, unknown>;

export interface StudyResults {
  study: string;
  config: unknown;
  records: StudyRecord[];
}

/** One run of a study: an output folder holding a results.json (out/, out-smoke/, out-custom/, …). */
export interface StudyRun {
  /** The folder name, e.g. "out" (the study's own config), "out-smoke", "out-custom". */
  id: string;
  results?: StudyResults;
  /** Why results.json could not be read (names the file). */
  error?: string;
}

export interface StudyEntry {
  /** Folder name under studies/, also the argument of `pnpm study <name>`. */
  name: string;
  /** First `**Question:** …` line of the study's README.md, without the label ("" when absent). */
  question: string;
  /** The study's README.md (Markdown: question, findings), "" when absent. */
  readme?: string;
  /** Every output folder with a results.json, `out` first, then by name. */
  runs?: StudyRun[];
  /** Present when out/results.json exists and is valid. */
  results?: StudyResults;
  /** Why results could not be read (names the file), when out/results.json exists but is bad. */
  error?: string;
  /** Static figures the study wrote (out/*.svg, out/*.png), as URLs relative to the page. */
  figures: string[];
  /** Markdown reports the study wrote (out/*.md, e.g. the paper's REPORT.md), as relative URLs. */
  documents: string[];
}

export interface ClaimsTable {
  /** Where the table came from, relative to the studies folder (e.g. "paper/out/REPORT.md"). */
  source: string;
  columns: string[];
  rows: Record<string, string>[];
}

export interface Bundle {
  /** Label of the studies tree the bundle was collected from (relative path or folder name). */
  studiesLabel: string;
  /** True when the studies tree says it is test fixture data (a FIXTURE marker file at its root). */
  fixture: boolean;
  studies: StudyEntry[];
  claims?: ClaimsTable;
}

export const BUNDLE_PATH = "data/bundle.json";
