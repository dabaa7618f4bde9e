import type { StudyResults } from "./results.ts";

export type Verdict = "supported" | "partly supported" | "not supported" | "not measured yet";

/** One row of the claims table. */
export interface ClaimRow {
  id: string;
  /** The paper's claim, as stated. */
  claim: string;
  /** The study whose results measure it. */
  study: string;
  /** Our measured numbers, in words. */
  measured: string;
  verdict: Verdict;
  /** Why the verdict, and where we differ. */
  reason: string;
}

/** What the paper study knows of each sub-study's outcome. */
export type StudyOutcome = { status: "missing" } | { status: "failed"; exitCode: number | null } | { status: "no results" } | { status: "ok"; results: StudyResults };

function notMeasured(base: Pick<ClaimRow, "id" | "claim" | "study">, outcome: StudyOutcome): ClaimRow {
  const why =
    outcome.status === "missing"
      ? `study ${base.study} missing`
      : outcome.status === "failed"
        ? `study ${base.study} failed (exit ${outcome.exitCode ?? "signal"})`
        : `study ${base.study} has no results.json; run pnpm study ${base.study}`;
  return { ...base, measured: "—", verdict: "not measured yet", reason: why };
}

function lacking(base: Pick<ClaimRow, "id" | "claim" | "study">, fields: string): ClaimRow {
  return { ...base, measured: "—", verdict: "not measured yet", reason: `results of ${base.study} have no records with ${fields}` };
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const pct = (fraction: number) => `${fraction >= 0 ? "+" : "−"}${Math.abs(fraction * 100).toFixed(0)} %`;
const pt = (v: number) => `${v.toFixed(2)} pt`;

/**
 * Claim 1: SC-CNN loses < 1 % recognition accuracy. From accuracy-vs-precision records
 * `{ network, arithmetic: "sc-bisc", bitsW, fineTuned, lossVsFloatPt, total }`: per network, the best
 * BISC loss at each N (fine-tuned or not), the smallest N at which it is < 1 point, and the loss at
 * `maxBits`. Supported when every network gets under 1 point at some N ≤ maxBits.
 */
export function accuracyClaim(outcome: StudyOutcome, maxBits: number): ClaimRow {
  const base = { id: "accuracy", claim: "SC-CNN loses < 1 % recognition accuracy against the conventional (float) CNN", study: "accuracy-vs-precision" };
  if (outcome.status !== "ok") return notMeasured(base, outcome);
  const rows = outcome.results.records.filter((r) => r.arithmetic === "sc-bisc" && num(r.bitsW) !== undefined && num(r.lossVsFloatPt) !== undefined && typeof r.network === "string");
  if (rows.length === 0) return lacking(base, 'arithmetic "sc-bisc", bitsW and lossVsFloatPt');
  const networks = [...new Set(rows.map((r) => r.network as string))];
  const parts: string[] = [];
  let passing = 0;
  for (const network of networks) {
    const best = new Map<number, number>();
    for (const r of rows.filter((r) => r.network === network)) {
      const bits = r.bitsW as number;
      best.set(bits, Math.min(best.get(bits) ?? Infinity, r.lossVsFloatPt as number));
    }
    const bitsSorted = [...best.keys()].sort((a, b) => a - b);
    const firstUnder = bitsSorted.find((b) => best.get(b)! < 1);
    const total = num(outcome.results.records.find((r) => r.network === network && num(r.total) !== undefined)?.total);
    const atMax = best.get(maxBits);
    let text = `${network}: `;
    text += firstUnder === undefined ? `never < 1 pt (best ${pt(Math.min(...best.values()))})` : `< 1 pt from N = ${firstUnder} (${pt(best.get(firstUnder)!)})`;
    if (atMax !== undefined) text += `, ${pt(atMax)} at N = ${maxBits}`;
    if (total !== undefined) text += ` [${total} test images]`;
    parts.push(text);
    if (firstUnder !== undefined && firstUnder <= maxBits) passing++;
  }
  const verdict: Verdict = passing === networks.length ? "supported" : passing === 0 ? "not supported" : "partly supported";
  const reason =
    verdict === "supported"
      ? `every network measured stays within 1 point of float32 with BISC at some N ≤ ${maxBits}`
      : `${networks.length - passing} of ${networks.length} networks need more than N = ${maxBits} bits (or never reach) < 1 point loss with BISC`;
  return { ...base, measured: parts.join("; "), verdict, reason };
}

/**
 * Claim 2: +50–100 % operations per area over fixed-point designs. From ops-per-area records
 * `{ network, scenario, bits, improvement }` (improvement = gopsPerMm2(SC)/gopsPerMm2(binary) − 1):
 * the best improvement per network × scenario at N = `bits` (over the other axes, e.g. b; all N
 * when no record has that N). Supported when every best case is ≥ +50 %; partly when some are;
 * not supported when none is. Records with `weights: "synthetic"` are flagged.
 */
export function opsPerAreaClaim(outcome: StudyOutcome, bits?: number): ClaimRow {
  const base = { id: "ops-per-area", claim: "+50–100 % operations per area over conventional fixed-point, depending on CNN and scenario", study: "ops-per-area" };
  if (outcome.status !== "ok") return notMeasured(base, outcome);
  const all = outcome.results.records.filter((r) => num(r.improvement) !== undefined);
  if (all.length === 0) return lacking(base, "improvement");
  const bitsOf = (r: Record<string, unknown>) => num(r.bits) ?? num(r.runBits);
  const atBits = bits === undefined ? [] : all.filter((r) => bitsOf(r) === bits);
  const rows = atBits.length > 0 ? atBits : all;
  const groups = new Map<string, { improvement: number; bits?: number; parallel?: number }>();
  for (const r of rows) {
    const key = `${typeof r.network === "string" ? r.network : "all"} / ${typeof r.scenario === "string" ? r.scenario : "all"}`;
    const improvement = r.improvement as number;
    const current = groups.get(key);
    const b = bitsOf(r);
    const parallel = num(r.parallel);
    if (!current || improvement > current.improvement) groups.set(key, { improvement, ...(b !== undefined ? { bits: b } : {}), ...(parallel !== undefined ? { parallel } : {}) });
  }
  const best = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const values = best.map(([, v]) => v.improvement);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const where = (v: { bits?: number; parallel?: number }) => {
    const parts = [...(atBits.length === 0 && v.bits !== undefined ? [`N = ${v.bits}`] : []), ...(v.parallel !== undefined ? [`b = ${v.parallel}`] : [])];
    return parts.length > 0 ? ` (${parts.join(", ")})` : "";
  };
  const scope = atBits.length > 0 ? `at N = ${bits}, best` : "best over all N";
  const synthetic = rows.some((r) => r.weights === "synthetic") ? " [synthetic weights for some networks]" : "";
  let detail: string;
  if (best.length <= 6) detail = `${scope} per network / scenario: ${best.map(([k, v]) => `${k} ${pct(v.improvement)}${where(v)}`).join("; ")}`;
  else {
    // Many cases: one range per scenario across networks, then the single best case.
    const byScenario = new Map<string, number[]>();
    for (const [k, v] of best) {
      const scenario = k.slice(k.indexOf(" / ") + 3);
      byScenario.set(scenario, [...(byScenario.get(scenario) ?? []), v.improvement]);
    }
    const networks = new Set(best.map(([k]) => k.slice(0, k.indexOf(" / ")))).size;
    const top = best.reduce((a, b) => (b[1].improvement > a[1].improvement ? b : a));
    detail = `${scope} per network, range across ${networks} networks per scenario: ${[...byScenario.entries()].map(([sc, vs]) => `${sc} ${pct(Math.min(...vs))} … ${pct(Math.max(...vs))}`).join("; ")}; best case ${top[0]} ${pct(top[1].improvement)}${where(top[1])}`;
  }
  const measured = `${detail}; range ${pct(lo)} … ${pct(hi)}${synthetic}`;
  const atLeastHalf = values.filter((v) => v >= 0.5).length;
  const verdict: Verdict = atLeastHalf === values.length ? "supported" : atLeastHalf === 0 ? "not supported" : "partly supported";
  const reason =
    verdict === "supported"
      ? hi > 1
        ? "every case reaches +50 %; some exceed the paper's +100 % (our cost model and scenarios differ from the paper's)"
        : "every case lies in or near the paper's +50–100 % band"
      : verdict === "partly supported"
        ? `${values.length - atLeastHalf} of ${values.length} network/scenario cases stay below +50 %`
        : "no network/scenario case reaches +50 %";
  return { ...base, measured, verdict, reason };
}

/** Outcome of running one study twice from empty caches and comparing every output byte. */
export interface DeterminismCheck {
  study: string;
  files: { name: string; identical: boolean }[];
}

/** Claim 3: deterministic and repeatable. Supported when every output file of two cold runs is byte-identical. */
export function determinismClaim(check: DeterminismCheck | { study: string; missing: true } | { study: string; failed: string }): ClaimRow {
  const base = { id: "determinism", claim: "SC-CNN is deterministic and repeatable", study: check.study };
  if ("missing" in check) return { ...base, measured: "—", verdict: "not measured yet", reason: `study ${check.study} missing` };
  if ("failed" in check) return { ...base, measured: "—", verdict: "not measured yet", reason: check.failed };
  const same = check.files.filter((f) => f.identical).length;
  const differing = check.files.filter((f) => !f.identical).map((f) => f.name);
  const measured = `${same} of ${check.files.length} output files byte-identical over two runs from empty caches (${check.study} --smoke)`;
  if (check.files.length > 0 && differing.length === 0) {
    return { ...base, measured, verdict: "supported", reason: "the deterministic (BISC) streams and seeded generators give bit-identical products, records and figures on every run" };
  }
  return { ...base, measured, verdict: "not supported", reason: check.files.length === 0 ? "the study wrote no files" : `differing: ${differing.join(", ")}` };
}

/**
 * Claim 4: much more fault-tolerant than conventional digital designs. From fault-tolerance records:
 * either `faultToleranceRatio` (SC's tolerable fault rate / binary's) per network, or
 * `faultRateAt1PtLoss` per `arithmetic` ("sc-bisc" and "fixed") and network, whose ratio is taken.
 * Supported when SC tolerates a higher rate in every case.
 */
export function faultToleranceClaim(outcome: StudyOutcome): ClaimRow {
  const base = { id: "fault-tolerance", claim: "Much more fault-tolerant than conventional digital implementations", study: "fault-tolerance" };
  if (outcome.status !== "ok") return notMeasured(base, outcome);
  const records = outcome.results.records;
  const ratios = new Map<string, number>();
  for (const r of records) {
    const ratio = num(r.faultToleranceRatio);
    if (ratio !== undefined) ratios.set([r.network, r.site].filter((v) => typeof v === "string").join(" / ") || "all", ratio);
  }
  if (ratios.size === 0) {
    const rate = new Map<string, { sc?: number; fixed?: number }>();
    for (const r of records) {
      const p = num(r.faultRateAt1PtLoss);
      if (p === undefined || (r.arithmetic !== "sc-bisc" && r.arithmetic !== "fixed")) continue;
      const key = [r.network, r.site].filter((v) => typeof v === "string").join(" / ") || "all";
      const entry = rate.get(key) ?? {};
      if (r.arithmetic === "sc-bisc") entry.sc = p;
      else entry.fixed = p;
      rate.set(key, entry);
    }
    for (const [key, { sc, fixed }] of rate) if (sc !== undefined && fixed !== undefined && fixed > 0) ratios.set(key, sc / fixed);
  }
  if (ratios.size === 0) return lacking(base, 'faultToleranceRatio, or faultRateAt1PtLoss for arithmetic "sc-bisc" and "fixed"');
  const entries = [...ratios.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const measured = `fault rate for 1 pt loss, SC / binary: ${entries.map(([k, v]) => `${k} ×${v.toPrecision(3)}`).join("; ")}`;
  const better = entries.filter(([, v]) => v > 1).length;
  const verdict: Verdict = better === entries.length ? "supported" : better === 0 ? "not supported" : "partly supported";
  const reason = verdict === "supported" ? "SC-CNN tolerates a higher fault rate than binary in every case measured" : `${entries.length - better} of ${entries.length} cases do not favour SC`;
  return { ...base, measured, verdict, reason };
}
