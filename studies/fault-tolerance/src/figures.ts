import { Plot, type FigureOptions } from "@sccnn/plots";

export interface BandRow {
  network: string;
  bits: number;
  design: string;
  group: string;
  faultRate: number;
  meanPct: number;
  minPct: number;
  maxPct: number;
}

/**
 * Accuracy vs fault rate p (log x), one facet per site group (and network/N row), a line per
 * design with its min–max band over seeds; dashed rules at each design's fault-free accuracy − 1 pt.
 */
export function accuracyVsFaultRateFigure(
  rows: BandRow[],
  baselines: { network: string; bits: number; design: string; thresholdPct: number }[],
  testImages: number,
  seeds: number,
  model: "transient" | "stuck-at" = "transient",
): FigureOptions {
  const withRow = (r: { network: string; bits: number }) => `${r.network}, N = ${r.bits}`;
  const data = rows.map((r) => ({ ...r, row: withRow(r) }));
  const base = baselines.map((b) => ({ ...b, row: withRow(b) }));
  const groups = [...new Set(rows.map((r) => r.group))];
  const designs = [...new Set(rows.map((r) => r.design))].sort();
  const facets = groups.flatMap((group) => base.map((b) => ({ ...b, group })));
  return {
    title:
      model === "transient"
        ? "Test accuracy vs transient bit-flip rate p, SC-CNN (BISC) vs binary fixed point"
        : "Test accuracy vs fraction of lanes with a stuck-at bit, SC-CNN (BISC) vs binary fixed point",
    subtitle: `Line: mean of ${seeds} seeded runs; band: min–max. Dashed: fault-free accuracy − 1 pt. ${model === "transient" ? "p = flip probability per bit per cycle at the site." : "A stuck lane has one random bit of the site stuck at a random value."}`,
    caption: `${testImages} test images per point.${model === "transient" ? " A series stops after its mean loses the configured number of points." : ""}`,
    width: 900,
    height: 360,
    marginLeft: 50,
    marginRight: 90,
    marginBottom: 45,
    fx: { label: null, domain: groups },
    fy: { label: null },
    x: {
      type: "log",
      label: model === "transient" ? "fault rate p (per bit per cycle)" : "fraction of stuck lanes",
      tickFormat: ".0e",
      ticks: 4,
    },
    y: { label: "test accuracy (%)", grid: true },
    color: { legend: true, domain: designs },
    marks: [
      Plot.areaY(data, {
        fx: "group",
        fy: "row",
        x: "faultRate",
        y1: "minPct",
        y2: "maxPct",
        fill: "design",
        fillOpacity: 0.2,
        sort: "faultRate",
      }),
      Plot.line(data, { fx: "group", fy: "row", x: "faultRate", y: "meanPct", stroke: "design", sort: "faultRate" }),
      Plot.dot(data, { fx: "group", fy: "row", x: "faultRate", y: "meanPct", stroke: "design", r: 2 }),
      Plot.ruleY(facets, { fx: "group", fy: "row", y: "thresholdPct", stroke: "design", strokeDasharray: "4,3" }),
    ],
  };
}
