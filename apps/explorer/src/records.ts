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
      const kind = typeof v === "number" ? (Number.isFinite(v) ? "number" : "other") : typeof v === "string" || typeof v === "boolean" ? "string" : "other";
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

/** Default axes for a study's chart: known studies get their natural view, others a best guess. */
export interface ChartDefaults {
  x?: string;
  y?: string;
  color?: string;
}

/** Preferred x/y per known study (first field present wins). */
const KNOWN: Record<string, { x: string[]; y: string[] }> = {
  "multiplier-error": { x: ["bits", "N"], y: ["maxAbsErrLsb", "rmsErrLsb", "meanAbsErrLsb", "meanErrLsb"] },
  "accuracy-vs-precision": { x: ["bits", "N"], y: ["accuracy", "accuracyLoss"] },
  "area-vs-precision": { x: ["bits", "N"], y: ["areaUm2", "laneAreaUm2", "areaPerLaneUm2"] },
  "ops-per-area": { x: ["bits", "N"], y: ["gopsPerMm2", "opsPerAreaGopsPerMm2", "improvement"] },
  "fault-tolerance": { x: ["faultRate", "flipRate", "p"], y: ["accuracy"] },
  pareto: { x: ["gopsPerMm2"], y: ["accuracy"] },
};
const GENERIC_X = ["bits", "N", "faultRate", "lanesM", "parallelB"];
const GENERIC_Y = ["accuracy", "gopsPerMm2", "maxAbsErrLsb", "rmsErrLsb", "areaUm2", "improvement", "latencyCycles", "meanLatencyCycles"];
const COLOR_HINT = ["arithmetic", "scheme", "sng", "method", "network", "scenario", "kind", "distribution"];

export function chartDefaults(study: string, fields: readonly FieldInfo[]): ChartDefaults {
  const numeric = fields.filter((f) => f.kind === "number").map((f) => f.name);
  const pick = (prefs: readonly string[], exclude?: string) => prefs.find((p) => numeric.includes(p) && p !== exclude);
  const known = KNOWN[study];
  const x = (known && pick(known.x)) ?? pick(GENERIC_X) ?? numeric[0];
  const y = (known && pick(known.y, x)) ?? pick(GENERIC_Y, x) ?? numeric.find((n) => n !== x);
  const colorCandidates = fields.filter((f) => f.kind === "string" && f.distinct >= 2 && f.distinct <= 12);
  const color =
    COLOR_HINT.find((h) => colorCandidates.some((f) => f.name === h)) ?? colorCandidates[0]?.name;
  return { x, y, color };
}

/** A value as table text: numbers to 4 significant digits, objects as JSON. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
