import { readFileSync } from "node:fs";
import type { AccuracyInput, AccuracyValue } from "./eval/accuracy.ts";

/** The fields of an accuracy-vs-precision results.json that reuse depends on. */
export interface AccuracySource {
  path: string;
  study: string;
  config: Record<string, unknown>;
  records: Record<string, unknown>[];
}

export function readAccuracySource(path: string): AccuracySource {
  let parsed: { study?: unknown; config?: unknown; records?: unknown };
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as typeof parsed;
  } catch (e) {
    throw new Error(`accuracyFrom: ${path}: ${(e as Error).message}`);
  }
  if (
    !parsed ||
    typeof parsed !== "object" ||
    !Array.isArray(parsed.records) ||
    typeof parsed.config !== "object" ||
    parsed.config === null
  ) {
    throw new Error(`accuracyFrom: ${path}: no "config" object and "records" array (not a study's results.json)`);
  }
  return {
    path,
    study: String(parsed.study ?? ""),
    config: parsed.config as Record<string, unknown>,
    records: parsed.records as Record<string, unknown>[],
  };
}

const SAME = ["testLimit", "validationLimit", "calibrationImages", "calibration", "percentile", "perChannel"] as const;

/**
 * Accuracies another study (accuracy-vs-precision) already measured with the same runtime, test set and
 * quantisation settings: for each plain (not fine-tuned) quantised point, its `correct / total` from the
 * record `{ network, arithmetic, bitsW, method: "ptq", correct, total }`; for a fine-tuned point, from the
 * record `{ method: "trained", weightsSha256 }` of the same checkpoint file (same bytes: same weights and
 * pinned quantisation, so the same evaluation; checked equal on all 28 points of a full run before reuse);
 * undefined where the source has none (float32 is never reused: it is the cross-check below).
 * Throws, naming the file and field, when the source is not accuracy-vs-precision or ran other settings.
 */
export function reuseAccuracies(
  points: readonly AccuracyInput[],
  source: AccuracySource,
): (AccuracyValue | undefined)[] {
  if (source.study !== "accuracy-vs-precision")
    throw new Error(`accuracyFrom: ${source.path}: $.study is "${source.study}", expected "accuracy-vs-precision"`);
  for (const point of points) {
    for (const field of SAME) {
      if (source.config[field] !== point[field]) {
        throw new Error(
          `accuracyFrom: ${source.path}: $.config.${field} is ${JSON.stringify(source.config[field])}, this study runs ${JSON.stringify(point[field])}`,
        );
      }
    }
  }
  const byKey = new Map<string, AccuracyValue>();
  for (const r of source.records) {
    const trained = r.method === "trained" && typeof r.weightsSha256 === "string";
    if (
      (r.method !== "ptq" && !trained) ||
      typeof r.correct !== "number" ||
      typeof r.total !== "number" ||
      r.total <= 0 ||
      typeof r.validationCorrect !== "number" ||
      typeof r.validationTotal !== "number" ||
      r.validationTotal <= 0
    )
      continue;
    byKey.set(
      `${String(r.network)}|${String(r.arithmetic)}|${String(r.bitsW)}|${trained ? String(r.weightsSha256) : "ptq"}`,
      {
        accuracy: r.correct / r.total,
        correct: r.correct,
        total: r.total,
        validationAccuracy: r.validationCorrect / r.validationTotal,
        validationCorrect: r.validationCorrect,
        validationTotal: r.validationTotal,
      },
    );
  }
  return points.map((p) =>
    p.bits === null
      ? undefined
      : byKey.get(`${p.network}|${p.arithmetic}|${p.bits}|${p.fineTuned ? p.weightsSha256 : "ptq"}`),
  );
}

/** The float32 accuracy a source measured for a network (a check that both studies ran the same trained weights). */
export function sourceFloatAccuracy(
  source: AccuracySource,
  network: string,
): Pick<AccuracyValue, "accuracy" | "correct" | "total"> | undefined {
  const r = source.records.find(
    (x) =>
      x.network === network &&
      x.arithmetic === "float32" &&
      typeof x.correct === "number" &&
      typeof x.total === "number",
  );
  return r
    ? { accuracy: (r.correct as number) / (r.total as number), correct: r.correct as number, total: r.total as number }
    : undefined;
}
