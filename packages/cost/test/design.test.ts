import { describe, expect, it } from "vitest";
import {
  CostRefusal,
  CostRegistry,
  checkDesign,
  designPointEnergy,
  describeDesign,
  designQuantLayers,
  evaluateDesignCost,
  evaluateScenario,
  uniformDesign,
  type Design,
  type EnergyModel,
  type LayerWorkload,
} from "../src/index.ts";
import { fakeModel } from "./fake-model.ts";

const costs = new CostRegistry().register(fakeModel("fake", 1, "t1"));

const layer = (name: string, scale: number): LayerWorkload => ({
  name,
  kind: "conv",
  dims: { N: 1, C: 2, K: 4, R: 2, S: 2, P: 3, Q: 3 },
  groups: 1,
  weightMagnitudes: Uint16Array.from({ length: 32 }, (_, i) => Math.floor(((i * 7) % 16) / scale)),
});
const layers = [layer("a", 1), layer("b", 2)];
const base = { network: "toy", arithmetic: "sc-bisc", units: 2, lanesPerUnit: 4, clockHz: 1e8 } as const;
const opts = {
  costs,
  technology: "t1",
  registers: "io" as const,
  scheduling: { lockstep: true, zeroWeightCycles: 1 as const },
};

describe("Design", () => {
  it("evaluateDesignCost of a uniform design equals evaluateScenario(fixed-precision) on both sides, at every b", () => {
    for (const parallel of [1, 2, 4]) {
      const r = evaluateScenario({
        scenario: "fixed-precision",
        costs,
        layers,
        bits: 4,
        units: 2,
        lanesPerUnit: 4,
        parallel,
        clockHz: 1e8,
        technology: "t1",
        registers: "io",
        scheduling: { lockstep: true, zeroWeightCycles: 1 },
      });
      const sc = evaluateDesignCost(uniformDesign({ ...base, design: "sc", parallel }, ["a", "b"], 4), layers, opts);
      const bin = evaluateDesignCost(
        uniformDesign({ ...base, design: "binary", arithmetic: "fixed", parallel: 1 }, ["a", "b"], 4),
        layers,
        opts,
      );
      expect(sc).toEqual(r.sc);
      expect(bin).toEqual(r.binary);
    }
  });

  it("evaluateDesignCost of a uniform design built for 8 bits equals evaluateScenario(precision-flexible, maxBits 8)", () => {
    const r = evaluateScenario({
      scenario: "precision-flexible",
      maxBits: 8,
      costs,
      layers,
      bits: 4,
      units: 2,
      lanesPerUnit: 4,
      parallel: 2,
      clockHz: 1e8,
      technology: "t1",
      registers: "io",
      scheduling: { lockstep: true, zeroWeightCycles: 1 },
    });
    const sc = evaluateDesignCost(
      uniformDesign({ ...base, design: "sc", parallel: 2, builtBits: 8 }, ["a", "b"], 4),
      layers,
      opts,
    );
    expect(sc.gopsPerMm2).toBe(r.sc.gopsPerMm2);
    expect(sc.areaUm2).toBe(r.sc.areaUm2);
  });

  it("a mixed design (N = 4/3) is costed on the array of its largest N and labelled per layer", () => {
    const mixed: Design = {
      ...base,
      design: "sc",
      parallel: 1,
      builtBits: 4,
      layers: [
        { name: "a", bitsW: 4, bitsA: 4 },
        { name: "b", bitsW: 3, bitsA: 3 },
      ],
    };
    const p = evaluateDesignCost(mixed, layers, opts);
    const u = evaluateDesignCost(uniformDesign({ ...base, design: "sc", parallel: 1 }, ["a", "b"], 4), layers, opts);
    expect(p.areaUm2).toBe(u.areaUm2);
    expect(p.runBits).toBe(4);
    expect(describeDesign(mixed)).toBe("sc N=4/3 M=4 P=2 b=1");
    expect(designQuantLayers(mixed)).toEqual({ a: { bitsW: 4, bitsA: 4 }, b: { bitsW: 3, bitsA: 3 } });
  });

  it("checkDesign names the bad field; evaluateDesignCost refuses a workload of other layers", () => {
    const d = uniformDesign({ ...base, design: "sc", parallel: 1 }, ["a", "b"], 4);
    expect(() => checkDesign({ ...d, builtBits: 3 })).toThrow(/design\.builtBits/);
    expect(() => checkDesign({ ...d, layers: [{ name: "a", bitsW: 0, bitsA: 4 }] })).toThrow(
      /design\.layers\[0\]\.bitsW/,
    );
    expect(() => checkDesign({ ...d, design: "binary", parallel: 2 })).toThrow(/design\.parallel/);
    expect(() => evaluateDesignCost(d, [layers[0]!], opts)).toThrow(/workload layers/);
  });

  it("with an energy model evaluateDesignCost carries the design's energy per inference (equal to designPointEnergy of the same point), or the model's refusal", () => {
    // a model that holds N <= 4 only, with round energies per component kind
    const energy: EnergyModel = {
      id: "toy-energy",
      description: "test",
      referencePoint: { technology: "t1", library: "test", assumptions: "round numbers" },
      provenance: { source: "test" },
      energy(q) {
        if (q.bits > 4) throw new CostRefusal("toy-energy", "bits", q.bits, "table holds N <= 4");
        return { energyPerActionJ: 2e-12, energyPerStepJ: 1e-12, idleEnergyPerCycleJ: 0.5e-12, leakagePowerW: 1e-9 };
      },
    };
    const d = uniformDesign({ ...base, design: "sc", parallel: 2 }, ["a", "b"], 4);
    const plain = evaluateDesignCost(d, layers, opts);
    const withEnergy = evaluateDesignCost(d, layers, { ...opts, energy });
    const { energy: e, ...point } = withEnergy;
    expect(point).toEqual(plain);
    const scenario = evaluateScenario({
      scenario: "fixed-precision",
      costs,
      layers,
      bits: 4,
      units: 2,
      lanesPerUnit: 4,
      parallel: 2,
      clockHz: 1e8,
      technology: "t1",
      registers: "io",
      scheduling: { lockstep: true, zeroWeightCycles: 1 },
    });
    expect(e).toEqual(designPointEnergy(energy, scenario.scArea, scenario.sc, layers));
    expect(e!.energyPerInferenceJ).toBeGreaterThan(0);
    const wide = evaluateDesignCost({ ...d, builtBits: 6 }, layers, { ...opts, energy });
    expect(wide.energy).toBeUndefined();
    expect(wide.energyRefused).toMatch(/bits/);
  });
});
