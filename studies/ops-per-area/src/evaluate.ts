import { evaluateScenario, type CostRegistry, type RegisterPolicy, type Scenario } from "@sccnn/cost";
import type { NetworkLayerWeights } from "@sccnn/zoo";
import { workloadAt } from "./workload.ts";

export interface OpsPerAreaConfig {
  networks: string[];
  useTrainedWeights: boolean;
  syntheticSeed: number;
  bits: number[];
  parallel: number[];
  scenarios: Scenario[];
  flexibleMaxBits: number;
  units: number;
  lanesPerUnit: number;
  batch: number;
  lockstep: boolean;
  zeroWeightCycles: 0 | 1;
  registers: RegisterPolicy;
  memoryBits: number;
  technology: string;
  costModels: ("yosys" | "analytic")[];
  clockHz: number;
  clocks: ("parameter" | "library")[];
}

/** One design (SC or binary) at one (network, scenario, N, b) point. */
export type OpsPerAreaRecord = {
  network: string;
  weights: "trained" | "synthetic";
  scenario: Scenario;
  /** "parameter": both designs at clockHz; "library": each at 1 / its synthesized lane path. */
  clock: "parameter" | "library";
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
  utilisation: number;
  /** gopsPerMm2(SC) / gopsPerMm2(binary) − 1 (the same on both records of a point). */
  improvement: number;
  costModels: string;
};

/** The record fields in output order (a cached record comes back with sorted keys; orderRecord restores this order). */
export const RECORD_FIELDS = [
  "network",
  "weights",
  "scenario",
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
  "utilisation",
  "improvement",
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

/** Every (scenario, N, b) point of one network; precision-flexible skips N above flexibleMaxBits. */
export function evaluateNetwork(
  net: NetworkLayerWeights,
  config: OpsPerAreaConfig,
  costs: CostRegistry,
): OpsPerAreaRecord[] {
  const out: OpsPerAreaRecord[] = [];
  for (const bits of config.bits) {
    const layers = workloadAt(net, bits, config.batch);
    for (const clock of config.clocks) {
      for (const scenario of config.scenarios) {
        if (scenario === "precision-flexible" && bits > config.flexibleMaxBits) continue;
        for (const parallel of config.parallel) {
          if (parallel > 2 ** bits) continue;
          const r = evaluateScenario({
            scenario,
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
          });
          for (const [p, area] of [
            [r.sc, r.scArea],
            [r.binary, r.binaryArea],
          ] as const) {
            out.push({
              network: net.network,
              weights: net.synthetic ? "synthetic" : "trained",
              scenario,
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
              utilisation: round(p.utilisation),
              improvement: round(r.improvement),
              costModels: [...new Set(area.parts.map((x) => x.model))].join("+"),
            });
          }
        }
      }
    }
  }
  return out;
}
