import { describe, expect, it } from "vitest";
import { CostRefusal, CostRegistry, type LayerWorkload } from "@sccnn/cost";
import { horowitzRead64J, memoryEnergy, memoryTraffic, networkBuffers, sramCost, sramModel } from "../src/index.ts";

const layer: LayerWorkload = {
  name: "c",
  kind: "conv",
  dims: { N: 1, C: 1, K: 2, R: 1, S: 2, P: 2, Q: 2 },
  groups: 1,
  weightMagnitudes: Uint16Array.from([3, 0, 5, 1]),
};

describe("SRAM buffers (Horowitz ISSCC 2014, scaled)", () => {
  it("horowitzRead64J reproduces the published 45 nm points and interpolates log-log between them", () => {
    expect(horowitzRead64J(8 * 1024)).toBeCloseTo(10e-12, 20);
    expect(horowitzRead64J(32 * 1024)).toBeCloseTo(20e-12, 20);
    expect(horowitzRead64J(1024 * 1024)).toBeCloseTo(100e-12, 20);
    expect(horowitzRead64J(16 * 1024)).toBeCloseTo(Math.sqrt(200) * 1e-12, 18);
  });

  it("sramCost at osu018 scales energy by (0.18/0.045)·(1.8/0.9)² = 16 and area by 16", () => {
    const c = sramCost(8 * 1024 * 8, "osu018");
    expect(c.energyPerBitJ * 64).toBeCloseTo(160e-12, 18);
    expect(c.areaUm2 / c.bits).toBeCloseTo((0.346 / 0.5) * 16, 9);
    expect(c.leakageW).toBeCloseTo(c.bits * 3 * 0.0221741e-9, 18);
    expect(() => sramCost(8 * 8 * 1024 * 1024, "osu018")).toThrow(CostRefusal);
    expect(() => sramCost(1024, "tsmc7")).toThrow(/technology/);
  });

  it("memoryTraffic: one weight read per unit step, one activation read per lane step, one write per output", () => {
    const t = memoryTraffic([layer], { units: 2, lanesPerUnit: 2 }, 4);
    // tiles = 2, steps = 2 · 2 · 2 = 8 unit steps; lanes read 16 activations; outputs 2·2·2 = 8.
    expect(t).toEqual({ weightReads: 8, activationReads: 16, activationWrites: 8, wordBits: 5 });
    expect(networkBuffers([layer], 4)).toEqual({ weightBits: 4 * 5, activationBits: (2 * 3 + 8) * 5 });
    const e = memoryEnergy([layer], { units: 2, lanesPerUnit: 2 }, { bits: 4, seconds: 1e-6 });
    const w = sramCost(20);
    const a = sramCost(70);
    expect(e.dynamicJ).toBeCloseTo(8 * 5 * w.energyPerBitJ + 24 * 5 * a.energyPerBitJ, 20);
    expect(e.leakageJ).toBeCloseTo((w.leakageW + a.leakageW) * 1e-6, 25);
  });

  it("sramModel prices the memory kind in a registry and refuses other kinds", () => {
    const r = new CostRegistry().register(sramModel());
    expect(r.estimate({ kind: "memory", widthBits: 8192, technology: "osu018" }).areaUm2).toBeCloseTo(
      8192 * 0.692 * 16,
      6,
    );
    expect(() => sramModel().estimate({ kind: "multiplier", bits: 4 })).toThrow(CostRefusal);
  });
});
