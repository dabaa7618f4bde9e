import { Rng } from "@sccnn/sc-core";
import { afterEach, describe, expect, it } from "vitest";
import {
  BINARY_BASELINES,
  CostRefusal,
  CostRegistry,
  arrayActivity,
  arrayEnergy,
  binaryArrayArea,
  binaryCyclesPerMac,
  binaryMacsPerCycle,
  conventionalCyclesPerMac,
  designPointEnergy,
  evaluateConventionalSc,
  evaluateScenario,
  truncBaselineGuard,
  networkCycles,
  quantiseMagnitudes,
  SCENARIOS,
  scArrayArea,
  type ArrayArea,
  type ArraySpec,
  type BinaryBaseline,
  type EnergyModel,
  type LaneTimingSource,
  type LayerWorkload,
  type ScenarioInput,
  type SchedulingOptions,
} from "../src/index.ts";
import { clearCostMemos, costMemo } from "../src/memo.ts";
import { fakeModel } from "./fake-model.ts";

// Every memo of composed results must give what a fresh computation gives: these tests compute each
// grid point with the memos off (the code path as it was before them) and on, cold and warm, and
// compare the results field by field and key by key (JSON keeps key order).

afterEach(() => {
  costMemo.enabled = true;
  clearCostMemos();
});

function fresh<T>(f: () => T): T {
  costMemo.enabled = false;
  try {
    return f();
  } finally {
    costMemo.enabled = true;
  }
}

/** The value, or the error's text when it throws (a refusal must be the same refusal). */
function outcome<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    return `throws ${String(e)}`;
  }
}

function expectSame<T>(memoised: T, computed: T): void {
  expect(JSON.stringify(memoised)).toBe(JSON.stringify(computed));
  expect(memoised).toEqual(computed);
}

const costs = new CostRegistry().register(fakeModel("fake", 1, "t1", 1, true));
const baselines: BinaryBaseline[] = [...BINARY_BASELINES, "trunc-g5", "trunc-g16"];

function* specs(): Generator<ArraySpec> {
  for (const units of [1, 8])
    for (const lanesPerUnit of [1, 16])
      for (const bits of [1, 2, 5, 16])
        for (const parallel of [undefined, 2, 8])
          for (const maxFanIn of [1, 25, 1000])
            for (const registers of [undefined, "io", "none"] as const)
              for (const memoryBits of [undefined, 4096])
                for (const technology of [undefined, "t1"])
                  yield { units, lanesPerUnit, bits, parallel, maxFanIn, registers, memoryBits, technology };
}

describe("composed array areas (memoised per cost source, technology and spec)", () => {
  it("equal freshly composed arrays over a grid of specs and baselines, cold and warm, and are shared frozen objects", () => {
    let n = 0;
    for (const pass of ["cold", "warm"]) {
      if (pass === "cold") clearCostMemos();
      for (const spec of specs()) {
        const sc = scArrayArea(costs, spec);
        expectSame(
          sc,
          fresh(() => scArrayArea(costs, spec)),
        );
        expect(scArrayArea(costs, { ...spec })).toBe(sc);
        expect(Object.isFrozen(sc) && Object.isFrozen(sc.parts) && Object.isFrozen(sc.parts[0])).toBe(true);
        if (spec.parallel !== 8) {
          for (const baseline of baselines) {
            const bin = outcome(() => binaryArrayArea(costs, spec, baseline));
            expectSame(
              bin,
              outcome(() => fresh(() => binaryArrayArea(costs, spec, baseline))),
            );
            // (bit-fusion at N = 1 is refused)
            if (typeof bin !== "string") expect(binaryArrayArea(costs, { ...spec }, baseline)).toBe(bin);
            n++;
          }
          // the binary array ignores b: one entry for every b
          expect(binaryArrayArea(costs, { ...spec, parallel: 64 })).toBe(binaryArrayArea(costs, spec));
        }
      }
    }
    expect(n).toBeGreaterThan(1000);
  });

  it("invalid specs and baselines are refused as before, also after the valid ones are memoised", () => {
    const ok: ArraySpec = { units: 2, lanesPerUnit: 4, bits: 4, maxFanIn: 9, technology: "t1" };
    scArrayArea(costs, ok);
    binaryArrayArea(costs, ok);
    const bad: [Partial<ArraySpec> | Record<string, unknown>, RegExp][] = [
      [{ units: 0 }, /units/],
      [{ lanesPerUnit: 1.5 }, /lanesPerUnit/],
      [{ bits: -4 }, /bits/],
      [{ maxFanIn: 0 }, /maxFanIn/],
      [{ memoryBits: -1 }, /memoryBits/],
      [{ registers: "both" }, /registers/],
      [{ units: "2" }, /units/],
    ];
    for (const [change, message] of bad) {
      const spec = { ...ok, ...change } as ArraySpec;
      const sc = () => scArrayArea(costs, spec);
      const bin = () => binaryArrayArea(costs, spec);
      expect(sc).toThrow(message);
      expect(bin).toThrow(message);
      expect(() => fresh(sc)).toThrow(message);
    }
    for (const baseline of ["exact/4", "trunc-g17", "fixed", 3]) {
      expect(() => binaryArrayArea(costs, ok, baseline as BinaryBaseline)).toThrow(/baseline/);
    }
    // a technology no model serves is refused whether or not another technology's entry exists
    expect(() => scArrayArea(costs, { ...ok, technology: "t2" })).toThrow();
  });

  it("a registry that gains a model retires its entries (generation)", () => {
    const reg = new CostRegistry().register(fakeModel("low", 1, "t1"));
    const spec: ArraySpec = { units: 2, lanesPerUnit: 4, bits: 4, maxFanIn: 9, technology: "t1" };
    const before = scArrayArea(reg, spec);
    const beforeBin = binaryArrayArea(reg, spec, "iso-bisc");
    reg.register(fakeModel("high", 2, "t1", 3));
    const after = scArrayArea(reg, spec);
    expect(after.areaUm2).toBeCloseTo(3 * before.areaUm2, 9);
    expectSame(
      after,
      fresh(() => scArrayArea(reg, spec)),
    );
    expectSame(
      binaryArrayArea(reg, spec, "iso-bisc"),
      fresh(() => binaryArrayArea(reg, spec, "iso-bisc")),
    );
    expect(binaryArrayArea(reg, spec, "iso-bisc").areaUm2).toBeCloseTo(3 * beforeBin.areaUm2, 9);
  });
});

// LeNet-5-sized layers (as the bench) at a few precisions, with activations for the FC role swap.
const rng = new Rng(11);
const shapes = [
  { name: "conv1", kind: "conv" as const, dims: { N: 1, C: 1, K: 6, R: 5, S: 5, P: 24, Q: 24 }, groups: 1 },
  { name: "conv2", kind: "conv" as const, dims: { N: 1, C: 6, K: 16, R: 5, S: 5, P: 8, Q: 8 }, groups: 2 },
  { name: "fc1", kind: "linear" as const, dims: { N: 2, C: 256, K: 120, R: 1, S: 1, P: 1, Q: 1 }, groups: 1 },
  { name: "fc2", kind: "linear" as const, dims: { N: 2, C: 120, K: 10, R: 1, S: 1, P: 1, Q: 1 }, groups: 1 },
];
const floats = shapes.map((s) =>
  Float32Array.from({ length: (s.dims.K * s.dims.C * s.dims.R * s.dims.S) / s.groups }, () => rng.normal()),
);
const acts = shapes.map((s) => Float32Array.from({ length: s.dims.N * s.dims.C }, () => Math.abs(rng.normal())));
const bitsGrid = [2, 4, 8];
const layersAt = new Map<number, LayerWorkload[]>(
  bitsGrid.map((N) => [
    N,
    shapes.map((s, i) => ({
      ...s,
      weightMagnitudes: quantiseMagnitudes(floats[i]!, N),
      activationMagnitudes: quantiseMagnitudes(acts[i]!, N),
    })),
  ]),
);

describe("network cycles (memoised per layers array and schedule)", () => {
  it("equal freshly summed cycles over a grid of schedules, cold and warm", () => {
    for (const pass of ["cold", "warm"]) {
      if (pass === "cold") clearCostMemos();
      for (const layers of layersAt.values())
        for (const units of [1, 3, 16])
          for (const lanesPerUnit of [1, 5, 64])
            for (const parallel of [undefined, 1, 2, 16])
              for (const zeroWeightCycles of [undefined, 0, 1] as const)
                for (const lockstep of [undefined, true, false])
                  for (const fcRoleSwap of [undefined, true])
                    for (const binaryMacsPerCycle of [undefined, 1, 4]) {
                      const o: SchedulingOptions = {
                        units,
                        lanesPerUnit,
                        parallel,
                        zeroWeightCycles,
                        lockstep,
                        fcRoleSwap,
                        binaryMacsPerCycle,
                      };
                      const c = networkCycles(layers, o);
                      expectSame(
                        c,
                        fresh(() => networkCycles(layers, o)),
                      );
                      expect(networkCycles(layers, { ...o })).toBe(c);
                    }
    }
  });

  it("refuses bad schedules and layers as before, also after memoising", () => {
    const layers = layersAt.get(4)!;
    networkCycles(layers, { units: 2, lanesPerUnit: 4 });
    expect(() => networkCycles(layers, { units: 2, lanesPerUnit: 4, parallel: 3 })).toThrow(/power of two/);
    expect(() => networkCycles(layers, { units: 0, lanesPerUnit: 4 })).toThrow(/units/);
    const noActs = layers.map(({ activationMagnitudes: _a, ...l }) => l);
    expect(() => networkCycles(noActs, { units: 2, lanesPerUnit: 4, fcRoleSwap: true })).toThrow(
      /activationMagnitudes/,
    );
  });
});

// Whole-lane timing: the binary lanes miss the target from N = 4 on (pipelined: a fresh parts list per call).
const timing: LaneTimingSource = {
  id: "fake-timing",
  targetPs: 5000,
  lane(design, bits) {
    return design === "sc"
      ? { delayPs: 4000, slackPs: 1000, areaUm2: 500 }
      : design === "bit-serial"
        ? { delayPs: 5500, slackPs: -500, areaUm2: 700 }
        : {
            delayPs: 4000 + 300 * bits,
            slackPs: 1000 - 300 * bits,
            areaUm2: 900,
            pipelined: { delayPs: 3000 + 100 * bits, slackPs: 2000 - 100 * bits, areaUm2: 930 },
          };
  },
};
describe("evaluateScenario with the memos on equals it with them off", () => {
  const clocks: Pick<ScenarioInput, "clock" | "clockHz" | "timing">[] = [
    { clockHz: 1e8 },
    { clock: "library", clockHz: 1e8 },
    { clock: "target-pipelined", clockHz: 2e8, timing },
    { clock: "target-own", clockHz: 2e8, timing },
  ];

  it("over scenarios x baselines x N x b x P x M x clocks x schedules, cold and warm", () => {
    let n = 0;
    for (const pass of ["cold", "warm"]) {
      if (pass === "cold") clearCostMemos();
      for (const scenario of SCENARIOS)
        for (const baseline of [undefined, ...baselines])
          for (const [N, layers] of layersAt)
            for (const parallel of [1, 4])
              for (const [units, lanesPerUnit] of [
                [2, 8],
                [8, 32],
              ] as const)
                for (const clock of clocks)
                  for (const scheduling of [undefined, { zeroWeightCycles: 0 as const, lockstep: false }]) {
                    if (scenario === "iso-throughput" && (units > 2 || scheduling)) continue;
                    const input: ScenarioInput = {
                      scenario,
                      costs,
                      layers,
                      bits: N,
                      maxBits: 8,
                      units,
                      lanesPerUnit,
                      parallel,
                      baseline,
                      technology: "t1",
                      scheduling,
                      ...clock,
                    };
                    expectSame(
                      outcome(() => evaluateScenario(input)),
                      outcome(() => fresh(() => evaluateScenario(input))),
                    );
                    n++;
                  }
    }
    expect(n).toBeGreaterThan(2000);
  });
});

/** designPointEnergy as it was before it passed cyclesPerMac / macsPerCycle without spreads: the reference. */
function designPointEnergySpread(
  model: EnergyModel,
  area: ArrayArea,
  point: Parameters<typeof designPointEnergy>[2],
  layers: readonly LayerWorkload[],
): ReturnType<typeof designPointEnergy> {
  const activity = arrayActivity(area.design, layers, {
    units: point.units,
    lanesPerUnit: point.lanesPerUnit,
    parallel: point.parallel,
    cycles: point.cycles * point.copies,
    fcRoleSwap: false,
    ...(area.design === "binary"
      ? {
          cyclesPerMac: binaryCyclesPerMac(area.baseline ?? "exact", point.runBits ?? point.builtBits),
          macsPerCycle: binaryMacsPerCycle(area.baseline ?? "exact", point.runBits ?? point.builtBits, point.builtBits),
        }
      : area.sng
        ? { cyclesPerMac: conventionalCyclesPerMac(point.runBits ?? point.builtBits) }
        : {}),
  });
  return arrayEnergy(model, area, activity, {
    bits: point.builtBits,
    clockHz: point.clockHz,
    runBits: point.runBits ?? point.builtBits,
  });
}

describe("energy (activity sums per layers and shape, part energies per parts list) with the memos on equals it off", () => {
  const energyModel: EnergyModel = {
    id: "memo-energy",
    description: "test",
    referencePoint: { technology: "t1", library: "test", assumptions: "smooth" },
    provenance: { source: "test" },
    energy(q) {
      // refuses one row, as a table with a gap does
      if (q.kind === "fusion-multiplier" && q.bits === 2) throw new CostRefusal("memo-energy", "bits", 2, "no row");
      const a = 1e-12 * (1 + q.bits / 3 + (q.accBits ?? 0) / 7 + (q.widthBits ?? 0) / 11 + (q.runBits ?? 0) / 13);
      const lane = q.lane === "bit-serial" ? 1.5 : 1;
      return {
        energyPerActionJ: a * lane,
        energyPerStepJ: a / 3,
        idleEnergyPerCycleJ: a / 5,
        leakagePowerW: 1e-9 * q.bits,
      };
    },
  };
  it("designPointEnergy of evaluateScenario's points equals the spread-built reference with the memos off, cold and warm", () => {
    let n = 0;
    for (const pass of ["cold", "warm"]) {
      if (pass === "cold") clearCostMemos();
      for (const scenario of SCENARIOS)
        for (const baseline of [undefined, ...baselines])
          for (const [N, layers] of layersAt)
            for (const parallel of [1, 4])
              for (const [units, lanesPerUnit] of [
                [2, 8],
                [8, 32],
              ] as const)
                for (const clock of [{ clockHz: 1e8 }, { clock: "target-pipelined" as const, clockHz: 2e8, timing }]) {
                  if (scenario === "iso-throughput" && units > 2) continue;
                  const input: ScenarioInput = {
                    scenario,
                    costs,
                    layers,
                    bits: N,
                    maxBits: 8,
                    units,
                    lanesPerUnit,
                    parallel,
                    baseline,
                    technology: "t1",
                    ...clock,
                  };
                  const r = outcome(() => evaluateScenario(input));
                  if (typeof r === "string") continue;
                  for (const [area, point] of [
                    [r.scArea, r.sc],
                    [r.binaryArea, r.binary],
                  ] as const) {
                    expectSame(
                      outcome(() => designPointEnergy(energyModel, area, point, layers)),
                      outcome(() => fresh(() => designPointEnergySpread(energyModel, area, point, layers))),
                    );
                    n++;
                  }
                }
      // conventional SC arrays (cycles per MAC 2^n for SC) and a pipelined array (a fresh parts list)
      for (const [N, layers] of layersAt)
        for (const sng of ["lfsr", "sobol"] as const) {
          const c = evaluateConventionalSc({
            costs,
            layers,
            bits: N,
            units: 4,
            lanesPerUnit: 8,
            technology: "t1",
            clockHz: 1e8,
            sng,
          });
          expectSame(
            designPointEnergy(energyModel, c.area, c.point, layers),
            fresh(() => designPointEnergySpread(energyModel, c.area, c.point, layers)),
          );
        }
    }
    expect(n).toBeGreaterThan(400);
  });

  it("arrayActivity equals its fresh sums for odd shapes; a parts list with another query is priced afresh", () => {
    const layers = layersAt.get(4)!;
    for (const design of ["sc", "binary"] as const)
      for (const lanesPerUnit of [1, 3, 0, -2, 2.5])
        for (const parallel of [undefined, 1, 2, 3, 0])
          for (const cyclesPerMac of [undefined, 1, 4])
            for (const macsPerCycle of [undefined, 1, 4]) {
              const shape = { units: 3, lanesPerUnit, parallel, cycles: 1000, cyclesPerMac, macsPerCycle };
              expectSame(
                outcome(() => arrayActivity(design, layers, shape)),
                outcome(() => fresh(() => arrayActivity(design, layers, shape))),
              );
              expectSame(
                outcome(() => arrayActivity(design, layers, shape)),
                outcome(() => fresh(() => arrayActivity(design, layers, shape))),
              );
            }
    // a frozen parts list of a hand-built array: the entry is checked against its query objects
    const base = scArrayArea(costs, {
      units: 2,
      lanesPerUnit: 4,
      bits: 4,
      parallel: 2,
      maxFanIn: 256,
      technology: "t1",
    });
    const activity = arrayActivity("sc", layers, { units: 2, lanesPerUnit: 4, parallel: 2, cycles: 5e5 });
    const run = { bits: 4, clockHz: 1e8 };
    const first = arrayEnergy(energyModel, base, activity, run);
    expectSame(
      first,
      fresh(() => arrayEnergy(energyModel, base, activity, run)),
    );
    const parts = base.parts.map((p) => ({ ...p }));
    const mutable: ArrayArea = { ...base, parts: Object.freeze(parts) as ArrayArea["parts"] };
    expectSame(arrayEnergy(energyModel, mutable, activity, run), first);
    parts[0]!.query = { ...parts[0]!.query, accBits: 99 };
    expectSame(
      arrayEnergy(energyModel, mutable, activity, run),
      fresh(() => arrayEnergy(energyModel, mutable, activity, run)),
    );
    expect(arrayEnergy(energyModel, mutable, activity, run).dynamicJ).not.toBe(first.dynamicJ);
  });

  it("truncBaselineGuard equals the anchored pattern for any string", () => {
    const pattern = /^trunc-g(\d{1,2})$/;
    for (const b of [
      "exact",
      "iso-bisc",
      "bit-serial",
      "bit-fusion",
      "trunc-g0",
      "trunc-g16",
      "trunc-g123",
      "trunc-g",
      "xtrunc-g1",
      "trunc-g1x",
      "",
    ]) {
      const m = pattern.exec(b);
      expect(truncBaselineGuard(b)).toBe(m ? Number(m[1]) : null);
    }
  });
});
