import type { StudyRecord } from "./bundle.ts";

/** Field names and kinds over a set of heterogeneous records (first-seen order). */
export interface FieldInfo {
  name: string;
  /** "number" when every present value is a finite number, "string" when every one is a string or boolean. */
  kind: "number" | "string" | "other";
  /** Distinct values (up to 50; more are not counted), for choosing colour fields. */
  distinct: number;
}

export function fieldsOf(records: readonly StudyRecord[]): FieldInfo[] {
  const order: string[] = [];
  const kinds = new Map<string, Set<string>>();
  const values = new Map<string, Set<unknown>>();
  for (const r of records) {
    for (const [k, v] of Object.entries(r)) {
      if (!kinds.has(k)) {
        order.push(k);
        kinds.set(k, new Set());
        values.set(k, new Set());
      }
      if (v === null || v === undefined) continue;
      const kind =
        typeof v === "number"
          ? Number.isFinite(v)
            ? "number"
            : "other"
          : typeof v === "string" || typeof v === "boolean"
            ? "string"
            : "other";
      kinds.get(k)!.add(kind);
      const set = values.get(k)!;
      if (set.size <= 50) set.add(typeof v === "object" ? JSON.stringify(v) : v);
    }
  }
  return order.map((name) => {
    const ks = kinds.get(name)!;
    const kind = ks.size === 1 ? ([...ks][0] as FieldInfo["kind"]) : "other";
    return { name, kind, distinct: values.get(name)!.size };
  });
}

/** Default view of a study's chart: known studies get their natural view, others a best guess. */
export interface ChartDefaults {
  x?: string;
  y?: string;
  color?: string;
  facet?: string;
  logY?: boolean;
}

interface Known {
  x: string[];
  y: string[];
  color?: string[];
  facet?: string[];
  logY?: boolean;
}

/**
 * Preferred view per known study, or per "study/measure" when its records are split by a
 * `measure` field (first field present wins).
 */
const KNOWN: Record<string, Known> = {
  "multiplier-error": {
    x: ["bits", "N"],
    y: ["maxAbsErrLsb", "rmsErrLsb", "meanAbsErrLsb", "meanErrLsb"],
    color: ["scheme"],
  },
  "multiplier-error/error": { x: ["bits"], y: ["maxAbsErrLsb", "rmsErrLsb"], color: ["scheme"] },
  "multiplier-error/latency": {
    x: ["bits"],
    y: ["meanLatencyCycles"],
    color: ["parallel", "parallelB"],
    facet: ["distribution"],
    logY: true,
  },
  "accuracy-vs-precision": {
    x: ["bitsW", "bits", "N"],
    y: ["accuracy", "lossVsFloatPt"],
    color: ["arithmetic", "scheme"],
    facet: ["network"],
  },
  "area-vs-precision": {
    x: ["bits", "N"],
    y: ["areaUm2"],
    color: ["design", "arithmetic", "kind"],
    facet: ["model"],
    logY: true,
  },
  "area-vs-precision/lane": {
    x: ["bits"],
    y: ["areaUm2", "binaryAreaRatio"],
    color: ["design"],
    facet: ["model"],
    logY: true,
  },
  "area-vs-precision/component": { x: ["bits"], y: ["areaUm2"], color: ["kind"], facet: ["model"], logY: true },
  "ops-per-area": {
    x: ["bits", "N"],
    y: ["improvement", "gopsPerMm2"],
    color: ["network", "design", "arithmetic"],
    facet: ["scenario"],
  },
  "fault-tolerance": { x: ["faultRate", "flipRate", "p"], y: ["accuracy"], color: ["arithmetic"], facet: ["network"] },
  pareto: { x: ["gopsPerMm2"], y: ["accuracy"], color: ["arithmetic"], facet: ["network"] },
};
const GENERIC_X = ["bits", "bitsW", "N", "faultRate", "lanesM", "parallelB", "parallel"];
const GENERIC_Y = [
  "accuracy",
  "gopsPerMm2",
  "maxAbsErrLsb",
  "rmsErrLsb",
  "areaUm2",
  "improvement",
  "latencyCycles",
  "meanLatencyCycles",
];
const COLOR_HINT = ["arithmetic", "scheme", "sng", "method", "network", "scenario", "kind", "distribution"];

/** Fields that can colour or facet a chart: strings with ≤ 24 values, numbers with ≤ 12. */
export function groupingFields(fields: readonly FieldInfo[]): string[] {
  return fields
    .filter(
      (f) =>
        f.distinct >= 1 && ((f.kind === "string" && f.distinct <= 24) || (f.kind === "number" && f.distinct <= 12)),
    )
    .map((f) => f.name);
}

export function chartDefaults(study: string, fields: readonly FieldInfo[], measure?: string): ChartDefaults {
  const numeric = fields.filter((f) => f.kind === "number").map((f) => f.name);
  const groups = groupingFields(fields);
  const pick = (prefs: readonly string[] | undefined, among: readonly string[], exclude?: string) =>
    prefs?.find((p) => among.includes(p) && p !== exclude);
  const known = (measure !== undefined ? KNOWN[`${study}/${measure}`] : undefined) ?? KNOWN[study];
  const x = pick(known?.x, numeric) ?? pick(GENERIC_X, numeric) ?? numeric[0];
  const y = pick(known?.y, numeric, x) ?? pick(GENERIC_Y, numeric, x) ?? numeric.find((n) => n !== x);
  const colorCandidates = fields
    .filter((f) => f.kind === "string" && f.distinct >= 2 && f.distinct <= 12)
    .map((f) => f.name);
  const color =
    pick(known?.color, groups, x) ?? COLOR_HINT.find((h) => colorCandidates.includes(h)) ?? colorCandidates[0];
  const facetField = pick(known?.facet, groups, color);
  const facet = facetField && fields.find((f) => f.name === facetField)!.distinct >= 2 ? facetField : undefined;
  const out: ChartDefaults = { x, y, color };
  if (facet) out.facet = facet;
  if (known?.logY) out.logY = true;
  return out;
}

/**
 * Records of several kinds in one results.json (e.g. multiplier-error's `measure: "error"` and
 * `measure: "latency"` rows, area-vs-precision's `record: "lane"` / `"component"`) are shown as one
 * chart per kind. The kind field is the first of `measure`, `record`, `table`, `kind` that is a
 * string in every record with 2…8 values; otherwise all records form one part.
 */
export function splitByMeasure(
  records: readonly StudyRecord[],
): { field?: string; value?: string; records: StudyRecord[] }[] {
  for (const field of ["measure", "record", "table", "kind"]) {
    if (!records.length || !records.every((r) => typeof r[field] === "string")) continue;
    const values = [...new Set(records.map((r) => r[field] as string))];
    if (values.length < 2 || values.length > 8) continue;
    return values.map((value) => ({ field, value, records: records.filter((r) => r[field] === value) }));
  }
  return [{ records: [...records] }];
}

/**
 * Whether points can be joined into lines: every (colour, facet) series must have each x once;
 * otherwise another field varies inside a series and a line would zigzag between its values.
 */
export function seriesHaveUniqueX(records: readonly StudyRecord[], x: string, keys: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const r of records) {
    const key = JSON.stringify([...keys.map((k) => r[k]), r[x]]);
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

/** A value as table text: numbers to 4 significant digits, objects as JSON. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
