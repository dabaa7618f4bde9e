import { baselineArithmetic, type BinaryBaseline } from "@sccnn/cost";
import { configuredBaselines, type ParetoConfig } from "./config.ts";
import type { AccuracyInput } from "./eval/accuracy.ts";
import type { CostInput } from "./eval/cost.ts";
import {
  fineTunedRef,
  hardwareWeights,
  isFileRef,
  networkAvailability,
  type Availability,
  type WeightsRef,
} from "@sccnn/zoo";

/** A design variant at N: which accuracy and which cost evaluation (indices into the network's lists) it combines. */
export interface PlannedVariant {
  design: "sc" | "binary";
  /** The binary design (binary variants only; null for SC). */
  baseline: BinaryBaseline | null;
  arithmetic: string;
  bits: number;
  fineTuned: boolean;
  accuracyIndex: number;
  costIndex: number;
}

export interface PlannedNetwork {
  network: string;
  /** Accuracy evaluations: float32 first, then one per distinct (arithmetic, N, weights). */
  accuracy: AccuracyInput[];
  floatIndex: number;
  /** Cost evaluations: one per (N, weights). */
  cost: CostInput[];
  variants: PlannedVariant[];
}

export interface Plan {
  /** One entry per configured network; null where skipped. */
  networks: (PlannedNetwork | null)[];
  skipped: { network: string; reason: string }[];
}

/**
 * Every evaluation the study needs: per available network, the float32 reference and, per N, the
 * SC arithmetic and each binary baseline's arithmetic (@sccnn/cost baselineArithmetic: exact,
 * bit-serial and bit-fusion the binary arithmetic, iso-bisc the SC one, trunc-g<g> fixed-trunc-g<g>)
 * with the trained weights, plus the committed fine-tuned weights of that arithmetic at N (when
 * useFineTuned; there are none for the truncated arithmetics, which run PTQ); each distinct
 * (arithmetic, N, weights) accuracy is evaluated once; costs once per distinct (N, weights).
 */
export function planPoints(
  c: ParetoConfig,
  tableSha256: string,
  availability: (network: string, dataset?: string) => Availability = (n, d) =>
    networkAvailability(n, undefined, { dataset: d }),
  energyTableSha256: string | null = null,
): Plan {
  const plan: Plan = { networks: [], skipped: [] };
  for (const configured of c.networks) {
    const av = availability(configured, isFileRef(configured) ? (c.dataset ?? undefined) : undefined);
    if (!av.available) {
      plan.networks.push(null);
      plan.skipped.push({ network: configured, reason: av.reason });
      continue;
    }
    // a file network is named by its spec id (or file base name)
    const network = av.network;
    const fileRef = av.ref !== undefined ? { ref: av.ref, ...(av.dataset ? { dataset: av.dataset } : {}) } : {};
    const trained: WeightsRef = {
      network: av.network,
      fineTuned: false,
      path: null,
      sha256: av.weightsSha256,
      ...fileRef,
    };
    const quant = {
      testLimit: c.testLimit,
      validationLimit: c.validationLimit,
      calibrationImages: c.calibrationImages,
      calibration: c.calibration,
      percentile: c.percentile,
      perChannel: c.perChannel,
    };
    const accuracy: AccuracyInput[] = [];
    const cost: CostInput[] = [];
    const costIndex = new Map<string, number>();
    const variants: PlannedVariant[] = [];
    const accuracyIndex = new Map<string, number>();
    const accuracyPoint = (arithmetic: AccuracyInput["arithmetic"], bits: number | null, w: WeightsRef) => {
      const key = `${arithmetic}|${bits}|${w.sha256}`;
      const known = accuracyIndex.get(key);
      if (known !== undefined) return known;
      accuracyIndex.set(key, accuracy.length);
      accuracy.push({
        network,
        arithmetic,
        bits,
        fineTuned: w.fineTuned,
        weightsPath: w.path,
        weightsSha256: w.sha256,
        trainedSha256: av.weightsSha256,
        ...quant,
        ...fileRef,
      });
      return accuracy.length - 1;
    };
    const costPoint = (bits: number, w: WeightsRef) => {
      const key = `${bits}|${w.sha256}`;
      let i = costIndex.get(key);
      if (i === undefined) {
        // fine-tuned weights are quantised as their fine-tuning was (its per-channel choice)
        const perChannel = w.path === null ? c.perChannel : (hardwareWeights(w).quantConfig?.perChannel ?? false);
        cost.push({
          network,
          bits,
          fineTuned: w.fineTuned,
          weightsPath: w.path,
          weightsSha256: w.sha256,
          perChannel,
          lanesPerUnit: c.lanesPerUnit,
          units: c.units,
          parallel: c.parallel,
          scenarios: c.scenarios,
          baselines: configuredBaselines(c),
          conventionalSngs: c.conventionalSngs,
          flexibleMaxBits: c.flexibleMaxBits,
          lockstep: c.lockstep,
          zeroWeightCycles: c.zeroWeightCycles,
          registers: c.registers,
          technology: c.technology,
          costModels: c.costModels,
          tableSha256,
          energy: c.energy,
          memory: c.memory,
          energyTableSha256,
          clockHz: c.clockHz,
          ...fileRef,
        });
        i = cost.length - 1;
        costIndex.set(key, i);
      }
      return i;
    };
    const floatIndex = accuracyPoint("float32", null, trained);
    const designs: [PlannedVariant["design"], BinaryBaseline | null, AccuracyInput["arithmetic"]][] = [
      // the schema pins binaryArithmetic to "fixed" and scArithmetic to "sc-bisc", baselineArithmetic's names
      ...configuredBaselines(c).map((b): [PlannedVariant["design"], BinaryBaseline, AccuracyInput["arithmetic"]] => [
        "binary",
        b,
        baselineArithmetic(b) as AccuracyInput["arithmetic"],
      ]),
      ["sc", null, c.scArithmetic],
      // conventional SC arrays: SC records of their own arithmetic (costed by evaluateCost's conventional list)
      ...c.conventionalSngs.map((sng): [PlannedVariant["design"], null, AccuracyInput["arithmetic"]] => [
        "sc",
        null,
        `sc-${sng}`,
      ]),
    ];
    for (const bits of c.bits) {
      for (const [design, baseline, arithmetic] of designs) {
        const refs = [trained];
        const ft = c.useFineTuned && av.ref === undefined ? fineTunedRef(network, arithmetic, bits) : null;
        if (ft) refs.push(ft);
        for (const w of refs)
          variants.push({
            design,
            baseline,
            arithmetic,
            bits,
            fineTuned: w.fineTuned,
            accuracyIndex: accuracyPoint(arithmetic, bits, w),
            costIndex: costPoint(bits, w),
          });
      }
    }
    plan.networks.push({ network, accuracy, floatIndex, cost, variants });
  }
  return plan;
}
