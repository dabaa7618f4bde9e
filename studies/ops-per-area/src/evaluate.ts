import {
  CostRefusal,
  designPointEnergy,
  evaluateScenario,
  type ArrayArea,
  type BinaryBaseline,
  type DesignPoint,
  type EnergyModel,
  type LayerWorkload,
  type ClockPolicy,
  type LaneTimingSource,
  type CostRegistry,
  type RegisterPolicy,
  type Scenario,
} from "@sccnn/cost";
import type { NetworkLayerWeights } from "@sccnn/zoo";
import { workloadAt } from "./workload.ts";

export interface OpsPerAreaConfig {
  networks: string[];
  useTrainedWeights: boolean;
  syntheticSeed: number;
  bits: number[];
  parallel: number[];
  scenarios: Scenario[];
  /** Binary designs SC is compared with, each by name (records carry `baseline`). */
  baselines: BinaryBaseline[];
  flexibleMaxBits: number;
  units: number;
  lanesPerUnit: number;
  batch: number;
  lockstep: boolean;
  zeroWeightCycles: 0 | 1;
  registers: RegisterPolicy;
  memoryBits: number;
  technology: string;
  /** Cost-model package ids (the workspace's /sccnn/costModel packages). */
  costModels: string[];
  clockHz: number;
  clocks: ClockPolicy[];
  /**
   * Energy per inference and GOPS/W of every design from the technology's committed energy table
   * (@sccnn/cost designPointEnergy over cost-yosys' synthEnergyModel); off: null energy fields.
   */
  energy: boolean;
}

/** One design (SC or binary) at one (network, scenario, N, b) point. */
export type OpsPerAreaRecord = {
  network: string;
  weights: "trained" | "synthetic";
  scenario: Scenario;
  /** The binary design of this comparison (exact multiplier, or iso-bisc: bit-identical to BISC). */
  baseline: BinaryBaseline;
  /**
   * "parameter": both designs at clockHz; "library": each at 1 / the sum of its synthesized
   * components' delays; "target-pipelined" / "target-own": whole lanes synthesized at the 1/clockHz
   * delay target, a missing lane pipelined (area added) or run at its own clock.
   */
  clock: ClockPolicy;
  bits: number;
  parallel: number;
  design: "sc" | "binary";
  clockHz: number;
  builtBits: number;
  units: number;
  lanesPerUnit: number;
  copies: number;
  areaUm2: number;
  cycles: number;
  opsPerCycle: number;
  gopsPerMm2: number;
  /** Energy of one inference (array logic, copies included; no memory), pJ; null when off or refused. */
  energyPerInferencePj: number | null;
  /** 2 · MACs per inference / energy per inference, GOPS/W; null when off or refused. */
  gopsPerW: number | null;
  /** The energy model's id, "off", or why there is no energy ("refused: …", "none: …"). */
  energyModel: string;
  utilisation: number;
  /** gopsPerMm2(SC) / gopsPerMm2(binary) − 1 (the same on both records of a point). */
  improvement: number;
  /** Target clock policies: the lane's slack at the target in ps (negative: missed); else null. */
  slackPs: number | null;
  /** Target clock policies: whether the lane got the synthesized pipeline stage; else null. */
  pipelined: boolean | null;
  costModels: string;
};

/** The record fields in output order (a cached record comes back with sorted keys; orderRecord restores this order). */
export const RECORD_FIELDS = [
  "network",
  "weights",
  "scenario",
  "baseline",
  "clock",
  "bits",
  "parallel",
  "design",
  "clockHz",
  "builtBits",
  "units",
  "lanesPerUnit",
  "copies",
  "areaUm2",
  "cycles",
  "opsPerCycle",
  "gopsPerMm2",
  "energyPerInferencePj",
  "gopsPerW",
  "energyModel",
  "utilisation",
  "improvement",
  "slackPs",
  "pipelined",
  "costModels",
] as const satisfies readonly (keyof OpsPerAreaRecord)[];

/** A record with its fields in RECORD_FIELDS order; throws naming a field the list misses. */
export function orderRecord(r: OpsPerAreaRecord): OpsPerAreaRecord {
  for (const k of Object.keys(r))
    if (!(RECORD_FIELDS as readonly string[]).includes(k))
      throw new Error(`ops-per-area: record field ${k} missing from RECORD_FIELDS`);
  return Object.fromEntries(RECORD_FIELDS.map((k) => [k, r[k]])) as OpsPerAreaRecord;
}

const round = (v: number, digits = 6) => Number(v.toPrecision(digits));

/**
 * Energy fields of one design point: @sccnn/cost's designPointEnergy with the technology's energy
 * model (`energy`: the model, null = no table for the technology, undefined = energy off); a
 * model refusal (a precision, b or accumulator width off the table's grid) gives null energy and
 * the refusal in energyModel.
 */
export function energyFields(
  energy: EnergyModel | null | undefined,
  technology: string,
  area: ArrayArea,
  p: DesignPoint,
  layers: readonly LayerWorkload[],
): Pick<OpsPerAreaRecord, "energyPerInferencePj" | "gopsPerW" | "energyModel"> {
  const none = { energyPerInferencePj: null, gopsPerW: null };
  if (energy === undefined) return { ...none, energyModel: "off" };
  if (energy === null) return { ...none, energyModel: `none: no energy table for ${technology} (pnpm cost:energy)` };
  try {
    const e = designPointEnergy(energy, area, p, layers);
    return {
      energyPerInferencePj: round(e.energyPerInferenceJ * 1e12),
      gopsPerW: round(e.gopsPerW),
      energyModel: e.model,
    };
  } catch (err) {
    if (err instanceof CostRefusal) return { ...none, energyModel: `refused: ${err.message}` };
    throw err;
  }
}

/**
 * Every (scenario, N, b) point of one network; precision-flexible skips N above flexibleMaxBits.
 * `energy`: the technology's energy model when config.energy is on (null: none committed).
 */
export function evaluateNetwork(
  net: NetworkLayerWeights,
  config: OpsPerAreaConfig,
  costs: CostRegistry,
  timing?: LaneTimingSource,
  energy?: EnergyModel | null,
): OpsPerAreaRecord[] {
  const out: OpsPerAreaRecord[] = [];
  for (const bits of config.bits) {
    const layers = workloadAt(net, bits, config.batch);
    for (const clock of config.clocks) {
      for (const scenario of config.scenarios) {
        if (scenario === "precision-flexible" && bits > config.flexibleMaxBits) continue;
        for (const parallel of config.parallel) {
          if (parallel > 2 ** bits) continue;
          for (const baseline of config.baselines) {
            const r = evaluateScenario({
              scenario,
              baseline,
              costs,
              layers,
              bits,
              maxBits: config.flexibleMaxBits,
              units: config.units,
              lanesPerUnit: config.lanesPerUnit,
              parallel,
              registers: config.registers,
              memoryBits: config.memoryBits,
              technology: config.technology,
              scheduling: { lockstep: config.lockstep, zeroWeightCycles: config.zeroWeightCycles },
              clockHz: config.clockHz,
              clock,
              ...(timing ? { timing } : {}),
            });
            for (const [p, area] of [
              [r.sc, r.scArea],
              [r.binary, r.binaryArea],
            ] as const) {
              out.push({
                network: net.network,
                weights: net.synthetic ? "synthetic" : "trained",
                scenario,
                baseline,
                clock,
                bits,
                parallel,
                design: p.design,
                clockHz: round(p.clockHz),
                builtBits: p.builtBits,
                units: p.units,
                lanesPerUnit: p.lanesPerUnit,
                copies: p.copies,
                areaUm2: round(p.areaUm2, 8),
                cycles: round(p.cycles, 10),
                opsPerCycle: round(p.opsPerCycle),
                gopsPerMm2: round(p.gopsPerMm2),
                ...energyFields(config.energy ? energy : undefined, config.technology, area, p, layers),
                utilisation: round(p.utilisation),
                improvement: round(r.improvement),
                slackPs: p.slackPs ?? null,
                pipelined: p.pipelined ?? null,
                costModels: [...new Set(area.parts.map((x) => x.model))].join("+"),
              });
            }
          }
        }
      }
    }
  }
  return out;
}
