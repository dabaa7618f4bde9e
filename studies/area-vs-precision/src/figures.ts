import { Plot, type FigureOptions } from "@sccnn/plots";
import type { ComponentRecord, LaneRecord } from "./evaluate.ts";

const laneLabel = (r: LaneRecord) => (r.design === "binary" ? "binary lane" : `SC lane, b = ${r.parallel}`);

/** Area per lane (own parts + share of the unit) vs N: binary vs SC for each b. */
export function laneFigure(
  records: readonly LaneRecord[],
  fanIn: number,
  lanesPerUnit: number,
  registers: string,
): FigureOptions {
  const rows = records.map((r) => ({ ...r, series: laneLabel(r), panel: `${r.technology} (${r.model})` }));
  const bits = [...new Set(rows.map((r) => r.bits))].sort((a, b) => a - b);
  const series = [...new Set(rows.map((r) => r.series))].sort((a, b) =>
    a.startsWith("binary") ? -1 : b.startsWith("binary") ? 1 : Number(a.split("= ")[1]) - Number(b.split("= ")[1]),
  );
  return {
    title: "Area per MAC lane vs precision",
    subtitle: `lane's own parts + 1/M of the unit's shared logic (M = ${lanesPerUnit}); accumulators sized for fan-in ${fanIn}; registers: ${registers}`,
    caption:
      "SC lane: BISC SNG multiplexer (b = 1) or b-parallel block front + up/down counter of N + ceil(log2 fan-in) + 1 bits; shared per unit: down counter, SNG block counter, select logic. " +
      "Binary lane: N x N magnitude multiplier + add/subtract accumulator of 2N + ceil(log2 fan-in) + 1 bits. Log y axis.",
    width: Math.max(640, 420 * new Set(rows.map((r) => r.panel)).size),
    height: 420,
    marginLeft: 64,
    fx: { label: null },
    x: { label: "precision N (bits)", ticks: bits },
    y: { type: "log", label: "area per lane (µm²)", grid: true },
    color: { legend: true, label: "lane", domain: series },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.line(rows, { fx: "panel", x: "bits", y: "areaUm2", stroke: "series" }),
      Plot.dot(rows, { fx: "panel", x: "bits", y: "areaUm2", fill: "series", r: 2 }),
    ],
  };
}

/** Each component's area vs N at b = 1, synthesized vs analytic model. */
export function componentFigure(records: readonly ComponentRecord[]): FigureOptions {
  const rows = records
    .filter((r) => r.parallel === 1 || r.kind === "multiplier" || r.kind === "accumulator" || r.kind === "register")
    .map((r) => ({ ...r, series: `${r.model} (${r.technology})` }));
  const uniq = new Map<string, (typeof rows)[number]>();
  for (const r of rows) uniq.set(`${r.series}/${r.kind}/${r.bits}`, r);
  const data = [...uniq.values()];
  const bits = [...new Set(data.map((r) => r.bits))].sort((a, b) => a - b);
  return {
    title: "Component areas vs precision (b = 1)",
    subtitle: "Yosys synthesis onto OSU standard cells vs the analytic gate-count model",
    caption: "updown-counter and accumulator widths follow N (see the lane figure); register = N + 1 bits. Log y axis.",
    width: 1100,
    height: 380,
    marginLeft: 64,
    fx: {
      label: null,
      domain: ["sc-stream-front", "sc-unit-shared", "updown-counter", "multiplier", "accumulator", "register"],
    },
    x: { label: "precision N (bits)", ticks: bits.filter((b) => b % 4 === 0) },
    y: { type: "log", label: "area (µm²)", grid: true },
    color: { legend: true, label: "model" },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.line(data, { fx: "kind", x: "bits", y: "areaUm2", stroke: "series" }),
      Plot.dot(data, { fx: "kind", x: "bits", y: "areaUm2", fill: "series", r: 1.5 }),
    ],
  };
}
