import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ParetoConfig } from "../src/config.ts";
import { paretoFigure } from "../src/figure.ts";
import { MIXED_LABEL, mixedHeadlineColumns, readMixedPrecision, withMixedFront } from "../src/mixed-front.ts";
import type { HeadlineRecord } from "../src/records.ts";

const cfg = {
  testLimit: 300,
  calibrationImages: 200,
  calibration: "mse",
  perChannel: false,
  technology: "osu018",
  clockHz: 2e8,
  registers: "io",
  lockstep: true,
  zeroWeightCycles: 1,
} as unknown as ParetoConfig;

const design = (precision: string, gopsPerMm2: number, testAccuracy: number, valLossPt: number, onFront = true) => ({
  kind: "design",
  family: "mixed",
  design: "sc",
  network: "lenet5",
  precision,
  lanesM: 16,
  unitsP: 4,
  parallelB: 8,
  gopsPerMm2,
  testAccuracy,
  valLossPt,
  onFront,
});

function source(config: Record<string, unknown>, records?: unknown[]) {
  const f = join(mkdtempSync(join(tmpdir(), "pareto-mixed-")), "results.json");
  writeFileSync(
    f,
    JSON.stringify({
      study: "mixed-precision",
      config,
      records: records ?? [
        design("4/4/4/4/3", 17, 99.1, 0.2),
        design("3/3/3/3/3", 21, 97.9, 0.9),
        design("3/3/3/3/2", 23, 98.5, 1.2),
        { ...design("4", 16, 99.2, 0.1), family: "uniform" },
      ],
    }),
  );
  return f;
}

const head = {
  network: "lenet5",
  scenario: "fixed-precision",
  status: "ok",
  accuracyBudgetPt: 1,
  floatAccuracy: 99.3,
  scGopsPerMm2: 16,
} as HeadlineRecord;

describe("mixed-precision front in pareto", () => {
  it("readMixedPrecision keeps the per-layer SC path designs; mixedHeadlineColumns takes the best within the budget judged on validation, reports its test accuracy, in fixed-precision only", () => {
    const d = readMixedPrecision(source(cfg as unknown as Record<string, unknown>), cfg);
    expect(d.map((x) => x.precision)).toEqual(["4/4/4/4/3", "3/3/3/3/3", "3/3/3/3/2"]);
    // 3/3/3/3/3 is within 1 pt on validation (0.9) though 1.4 pt below float32 on test; 3/3/3/3/2 is not (1.2)
    expect(mixedHeadlineColumns(head, d)).toEqual({
      mixedScGopsPerMm2: 21,
      mixedScPoint: "N=3/3/3/3/3 M=16 P=4 b=8",
      mixedScAccuracy: 97.9,
      mixedVsUniformSc: 0.3125,
    });
    expect(mixedHeadlineColumns({ ...head, scenario: "precision-flexible" }, d).mixedScPoint).toBeNull();
  });

  it("readMixedPrecision refuses a source run on other test images, naming the field", () => {
    expect(() => readMixedPrecision(source({ ...cfg, testLimit: 10000 }), cfg)).toThrow(/\$\.config\.testLimit/);
  });

  it("readMixedPrecision refuses a design record without a validation loss (a run from before choices on validation)", () => {
    const { valLossPt: _, ...old } = design("4/4/4/4/3", 17, 99.1, 0.2);
    expect(() => readMixedPrecision(source(cfg as unknown as Record<string, unknown>, [old]), cfg)).toThrow(
      /valLossPt is undefined/,
    );
  });

  it("withMixedFront adds the per-layer series to pareto's figure legend and marks", () => {
    const base = paretoFigure([], {
      budgetPt: 1,
      technology: "osu018",
      clockHz: 2e8,
      testImages: 300,
      skipped: [],
      headlines: [],
    });
    const d = readMixedPrecision(source(cfg as unknown as Record<string, unknown>), cfg);
    const o = withMixedFront(base, d, new Map([["lenet5", 0.993]])) as {
      color?: { domain?: string[] };
      marks?: unknown[];
    };
    expect(o.color?.domain).toContain(MIXED_LABEL);
    expect((o.marks?.length ?? 0) - ((base as { marks?: unknown[] }).marks?.length ?? 0)).toBe(2);
    expect(withMixedFront(base, [], new Map())).toBe(base);
  });
});
