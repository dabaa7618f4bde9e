import { paretoFrontIndices } from "@sccnn/dse";
import type { BinaryBaseline, ConventionalSng, Scenario } from "@sccnn/cost";
import type { CostPoint, DesignCost } from "./eval/cost.ts";

/** One design point of the study (a row of results.csv). */
export type ParetoRecord = {
  network: string;
  /** "sc": SC-CNN array (BISC-MVM units); "binary": fixed-point MAC array. */
  design: "sc" | "binary";
  /** Which binary design (@sccnn/cost BINARY_BASELINES); null for SC. */
  baseline: BinaryBaseline | null;
  /** The quantised runtime's arithmetic the accuracy was measured with (iso-bisc: sc-bisc, bit-identical). */
  arithmetic: string;
  /** Precision N the network runs at (weights and activations, magnitude bits). */
  bits: number;
  /** Precision the hardware is built for (N, or flexibleMaxBits in the precision-flexible scenario). */
  builtBits: number;
  lanesM: number;
  unitsP: number;
  /** SC stream bits per cycle; null for binary lanes (one full product per cycle). */
  parallelB: number | null;
  scenario: Scenario;
  fineTuned: boolean;
  /** Test accuracy, %. */
  accuracy: number;
  /** float32 accuracy − accuracy, percentage points. */
  accuracyLossPt: number;
  /** Validation-split accuracy, % (operating points within the budget are chosen on it). */
  validationAccuracy: number;
  /** float32 validation accuracy − validationAccuracy, percentage points. */
  validationLossPt: number;
  areaUm2: number;
  latencyCycles: number;
  opsPerCycle: number;
  gopsPerMm2: number;
  /**
   * SC: gopsPerMm2(SC) / gopsPerMm2(strongest baseline at the same network, N, weights, M, P,
   * scenario) − 1, the strongest being the configured baseline with the most GOPS/mm² there
   * (improvementBaseline); binary: null.
   */
  improvement: number | null;
  improvementBaseline: BinaryBaseline | null;
  /**
   * On the Pareto front (accuracy up, gopsPerMm2 up) of its network, scenario and design; for binary
   * records over every baseline together: the strongest binary front.
   */
  onFront: boolean;
  /** On the front of its network, scenario and baseline (SC: as onFront). */
  onBaselineFront: boolean;
  /** On the joint front of SC and binary designs of its network and scenario (not dominated by either design). */
  onJointFront: boolean;
  copies: number;
  costModels: string;
  /** Energy of one inference (array logic + leakage [+ SRAM buffers]), pJ; null when not estimated. */
  energyPerInferencePj: number | null;
  /** Of which on-chip SRAM buffers (config memory), pJ. */
  memoryEnergyPj: number | null;
  /** 2 · MACs per inference / energy, GOPS/W. */
  gopsPerW: number | null;
  energyModel: string;
  /** On the (accuracy up, energy per inference down) front of its network, scenario and design. */
  onEnergyFront: boolean;
  /** On the joint SC + binary energy front of its network and scenario. */
  onJointEnergyFront: boolean;
};

/** One accuracy variant of one design at N, with the cost points computed from its weights. */
export interface Variant {
  design: "sc" | "binary";
  /** Binary variants: which baseline (null for SC). */
  baseline: BinaryBaseline | null;
  arithmetic: string;
  bits: number;
  fineTuned: boolean;
  /** Test accuracy, 0…1. */
  accuracy: number;
  /** Validation accuracy, 0…1. */
  validationAccuracy: number;
  costs: readonly CostPoint[];
}

export const pct = (v: number) => Math.round(v * 1e4) / 100 + 0;
const pt = (v: number) => Math.round(v * 100) / 100 + 0;

/** float32 test and validation accuracy of a network, 0…1. */
export interface FloatReference {
  accuracy: number;
  validationAccuracy: number;
}

/** The baseline with the most GOPS/mm² at a cost point (the first of equals). */
function strongestAt(p: CostPoint): CostPoint["binary"][number] {
  let best = p.binary[0]!;
  for (const b of p.binary) if (b.gopsPerMm2 > best.gopsPerMm2) best = b;
  return best;
}

/** The random source of a conventional SC variant (arithmetic sc-lfsr / sc-sobol), null for BISC and binary. */
export function conventionalSng(v: Pick<Variant, "design" | "arithmetic">): ConventionalSng | null {
  const m = v.design === "sc" ? /^sc-(lfsr|sobol)$/.exec(v.arithmetic) : null;
  return m ? (m[1] as ConventionalSng) : null;
}

function designRecord(network: string, v: Variant, p: CostPoint, d: DesignCost, float: FloatReference): ParetoRecord {
  const strongest = v.design === "sc" ? strongestAt(p) : null;
  // a conventional SC array's improvement is its own GOPS/mm² over the strongest baseline there
  const improvement =
    strongest && conventionalSng(v) ? d.gopsPerMm2 / strongest.gopsPerMm2 - 1 : strongest?.improvement;
  return {
    network,
    design: v.design,
    baseline: v.baseline,
    arithmetic: v.arithmetic,
    bits: v.bits,
    builtBits: d.builtBits,
    lanesM: d.lanesPerUnit,
    unitsP: d.units,
    parallelB: v.design === "sc" ? (conventionalSng(v) ? 1 : p.parallel) : null,
    scenario: p.scenario,
    fineTuned: v.fineTuned,
    accuracy: pct(v.accuracy),
    accuracyLossPt: pt((float.accuracy - v.accuracy) * 100),
    validationAccuracy: pct(v.validationAccuracy),
    validationLossPt: pt((float.validationAccuracy - v.validationAccuracy) * 100),
    areaUm2: d.areaUm2,
    latencyCycles: d.latencyCycles,
    opsPerCycle: d.opsPerCycle,
    gopsPerMm2: d.gopsPerMm2,
    improvement: improvement === undefined ? null : Number(improvement.toPrecision(6)),
    improvementBaseline: strongest ? strongest.baseline : null,
    onFront: false,
    onBaselineFront: false,
    onJointFront: false,
    copies: d.copies,
    costModels: d.costModels,
    energyPerInferencePj: d.energyPerInferencePj,
    memoryEnergyPj: d.memoryEnergyPj,
    gopsPerW: d.gopsPerW,
    energyModel: d.energyModel,
    onEnergyFront: false,
    onJointEnergyFront: false,
  };
}

/**
 * Records of one network: every BISC SC variant at every (M, P, b, scenario), and every binary
 * variant (one baseline's) and conventional SC variant (sc-lfsr / sc-sobol, b = 1) once per (M, P, scenario) (binary cost does not depend on b: it is taken from
 * the smallest b).
 */
export function networkRecords(network: string, float: FloatReference, variants: readonly Variant[]): ParetoRecord[] {
  const out: ParetoRecord[] = [];
  for (const v of variants) {
    const sng = conventionalSng(v);
    if (v.design === "sc" && sng === null) {
      for (const p of v.costs) out.push(designRecord(network, v, p, p.sc, float));
    } else if (sng !== null) {
      // a conventional SC array has no b (one stream bit per cycle): once per (M, P, scenario)
      const minB = Math.min(...v.costs.map((p) => p.parallel));
      for (const p of v.costs) {
        if (p.parallel !== minB) continue;
        const d = p.conventional.find((c) => c.sng === sng);
        if (!d) {
          if (p.conventionalRefused.some((c) => c.sng === sng)) continue; // not costed: the study says why
          throw new Error(`pareto: ${network}: no cost of the conventional SC array (${sng}) at N=${v.bits}`);
        }
        out.push(designRecord(network, v, p, d, float));
      }
    } else {
      const minB = Math.min(...v.costs.map((p) => p.parallel));
      for (const p of v.costs) {
        if (p.parallel !== minB) continue;
        const d = p.binary.find((b) => b.baseline === v.baseline);
        if (!d) throw new Error(`pareto: ${network}: no cost of baseline ${String(v.baseline)} at N=${v.bits}`);
        out.push(designRecord(network, v, p, d, float));
      }
    }
  }
  return out;
}

export const frontGroup = (r: Pick<ParetoRecord, "network" | "scenario" | "design">) =>
  `${r.network}|${r.scenario}|${r.design}`;
/** A design's group split by baseline (SC: as frontGroup). */
export const baselineGroup = (r: Pick<ParetoRecord, "network" | "scenario" | "design" | "baseline">) =>
  r.baseline === null ? frontGroup(r) : `${frontGroup(r)}|${r.baseline}`;

function frontFlags(
  records: readonly ParetoRecord[],
  groupOf: (r: ParetoRecord) => string,
  cost: (r: ParetoRecord) => number | null = (r) => -r.gopsPerMm2,
): boolean[] {
  const groups = new Map<string, number[]>();
  records.forEach((r, i) => {
    if (cost(r) === null) return;
    const g = groupOf(r);
    const list = groups.get(g) ?? [];
    list.push(i);
    groups.set(g, list);
  });
  const flags = records.map(() => false);
  for (const idx of groups.values()) {
    const items = idx.map((i) => records[i]!);
    for (const j of paretoFrontIndices(items, [(r) => r.accuracy, (r) => -cost(r)!])) flags[idx[j]!] = true;
  }
  return flags;
}

/**
 * Sets onFront on every record that no record of its (network, scenario, design) dominates in
 * (accuracy, gopsPerMm2), onBaselineFront likewise within its baseline, and onJointFront on those
 * no record of its (network, scenario) dominates;
 * onEnergyFront / onJointEnergyFront likewise in (accuracy up, energyPerInferencePj down), among
 * the records that have an energy.
 */
export function markFronts(records: readonly ParetoRecord[]): ParetoRecord[] {
  const own = frontFlags(records, frontGroup);
  const ownBaseline = frontFlags(records, baselineGroup);
  const joint = frontFlags(records, (r) => `${r.network}|${r.scenario}`);
  const energy = (r: ParetoRecord) => r.energyPerInferencePj;
  const ownE = frontFlags(records, frontGroup, energy);
  const jointE = frontFlags(records, (r) => `${r.network}|${r.scenario}`, energy);
  return records.map((r, i) => ({
    ...r,
    onFront: own[i]!,
    onBaselineFront: ownBaseline[i]!,
    onJointFront: joint[i]!,
    onEnergyFront: ownE[i]!,
    onJointEnergyFront: jointE[i]!,
  }));
}

/**
 * Front records sorted for a step line and for front.csv: network, scenario, design, then accuracy
 * descending (the strongest binary front, onFront); with perBaseline, every baseline's own front
 * (onBaselineFront) instead, ordered by baseline too.
 */
export function frontRecords(records: readonly ParetoRecord[], perBaseline = false): ParetoRecord[] {
  const order = perBaseline ? baselineGroup : frontGroup;
  return records
    .filter((r) => (perBaseline ? r.onBaselineFront : r.onFront))
    .map((r, i) => ({ r, i }))
    .sort((a, b) =>
      order(a.r) < order(b.r)
        ? -1
        : order(a.r) > order(b.r)
          ? 1
          : b.r.accuracy - a.r.accuracy || a.r.gopsPerMm2 - b.r.gopsPerMm2 || a.i - b.i,
    )
    .map(({ r }) => r);
}

/** The headline per network and scenario: the best SC and binary ops per area within the accuracy budget. */
export type HeadlineRecord = {
  network: string;
  scenario: string;
  /**
   * Which binary designs the row compares SC with: "strongest" (every configured baseline; the
   * best binary point within the budget over all of them, binaryBaseline names it), or one baseline.
   */
  baseline: string;
  /** The baseline of binaryPoint. */
  binaryBaseline: string | null;
  status: string;
  accuracyBudgetPt: number;
  floatAccuracy: number | null;
  scGopsPerMm2: number | null;
  scAccuracy: number | null;
  scPoint: string | null;
  binaryGopsPerMm2: number | null;
  binaryAccuracy: number | null;
  binaryPoint: string | null;
  /** scGopsPerMm2 / binaryGopsPerMm2 − 1 (the two best points may differ in N, M, P). */
  improvement: number | null;
  /** Points of each design on the joint SC + binary front (any accuracy). */
  jointFrontSc: number | null;
  jointFrontBinary: number | null;
  /** Least energy per inference within the budget, pJ, and where (null without energy). */
  scEnergyPj: number | null;
  scEnergyPoint: string | null;
  binaryEnergyPj: number | null;
  binaryEnergyPoint: string | null;
  /** scEnergyPj / binaryEnergyPj (> 1: SC costs more energy per inference). */
  energyRatio: number | null;
};

export function describePoint(r: ParetoRecord): string {
  return `N=${r.bits} M=${r.lanesM} P=${r.unitsP}${r.parallelB === null ? "" : ` b=${r.parallelB}`}${r.fineTuned ? " fine-tuned" : ""}`;
}

/**
 * Best (highest gopsPerMm2, then highest validation accuracy, then first) record of a design within
 * the budget, judged on the validation split (validationLossPt); its test accuracy is what is reported.
 */
export function bestWithin(
  records: readonly ParetoRecord[],
  design: "sc" | "binary",
  budgetPt: number,
): ParetoRecord | null {
  let best: ParetoRecord | null = null;
  for (const r of records) {
    if (r.design !== design || r.validationLossPt > budgetPt + 1e-9) continue;
    if (
      !best ||
      r.gopsPerMm2 > best.gopsPerMm2 ||
      (r.gopsPerMm2 === best.gopsPerMm2 && r.validationAccuracy > best.validationAccuracy)
    )
      best = r;
  }
  return best;
}

/**
 * Least-energy (then highest validation accuracy, then first) record of a design within the budget
 * judged on the validation split (as bestWithin), among those with an energy.
 */
export function leastEnergyWithin(
  records: readonly ParetoRecord[],
  design: "sc" | "binary",
  budgetPt: number,
): ParetoRecord | null {
  let best: ParetoRecord | null = null;
  for (const r of records) {
    if (r.design !== design || r.energyPerInferencePj === null || r.validationLossPt > budgetPt + 1e-9) continue;
    if (
      !best ||
      r.energyPerInferencePj < best.energyPerInferencePj! ||
      (r.energyPerInferencePj === best.energyPerInferencePj && r.validationAccuracy > best.validationAccuracy)
    )
      best = r;
  }
  return best;
}

/**
 * The headline rows of one network and scenario: first against the strongest binary design (the
 * best binary point within the budget over every configured baseline), then against each baseline
 * by name. The SC point is the same in every row.
 */
export function headline(
  network: string,
  scenario: string,
  records: readonly ParetoRecord[],
  budgetPt: number,
  floatAccuracy: number,
  baselines: readonly BinaryBaseline[],
): HeadlineRecord[] {
  const mine = records.filter((r) => r.network === network && r.scenario === scenario);
  const sc = mine.filter((r) => r.design === "sc");
  const row = (baseline: string, binaries: readonly ParetoRecord[]): HeadlineRecord => {
    const scBest = bestWithin(sc, "sc", budgetPt);
    const bin = bestWithin(binaries, "binary", budgetPt);
    const status =
      scBest && bin
        ? "ok"
        : `no ${!scBest && !bin ? "SC or binary" : !scBest ? "SC" : "binary"} point within ${budgetPt} pt of float32 (validation)`;
    const both = [...sc, ...binaries];
    return {
      network,
      scenario,
      baseline,
      binaryBaseline: bin?.baseline ?? null,
      status,
      accuracyBudgetPt: budgetPt,
      floatAccuracy: pct(floatAccuracy),
      scGopsPerMm2: scBest?.gopsPerMm2 ?? null,
      scAccuracy: scBest?.accuracy ?? null,
      scPoint: scBest ? describePoint(scBest) : null,
      binaryGopsPerMm2: bin?.gopsPerMm2 ?? null,
      binaryAccuracy: bin?.accuracy ?? null,
      binaryPoint: bin ? describePoint(bin) : null,
      improvement: scBest && bin ? Number((scBest.gopsPerMm2 / bin.gopsPerMm2 - 1).toPrecision(6)) : null,
      jointFrontSc: both.filter((r) => r.onJointFront && r.design === "sc").length,
      jointFrontBinary: both.filter((r) => r.onJointFront && r.design === "binary").length,
      ...energyHeadline(both, budgetPt),
    };
  };
  const binaries = mine.filter((r) => r.design === "binary");
  return [
    row("strongest", binaries),
    ...baselines.map((b) =>
      row(
        b,
        binaries.filter((r) => r.baseline === b),
      ),
    ),
  ];
}

function energyHeadline(
  mine: readonly ParetoRecord[],
  budgetPt: number,
): Pick<HeadlineRecord, "scEnergyPj" | "scEnergyPoint" | "binaryEnergyPj" | "binaryEnergyPoint" | "energyRatio"> {
  const sc = leastEnergyWithin(mine, "sc", budgetPt);
  const bin = leastEnergyWithin(mine, "binary", budgetPt);
  return {
    scEnergyPj: sc?.energyPerInferencePj ?? null,
    scEnergyPoint: sc ? describePoint(sc) : null,
    binaryEnergyPj: bin?.energyPerInferencePj ?? null,
    binaryEnergyPoint: bin ? describePoint(bin) : null,
    energyRatio: sc && bin ? Number((sc.energyPerInferencePj! / bin.energyPerInferencePj!).toPrecision(6)) : null,
  };
}

export function skippedHeadline(network: string, reason: string, budgetPt: number): HeadlineRecord {
  return {
    network,
    scenario: "all",
    baseline: "strongest",
    binaryBaseline: null,
    status: `skipped: ${reason}`,
    accuracyBudgetPt: budgetPt,
    floatAccuracy: null,
    scGopsPerMm2: null,
    scAccuracy: null,
    scPoint: null,
    binaryGopsPerMm2: null,
    binaryAccuracy: null,
    binaryPoint: null,
    improvement: null,
    jointFrontSc: null,
    jointFrontBinary: null,
    scEnergyPj: null,
    scEnergyPoint: null,
    binaryEnergyPj: null,
    binaryEnergyPoint: null,
    energyRatio: null,
  };
}
