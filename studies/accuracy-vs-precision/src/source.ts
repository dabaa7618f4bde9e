import { existsSync, readFileSync } from "node:fs";

/**
 * This study's results.json read back by the studies that reuse its accuracies instead of
 * evaluating the same points again (pareto's and mixed-precision's `accuracyFrom`, which
 * `pnpm study paper` sets): the producer owns the reader, so the record fields it relies on have
 * one home.
 */
export interface AccuracySource {
  path: string;
  study: string;
  config: Record<string, unknown>;
  records: Record<string, unknown>[];
}

/** Validation and test counts of one record. */
export interface SourceCounts {
  correct: number;
  total: number;
  validationCorrect: number;
  validationTotal: number;
}

/**
 * Reads a results.json; `what` (the reusing study's config field) prefixes every error, with the
 * file. Refuses a file that is not JSON or has no `config` object and `records` array.
 */
export function readAccuracySource(path: string, what = "accuracyFrom"): AccuracySource {
  let parsed: { study?: unknown; config?: unknown; records?: unknown };
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as typeof parsed;
  } catch (e) {
    throw new Error(`${what}: ${path}: ${(e as Error).message}`);
  }
  if (
    !parsed ||
    typeof parsed !== "object" ||
    !Array.isArray(parsed.records) ||
    typeof parsed.config !== "object" ||
    parsed.config === null
  ) {
    throw new Error(`${what}: ${path}: no "config" object and "records" array (not a study's results.json)`);
  }
  return {
    path,
    study: String(parsed.study ?? ""),
    config: parsed.config as Record<string, unknown>,
    records: parsed.records as Record<string, unknown>[],
  };
}

/** The config fields of this study that decide an evaluation's result, beside the point itself. */
export type SourceSettings = Partial<
  Record<"testLimit" | "validationLimit" | "calibrationImages" | "calibration" | "percentile" | "perChannel", unknown>
>;

/**
 * Refuses (naming the file and field) a source that is not this study's results or ran other
 * test / validation / calibration settings than `settings` (the fields the reusing study has).
 */
export function checkAccuracySource(source: AccuracySource, settings: SourceSettings, what = "accuracyFrom"): void {
  if (source.study !== "accuracy-vs-precision")
    throw new Error(`${what}: ${source.path}: $.study is "${source.study}", expected "accuracy-vs-precision"`);
  for (const [field, value] of Object.entries(settings)) {
    if (source.config[field] !== value)
      throw new Error(
        `${what}: ${source.path}: $.config.${field} is ${JSON.stringify(source.config[field])}, this study runs ${JSON.stringify(value)}`,
      );
  }
}

/**
 * Why `--accuracy-from path` cannot be used, as the reusing study's config check reports it: no
 * such file, not a results.json, or (with `settings`) another study's or other settings. null: usable.
 */
export function accuracyFromProblem(path: string, settings?: SourceSettings): string | null {
  if (!existsSync(path)) return `--accuracy-from ${path}: no such file`;
  try {
    const source = readAccuracySource(path);
    if (settings) checkAccuracySource(source, settings);
    return null;
  } catch (e) {
    return `--accuracy-from ${(e as Error).message.replace(/^accuracyFrom: /, "")}`;
  }
}

/**
 * Which record: float32 (`method: "float"`), post-training quantised at `bits` (`"ptq"`), or the
 * trained checkpoint whose file has SHA-256 `weightsSha256` (same bytes: same weights and pinned
 * quantisation, so the same evaluation).
 */
export type SourcePoint =
  | { network: string; method: "float" }
  | { network: string; arithmetic: string; bits: number; method: "ptq" }
  | { network: string; arithmetic: string; bits: number; method: "trained"; weightsSha256: string };

function pointKey(p: SourcePoint): string {
  if (p.method === "float") return `${p.network}|float32|null|float`;
  return `${p.network}|${p.arithmetic}|${p.bits}|${p.method === "trained" ? p.weightsSha256 : "ptq"}`;
}

/**
 * The counts of each point's record in the source, undefined where it has none. Records without
 * whole counts (or with no image) are not taken.
 */
export function sourceCounts(source: AccuracySource, points: readonly SourcePoint[]): (SourceCounts | undefined)[] {
  const byKey = new Map<string, SourceCounts>();
  for (const r of source.records) {
    const { correct, total, validationCorrect, validationTotal } = r;
    if (
      typeof correct !== "number" ||
      typeof total !== "number" ||
      total <= 0 ||
      typeof validationCorrect !== "number" ||
      typeof validationTotal !== "number" ||
      validationTotal <= 0
    )
      continue;
    const counts = { correct, total, validationCorrect, validationTotal };
    const network = String(r.network);
    if (r.method === "float" && r.arithmetic === "float32") byKey.set(pointKey({ network, method: "float" }), counts);
    else if (typeof r.bitsW === "number" && (r.method === "ptq" || r.method === "trained")) {
      const arithmetic = String(r.arithmetic);
      if (r.method === "ptq") byKey.set(pointKey({ network, arithmetic, bits: r.bitsW, method: "ptq" }), counts);
      else if (typeof r.weightsSha256 === "string")
        byKey.set(
          pointKey({ network, arithmetic, bits: r.bitsW, method: "trained", weightsSha256: r.weightsSha256 }),
          counts,
        );
    }
  }
  return points.map((p) => byKey.get(pointKey(p)));
}
