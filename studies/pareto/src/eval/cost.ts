import { CostRegistry, evaluateScenario, type LayerWorkload, type RegisterPolicy, type Scenario } from "@sccnn/cost";
import { analyticModel } from "@sccnn/cost-analytic";
import { loadSynthTable, synthTableModel } from "@sccnn/cost-yosys";
import { quantizeWeights } from "@sccnn/nn";
import { hardwareLayerWeights } from "@sccnn/zoo";

/**
 * What the costs of one (network, N, weights) depend on (the cache key of the "cost" kind): every
 * array shape, b and scenario of that precision are evaluated together, since they share the
 * quantised weights.
 */
export interface CostInput {
  network: string;
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
  flexibleMaxBits: number;
  lockstep: boolean;
  zeroWeightCycles: 0 | 1;
  registers: RegisterPolicy;
  technology: string;
  costModels: ("yosys" | "analytic")[];
  /** SHA-256 of the committed synthesis table read (part of the key). */
  tableSha256: string;
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
}

export interface CostPoint {
  /** The configured array point. */
  lanesPerUnit: number;
  units: number;
  parallel: number;
  scenario: Scenario;
  sc: DesignCost;
  binary: DesignCost;
  /** gopsPerMm2(SC) / gopsPerMm2(binary) − 1. */
  improvement: number;
}

export function costRegistry(technology: string, models: readonly ("yosys" | "analytic")[]): CostRegistry {
  const r = new CostRegistry();
  if (models.includes("yosys")) r.register(synthTableModel(loadSynthTable(technology)));
  if (models.includes("analytic")) r.register(analyticModel({ defaultTechnology: technology }));
  return r;
}

/**
 * The latency model's view of the network at N: per conv/linear layer its Timeloop dims and the
 * magnitudes of the integer weights the quantised runtime uses (nn quantizeWeights: symmetric
 * max-abs, per layer or per channel, of the batch-norm-folded weights).
 */
export function quantisedWorkload(
  network: string,
  weightsPath: string | null,
  bits: number,
  perChannel: boolean,
  ref?: string,
): LayerWorkload[] {
  const { layers } = hardwareLayerWeights({ network, path: weightsPath, ...(ref !== undefined ? { ref } : {}) });
  return layers.map(({ stats: s, weights: w }) => {
    const { q } = quantizeWeights(w, s.K, bits, perChannel);
    const magnitudes = new Uint16Array(q.length);
    for (let i = 0; i < q.length; i++) magnitudes[i] = Math.abs(q[i]!);
    return {
      name: s.name,
      kind: s.type,
      dims: { N: 1, C: s.C, K: s.K, R: s.R, S: s.S, P: s.P, Q: s.Q },
      groups: s.groups,
      weightMagnitudes: magnitudes,
    };
  });
}

const sig = (v: number, digits = 6) => Number(v.toPrecision(digits));

/** The dse evaluator: SC and binary costs of every (M, P, b, scenario) at one (network, N, weights). */
export function evaluateCost(input: CostInput): CostPoint[] {
  const layers = quantisedWorkload(input.network, input.weightsPath, input.bits, input.perChannel, input.ref);
  const costs = costRegistry(input.technology, input.costModels);
  const out: CostPoint[] = [];
  for (const scenario of input.scenarios) {
    if (scenario === "precision-flexible" && input.bits > input.flexibleMaxBits) continue;
    for (const units of input.units) {
      for (const lanesPerUnit of input.lanesPerUnit) {
        for (const parallel of input.parallel) {
          if (parallel > 2 ** input.bits) continue;
          const r = evaluateScenario({
            scenario,
            costs,
            layers,
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
          const design = (p: typeof r.sc, parts: typeof r.scArea.parts): DesignCost => ({
            builtBits: p.builtBits,
            lanesPerUnit: p.lanesPerUnit,
            units: p.units,
            copies: p.copies,
            areaUm2: sig(p.areaUm2, 8),
            latencyCycles: sig(p.cycles, 10),
            opsPerCycle: sig(p.opsPerCycle),
            gopsPerMm2: sig(p.gopsPerMm2),
            utilisation: sig(p.utilisation),
            costModels: [...new Set(parts.map((x) => x.model))].join("+"),
          });
          out.push({
            lanesPerUnit,
            units,
            parallel,
            scenario,
            sc: design(r.sc, r.scArea.parts),
            binary: design(r.binary, r.binaryArea.parts),
            improvement: sig(r.improvement),
          });
        }
      }
    }
  }
  return out;
}
