import { Rng } from "@sccnn/sc-core";
import { afterEach, describe, expect, it } from "vitest";
import {
  BINARY_BASELINES,
  CostRegistry,
  binaryArrayArea,
  evaluateScenario,
  networkCycles,
  quantiseMagnitudes,
  SCENARIOS,
  scArrayArea,
  type ArraySpec,
  type BinaryBaseline,
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

describe("evaluateScenario with the memos on equals it with them off", () => {
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
