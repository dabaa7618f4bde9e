import { describe, expect, it } from "vitest";
import { frontRecords, headline, markFronts, type ParetoRecord } from "../src/records.ts";
import { FrontKeeper, figureRecords } from "../src/stream.ts";

/** Seeded random records over 2 networks × 2 scenarios × 2 designs (binary: 3 baselines), coarse values (many ties), some without energy. */
function randomRecords(seed: number, n: number): ParetoRecord[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const design = pick(["sc", "binary"] as const);
    const baseline = design === "sc" ? null : pick(["exact", "iso-bisc", "bit-fusion"] as const);
    const accuracy = 95 + Math.floor(rand() * 8) / 2;
    const validationAccuracy = 95 + Math.floor(rand() * 8) / 2;
    return {
      network: pick(["a", "b"]),
      design,
      baseline,
      arithmetic: design === "sc" || baseline === "iso-bisc" ? "sc-bisc" : "fixed",
      bits: 2 + Math.floor(rand() * 6),
      builtBits: 8,
      lanesM: pick([16, 32]),
      unitsP: pick([4, 8]),
      parallelB: design === "sc" ? pick([1, 2, 4]) : null,
      scenario: pick(["fixed-precision", "precision-flexible"] as const),
      fineTuned: rand() < 0.3,
      accuracy,
      accuracyLossPt: 99 - accuracy,
      validationAccuracy,
      validationLossPt: 99 - validationAccuracy,
      areaUm2: 1,
      latencyCycles: 1,
      opsPerCycle: 1,
      gopsPerMm2: 1 + Math.floor(rand() * 12),
      improvement: null,
      improvementBaseline: null,
      onFront: false,
      onBaselineFront: false,
      onJointFront: false,
      copies: 1,
      costModels: "yosys",
      energyPerInferencePj: rand() < 0.2 ? null : 1 + Math.floor(rand() * 10),
      memoryEnergyPj: null,
      gopsPerW: null,
      energyModel: "x",
      onEnergyFront: false,
      onJointEnergyFront: false,
      id: i,
    } as ParetoRecord;
  });
}

describe("FrontKeeper (streamed fronts)", () => {
  it("flags every record as markFronts does on the whole list; headline and front.csv from its candidates equal those from all records", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const records = randomRecords(seed, 1 + seed * 13);
      const keeper = new FrontKeeper();
      for (const r of records) keeper.add(r);
      const reference = markFronts(records);
      expect(records.map((r, i) => keeper.flagged(r, i))).toEqual(reference);
      const candidates = keeper.candidates();
      expect(candidates.length).toBeLessThanOrEqual(records.length);
      expect(frontRecords(candidates)).toEqual(frontRecords(reference));
      expect(frontRecords(candidates, true)).toEqual(frontRecords(reference, true));
      const baselines = ["exact", "iso-bisc", "bit-fusion"] as const;
      for (const network of ["a", "b"])
        for (const scenario of ["fixed-precision", "precision-flexible"])
          for (const budget of [0.5, 1, 2, 3])
            expect(headline(network, scenario, candidates, budget, 0.99, baselines)).toEqual(
              headline(network, scenario, reference, budget, 0.99, baselines),
            );
    }
  });

  it("a figure draws all records up to its limit, above it every front record and an even sample of the rest", () => {
    const records = randomRecords(7, 5000);
    const keeper = new FrontKeeper();
    for (const r of records) keeper.add(r);
    const flagged = records.map((r, i) => keeper.flagged(r, i));
    expect(figureRecords(flagged, keeper, 5000).records).toEqual(flagged);
    const drawn = figureRecords(flagged, keeper, 100);
    expect(drawn.every).toBe(50);
    expect(drawn.records.length).toBeLessThanOrEqual(100 + keeper.candidates().length);
    for (const c of keeper.candidates()) expect(drawn.records).toContainEqual(c);
  });
});

describe("unitSlices", () => {
  it("keeps a grid that fits in one slice (the default run is evaluated and ordered as before) and cuts a large one by P", async () => {
    const { unitSlices } = await import("../study.ts");
    const base = {
      lanesPerUnit: [16, 32, 64],
      parallel: [1, 2, 4, 8],
      scenarios: ["fixed-precision", "precision-flexible"],
    };
    expect(unitSlices({ ...base, units: [4, 8, 16] } as never)).toEqual([[4, 8, 16]]);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    const slices = unitSlices({ ...base, lanesPerUnit: hundred, units: hundred } as never);
    expect(slices.length).toBe(4);
    expect(slices.flat()).toEqual(hundred);
    const wide = Array.from({ length: 5000 }, (_, i) => i + 1);
    expect(unitSlices({ ...base, lanesPerUnit: wide, units: [1, 2] } as never)).toEqual([[1], [2]]);
  });
});
