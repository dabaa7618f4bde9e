import type { StudyRecord } from "./bundle.ts";

/**
 * A design point of the `pareto` study, read from one record. Field names follow the study's
 * results.json (studies/pareto/src/records.ts): network, design ("sc" | "binary"), arithmetic,
 * bits (N), lanesM (M), unitsP (P), parallelB (b; null for binary), scenario, fineTuned,
 * accuracy, gopsPerMm2 (operations per area), areaUm2, onFront (the study's own front flag).
 */
export interface ParetoPoint {
  /** Position of the record in results.json `records`. */
  recordIndex: number;
  network: string;
  /** The record's `design`, or "sc" / "binary" from its arithmetic when it has none. */
  design: string;
  arithmetic: string;
  bits: number;
  lanesM: number;
  unitsP: number;
  /** NaN when the record has none (binary lanes). */
  parallelB: number;
  scenario: string;
  /** "trained" or "fine-tuned" (from `fineTuned`; "trained" when absent). */
  weights: string;
  /** Colour series: the arithmetic, plus " (fine-tuned)" for fine-tuned weights. */
  series: string;
  accuracy: number;
  gopsPerMm2: number;
  areaUm2: number;
  /** "M16×P4": the array size label used by the filter. */
  array: string;
}

/** The two objectives; a record without both cannot be placed on the plot. */
export const PARETO_REQUIRED = ["accuracy", "gopsPerMm2"] as const;

const str = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "—" : String(v));
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : Number.NaN);

export function arrayLabel(lanesM: number, unitsP: number): string {
  return `M${Number.isNaN(lanesM) ? "?" : lanesM}×P${Number.isNaN(unitsP) ? "?" : unitsP}`;
}

/** "sc-bisc", "sc-lfsr", "sc" → "SC"; anything else (fixed, float…) → "binary". */
export function arithmeticFamily(arithmetic: string): "SC" | "binary" {
  return /^sc(\b|-|_)/i.test(arithmetic) || /stochastic|bitstream|bisc/i.test(arithmetic) ? "SC" : "binary";
}

export function paretoPoints(records: readonly StudyRecord[]): {
  points: ParetoPoint[];
  dropped: number;
  missingFields: string[];
} {
  const missingFields = PARETO_REQUIRED.filter((f) => !records.some((r) => typeof r[f] === "number"));
  const points: ParetoPoint[] = [];
  let dropped = 0;
  records.forEach((r, recordIndex) => {
    const accuracy = num(r.accuracy);
    const gopsPerMm2 = num(r.gopsPerMm2);
    if (Number.isNaN(accuracy) || Number.isNaN(gopsPerMm2)) {
      dropped++;
      return;
    }
    const lanesM = num(r.lanesM);
    const unitsP = num(r.unitsP);
    const arithmetic = str(r.arithmetic);
    const fineTuned = r.fineTuned === true;
    points.push({
      recordIndex,
      network: str(r.network),
      design: typeof r.design === "string" ? r.design : arithmeticFamily(arithmetic) === "SC" ? "sc" : "binary",
      arithmetic,
      bits: num(r.bits),
      lanesM,
      unitsP,
      parallelB: num(r.parallelB),
      scenario: str(r.scenario),
      weights: fineTuned ? "fine-tuned" : "trained",
      series: fineTuned ? `${arithmetic} (fine-tuned)` : arithmetic,
      accuracy,
      gopsPerMm2,
      areaUm2: num(r.areaUm2),
      array: arrayLabel(lanesM, unitsP),
    });
  });
  return { points, dropped, missingFields };
}

/** What the filter panel can select; every list holds the values present in the data, sorted. */
export interface ParetoFilterOptions {
  network: string[];
  arithmetic: string[];
  weights: string[];
  scenario: string[];
  array: string[];
  parallelB: number[];
  bits: number[];
  /** Colour domain (not a filter): every series present. */
  series: string[];
}

/** The current selection; an empty list means "none selected" (shows nothing for that field). */
export interface ParetoFilter {
  network: string[];
  arithmetic: string[];
  weights: string[];
  scenario: string[];
  array: string[];
  /** Points without a b (binary) are never filtered out by b. */
  parallelB: number[];
  bitsMin: number;
  bitsMax: number;
}

const sortedStrings = (values: Iterable<string>) => [...new Set(values)].sort();
const sortedNumbers = (values: Iterable<number>) =>
  [...new Set(values)].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);

export function filterOptions(points: readonly ParetoPoint[]): ParetoFilterOptions {
  const arrays = [...new Map(points.map((p) => [p.array, p])).values()]
    .sort((a, b) => a.lanesM * a.unitsP - b.lanesM * b.unitsP || a.lanesM - b.lanesM)
    .map((p) => p.array);
  return {
    network: sortedStrings(points.map((p) => p.network)),
    arithmetic: sortedStrings(points.map((p) => p.arithmetic)),
    weights: sortedStrings(points.map((p) => p.weights)).reverse(), // "trained" first
    scenario: sortedStrings(points.map((p) => p.scenario)),
    array: arrays,
    parallelB: sortedNumbers(points.map((p) => p.parallelB)),
    bits: sortedNumbers(points.map((p) => p.bits)),
    // Trained series first (they get the first colours), then the fine-tuned ones.
    series: [...new Map(points.map((p) => [p.series, p])).values()]
      .sort(
        (a, b) =>
          Number(a.weights !== "trained") - Number(b.weights !== "trained") || a.arithmetic.localeCompare(b.arithmetic),
      )
      .map((p) => p.series),
  };
}

/** The filter that selects everything. */
export function fullFilter(options: ParetoFilterOptions): ParetoFilter {
  return {
    network: [...options.network],
    arithmetic: [...options.arithmetic],
    weights: [...options.weights],
    scenario: [...options.scenario],
    array: [...options.array],
    parallelB: [...options.parallelB],
    bitsMin: options.bits.length ? options.bits[0] : -Infinity,
    bitsMax: options.bits.length ? options.bits[options.bits.length - 1] : Infinity,
  };
}

export function applyFilter(points: readonly ParetoPoint[], f: ParetoFilter): ParetoPoint[] {
  return points.filter(
    (p) =>
      f.network.includes(p.network) &&
      f.arithmetic.includes(p.arithmetic) &&
      f.weights.includes(p.weights) &&
      f.scenario.includes(p.scenario) &&
      f.array.includes(p.array) &&
      (Number.isNaN(p.parallelB) || f.parallelB.includes(p.parallelB)) &&
      (Number.isNaN(p.bits) || (p.bits >= f.bitsMin && p.bits <= f.bitsMax)),
  );
}

/**
 * How points are grouped for the fronts. The default is the pareto study's own grouping (one
 * front per network, scenario and design), so "on front here" matches its `onFront` when nothing
 * is filtered out.
 */
export const FRONT_GROUPINGS = {
  "network-scenario-design": {
    label: "per network, scenario and design (as the study)",
    key: (p: ParetoPoint) => `${p.network} · ${p.scenario} · ${p.design}`,
  },
  "network-arithmetic": {
    label: "per network and arithmetic",
    key: (p: ParetoPoint) => `${p.network} · ${p.arithmetic}`,
  },
  "network-design": { label: "per network, SC vs binary", key: (p: ParetoPoint) => `${p.network} · ${p.design}` },
  network: { label: "per network", key: (p: ParetoPoint) => p.network },
  all: { label: "one over all shown points", key: (_: ParetoPoint) => "all" },
} as const;
export type FrontGrouping = keyof typeof FRONT_GROUPINGS;
export const DEFAULT_GROUPING: FrontGrouping = "network-scenario-design";
