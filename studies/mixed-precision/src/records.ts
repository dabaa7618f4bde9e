import { describePrecision } from "@sccnn/cost";
import type { CostedDesign } from "./cost.ts";
import { paretoFrontIndices } from "@sccnn/dse";
import { binomialInterval95Pct } from "@sccnn/nn";

export type Family = "mixed" | "uniform";

/** One evaluated design (a row of results.csv with kind "design"). */
export type DesignRecord = {
  kind: "design";
  network: string;
  /** "mixed": a design of the greedy path (its start and end are uniform); "uniform": every layer at one N. */
  family: Family;
  design: "sc" | "binary";
  arithmetic: string;
  /** Per-layer N in layer order ("4" when uniform). */
  precision: string;
  builtBits: number;
  /** Path step (mixed) or null. */
  step: number | null;
  /** Layer lowered by this step, or null. */
  lowered: string | null;
  lanesM: number;
  unitsP: number;
  parallelB: number | null;
  areaUm2: number;
  latencyCycles: number;
  gopsPerMm2: number;
  /** Energy per inference of the array (logic, no memories; energy table rows of the built N), pJ; null when off or refused. */
  energyPerInferencePj: number | null;
  gopsPerW: number | null;
  /** The energy model, "off", or its refusal. */
  energyModel: string;
  /** Greedy's additive prediction of the validation loss vs the uniform start (mixed only), points. */
  predictedValLossPt: number | null;
  valAccuracy: number;
  /** float32 validation accuracy − valAccuracy, points. */
  valLossPt: number;
  testAccuracy: number;
  testLossPt: number;
  testLo95: number;
  testHi95: number;
  testCorrect: number;
  testTotal: number;
  /** On the test (accuracy, gopsPerMm2) front of its network, family and design. */
  onFront: boolean;
  /** The design chosen on validation for the headline (best ops per area within the budget). */
  selected: boolean;
};

const r2 = (v: number) => Math.round(v * 100) / 100 + 0;
const sig = (v: number, d = 6) => Number(v.toPrecision(d));

export interface Measured {
  val: { correct: number; total: number };
  test: { correct: number; total: number };
}

export function designRecord(
  family: Family,
  cd: CostedDesign,
  m: Measured,
  floats: { val: number; test: number },
  path: { step: number; lowered: string | null; predictedValLossPt: number } | null,
): DesignRecord {
  const d = cd.design;
  const val = (m.val.correct / m.val.total) * 100;
  const test = (m.test.correct / m.test.total) * 100;
  const w = binomialInterval95Pct(m.test.correct, m.test.total);
  return {
    kind: "design",
    network: d.network,
    family,
    design: d.design,
    arithmetic: d.arithmetic,
    precision: describePrecision(d),
    builtBits: d.builtBits,
    step: path?.step ?? null,
    lowered: path?.lowered ?? null,
    lanesM: d.lanesPerUnit,
    unitsP: d.units,
    parallelB: d.design === "sc" ? d.parallel : null,
    areaUm2: sig(cd.point.areaUm2, 8),
    latencyCycles: sig(cd.point.cycles, 10),
    gopsPerMm2: sig(cd.point.gopsPerMm2),
    energyPerInferencePj: cd.point.energy ? sig(cd.point.energy.energyPerInferenceJ * 1e12) : null,
    gopsPerW: cd.point.energy ? sig(cd.point.energy.gopsPerW) : null,
    energyModel: cd.point.energy?.model ?? (cd.point.energyRefused ? `refused: ${cd.point.energyRefused}` : "off"),
    predictedValLossPt: path ? r2(path.predictedValLossPt) : null,
    valAccuracy: r2(val),
    valLossPt: r2(floats.val - val),
    testAccuracy: r2(test),
    testLossPt: r2(floats.test - test),
    testLo95: r2(w.lo),
    testHi95: r2(w.hi),
    testCorrect: m.test.correct,
    testTotal: m.test.total,
    onFront: false,
    selected: false,
  };
}

export const seriesOf = (r: Pick<DesignRecord, "network" | "family" | "design">) =>
  `${r.network}|${r.family}|${r.design}`;

/** Marks the test fronts per (network, family, design). */
export function markFronts(records: DesignRecord[]): DesignRecord[] {
  const groups = new Map<string, number[]>();
  records.forEach((r, i) => groups.set(seriesOf(r), [...(groups.get(seriesOf(r)) ?? []), i]));
  const out = records.map((r) => ({ ...r, onFront: false }));
  for (const idx of groups.values()) {
    const items = idx.map((i) => records[i]!);
    for (const j of paretoFrontIndices(items, [(r) => r.testAccuracy, (r) => r.gopsPerMm2]))
      out[idx[j]!]!.onFront = true;
  }
  return out;
}

/** Highest gopsPerMm2 (then higher accuracy of the same set, then first) among records whose loss on `set` is within the budget. */
export function bestWithin(
  records: readonly DesignRecord[],
  set: "val" | "test",
  budgetPt: number,
): DesignRecord | null {
  let best: DesignRecord | null = null;
  const loss = (r: DesignRecord) => (set === "val" ? r.valLossPt : r.testLossPt);
  const acc = (r: DesignRecord) => (set === "val" ? r.valAccuracy : r.testAccuracy);
  for (const r of records) {
    if (loss(r) > budgetPt + 1e-9) continue;
    if (!best || r.gopsPerMm2 > best.gopsPerMm2 || (r.gopsPerMm2 === best.gopsPerMm2 && acc(r) > acc(best))) best = r;
  }
  return best;
}

export function describe(r: DesignRecord | null): string | null {
  if (!r) return null;
  return `${r.design} N=${r.precision} M=${r.lanesM} P=${r.unitsP}${r.parallelB === null ? "" : ` b=${r.parallelB}`}`;
}

/** Per network: the designs chosen on validation within the budget, their test numbers, and the same chosen on test. */
export type HeadlineRecord = {
  kind: "headline";
  network: string;
  status: string;
  accuracyBudgetPt: number;
  floatValAccuracy: number;
  floatTestAccuracy: number;
  mixedScPoint: string | null;
  mixedScGopsPerMm2: number | null;
  mixedScTestAccuracy: number | null;
  mixedScTestLossPt: number | null;
  mixedScUniform: boolean | null;
  /** Energy per inference of the chosen designs' arrays, pJ (null: energy off or refused). */
  mixedScEnergyPj: number | null;
  uniformScEnergyPj: number | null;
  binaryEnergyPj: number | null;
  uniformScPoint: string | null;
  uniformScGopsPerMm2: number | null;
  uniformScTestAccuracy: number | null;
  uniformScTestLossPt: number | null;
  binaryPoint: string | null;
  binaryGopsPerMm2: number | null;
  binaryTestAccuracy: number | null;
  /** mixed / uniform SC − 1 (both chosen on validation). */
  mixedVsUniformSc: number | null;
  /** mixed SC / binary − 1 (both chosen on validation). */
  mixedScVsBinary: number | null;
  /** The same comparison with both chosen on test (as pareto's headline does): optimistic, for reference. */
  mixedVsUniformScOnTest: number | null;
  mixedScOnTestPoint: string | null;
  uniformScOnTestPoint: string | null;
};

export function headline(
  network: string,
  records: readonly DesignRecord[],
  budgetPt: number,
  floats: { val: number; test: number },
): HeadlineRecord {
  const mine = records.filter((r) => r.network === network);
  const of = (family: Family, design: "sc" | "binary") =>
    mine.filter((r) => r.family === family && r.design === design);
  const mixed = bestWithin(of("mixed", "sc"), "val", budgetPt);
  const uni = bestWithin(of("uniform", "sc"), "val", budgetPt);
  const bin = bestWithin(of("uniform", "binary"), "val", budgetPt);
  const mixedT = bestWithin(of("mixed", "sc"), "test", budgetPt);
  const uniT = bestWithin(of("uniform", "sc"), "test", budgetPt);
  const ratio = (a: DesignRecord | null, b: DesignRecord | null) =>
    a && b ? sig(a.gopsPerMm2 / b.gopsPerMm2 - 1) : null;
  const missing = [!mixed && "mixed SC", !uni && "uniform SC", !bin && "binary"].filter(Boolean);
  return {
    kind: "headline",
    network,
    status: missing.length ? `no ${missing.join(", ")} design within ${budgetPt} pt on validation` : "ok",
    accuracyBudgetPt: budgetPt,
    floatValAccuracy: r2(floats.val),
    floatTestAccuracy: r2(floats.test),
    mixedScPoint: describe(mixed),
    mixedScGopsPerMm2: mixed?.gopsPerMm2 ?? null,
    mixedScTestAccuracy: mixed?.testAccuracy ?? null,
    mixedScTestLossPt: mixed?.testLossPt ?? null,
    mixedScUniform: mixed ? !mixed.precision.includes("/") : null,
    mixedScEnergyPj: mixed?.energyPerInferencePj ?? null,
    uniformScEnergyPj: uni?.energyPerInferencePj ?? null,
    binaryEnergyPj: bin?.energyPerInferencePj ?? null,
    uniformScPoint: describe(uni),
    uniformScGopsPerMm2: uni?.gopsPerMm2 ?? null,
    uniformScTestAccuracy: uni?.testAccuracy ?? null,
    uniformScTestLossPt: uni?.testLossPt ?? null,
    binaryPoint: describe(bin),
    binaryGopsPerMm2: bin?.gopsPerMm2 ?? null,
    binaryTestAccuracy: bin?.testAccuracy ?? null,
    mixedVsUniformSc: ratio(mixed, uni),
    mixedScVsBinary: ratio(mixed, bin),
    mixedVsUniformScOnTest: ratio(mixedT, uniT),
    mixedScOnTestPoint: describe(mixedT),
    uniformScOnTestPoint: describe(uniT),
  };
}
