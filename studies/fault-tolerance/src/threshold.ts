/**
 * The fault rate at which a design loses `lossPt` points of accuracy, interpolated on the log
 * scale between the two measured rates that bracket the threshold (seed means).
 * - `censored: "below"`: already lost at the smallest rate measured (value = that rate, an upper bound);
 * - `censored: "above"`: never lost up to the largest rate measured (value = that rate, a lower bound);
 * - otherwise `censored: null` and the interpolated rate.
 */
export interface ThresholdRate {
  faultRate: number;
  censored: "below" | "above" | null;
}

/** `points`: (faultRate, mean accuracy in %) in any order; `baselinePct`: the fault-free accuracy. */
export function rateAtLoss(
  points: readonly { faultRate: number; accuracyPct: number }[],
  baselinePct: number,
  lossPt: number,
): ThresholdRate {
  if (points.length === 0) throw new RangeError("rateAtLoss: no points");
  const sorted = [...points].sort((a, b) => a.faultRate - b.faultRate);
  const thr = baselinePct - lossPt;
  for (let j = 0; j < sorted.length; j++) {
    const cur = sorted[j]!;
    if (cur.accuracyPct > thr) continue;
    if (j === 0) return { faultRate: cur.faultRate, censored: "below" };
    const prev = sorted[j - 1]!;
    const f = (prev.accuracyPct - thr) / (prev.accuracyPct - cur.accuracyPct);
    const lg = Math.log10(prev.faultRate) + f * (Math.log10(cur.faultRate) - Math.log10(prev.faultRate));
    return { faultRate: 10 ** lg, censored: null };
  }
  return { faultRate: sorted[sorted.length - 1]!.faultRate, censored: "above" };
}

/** Seed mean, min and max accuracy per fault rate. */
export function bandByRate(
  rows: readonly { faultRate: number; accuracyPct: number }[],
): { faultRate: number; meanPct: number; minPct: number; maxPct: number; seeds: number }[] {
  const by = new Map<number, number[]>();
  for (const r of rows) by.set(r.faultRate, [...(by.get(r.faultRate) ?? []), r.accuracyPct]);
  return [...by.entries()]
    .sort(([a], [b]) => a - b)
    .map(([faultRate, v]) => ({
      faultRate,
      meanPct: v.reduce((s, x) => s + x, 0) / v.length,
      minPct: Math.min(...v),
      maxPct: Math.max(...v),
      seeds: v.length,
    }));
}
