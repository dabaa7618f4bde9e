import {
  type CostRegistry,
  evaluateDesignCost,
  layerRunBits,
  type Design,
  type DesignCost,
  type EnergyModel,
  type LayerPrecision,
  type LayerWorkload,
  type RegisterPolicy,
} from "@sccnn/cost";
import { loadEnergyTable, synthEnergyModel } from "@sccnn/cost-yosys";
import type { LayerStats } from "@sccnn/nn";
import { hardwareLayerWeights, hardwareWorkload, type HardwareLayer } from "@sccnn/zoo";

/** The array grid and cost settings a design's ops per area is searched over (from config.json). */
export interface CostSettings {
  lanesPerUnit: number[];
  units: number[];
  parallel: number[];
  lockstep: boolean;
  zeroWeightCycles: 0 | 1;
  registers: RegisterPolicy;
  technology: string;
  /** Cost-model package ids (the workspace's /sccnn/costModel packages). */
  costModels: string[];
  clockHz: number;
  /** Energy per inference from the technology's committed switching-activity table (as pareto). */
  energy: boolean;
}

/** The technology's energy model, or null (energy off, or no table committed for it). */
export function energyModelOf(technology: string, on: boolean): EnergyModel | null {
  if (!on) return null;
  const table = loadEnergyTable(technology);
  return table ? synthEnergyModel(table) : null;
}

/** A network's conv/linear layers with their batch-norm-folded float weights (what nn's runtime quantises). */
export interface NetworkWeights {
  network: string;
  stats: LayerStats[];
  layers: HardwareLayer[];
}

/** The trained network as the hardware runs it (the zoo's hardwareLayerWeights: batch norm folded). */
export function networkWeights(network: string): NetworkWeights {
  const { layers } = hardwareLayerWeights({ network, path: null });
  return { network, stats: layers.map((l) => l.stats), layers };
}

/**
 * The latency model's view of a design (the zoo's hardwareWorkload): per layer the magnitudes of
 * the integer weights nn's runtime uses at that layer's bitsW (symmetric max-abs, per layer or per
 * channel), shifted to the layer's SC stream width N = max(bitsW, bitsA) as the runtime does (the
 * count operand's length).
 */
export function designWorkload(
  w: NetworkWeights,
  layers: readonly LayerPrecision[],
  perChannel: boolean,
): LayerWorkload[] {
  w.stats.forEach((s, i) => {
    const p = layers[i];
    if (!p || p.name !== s.name) throw new RangeError(`design layer ${i} must be ${s.name}, got ${p?.name ?? "none"}`);
  });
  if (layers.length !== w.stats.length)
    throw new RangeError(`${w.network}: ${layers.length} design layers for ${w.stats.length} conv/linear layers`);
  return hardwareWorkload(
    w.layers,
    layers.map((p) => ({ bitsW: p.bitsW, runBits: layerRunBits(p) })),
    { perChannel },
  );
}

export interface CostedDesign {
  design: Design;
  /** Its cost, and with an energy model its energy per inference (or the refusal). */
  point: DesignCost;
}

/**
 * The best array (highest GOPS/mm²; ties: the first in grid order P, M, b) for one per-layer
 * precision: accuracy does not depend on M, P or b, so each precision is represented by its most
 * efficient array. SC: b ≤ 2^(smallest layer N) as in pareto; binary: b = 1. With `energy`, the
 * chosen array's energy per inference comes with it (the array chosen for ops per area, not for energy).
 */
export function bestArray(
  network: string,
  design: "sc" | "binary",
  arithmetic: string,
  layers: LayerPrecision[],
  workload: readonly LayerWorkload[],
  c: CostSettings,
  costs: CostRegistry,
  energy: EnergyModel | null = null,
): CostedDesign {
  const builtBits = Math.max(...layers.map(layerRunBits));
  const minBits = Math.min(...layers.map(layerRunBits));
  let best: CostedDesign | null = null;
  for (const units of c.units)
    for (const lanesPerUnit of c.lanesPerUnit)
      for (const parallel of design === "sc" ? c.parallel : [1]) {
        if (parallel > 2 ** minBits) continue;
        const d: Design = {
          network,
          design,
          arithmetic,
          layers,
          builtBits,
          parallel,
          lanesPerUnit,
          units,
          clockHz: c.clockHz,
        };
        const point = evaluateDesignCost(d, workload, {
          costs,
          registers: c.registers,
          technology: c.technology,
          scheduling: { lockstep: c.lockstep, zeroWeightCycles: c.zeroWeightCycles },
        });
        if (!best || point.gopsPerMm2 > best.point.gopsPerMm2) best = { design: d, point };
      }
  if (!best) throw new RangeError(`no array of the grid fits ${network} (parallel ≤ 2^${minBits})`);
  if (!energy) return best;
  const opts = {
    costs,
    registers: c.registers,
    technology: c.technology,
    scheduling: { lockstep: c.lockstep, zeroWeightCycles: c.zeroWeightCycles },
    energy,
  };
  return { design: best.design, point: evaluateDesignCost(best.design, workload, opts) };
}
