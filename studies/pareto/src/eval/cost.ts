import {
  CostRefusal,
  NoCostModelError,
  designPointEnergy,
  evaluateConventionalSc,
  evaluateScenario,
  loadCostRegistry,
  type ArrayArea,
  type BinaryBaseline,
  type ConventionalSng,
  type DesignPoint,
  type EnergyModel,
  type LayerWorkload,
  type RegisterPolicy,
  type Scenario,
} from "@sccnn/cost";
import { memoryEnergy, networkBuffers, sramModel } from "@sccnn/cost-memory";
import { loadEnergyTable, synthEnergyModel } from "@sccnn/cost-yosys";
import { hardwareLayerWeights, hardwareWorkload } from "@sccnn/zoo";

/**
 * What the costs of one (network, N, weights) depend on (the cache key of the "cost" kind): every
 * array shape, b and scenario of that precision are evaluated together, since they share the
 * quantised weights.
 */
export interface CostInput {
  network: string;
  /** Version of the network package's source (zoo networkPackageDirs; set by the study, part of the key only). */
  networkSource?: string;
  bits: number;
  fineTuned: boolean;
  /** Fine-tuned checkpoint file in packages/zoo/weights/finetuned/ (null: the zoo's trained weights). */
  weightsPath: string | null;
  weightsSha256: string;
  /** Per-output-channel weight scales (from the study config, or pinned by the fine-tuned checkpoint). */
  perChannel: boolean;
  lanesPerUnit: number[];
  units: number[];
  parallel: number[];
  scenarios: Scenario[];
  /** Binary designs costed beside SC, by name (the first sizes SC in iso-area / iso-throughput). */
  baselines: BinaryBaseline[];
  /** Conventional SC arrays costed beside BISC (b = 1, 2^N cycles per product). */
  conventionalSngs: ConventionalSng[];
  flexibleMaxBits: number;
  lockstep: boolean;
  zeroWeightCycles: 0 | 1;
  registers: RegisterPolicy;
  technology: string;
  /** Cost-model package ids (@sccnn/cost loadCostRegistry), registered in this order. */
  costModels: string[];
  /** SHA-256 of the committed synthesis table read (part of the key). */
  tableSha256: string;
  /** Energy per inference from the committed energy table. */
  energy: boolean;
  /** On-chip SRAM buffers added to both designs (area and energy). */
  memory: boolean;
  /** SHA-256 of the committed energy table read (null: none; part of the key). */
  energyTableSha256: string | null;
  clockHz: number;
  /** File network: absolute path of its .onnx / .ckpt file (absent for zoo ids). */
  ref?: string;
}

/** One design at one array point. */
export interface DesignCost {
  /** Precision the hardware is built for. */
  builtBits: number;
  /** The design's actual shape (iso-area / iso-throughput may change it) and replicas. */
  lanesPerUnit: number;
  units: number;
  copies: number;
  areaUm2: number;
  /** Cycles per inference (one image), divided by the copies. */
  latencyCycles: number;
  opsPerCycle: number;
  gopsPerMm2: number;
  utilisation: number;
  costModels: string;
  /** Energy of one inference (array logic + leakage [+ SRAM buffers when memory is on]), pJ; null when not estimated. */
  energyPerInferencePj: number | null;
  /** Of which the SRAM buffers (null when memory is off or energy is null), pJ. */
  memoryEnergyPj: number | null;
  /** 2 · MACs per inference / energy per inference, GOPS/W. */
  gopsPerW: number | null;
  /** The energy model, or why there is no energy ("off", "refused: …"). */
  energyModel: string;
}

/** One binary baseline at an array point, and SC's improvement over it there. */
export interface BaselineCost extends DesignCost {
  baseline: BinaryBaseline;
  /** gopsPerMm2(SC) / gopsPerMm2(this baseline) − 1. */
  improvement: number;
}

export interface CostPoint {
  /** The configured array point. */
  lanesPerUnit: number;
  units: number;
  parallel: number;
  scenario: Scenario;
  sc: DesignCost;
  /** Every configured baseline at (M, P, scenario), in the configured order (no b: binary lanes have none). */
  binary: BaselineCost[];
  /** Every configured conventional SC array at (M, P, scenario) (b = 1 by construction) the cost models can price. */
  conventional: (DesignCost & { sng: ConventionalSng })[];
  /** Conventional SC arrays no configured cost model can price (e.g. a plug-in without their components), with why. */
  conventionalRefused: { sng: ConventionalSng; reason: string }[];
}

/**
 * The latency model's view of the network at N: per conv/linear layer its Timeloop dims and the
 * magnitudes of the integer weights the quantised runtime uses (zoo hardwareWorkload: nn
 * quantizeWeights, per layer or per channel, of the batch-norm-folded weights).
 */
export function quantisedWorkload(
  network: string,
  weightsPath: string | null,
  bits: number,
  perChannel: boolean,
  ref?: string,
): LayerWorkload[] {
  const { layers } = hardwareLayerWeights({ network, path: weightsPath, ...(ref !== undefined ? { ref } : {}) });
  return hardwareWorkload(layers, bits, { perChannel });
}

const sig = (v: number, digits = 6) => Number(v.toPrecision(digits));

/** The technology's energy model (null when energy is off or no table is committed). */
function energyModelOf(input: CostInput): EnergyModel | null {
  if (!input.energy) return null;
  const table = loadEnergyTable(input.technology);
  return table ? synthEnergyModel(table) : null;
}

/** Energy fields of one design point (null with the reason when the model refuses). */
function energyOf(
  model: EnergyModel | null,
  input: CostInput,
  area: ArrayArea,
  p: DesignPoint,
  layers: readonly LayerWorkload[],
): Pick<DesignCost, "energyPerInferencePj" | "memoryEnergyPj" | "gopsPerW" | "energyModel"> {
  const none = { energyPerInferencePj: null, memoryEnergyPj: null, gopsPerW: null };
  if (!input.energy) return { ...none, energyModel: "off" };
  if (!model) return { ...none, energyModel: `none: no energy table for ${input.technology} (pnpm cost:energy)` };
  try {
    const e = designPointEnergy(model, area, p, layers);
    let total = e.energyPerInferenceJ;
    let mem: number | null = null;
    if (input.memory) {
      const m = memoryEnergy(layers, p, {
        bits: p.runBits,
        seconds: (p.cycles * p.copies) / p.clockHz,
        technology: input.technology,
      });
      mem = m.energyPerInferenceJ;
      total += mem;
    }
    return {
      energyPerInferencePj: sig(total * 1e12),
      memoryEnergyPj: mem === null ? null : sig(mem * 1e12),
      gopsPerW: sig((2 * p.macs) / total / 1e9),
      energyModel: input.memory ? `${e.model}+sram-horowitz` : e.model,
    };
  } catch (err) {
    if (err instanceof CostRefusal) return { ...none, energyModel: `refused: ${err.message}` };
    throw err;
  }
}

/** The dse evaluator: SC and every baseline's costs at every (M, P, b, scenario) of one (network, N, weights). */
export async function evaluateCost(input: CostInput): Promise<CostPoint[]> {
  const layers = quantisedWorkload(input.network, input.weightsPath, input.bits, input.perChannel, input.ref);
  const costs = await loadCostRegistry({
    technology: input.technology,
    models: input.costModels,
    extra: input.memory ? [sramModel()] : [],
  });
  const energyModel = energyModelOf(input);
  const buffers = networkBuffers(layers, input.bits);
  const memoryBits = input.memory ? buffers.weightBits + buffers.activationBits : 0;
  const out: CostPoint[] = [];
  const scenarioInput = (scenario: Scenario, units: number, lanesPerUnit: number, parallel: number) => ({
    scenario,
    costs,
    layers,
    memoryBits,
    bits: input.bits,
    maxBits: input.flexibleMaxBits,
    units,
    lanesPerUnit,
    parallel,
    registers: input.registers,
    technology: input.technology,
    scheduling: { lockstep: input.lockstep, zeroWeightCycles: input.zeroWeightCycles },
    clockHz: input.clockHz,
  });
  const design = (p: DesignPoint, area: ArrayArea): DesignCost => ({
    builtBits: p.builtBits,
    lanesPerUnit: p.lanesPerUnit,
    units: p.units,
    copies: p.copies,
    areaUm2: sig(p.areaUm2, 8),
    latencyCycles: sig(p.cycles, 10),
    opsPerCycle: sig(p.opsPerCycle),
    gopsPerMm2: sig(p.gopsPerMm2),
    utilisation: sig(p.utilisation),
    costModels: [...new Set(area.parts.map((x) => x.model))].join("+"),
    ...energyOf(energyModel, input, area, p, layers),
  });
  const parallels = input.parallel.filter((b) => b <= 2 ** input.bits);
  if (parallels.length === 0) return out;
  for (const scenario of input.scenarios) {
    if (scenario === "precision-flexible" && input.bits > input.flexibleMaxBits) continue;
    for (const units of input.units) {
      for (const lanesPerUnit of input.lanesPerUnit) {
        // a binary lane has no b: each baseline is costed once per (M, P, scenario), at the first b
        const binaries = input.baselines.map((baseline) => {
          const r = evaluateScenario({ ...scenarioInput(scenario, units, lanesPerUnit, parallels[0]!), baseline });
          return { baseline, cost: design(r.binary, r.binaryArea) };
        });
        // …and each conventional SC array likewise (its streams are 2^N cycles whatever b)
        const conventional: CostPoint["conventional"] = [];
        const conventionalRefused: CostPoint["conventionalRefused"] = [];
        for (const sng of input.conventionalSngs) {
          try {
            const { point, area } = evaluateConventionalSc({
              ...scenarioInput(scenario, units, lanesPerUnit, 1),
              sng,
              builtBits: scenario === "precision-flexible" ? input.flexibleMaxBits : input.bits,
            });
            conventional.push({ ...design(point, area), sng });
          } catch (err) {
            // an optional extra design: a cost model without its components leaves it out, said in the log
            if (!(err instanceof NoCostModelError || err instanceof CostRefusal)) throw err;
            conventionalRefused.push({ sng, reason: err.message });
          }
        }
        for (const parallel of parallels) {
          const r = evaluateScenario({
            ...scenarioInput(scenario, units, lanesPerUnit, parallel),
            baseline: input.baselines[0]!,
          });
          const sc = design(r.sc, r.scArea);
          out.push({
            lanesPerUnit,
            units,
            parallel,
            scenario,
            sc,
            binary: binaries.map((b) => ({
              ...b.cost,
              baseline: b.baseline,
              improvement: sig(sc.gopsPerMm2 / b.cost.gopsPerMm2 - 1),
            })),
            conventional,
            conventionalRefused,
          });
        }
      }
    }
  }
  return out;
}
