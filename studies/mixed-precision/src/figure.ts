import { Plot, type FigureOptions } from "@sccnn/plots";
import type { DesignRecord, HeadlineRecord } from "./records.ts";

const SERIES = {
  "sc|mixed": "SC-CNN, per-layer N (greedy path)",
  "sc|uniform": "SC-CNN, uniform N",
  "binary|uniform": "binary, uniform N",
} as const;
const COLORS = ["#d95f02", "#7570b3", "#1b64b4"];

export interface FigureContext {
  budgetPt: number;
  testImages: number;
  validationImages: number;
  technology: string;
  clockHz: number;
  headlines: readonly HeadlineRecord[];
}

/**
 * Test accuracy loss vs float32 (symlog, up is better) against ops per area (log): every design of
 * each series as a dot, its test front as a step line; ringed: the designs chosen on validation.
 */
export function mixedPrecisionFigure(records: readonly DesignRecord[], ctx: FigureContext): FigureOptions {
  const label = (r: DesignRecord) =>
    SERIES[`${r.design}|${r.family}` as keyof typeof SERIES] ?? `${r.design} ${r.family}`;
  const rows = records.map((r) => ({
    network: r.network,
    series: label(r),
    gopsPerMm2: r.gopsPerMm2,
    lossPt: r.testLossPt,
    tag: r.precision,
    group: `${r.network}|${label(r)}`,
  }));
  const front = records
    .filter((r) => r.onFront)
    .map((r, i) => ({ ...rows[records.indexOf(r)]!, i }))
    .sort((a, b) =>
      a.group < b.group ? -1 : a.group > b.group ? 1 : a.gopsPerMm2 - b.gopsPerMm2 || a.lossPt - b.lossPt,
    );
  const selected = records.filter((r) => r.selected).map((r) => rows[records.indexOf(r)]!);
  const networks = [...new Set(records.map((r) => r.network))];
  const losses = records.map((r) => r.testLossPt);
  const lossMax = Math.max(ctx.budgetPt * 2, ...losses);
  const lossMin = Math.min(-0.2, ...losses);
  const gops = records.map((r) => r.gopsPerMm2);
  const notes = ctx.headlines
    .filter((h) => h.mixedVsUniformSc !== null)
    .map((h) => ({
      network: h.network,
      text: `chosen on validation, within ${ctx.budgetPt} pt: per-layer ${h.mixedScGopsPerMm2!.toPrecision(3)} vs uniform ${h.uniformScGopsPerMm2!.toPrecision(3)} GOPS/mm² (${h.mixedVsUniformSc! >= 0 ? "+" : ""}${(h.mixedVsUniformSc! * 100).toFixed(0)} %)`,
    }));
  const domain = Object.values(SERIES);
  return {
    title: "Per-layer precision: accuracy vs operations per area",
    subtitle: `SC runs every layer at its own N on one array built for the largest; binary is built for its N. Lines: test fronts; rings: the designs chosen on validation. Dashed: ${ctx.budgetPt} pt budget.`,
    caption:
      `Loss vs float32 on ${ctx.testImages} test images (symlog, up is better); the path and the operating points were chosen on ${ctx.validationImages} validation images (training images after the calibration ones). ` +
      `Each precision at its best array (M, P, b) at ${ctx.clockHz / 1e6} MHz, ${ctx.technology} synthesized components, memories excluded. Labels: per-layer N in layer order.`,
    width: Math.max(760, 520 * networks.length),
    height: 460,
    marginLeft: 60,
    marginRight: 40,
    marginBottom: 44,
    fx: { label: null, domain: networks },
    x: {
      type: "log",
      label: "operations per area (GOPS/mm²) →",
      grid: true,
      domain: [Math.min(...gops) / 1.3, Math.max(...gops) * 1.5],
      tickFormat: "~g",
    },
    y: {
      type: "symlog",
      reverse: true,
      label: "↑ test accuracy loss vs float32 (pt)",
      grid: true,
      domain: [lossMin, lossMax * 1.1],
      tickFormat: "~g",
    },
    clip: true,
    color: { legend: true, domain, range: COLORS },
    marks: [
      Plot.frame({ stroke: "#ccc" }),
      Plot.ruleY([0], { stroke: "#999" }),
      Plot.ruleY([ctx.budgetPt], { stroke: "#444", strokeDasharray: "5,4" }),
      Plot.dot(rows, { fx: "network", x: "gopsPerMm2", y: "lossPt", fill: "series", r: 2, fillOpacity: 0.45 }),
      Plot.line(front, {
        fx: "network",
        x: "gopsPerMm2",
        y: "lossPt",
        stroke: "series",
        z: "group",
        curve: "step-before",
        strokeWidth: 1.6,
      }),
      Plot.dot(selected, { fx: "network", x: "gopsPerMm2", y: "lossPt", stroke: "series", r: 6, strokeWidth: 2 }),
      Plot.text(
        front.filter((f) => f.series !== SERIES["binary|uniform"]),
        {
          fx: "network",
          x: "gopsPerMm2",
          y: "lossPt",
          text: "tag",
          fill: "series",
          dx: 6,
          dy: -7,
          textAnchor: "start",
          fontSize: 8,
        },
      ),
      Plot.text(notes, {
        fx: "network",
        text: "text",
        frameAnchor: "bottom-left",
        dx: 6,
        dy: -6,
        fontSize: 10,
        fill: "#222",
      }),
    ],
  };
}
