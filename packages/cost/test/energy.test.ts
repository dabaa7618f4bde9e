import { describe, expect, it } from "vitest";
import {
  arrayActivity,
  arrayEnergy,
  binaryArrayArea,
  conventionalCyclesPerMac,
  conventionalScArrayArea,
  designPointEnergy,
  evaluateConventionalSc,
  CostRefusal,
  CostRegistry,
  networkCycles,
  scArrayArea,
  type EnergyModel,
  type LayerWorkload,
} from "../src/index.ts";
import { fakeModel } from "./fake-model.ts";

const costs = new CostRegistry().register(fakeModel("fake", 1, "t1"));

/** Per kind: action, step, idle energies in pJ and leakage in nW (round numbers for hand sums). */
const E: Record<string, [number, number, number, number]> = {
  "sc-unit-shared": [3, 2, 1, 10],
  "sc-stream-front": [0.5, 0.25, 0, 1],
  "updown-counter": [4, 6, 2, 20],
  multiplier: [8, 0, 0, 30],
  "bitserial-multiplier": [2, 0, 0.5, 7],
  "trunc-multiplier": [6, 0, 0, 25],
  "fusion-multiplier": [12, 0, 0.5, 50],
  "sc-conv-shared": [5, 0, 1, 9],
  "sc-conv-front": [0.75, 0, 0, 2],
  accumulator: [10, 0, 3, 40],
  register: [1.5, 0, 1, 5],
};
const model: EnergyModel = {
  id: "fake-energy",
  description: "test",
  referencePoint: { technology: "t1", library: "test", assumptions: "round numbers" },
  provenance: { source: "test" },
  energy(q) {
    if (q.technology !== "t1") throw new CostRefusal("fake-energy", "technology", q.technology, "only t1");
    const [a, s, i, l] = E[q.kind]!;
    return {
      energyPerActionJ: a * 1e-12,
      energyPerStepJ: s * 1e-12,
      idleEnergyPerCycleJ: i * 1e-12,
      leakagePowerW: l * 1e-9,
    };
  },
};

// One conv layer: K = 2 output channels, 1 input channel, 1x2 kernel, 2x2 output pixels.
const layer: LayerWorkload = {
  name: "c",
  kind: "conv",
  dims: { N: 1, C: 1, K: 2, R: 1, S: 2, P: 2, Q: 2 },
  groups: 1,
  weightMagnitudes: Uint16Array.from([3, 0, 5, 1]),
};

describe("energy per inference", () => {
  it("arrayActivity counts weight steps and SC stream cycles from the dataflow (M = 2 lanes, b = 2)", () => {
    const a = arrayActivity("sc", [layer], { units: 2, lanesPerUnit: 2, parallel: 2, cycles: 10 });
    // tiles = ceil(4 / 2) = 2; steps = tiles · K · C·R·S = 2 · 2 · 2 = 8; stream = 2 · (2 + 0 + 3 + 1) = 12;
    // lanes: 4 output pixels, every one busy: 16 lane steps (= MACs), 4 · 6 = 24 stream cycles.
    expect(a.unitSteps).toBe(8);
    expect(a.unitActiveCycles).toBe(12);
    expect(a.macs).toBe(16);
    expect([a.laneSteps, a.laneActiveCycles]).toEqual([16, 24]);
    // one zero weight per channel pair: 2 tiles x 1 zero-weight step per unit walk; 4 pixels x 1 per lane
    expect([a.unitZeroSteps, a.laneZeroSteps]).toEqual([2, 4]);
    // M = 3: tiles = 2, 6 lane slots per step for 4 pixels: the 2 empty slots stay idle.
    const c = arrayActivity("sc", [layer], { units: 2, lanesPerUnit: 3, parallel: 2, cycles: 10 });
    expect([c.unitSteps, c.unitActiveCycles, c.laneSteps, c.laneActiveCycles]).toEqual([8, 12, 16, 24]);
    const b = arrayActivity("binary", [layer], { units: 2, lanesPerUnit: 2, cycles: 4 });
    expect(b.unitActiveCycles).toBe(8);
  });

  it("arrayEnergy of an SC array equals the hand sum of steps, stream cycles, idle cycles and leakage", () => {
    const area = scArrayArea(costs, { units: 2, lanesPerUnit: 2, bits: 4, parallel: 2, maxFanIn: 2, technology: "t1" });
    const cycles = networkCycles([layer], { units: 2, lanesPerUnit: 2, parallel: 2, zeroWeightCycles: 1 }).scCycles;
    const act = arrayActivity("sc", [layer], { units: 2, lanesPerUnit: 2, parallel: 2, cycles });
    const e = arrayEnergy(model, area, act, { bits: 4, clockHz: 1e8 });
    const part = (kind: string, count: number, steps: number, active: number, zeros: number, register = false) => {
      const [a, s, i] = E[kind]!;
      // the synthesized lane loads the next weight in a step's last stream cycle; a zero weight's
      // step is its load cycle: busy = stream cycles + zero-weight steps
      const busy = register ? steps : active + zeros;
      return (register ? a * steps : s * steps + a * (active + zeros)) + i * Math.max(0, count * cycles - busy);
    };
    // Units: 8 steps (2 of a zero weight), 12 stream cycles; lanes (x2): 16 steps (4 zero), 24 stream cycles.
    const dyn =
      part("sc-unit-shared", 2, 8, 12, 2) +
      part("register", 2, 8, 0, 0, true) +
      part("sc-stream-front", 4, 16, 24, 4) +
      part("updown-counter", 4, 16, 24, 4) +
      part("register", 4, 16, 0, 0, true);
    // lockstep: per tile the slower unit's step, max(2, 3) + max(1, 1) = 4, over 2 tiles
    expect(cycles).toBe(8);
    expect(e.dynamicJ * 1e12).toBeCloseTo(dyn, 9);
    const leakW = (2 * (10 + 5) + 4 * (1 + 20 + 5)) * 1e-9;
    expect(e.leakageJ).toBeCloseTo((leakW * cycles) / 1e8, 20);
    expect(e.energyPerInferenceJ).toBeCloseTo(e.dynamicJ + e.leakageJ, 20);
    expect(e.gopsPerW).toBeCloseTo((2 * 16) / e.energyPerInferenceJ / 1e9, 6);
  });

  it("arrayEnergy of a binary array: MAC cycles at action energy, the rest idle", () => {
    const area = binaryArrayArea(costs, {
      units: 2,
      lanesPerUnit: 2,
      bits: 4,
      maxFanIn: 2,
      technology: "t1",
      registers: "none",
    });
    const cycles = networkCycles([layer], { units: 2, lanesPerUnit: 2 }).binaryCycles;
    const e = arrayEnergy(model, area, arrayActivity("binary", [layer], { units: 2, lanesPerUnit: 2, cycles }), {
      bits: 4,
      clockHz: 1e8,
    });
    // 4 lanes x 4 cycles; 16 MAC cycles, none idle.
    expect(cycles).toBe(4);
    expect(e.dynamicJ * 1e12).toBeCloseTo(16 * 8 + 16 * 10, 9);
  });

  it("arrayEnergy of a bit-serial array (run precision 3): every lane part is active in the 3 cycles of each MAC, the weight register loads once per MAC; the model is asked with lane bit-serial", () => {
    const area = binaryArrayArea(
      costs,
      { units: 2, lanesPerUnit: 2, bits: 4, maxFanIn: 2, technology: "t1", registers: "io" },
      "bit-serial",
    );
    const cycles = networkCycles([layer], { units: 2, lanesPerUnit: 2 }).binaryCycles * 3;
    const lanes: string[] = [];
    const seen: EnergyModel = {
      ...model,
      energy: (q) => {
        lanes.push(`${q.kind}:${q.lane}`);
        return model.energy(q);
      },
    };
    const act = arrayActivity("binary", [layer], { units: 2, lanesPerUnit: 2, cycles, cyclesPerMac: 3 });
    const e = arrayEnergy(seen, area, act, { bits: 4, clockHz: 1e8 });
    // 12 cycles. Lanes (4): 16 MACs x 3 = 48 active lane cycles of multiplier (2 pJ) and accumulator
    // (10 pJ), 4·12 − 48 = 0 idle. Units (2): weight register 8 loads (1.5 pJ), 2·12 − 8 = 16 idle (1 pJ).
    expect(cycles).toBe(12);
    expect(e.dynamicJ * 1e12).toBeCloseTo(48 * 2 + 48 * 10 + 8 * 1.5 + 16 * 1, 9);
    expect(new Set(lanes)).toEqual(
      new Set(["register:bit-serial", "bitserial-multiplier:bit-serial", "accumulator:bit-serial"]),
    );
  });

  it("conventional SC array (lfsr, N = 4): every part works all 2^4 cycles of every step, zero weights too; priced with lane sc-lfsr", () => {
    const area = conventionalScArrayArea(
      costs,
      { units: 2, lanesPerUnit: 2, bits: 4, maxFanIn: 2, technology: "t1", registers: "io" },
      "lfsr",
    );
    expect(area.parts.map((p) => p.query.kind)).toEqual([
      "sc-conv-shared",
      "register",
      "sc-conv-front",
      "updown-counter",
      "register",
    ]);
    expect(area.sng).toBe("lfsr");
    // 4 binary-style steps per unit (2 tiles x 2 weights per channel group), 16 cycles each
    const cycles = networkCycles([layer], { units: 2, lanesPerUnit: 2 }).binaryCycles * conventionalCyclesPerMac(4);
    expect(cycles).toBe(64);
    const lanes: string[] = [];
    const seen: EnergyModel = { ...model, energy: (q) => (lanes.push(String(q.lane)), model.energy(q)) };
    const act = arrayActivity("sc", [layer], { units: 2, lanesPerUnit: 2, cycles, cyclesPerMac: 16 });
    expect([act.unitSteps, act.unitActiveCycles, act.laneSteps, act.laneActiveCycles]).toEqual([8, 128, 16, 256]);
    expect([act.unitZeroSteps, act.laneZeroSteps]).toEqual([0, 0]);
    const e = arrayEnergy(seen, area, act, { bits: 4, clockHz: 1e8 });
    // units (2 x 64 cycles = 128, all busy): shared 128 x 5; weight register 8 loads x 1.5, 120 idle x 1;
    // lanes (4 x 64 = 256, all busy): front 256 x 0.75, counter 256 x 4 (+ 16 steps x its 6 pJ step
    // energy, which a conventional row does not have: the fake model's SC counter row has it);
    // activation register 16 loads x 1.5, 240 idle x 1
    const dyn = 128 * 5 + (8 * 1.5 + 120 * 1) + 256 * 0.75 + (16 * 6 + 256 * 4) + (16 * 1.5 + 240 * 1);
    expect(e.dynamicJ * 1e12).toBeCloseTo(dyn, 9);
    expect(new Set(lanes)).toEqual(new Set(["sc-lfsr"]));
    // designPointEnergy derives the 2^n cycles from the area's sng and the point's run precision
    const point = { units: 2, lanesPerUnit: 2, parallel: 1, builtBits: 4, runBits: 4, cycles, copies: 1, clockHz: 1e8 };
    expect(designPointEnergy(model, area, point, [layer]).dynamicJ).toBeCloseTo(e.dynamicJ, 20);
    expect(() =>
      conventionalScArrayArea(costs, { units: 1, lanesPerUnit: 1, bits: 4, maxFanIn: 2, parallel: 2 }, "lfsr"),
    ).toThrow(/parallel/);
    // the study-level point: same area, 2^N cycles per step, 2 · MACs / cycles ops per cycle
    const r = evaluateConventionalSc({
      costs,
      layers: [layer],
      bits: 4,
      units: 2,
      lanesPerUnit: 2,
      registers: "io",
      technology: "t1",
      clockHz: 1e8,
      sng: "lfsr",
    });
    expect([r.point.cycles, r.area.areaUm2, r.point.opsPerCycle]).toEqual([64, area.areaUm2, (2 * 16) / 64]);
  });

  it("bit-fusion array built for 4 bits running at 2 (r = 4 terms per lane cycle): steps are lane cycles, ⌈terms / r⌉ per output; every part is asked with lane bit-fusion and runBits 2", () => {
    const area = binaryArrayArea(
      costs,
      { units: 2, lanesPerUnit: 2, bits: 4, maxFanIn: 2, technology: "t1", registers: "io" },
      "bit-fusion",
    );
    // 2 terms per output, 4 per cycle: one lane cycle per output; tiles ceil(4 / 2) = 2, K = 2 on P = 2 units
    const cycles = networkCycles([layer], { units: 2, lanesPerUnit: 2, binaryMacsPerCycle: 4 }).binaryCycles;
    expect(cycles).toBe(2);
    const act = arrayActivity("binary", [layer], { units: 2, lanesPerUnit: 2, cycles, macsPerCycle: 4 });
    // units: 2 tiles x 2 channels x 1 cycle = 4 steps; lanes: 4 pixels x 2 channels x 1 = 8; MACs stay 16
    expect([act.unitSteps, act.unitActiveCycles, act.laneSteps, act.laneActiveCycles, act.macs]).toEqual([
      4, 4, 8, 8, 16,
    ]);
    const asked: string[] = [];
    const seen: EnergyModel = {
      ...model,
      energy: (q) => {
        asked.push(`${q.kind}:${q.lane}:${q.runBits}`);
        return model.energy(q);
      },
    };
    const e = arrayEnergy(seen, area, act, { bits: 4, clockHz: 1e8, runBits: 2 });
    // units (2 x 2 = 4 cycles): weight register 4 loads x 1.5, 0 idle; lanes (4 x 2 = 8, all busy):
    // fusion multiplier 8 x 12, accumulator 8 x 10, activation register 8 loads x 1.5
    expect(e.dynamicJ * 1e12).toBeCloseTo(4 * 1.5 + 8 * 12 + 8 * 10 + 8 * 1.5, 9);
    expect(new Set(asked)).toEqual(
      new Set(["register:bit-fusion:2", "fusion-multiplier:bit-fusion:2", "accumulator:bit-fusion:2"]),
    );
    expect(e.gopsPerW).toBeCloseTo((2 * 16) / e.energyPerInferenceJ / 1e9, 6);
    // designPointEnergy takes r from fusion.ts (built 4, run 2) and passes the run precision
    const point = { units: 2, lanesPerUnit: 2, parallel: 1, builtBits: 4, runBits: 2, cycles, copies: 1, clockHz: 1e8 };
    expect(designPointEnergy(model, area, point, [layer]).dynamicJ).toBeCloseTo(e.dynamicJ, 20);
    // at the built precision the lane is one MAC per cycle: twice the cycles of every part
    const full = designPointEnergy(model, area, { ...point, runBits: 4 }, [layer]);
    expect(full.dynamicJ * 1e12).toBeCloseTo(8 * 1.5 + 16 * 12 + 16 * 10 + 16 * 1.5, 9);
  });

  it("trunc-g<g> arrays are priced in lane trunc-g<g> (g < N), or as the exact lane when g ≥ N keeps every column", () => {
    const lanesAsked = (baseline: "trunc-g1" | "trunc-g4") => {
      const area = binaryArrayArea(
        costs,
        { units: 2, lanesPerUnit: 2, bits: 4, maxFanIn: 2, technology: "t1", registers: "io" },
        baseline,
      );
      const asked: string[] = [];
      const seen: EnergyModel = { ...model, energy: (q) => (asked.push(`${q.kind}:${q.lane}`), model.energy(q)) };
      const cycles = networkCycles([layer], { units: 2, lanesPerUnit: 2 }).binaryCycles;
      const e = arrayEnergy(seen, area, arrayActivity("binary", [layer], { units: 2, lanesPerUnit: 2, cycles }), {
        bits: 4,
        clockHz: 1e8,
      });
      return { asked: new Set(asked), e };
    };
    const g1 = lanesAsked("trunc-g1");
    expect(g1.asked).toEqual(new Set(["register:trunc-g1", "trunc-multiplier:trunc-g1", "accumulator:trunc-g1"]));
    // 4 cycles: units 2 x 4 slots, 8 weight loads (1.5 pJ); lanes 4 x 4 slots, 16 MACs of the truncated
    // multiplier (6 pJ), accumulator (10 pJ) and activation register loads (1.5 pJ); nothing idle
    expect(g1.e.dynamicJ * 1e12).toBeCloseTo(8 * 1.5 + 16 * 6 + 16 * 10 + 16 * 1.5, 9);
    const g4 = lanesAsked("trunc-g4");
    expect(g4.asked).toEqual(new Set(["register:exact", "multiplier:exact", "accumulator:exact"]));
    // the exact multiplier row (8 pJ) instead of the truncated one
    expect(g4.e.dynamicJ * 1e12).toBeCloseTo(8 * 1.5 + 16 * 8 + 16 * 10 + 16 * 1.5, 9);
  });

  it("a model refusal propagates naming the parameter; the FC role swap is refused", () => {
    const area = scArrayArea(costs, { units: 1, lanesPerUnit: 1, bits: 4, maxFanIn: 2, technology: "t1" });
    const act = arrayActivity("sc", [layer], { units: 1, lanesPerUnit: 1, cycles: 20 });
    expect(() =>
      arrayEnergy({ ...model, energy: (q) => model.energy({ ...q, technology: "t2" }) }, area, act, {
        bits: 4,
        clockHz: 1e8,
      }),
    ).toThrow(/technology/);
    expect(() => arrayActivity("sc", [layer], { units: 1, lanesPerUnit: 1, cycles: 20, fcRoleSwap: true })).toThrow(
      /fcRoleSwap/,
    );
  });
});
