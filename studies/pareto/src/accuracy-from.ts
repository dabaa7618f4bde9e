import {
  checkAccuracySource,
  sourceCounts,
  type AccuracySource,
  type SourceCounts,
} from "@sccnn/study-accuracy-vs-precision/source";
import type { AccuracyInput, AccuracyValue } from "./eval/accuracy.ts";

const SAME = ["testLimit", "validationLimit", "calibrationImages", "calibration", "percentile", "perChannel"] as const;

const accuracyValue = (c: SourceCounts): AccuracyValue => ({
  accuracy: c.correct / c.total,
  correct: c.correct,
  total: c.total,
  validationAccuracy: c.validationCorrect / c.validationTotal,
  validationCorrect: c.validationCorrect,
  validationTotal: c.validationTotal,
});

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
  for (const point of points) checkAccuracySource(source, Object.fromEntries(SAME.map((f) => [f, point[f]])));
  const counts = sourceCounts(
    source,
    points.map((p) =>
      p.bits === null
        ? { network: p.network, method: "float" as const }
        : p.fineTuned
          ? {
              network: p.network,
              arithmetic: p.arithmetic,
              bits: p.bits,
              method: "trained",
              weightsSha256: p.weightsSha256,
            }
          : { network: p.network, arithmetic: p.arithmetic, bits: p.bits, method: "ptq" },
    ),
  );
  return points.map((p, i) => (p.bits === null || !counts[i] ? undefined : accuracyValue(counts[i])));
}

/** The float32 accuracy a source measured for a network (a check that both studies ran the same trained weights). */
export function sourceFloatAccuracy(
  source: AccuracySource,
  network: string,
): Pick<AccuracyValue, "accuracy" | "correct" | "total"> | undefined {
  const [c] = sourceCounts(source, [{ network, method: "float" }]);
  return c ? { accuracy: c.correct / c.total, correct: c.correct, total: c.total } : undefined;
}
