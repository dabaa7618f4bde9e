import { readFileSync } from "node:fs";
import { BINARY_BASELINES } from "@sccnn/cost";
import { tablePath } from "@sccnn/cost-yosys";
import { calibrateNetwork, quantizeCalibrated } from "@sccnn/nn";
import { describe, expect, it } from "vitest";
import type { ParetoConfig } from "../src/config.ts";
import { evaluateCost, quantisedWorkload, type CostInput } from "../src/eval/cost.ts";
import { hardwareWeights, networkDataset, sha256File } from "@sccnn/zoo";

const config = JSON.parse(readFileSync(new URL("../config.json", import.meta.url), "utf8")) as ParetoConfig;

describe("quantisedWorkload", () => {
  it("quantisedWorkload('lenet5', trained, N) holds |wInt| of the quantised runtime's layers at N = 3 and 7", () => {
    const { spec, weights } = hardwareWeights({ network: "lenet5", path: null });
    const net = calibrateNetwork(spec, weights, networkDataset(spec, "train", 20).images);
    for (const bits of [3, 7]) {
      const qnet = quantizeCalibrated(net, {
        arithmetic: "sc-bisc",
        bitsW: bits,
        bitsA: bits,
        calibration: { kind: "mse" },
      });
      const layers = quantisedWorkload("lenet5", null, bits, false);
      expect(layers.map((l) => l.name)).toEqual(Object.keys(qnet.layers));
      for (const l of layers) {
        const wInt = qnet.layers[l.name]!.wInt;
        expect(l.weightMagnitudes.length).toBe(wInt.length);
        let mismatches = 0;
        for (let i = 0; i < wInt.length; i++) if (l.weightMagnitudes[i] !== Math.abs(wInt[i]!)) mismatches++;
        expect(mismatches, `${l.name} at N = ${bits}`).toBe(0);
        expect(Math.max(...Array.from(l.weightMagnitudes))).toBe(2 ** bits - 1);
      }
    }
  });
});

describe("evaluateCost", () => {
  it("evaluateCost(…) covers every (scenario, P, M, b ≤ 2^N) with flexible only at N ≤ flexibleMaxBits, every baseline at each, improvement = SC/baseline − 1", async () => {
    const input = (bits: number): CostInput => ({
      network: "lenet5",
      bits,
      fineTuned: false,
      weightsPath: null,
      weightsSha256: "x",
      perChannel: false,
      lanesPerUnit: [16, 32],
      units: [4],
      parallel: [1, 4, 8],
      scenarios: ["fixed-precision", "precision-flexible"],
      baselines: [...BINARY_BASELINES],
      conventionalSngs: ["lfsr", "sobol"],
      flexibleMaxBits: 8,
      lockstep: config.lockstep,
      zeroWeightCycles: config.zeroWeightCycles,
      registers: config.registers,
      technology: config.technology,
      costModels: config.costModels,
      tableSha256: sha256File(tablePath(config.technology)),
      energy: false,
      memory: false,
      energyTableSha256: null,
      clockHz: config.clockHz,
    });
    const at2 = await evaluateCost(input(2));
    expect(at2.map((p) => `${p.scenario} ${p.lanesPerUnit} ${p.parallel}`)).toEqual([
      "fixed-precision 16 1",
      "fixed-precision 16 4",
      "fixed-precision 32 1",
      "fixed-precision 32 4",
      "precision-flexible 16 1",
      "precision-flexible 16 4",
      "precision-flexible 32 1",
      "precision-flexible 32 4",
    ]);
    const at9 = await evaluateCost(input(9));
    expect(new Set(at9.map((p) => p.scenario))).toEqual(new Set(["fixed-precision"]));
    for (const [bits, points] of [
      [2, at2],
      [9, at9],
    ] as const) {
      for (const p of points) {
        expect(p.binary.map((b) => b.baseline)).toEqual(BINARY_BASELINES);
        for (const b of p.binary) {
          expect(b.improvement).toBeCloseTo(p.sc.gopsPerMm2 / b.gopsPerMm2 - 1, 4);
          expect(b.builtBits).toBe(p.scenario === "precision-flexible" ? 8 : bits);
          expect(p.sc.builtBits).toBe(b.builtBits);
        }
        // a conventional SC array: 2^N cycles per product whatever the weight, b = 1
        expect(p.conventional.map((x) => x.sng)).toEqual(["lfsr", "sobol"]);
        for (const x of p.conventional) {
          expect(x.builtBits).toBe(p.sc.builtBits);
          expect(x.latencyCycles).toBeCloseTo(p.binary[0]!.latencyCycles * 2 ** bits, 0);
        }
        // the baselines are different designs: the exact lane is larger than the iso-arithmetic one
        const area = (name: string) => p.binary.find((b) => b.baseline === name)!.areaUm2;
        expect(area("exact")).toBeGreaterThan(area("iso-bisc"));
      }
    }
    // one binary design per (scenario, M): it does not depend on b
    for (const s of ["fixed-precision", "precision-flexible"]) {
      for (const m of [16, 32])
        expect(
          new Set(at2.filter((p) => p.scenario === s && p.lanesPerUnit === m).map((p) => p.binary[0]!.areaUm2)).size,
        ).toBe(1);
    }
  });
});
