import { readFileSync } from "node:fs";
import { Plot, type FigureOptions } from "@sccnn/plots";
import type { ParetoConfig } from "./config.ts";
import type { HeadlineRecord } from "./records.ts";

/** One design of the mixed-precision study's per-layer-N SC path (its results.json, kind "design", family "mixed"). */
export interface MixedDesign {
  network: string;
  /** Per-layer N in layer order. */
  precision: string;
  lanesM: number;
  unitsP: number;
  parallelB: number;
  gopsPerMm2: number;
  /** Test accuracy, %. */
  testAccuracy: number;
  /** float32 validation accuracy − its validation accuracy, points (on the mixed-precision study's validation images). */
  valLossPt: number;
  onFront: boolean;
}

/** The settings both studies must share for their accuracies and ops per area to be comparable. */
const SAME = [
  "testLimit",
  "calibrationImages",
  "calibration",
  "perChannel",
  "technology",
  "clockHz",
  "registers",
  "lockstep",
  "zeroWeightCycles",
] as const;

/**
 * Reads the mixed-precision study's per-layer SC designs; refuses (naming the file and field) a
 * source that is not that study or ran other test images, quantisation or cost settings.
 */
export function readMixedPrecision(path: string, c: ParetoConfig): MixedDesign[] {
  let parsed: { study?: unknown; config?: Record<string, unknown>; records?: Record<string, unknown>[] };
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as typeof parsed;
  } catch (e) {
    throw new Error(`mixedPrecisionFrom: ${path}: ${(e as Error).message}`);
  }
  if (parsed.study !== "mixed-precision" || !parsed.config || !Array.isArray(parsed.records))
    throw new Error(
      `mixedPrecisionFrom: ${path}: $.study is ${JSON.stringify(parsed.study)}, expected a "mixed-precision" results.json`,
    );
  for (const f of SAME)
    if (parsed.config[f] !== c[f])
      throw new Error(
        `mixedPrecisionFrom: ${path}: $.config.${f} is ${JSON.stringify(parsed.config[f])}, this study runs ${JSON.stringify(c[f])}`,
      );
  return parsed.records
    .filter((r) => r.kind === "design" && r.family === "mixed" && r.design === "sc")
    .map((r) => ({
      network: String(r.network),
      precision: String(r.precision),
      lanesM: Number(r.lanesM),
      unitsP: Number(r.unitsP),
      parallelB: Number(r.parallelB),
      gopsPerMm2: Number(r.gopsPerMm2),
      testAccuracy: Number(r.testAccuracy),
      valLossPt: validationLoss(path, r),
      onFront: r.onFront === true,
    }));
}

function validationLoss(path: string, r: Record<string, unknown>): number {
  if (typeof r.valLossPt !== "number")
    throw new Error(
      `mixedPrecisionFrom: ${path}: a design record's valLossPt is ${JSON.stringify(r.valLossPt)}, expected a number (rerun pnpm study mixed-precision)`,
    );
  return r.valLossPt;
}

const describe = (d: MixedDesign) => `N=${d.precision} M=${d.lanesM} P=${d.unitsP} b=${d.parallelB}`;

/**
 * Headline columns for the per-layer SC designs: in the fixed-precision scenario (the SC array is
 * built for its largest layer N), the most ops per area among the designs whose validation loss vs
 * float32 is within the budget (judged on validation like the rest of pareto's headline, each study
 * against float32 on its own validation images), its test accuracy, and its ratio to the best
 * uniform-N SC point; null elsewhere.
 */
export function mixedHeadlineColumns(h: HeadlineRecord, designs: readonly MixedDesign[]) {
  const none = { mixedScGopsPerMm2: null, mixedScPoint: null, mixedScAccuracy: null, mixedVsUniformSc: null };
  if (h.scenario !== "fixed-precision" || h.floatAccuracy === null) return none;
  let best: MixedDesign | null = null;
  for (const d of designs) {
    if (d.network !== h.network || d.valLossPt > h.accuracyBudgetPt + 1e-9) continue;
    if (!best || d.gopsPerMm2 > best.gopsPerMm2) best = d;
  }
  if (!best) return none;
  return {
    mixedScGopsPerMm2: best.gopsPerMm2,
    mixedScPoint: describe(best),
    mixedScAccuracy: best.testAccuracy,
    mixedVsUniformSc: h.scGopsPerMm2 ? Number((best.gopsPerMm2 / h.scGopsPerMm2 - 1).toPrecision(6)) : null,
  };
}

export const MIXED_LABEL = "SC-CNN, per-layer N";

/** Adds the per-layer SC front (a step line with rings, in the fixed-precision panels) to pareto's figure. */
export function withMixedFront(
  options: FigureOptions,
  designs: readonly MixedDesign[],
  floats: ReadonlyMap<string, number>,
): FigureOptions {
  const rows = designs
    .filter((d) => d.onFront && floats.has(d.network))
    .map((d) => ({
      network: d.network,
      scenario: "fixed-precision",
      design: MIXED_LABEL,
      gopsPerMm2: d.gopsPerMm2,
      lossPt: Math.round((floats.get(d.network)! * 100 - d.testAccuracy) * 100) / 100,
    }))
    .sort((a, b) => (a.network < b.network ? -1 : a.network > b.network ? 1 : a.gopsPerMm2 - b.gopsPerMm2));
  if (rows.length === 0) return options;
  const o = options as FigureOptions & {
    color?: { domain?: string[]; range?: string[] };
    marks?: unknown[];
    subtitle?: string;
  };
  return {
    ...o,
    subtitle: `${o.subtitle ?? ""} Purple: per-layer N SC front (studies/mixed-precision, fixed-precision panels).`,
    color: {
      ...o.color,
      domain: [...(o.color?.domain ?? []), MIXED_LABEL],
      range: [...(o.color?.range ?? []), "#7570b3"],
    },
    marks: [
      ...(o.marks ?? []),
      Plot.line(rows, {
        fx: "network",
        fy: "scenario",
        x: "gopsPerMm2",
        y: "lossPt",
        stroke: "design",
        curve: "step-before",
        strokeWidth: 1.6,
        strokeDasharray: "3,2",
      }),
      Plot.dot(rows, {
        fx: "network",
        fy: "scenario",
        x: "gopsPerMm2",
        y: "lossPt",
        stroke: "design",
        fill: "white",
        r: 2.8,
      }),
    ],
  } as FigureOptions;
}
