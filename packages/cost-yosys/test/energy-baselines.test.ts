import {
  BINARY_BASELINES,
  binaryArrayArea,
  scArrayArea,
  type BinaryBaseline,
  CostRegistry,
  designPointEnergy,
  evaluateConventionalSc,
  evaluateScenario,
  type LayerWorkload,
} from "@sccnn/cost";
import { layerStats, quantizeWeights } from "@sccnn/nn";
import { getNetwork, hardwareLayerWeights } from "@sccnn/zoo";
import { describe, expect, it } from "vitest";
import { loadEnergyTable, loadSynthTable, synthEnergyModel, synthTableModel } from "../src/index.ts";

// The committed energy table must price every design the studies compare: the SC array and every
// binary baseline (exact, iso-bisc with its shared recoder, bit-serial, bit-fusion, trunc-g0…g2),
// at the precisions and accumulator widths the zoo networks need. Reads committed tables only (no
// synthesis).
const energy = synthEnergyModel(loadEnergyTable("osu018")!);
const costs = new CostRegistry().register(synthTableModel(loadSynthTable("osu018")));

function workload(network: string, bits: number): LayerWorkload[] {
  const { layers } = hardwareLayerWeights({ network, path: null });
  return layers.map(({ stats: s, weights: w }) => {
    const { q } = quantizeWeights(w, s.K, bits, false);
    return {
      name: s.name,
      kind: s.type,
      dims: { N: 1, C: s.C, K: s.K, R: s.R, S: s.S, P: s.P, Q: s.Q },
      groups: s.groups,
      weightMagnitudes: Uint16Array.from(q, (v) => Math.abs(v)),
    };
  });
}

describe("energy table covers SC and every binary baseline (osu018)", () => {
  for (const network of ["lenet5", "fashion-cnn"])
    it(`${network}: every baseline and SC (b = 1, 8, 128 where b ≤ 2^N) get an energy per inference at N = 2…10 (no refusal)`, () => {
      for (let N = 2; N <= 10; N++) {
        const layers = workload(network, N);
        for (const baseline of BINARY_BASELINES)
          for (const parallel of [1, 8, 128].filter((b) => b <= 2 ** N)) {
            const r = evaluateScenario({
              scenario: "fixed-precision",
              costs,
              layers,
              bits: N,
              units: 4,
              lanesPerUnit: 4,
              parallel,
              baseline,
              technology: "osu018",
              clockHz: 2e8,
            });
            for (const [side, area, p] of [
              ["sc", r.scArea, r.sc],
              [baseline, r.binaryArea, r.binary],
            ] as const) {
              const e = designPointEnergy(energy, area, p, layers);
              expect(e.energyPerInferenceJ, `${network} N=${N} ${side}`).toBeGreaterThan(0);
              expect(Number.isFinite(e.gopsPerW), `${network} N=${N} ${side}`).toBe(true);
              // every part priced from its own row (a recoder / serial multiplier, not silently zero)
              for (const part of e.parts) expect(part.dynamicJ, `${side} ${part.part}`).toBeGreaterThan(0);
            }
          }
      }
    });

  const perMacAt = (baseline: BinaryBaseline, network: string, bits: number, maxBits = bits) => {
    const layers = workload(network, bits);
    const r = evaluateScenario({
      scenario: maxBits > bits ? "precision-flexible" : "fixed-precision",
      costs,
      layers,
      bits,
      maxBits,
      units: 4,
      lanesPerUnit: 4,
      baseline,
      technology: "osu018",
      clockHz: 2e8,
    });
    return designPointEnergy(energy, r.binaryArea, r.binary, layers).energyPerInferenceJ / r.binary.macs;
  };

  for (const network of ["lenet5", "fashion-cnn"])
    it(`${network}: a bit-fusion lane built for 8 bits, run at 2…8 bits (precision-flexible), costs less per MAC the more terms its mode adds per cycle`, () => {
      const perMac = [2, 3, 4, 5, 6, 7, 8].map((n) => perMacAt("bit-fusion", network, n, 8));
      for (const e of perMac) expect(e).toBeGreaterThan(0);
      // modes of an 8-bit lane: 16 terms per cycle at n ≤ 2, 4 at n = 3…4, 1 at n = 5…8
      expect(perMac[0]!).toBeLessThan(perMac[1]!);
      expect(Math.max(perMac[1]!, perMac[2]!)).toBeLessThan(Math.min(...perMac.slice(3)));
    });

  it("per MAC at N = 8, dropping partial products saves energy: trunc-g0 < trunc-g2 < exact", () => {
    const [g0, g2, exact] = (["trunc-g0", "trunc-g2", "exact"] as const).map((b) => perMacAt(b, "lenet5", 8));
    expect(g0!).toBeLessThan(g2!);
    expect(g2!).toBeLessThan(exact!);
  });
  for (const network of ["lenet5", "fashion-cnn"])
    it(`${network}: the conventional SC arrays (lfsr, sobol) get an energy per inference at N = 2…10, more per MAC than BISC at b = 1`, () => {
      for (let N = 2; N <= 10; N++) {
        const layers = workload(network, N);
        const bisc = evaluateScenario({
          scenario: "fixed-precision",
          costs,
          layers,
          bits: N,
          units: 4,
          lanesPerUnit: 4,
          technology: "osu018",
          clockHz: 2e8,
        });
        const eBisc = designPointEnergy(energy, bisc.scArea, bisc.sc, layers).energyPerInferenceJ;
        for (const sng of ["lfsr", "sobol"] as const) {
          const r = evaluateConventionalSc({
            costs,
            layers,
            bits: N,
            units: 4,
            lanesPerUnit: 4,
            technology: "osu018",
            clockHz: 2e8,
            sng,
          });
          const e = designPointEnergy(energy, r.area, r.point, layers);
          for (const part of e.parts) expect(part.dynamicJ, `${network} N=${N} ${sng} ${part.part}`).toBeGreaterThan(0);
          // 2^N cycles per step against BISC's ⌈|w|⌉: conventional SC streams longer for the same products
          expect(e.energyPerInferenceJ, `${network} N=${N} ${sng}`).toBeGreaterThan(eBisc);
        }
      }
    });

  it("per MAC, the bit-serial lane (N cycles of its registers) costs more than the one-cycle exact lane at N = 8", () => {
    const layers = workload("lenet5", 8);
    const perMac = (baseline: "exact" | "bit-serial") => {
      const r = evaluateScenario({
        scenario: "fixed-precision",
        costs,
        layers,
        bits: 8,
        units: 4,
        lanesPerUnit: 4,
        baseline,
        technology: "osu018",
        clockHz: 2e8,
      });
      return designPointEnergy(energy, r.binaryArea, r.binary, layers).energyPerInferenceJ / r.binary.macs;
    };
    expect(perMac("bit-serial")).toBeGreaterThan(perMac("exact"));
  });

  it("the accumulators of the ops-per-area study's other networks (synthetic weights) are on the grid: every lane's counter / accumulator at their widths, N = 2…10", () => {
    for (const network of ["vgg-small-cifar", "resnet20-cifar", "mobilenet-v1", "resnet18"]) {
      const fanIn = Math.max(...layerStats(getNetwork(network)).map((s) => s.fanIn));
      for (let N = 2; N <= 10; N++)
        for (const baseline of BINARY_BASELINES) {
          const area = binaryArrayArea(
            costs,
            { units: 2, lanesPerUnit: 2, bits: N, maxFanIn: fanIn, technology: "osu018" },
            baseline,
          );
          const acc = area.parts.find((p) => p.query.kind === "accumulator")!.query;
          const lane = baseline.startsWith("trunc-g") && Number(baseline.slice(7)) >= N ? "exact" : baseline;
          const runBits = baseline === "bit-fusion" ? { runBits: N } : {};
          expect(
            energy.energy({ ...acc, bits: N, lane, ...runBits }).energyPerActionJ,
            `${network} ${baseline} N=${N}`,
          ).toBeGreaterThan(0);
          for (const b of [1, 8, 128].filter((v) => v <= 2 ** N)) {
            const sc = scArrayArea(costs, {
              units: 2,
              lanesPerUnit: 2,
              bits: N,
              parallel: b,
              maxFanIn: fanIn,
              technology: "osu018",
            });
            const counter = sc.parts.find((p) => p.query.kind === "updown-counter")!.query;
            expect(
              energy.energy({ ...counter, bits: N, lane: "sc" }).energyPerActionJ,
              `${network} sc N=${N} b=${b}`,
            ).toBeGreaterThan(0);
          }
        }
    }
  });

  it("an off-grid lane is refused naming the parameter (bit-serial accumulator of a width no network needs)", () => {
    expect(() => energy.energy({ kind: "accumulator", bits: 4, accBits: 40, lane: "bit-serial" })).toThrow(/accBits/);
    expect(() => energy.energy({ kind: "iso-multiplier", bits: 14 })).toThrow(/bits/);
  });
});
