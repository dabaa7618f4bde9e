import { dominates } from "@sccnn/dse";
import { describe, expect, it } from "vitest";
import type { CostPoint, DesignCost } from "../src/eval/cost.ts";
import { bestWithin, frontRecords, headline, markFronts, networkRecords, type ParetoRecord } from "../src/records.ts";

const design = (gopsPerMm2: number, builtBits = 4): DesignCost => ({
  builtBits,
  lanesPerUnit: 16,
  units: 4,
  copies: 1,
  areaUm2: 1000,
  latencyCycles: 100,
  opsPerCycle: 10,
  gopsPerMm2,
  utilisation: 1,
  costModels: "yosys",
  energyPerInferencePj: null,
  memoryEnergyPj: null,
  gopsPerW: null,
  energyModel: "off",
});
const point = (
  parallel: number,
  sc: number,
  binary: number,
  scenario: CostPoint["scenario"] = "fixed-precision",
  isoBisc = binary / 2,
): CostPoint => ({
  lanesPerUnit: 16,
  units: 4,
  parallel,
  scenario,
  sc: design(sc),
  binary: [
    { ...design(binary), baseline: "exact", improvement: sc / binary - 1 },
    { ...design(isoBisc), baseline: "iso-bisc", improvement: sc / isoBisc - 1 },
  ],
  conventional: [{ ...design(sc / 16), sng: "lfsr" }],
  conventionalRefused: [],
});

function rec(
  design: "sc" | "binary",
  accuracy: number,
  gopsPerMm2: number,
  extra: Partial<ParetoRecord> = {},
): ParetoRecord {
  return {
    network: "net",
    design,
    baseline: design === "sc" ? null : "exact",
    arithmetic: design === "sc" ? "sc-bisc" : "fixed",
    bits: 4,
    builtBits: 4,
    lanesM: 16,
    unitsP: 4,
    parallelB: design === "sc" ? 1 : null,
    scenario: "fixed-precision",
    fineTuned: false,
    accuracy,
    accuracyLossPt: 99 - accuracy,
    validationAccuracy: accuracy,
    validationLossPt: 99 - accuracy,
    areaUm2: 1,
    latencyCycles: 1,
    opsPerCycle: 1,
    gopsPerMm2,
    improvement: null,
    improvementBaseline: null,
    onFront: false,
    onBaselineFront: false,
    onJointFront: false,
    copies: 1,
    costModels: "yosys",
    energyPerInferencePj: null,
    memoryEnergyPj: null,
    gopsPerW: null,
    energyModel: "off",
    onEnergyFront: false,
    onJointEnergyFront: false,
    ...extra,
  };
}

describe("networkRecords", () => {
  it("networkRecords(…) gives SC one record per cost point and each binary baseline one per (M, P, scenario), with loss vs float and improvement (vs the strongest baseline there) on SC only", () => {
    const costs = [point(1, 10, 8), point(4, 30, 8, "fixed-precision", 12)];
    const records = networkRecords("net", { accuracy: 0.99, validationAccuracy: 0.995 }, [
      {
        design: "sc",
        baseline: null,
        arithmetic: "sc-bisc",
        bits: 4,
        fineTuned: false,
        accuracy: 0.985,
        validationAccuracy: 0.99,
        costs,
      },
      {
        design: "binary",
        baseline: "exact",
        arithmetic: "fixed",
        bits: 4,
        fineTuned: false,
        accuracy: 0.9912,
        validationAccuracy: 0.995,
        costs,
      },
      {
        design: "binary",
        baseline: "iso-bisc",
        arithmetic: "sc-bisc",
        bits: 4,
        fineTuned: false,
        accuracy: 0.985,
        validationAccuracy: 0.99,
        costs,
      },
      {
        design: "sc",
        baseline: null,
        arithmetic: "sc-lfsr",
        bits: 4,
        fineTuned: false,
        accuracy: 0.95,
        validationAccuracy: 0.95,
        costs,
      },
    ]);
    expect(records.map((r) => [r.design, r.baseline, r.arithmetic, r.parallelB, r.gopsPerMm2])).toEqual([
      ["sc", null, "sc-bisc", 1, 10],
      ["sc", null, "sc-bisc", 4, 30],
      ["binary", "exact", "fixed", null, 8],
      ["binary", "iso-bisc", "sc-bisc", null, 4],
      // the conventional SC array: once per (M, P, scenario), b = 1, its own cost
      ["sc", null, "sc-lfsr", 1, 10 / 16],
    ]);
    expect(records[4]!.improvement).toBeCloseTo(10 / 16 / 8 - 1, 5);
    // a conventional array no cost model prices is left out (the study logs why), not an error
    const refused = costs.map((p) => ({
      ...p,
      conventional: [],
      conventionalRefused: [{ sng: "lfsr" as const, reason: "no model" }],
    }));
    const lfsr = {
      design: "sc" as const,
      baseline: null,
      arithmetic: "sc-lfsr",
      bits: 4,
      fineTuned: false,
      accuracy: 0.95,
      validationAccuracy: 0.95,
      costs: refused,
    };
    expect(networkRecords("net", { accuracy: 0.99, validationAccuracy: 0.995 }, [lfsr])).toEqual([]);
    expect(() =>
      networkRecords("net", { accuracy: 0.99, validationAccuracy: 0.995 }, [
        { ...lfsr, costs: refused.map((p) => ({ ...p, conventionalRefused: [] })) },
      ]),
    ).toThrow(/no cost of the conventional SC array/);
    // at b = 1 the exact lane (8) is the strongest; at b = 4 the iso-bisc one (12)
    expect(records[0]!.improvementBaseline).toBe("exact");
    expect(records[1]!.improvementBaseline).toBe("iso-bisc");
    expect(records[1]!.improvement).toBeCloseTo(30 / 12 - 1, 12);
    expect(records[0]!.accuracy).toBe(98.5);
    expect(records[0]!.accuracyLossPt).toBe(0.5);
    expect(records[2]!.accuracyLossPt).toBe(-0.12);
    expect(records[0]!.validationLossPt).toBe(0.5);
    expect(records[2]!.validationAccuracy).toBe(99.5);
    expect(records[2]!.improvement).toBeNull();
  });
});

describe("markFronts", () => {
  it("markFronts(records) flags exactly the non-dominated points of each (network, scenario, design) on a hand-made set", () => {
    const records = [
      rec("sc", 99, 10), // front
      rec("sc", 98, 20), // front
      rec("sc", 97, 15), // dominated by (98, 20)
      rec("sc", 98, 20), // duplicate of a front point: kept
      rec("sc", 90, 40), // front
      rec("binary", 99, 5), // front of binary although SC dominates it
      rec("binary", 95, 5), // dominated
      rec("sc", 80, 5, { scenario: "precision-flexible" }), // alone in its group: front
    ];
    const marked = markFronts(records);
    expect(marked.map((r) => r.onFront)).toEqual([true, true, false, true, true, true, false, true]);
    // jointly, SC (99, 10) dominates binary (99, 5)
    expect(marked.map((r) => r.onJointFront)).toEqual([true, true, false, true, true, false, false, true]);
  });

  it("markFronts(records): the binary front is the strongest over every baseline; each baseline keeps its own front", () => {
    const marked = markFronts([
      rec("binary", 99, 5), // exact: own front, dominated by iso-bisc's (99, 8)
      rec("binary", 99, 8, { baseline: "iso-bisc" }), // strongest front
      rec("binary", 97, 20, { baseline: "bit-fusion" }), // strongest front
      rec("binary", 96, 10, { baseline: "bit-fusion" }), // dominated everywhere
    ]);
    expect(marked.map((r) => r.onFront)).toEqual([false, true, true, false]);
    expect(marked.map((r) => r.onBaselineFront)).toEqual([true, true, true, false]);
    expect(frontRecords(marked, true).map((r) => [r.baseline, r.gopsPerMm2])).toEqual([
      ["bit-fusion", 20],
      ["exact", 5],
      ["iso-bisc", 8],
    ]);
  });

  it("markFronts on a seeded random set leaves no front point dominated and every other point dominated by a front point", () => {
    let s = 12345;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const records = Array.from({ length: 300 }, (_, i) =>
      rec(i % 2 ? "sc" : "binary", Math.round(rand() * 1000) / 10, Math.round(rand() * 500) / 10),
    );
    const marked = markFronts(records);
    for (const d of ["sc", "binary"] as const) {
      const group = marked.filter((r) => r.design === d);
      const front = group.filter((r) => r.onFront);
      expect(front.length).toBeGreaterThan(0);
      for (const r of group) {
        const beaten = group.some((o) => dominates([o.accuracy, o.gopsPerMm2], [r.accuracy, r.gopsPerMm2]));
        expect(beaten).toBe(!r.onFront);
      }
    }
  });

  it("frontRecords(…) lists only front points, grouped, accuracy descending", () => {
    const marked = markFronts([rec("sc", 90, 40), rec("sc", 99, 10), rec("sc", 97, 5), rec("binary", 99, 5)]);
    expect(frontRecords(marked).map((r) => [r.design, r.accuracy])).toEqual([
      ["binary", 99],
      ["sc", 99],
      ["sc", 90],
    ]);
  });
});

describe("headline", () => {
  it("bestWithin(…) takes the highest ops per area within the budget and headline(…) compares SC with binary", () => {
    const records = [
      rec("sc", 98.5, 30),
      rec("sc", 97, 90),
      rec("sc", 98.2, 30),
      rec("binary", 98.9, 20),
      rec("binary", 96, 50),
    ];
    expect(bestWithin(records, "sc", 1)!.accuracy).toBe(98.5);
    expect(bestWithin(records, "binary", 1)!.gopsPerMm2).toBe(20);
    expect(bestWithin(records, "binary", 0.05)).toBeNull();
    const [h] = headline("net", "fixed-precision", records, 1, 0.99, ["exact"]);
    expect(h!.status).toBe("ok");
    expect(h!.improvement).toBeCloseTo(0.5, 12);
    expect(headline("net", "fixed-precision", records, 0.05, 0.99, ["exact"])[0]!.status).toBe(
      "no SC or binary point within 0.05 pt of float32 (validation)",
    );
    // the budget is judged on validation: a point with a good test but poor validation accuracy is out
    const val = [rec("sc", 98.9, 99, { validationLossPt: 3 }), rec("sc", 98.5, 30)];
    expect(bestWithin(val, "sc", 1)!.gopsPerMm2).toBe(30);
  });

  it("headline(…) gives one row against the strongest baseline, then one per configured baseline", () => {
    const records = [
      rec("sc", 98.5, 30),
      rec("binary", 98.9, 20), // exact
      rec("binary", 98.6, 25, { baseline: "iso-bisc" }),
      rec("binary", 90, 90, { baseline: "trunc-g0" }), // out of the budget
    ];
    const rows = headline("net", "fixed-precision", records, 1, 0.99, ["exact", "iso-bisc", "trunc-g0"]);
    expect(rows.map((h) => [h.baseline, h.binaryBaseline, h.status, h.binaryGopsPerMm2])).toEqual([
      ["strongest", "iso-bisc", "ok", 25],
      ["exact", "exact", "ok", 20],
      ["iso-bisc", "iso-bisc", "ok", 25],
      ["trunc-g0", null, "no binary point within 1 pt of float32 (validation)", null],
    ]);
    expect(rows[0]!.improvement).toBeCloseTo(30 / 25 - 1, 5);
    expect(rows[1]!.improvement).toBeCloseTo(30 / 20 - 1, 5);
    expect(new Set(rows.map((h) => h.scPoint)).size).toBe(1);
  });
});

describe("energy fronts and headline", () => {
  it("markFronts flags the (accuracy up, energy down) front per design, skipping records without energy; headline takes the least energy within the budget", () => {
    const e = (design: "sc" | "binary", accuracy: number, pj: number | null) =>
      rec(design, accuracy, 1, { energyPerInferencePj: pj });
    const marked = markFronts([
      e("sc", 98.5, 500), // front: cheapest SC
      e("sc", 98.9, 900), // front: more accurate
      e("sc", 98.4, 800), // dominated by the first
      e("sc", 99.0, null), // no energy: never on an energy front
      e("binary", 98.8, 300), // front of binary and of the joint set
      e("binary", 98.0, 400), // dominated
    ]);
    expect(marked.map((r) => r.onEnergyFront)).toEqual([true, true, false, false, true, false]);
    expect(marked.map((r) => r.onJointEnergyFront)).toEqual([false, true, false, false, true, false]);
    const [h] = headline("net", "fixed-precision", marked, 1, 0.99, ["exact"]);
    expect([h!.scEnergyPj, h!.binaryEnergyPj]).toEqual([500, 300]);
    expect(h!.energyRatio).toBeCloseTo(500 / 300, 5);
    // A 0.3 pt budget leaves SC only its 98.9 % point with an energy.
    expect(headline("net", "fixed-precision", marked, 0.3, 0.99, ["exact"])[0]!.scEnergyPj).toBe(900);
  });
});
