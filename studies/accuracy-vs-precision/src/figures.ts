import { Plot } from "@sccnn/plots";
import type { FigureOptions } from "@sccnn/plots";

export interface AccuracyRecord {
  [key: string]: string | number | boolean | null;
  network: string;
  arithmetic: string;
  bitsW: number | null;
  bitsA: number | null;
  fineTuned: boolean;
  /** Test accuracy in percent. */
  accuracy: number;
  /** Float32 accuracy minus this accuracy, percentage points. */
  lossVsFloatPt: number;
  correct: number;
  total: number;
}

export function seriesLabel(r: Pick<AccuracyRecord, "arithmetic" | "fineTuned">): string {
  if (!r.fineTuned) return r.arithmetic;
  return r.arithmetic === "fixed" ? "fixed + QAT" : `${r.arithmetic} + SC-aware FT`;
}

/**
 * Test error (100 − accuracy, log scale, so 0.7 % and 90 % both read) vs N per network (facets),
 * one line and symbol per arithmetic; float32 as a dashed rule.
 */
export function accuracyFigure(records: AccuracyRecord[]): FigureOptions {
  const floor = 0.05; // a perfect score on a small test subset still gets a point on the log axis
  const err = (r: AccuracyRecord) => Math.max(floor, Math.round((100 - r.accuracy) * 100) / 100);
  const lines = records
    .filter((r) => r.bitsW !== null)
    .map((r) => ({ network: r.network, series: seriesLabel(r), N: r.bitsW as number, errorPct: err(r) }));
  const floats = records
    .filter((r) => r.arithmetic === "float32")
    .map((r) => ({ network: r.network, errorPct: err(r) }));
  const series = [...new Set(lines.map((l) => l.series))].sort();
  return {
    title: "Test error vs precision N (bitsW = bitsA = N magnitude bits, sign extra)",
    subtitle: "Dashed: float32. SC streams are 2^N bits long. Lower is better.",
    caption: `Networks: ${[...new Set(records.map((r) => r.network))].join(", ")}; ${records[0]?.total ?? 0} test images each. Test error = 100 − accuracy (%).`,
    width: 760,
    height: 400,
    marginLeft: 50,
    fx: { label: null },
    x: { label: "N (magnitude bits)", ticks: [...new Set(lines.map((l) => l.N))], tickFormat: "d" },
    y: { type: "log", label: "test error (%)", grid: true, tickFormat: "~g" },
    color: { legend: true, domain: series },
    symbol: { domain: series },
    marks: [
      Plot.ruleY(floats, { fx: "network", y: "errorPct", strokeDasharray: "4,3", stroke: "#555" }),
      Plot.line(lines, { fx: "network", x: "N", y: "errorPct", stroke: "series", sort: "N" }),
      Plot.dot(lines, { fx: "network", x: "N", y: "errorPct", stroke: "series", symbol: "series", r: 3 }),
    ],
  };
}
