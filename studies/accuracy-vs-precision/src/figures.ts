import { Plot } from "@sccnn/plots";
import type { FigureOptions } from "@sccnn/plots";

export interface AccuracyRecord {
  [key: string]: string | number | boolean | null;
  network: string;
  arithmetic: string;
  bitsW: number | null;
  bitsA: number | null;
  /** float | ptq | ptq+comp | trained (see src/evaluate.ts). */
  method: string;
  /** method === "trained" (kept for readers of earlier results). */
  fineTuned: boolean;
  seed: number | null;
  trainedPeriod: number | null;
  /** "trained": SHA-256 of the checkpoint file the point ran (pareto reuses the accuracy of the same file); else null. */
  weightsSha256: string | null;
  /**
   * The float weights the point descends from: "current" (today's zoo float checkpoint), or for a
   * trained checkpoint written before a float retrain "superseded" ("unrecorded": no record).
   */
  floatWeights: string;
  /** Which training images those float weights saw, e.g. "mnist train[0:55000]". */
  floatTrainedOn: string;
  /** Test accuracy in percent, with its binomial (Wilson) 95 % interval. */
  accuracy: number;
  testLo: number;
  testHi: number;
  /** Float32 test accuracy minus this one, percentage points. */
  lossVsFloatPt: number;
  correct: number;
  total: number;
  validationAccuracy: number;
  validationLo: number;
  validationHi: number;
  validationLossVsFloatPt: number;
  validationCorrect: number;
  validationTotal: number;
}

export function seriesLabel(r: Pick<AccuracyRecord, "arithmetic" | "method">): string {
  if (r.method === "float") return "float32";
  if (r.method === "ptq") return `${r.arithmetic} PTQ`;
  if (r.method === "ptq+comp") return `${r.arithmetic} PTQ + bias comp.`;
  return r.arithmetic === "fixed" ? "fixed QAT" : `${r.arithmetic} SC-aware`;
}

/**
 * Test error (100 − accuracy, log scale) vs N per network (facets), one line and symbol per
 * arithmetic × method (seed 1), the binomial 95 % interval as a vertical bar; float32 as a dashed rule.
 */
export function accuracyFigure(records: AccuracyRecord[]): FigureOptions {
  const floor = 0.05; // a perfect score on a small test subset still gets a point on the log axis
  const err = (a: number) => Math.max(floor, Math.round((100 - a) * 100) / 100);
  const lines = records
    .filter((r) => r.bitsW !== null && (r.seed === null || r.seed === 1))
    .map((r) => ({
      network: r.network,
      series: seriesLabel(r),
      N: r.bitsW as number,
      errorPct: err(r.accuracy),
      lo: err(r.testHi),
      hi: err(r.testLo),
    }));
  const floats = records
    .filter((r) => r.method === "float")
    .map((r) => ({ network: r.network, errorPct: err(r.accuracy) }));
  const series = [...new Set(lines.map((l) => l.series))].sort();
  return {
    title: "Test error vs precision N (bitsW = bitsA = N magnitude bits, sign extra)",
    subtitle:
      "Dashed: float32. Bars: binomial 95 % intervals. QAT / SC-aware: trained with the arithmetic in the loop, stopped on a validation split. Lower is better.",
    caption: `Networks: ${[...new Set(records.map((r) => r.network))].join(", ")}; ${records[0]?.total ?? 0} test images each. Test error = 100 − accuracy (%).`,
    width: 860,
    height: 420,
    marginLeft: 50,
    fx: { label: null },
    x: { label: "N (magnitude bits)", ticks: [...new Set(lines.map((l) => l.N))], tickFormat: "d" },
    y: { type: "log", label: "test error (%)", grid: true, tickFormat: "~g" },
    color: { legend: true, domain: series },
    symbol: { domain: series },
    marks: [
      Plot.ruleY(floats, { fx: "network", y: "errorPct", strokeDasharray: "4,3", stroke: "#555" }),
      Plot.ruleX(lines, { fx: "network", x: "N", y1: "lo", y2: "hi", stroke: "series", strokeOpacity: 0.5 }),
      Plot.line(lines, { fx: "network", x: "N", y: "errorPct", stroke: "series", sort: "N" }),
      Plot.dot(lines, { fx: "network", x: "N", y: "errorPct", stroke: "series", symbol: "series", r: 3 }),
    ],
  };
}
