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

/** Accuracy vs N per network (facets), one line per arithmetic; float32 as a dashed rule. */
export function accuracyFigure(records: AccuracyRecord[]): FigureOptions {
  const lines = records.filter((r) => r.bitsW !== null).map((r) => ({ ...r, series: seriesLabel(r), N: r.bitsW as number }));
  const floats = records.filter((r) => r.arithmetic === "float32");
  return {
    title: "Test accuracy vs precision N (bitsW = bitsA = N, sign extra)",
    subtitle: "Dashed: float32. SC streams are 2^N bits long.",
    caption: `Networks: ${[...new Set(records.map((r) => r.network))].join(", ")}; ${floats[0]?.total ?? 0} test images each.`,
    width: 720,
    height: 380,
    marginLeft: 50,
    fx: { label: null },
    x: { label: "N (magnitude bits)", ticks: [...new Set(lines.map((l) => l.N))] },
    y: { label: "accuracy (%)", grid: true, domain: [Math.max(0, Math.min(...lines.map((l) => l.accuracy)) - 2), 100] },
    color: { legend: true, domain: [...new Set(lines.map((l) => l.series))].sort() },
    marks: [
      Plot.ruleY(floats, { fx: "network", y: "accuracy", strokeDasharray: "4,3", stroke: "#555" }),
      Plot.line(lines, { fx: "network", x: "N", y: "accuracy", stroke: "series", sort: "N" }),
      Plot.dot(lines, { fx: "network", x: "N", y: "accuracy", stroke: "series", r: 2.5 }),
    ],
  };
}
