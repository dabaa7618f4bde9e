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

const design = (precision: string, gopsPerMm2: number, testAccuracy: number, onFront = true) => ({
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
  onFront,
});

function source(config: Record<string, unknown>) {
  const f = join(mkdtempSync(join(tmpdir(), "pareto-mixed-")), "results.json");
  writeFileSync(
    f,
    JSON.stringify({
      study: "mixed-precision",
      config,
      records: [
        design("4/4/4/4/3", 17, 99.1),
        design("3/3/3/3/3", 21, 97.9),
        { ...design("4", 16, 99.2), family: "uniform" },
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
  it("readMixedPrecision keeps the per-layer SC path designs; mixedHeadlineColumns takes the best within the budget of pareto's float32, in fixed-precision only", () => {
    const d = readMixedPrecision(source(cfg as unknown as Record<string, unknown>), cfg);
    expect(d.map((x) => x.precision)).toEqual(["4/4/4/4/3", "3/3/3/3/3"]);
    expect(mixedHeadlineColumns(head, d)).toEqual({
      mixedScGopsPerMm2: 17,
      mixedScPoint: "N=4/4/4/4/3 M=16 P=4 b=8",
      mixedScAccuracy: 99.1,
      mixedVsUniformSc: 0.0625,
    });
    expect(mixedHeadlineColumns({ ...head, scenario: "precision-flexible" }, d).mixedScPoint).toBeNull();
  });

  it("readMixedPrecision refuses a source run on other test images, naming the field", () => {
    expect(() => readMixedPrecision(source({ ...cfg, testLimit: 10000 }), cfg)).toThrow(/\$\.config\.testLimit/);
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
