/**
 * One series' fault-rate scan: `measure(rate)` runs every seed at a rate and resolves to the seed
 * mean's loss in points vs fault-free. From `rates[start]` the scan goes up until a rate loses
 * `stopLossPt`, then down from the start while the lowest rate measured still loses ≥ 0.5 pt (so
 * the 1-point loss is bracketed from below without measuring the flat low-rate end of every curve);
 * with `refine`, one more rate at the geometric middle (3 significant digits) of the two measured
 * rates bracketing the 1-point loss. Returns the rates measured, in the order measured.
 */
export async function scanSeries(
  rates: readonly number[],
  start: number,
  stopLossPt: number,
  refine: boolean,
  measure: (rate: number) => Promise<number>,
): Promise<number[]> {
  const sorted = [...rates].sort((a, b) => a - b);
  if (!(start >= 0 && start < sorted.length))
    throw new RangeError(`scan start ${start} outside the ${sorted.length} rates`);
  const loss = new Map<number, number>();
  const order: number[] = [];
  const at = async (rate: number) => {
    loss.set(rate, await measure(rate));
    order.push(rate);
    return loss.get(rate)!;
  };
  for (let k = start; k < sorted.length; k++) if ((await at(sorted[k]!)) >= stopLossPt) break;
  for (let k = start; k > 0 && loss.get(sorted[k]!)! >= 0.5; k--) await at(sorted[k - 1]!);
  if (refine) {
    const scanned = sorted.filter((r) => loss.has(r));
    const j = scanned.findIndex((r) => loss.get(r)! >= 1);
    if (j > 0) await at(Number(Math.sqrt(scanned[j - 1]! * scanned[j]!).toPrecision(3)));
  }
  return order;
}

/**
 * The pilot scan stops going up at the first rate losing this many points: `pilotStartIndex` only
 * reads the pilot up to its first rate losing ≥ 1 point, so a pilot that went on to the full scan's
 * stopLossPt (2) would pick the same start with one more, and the most expensive, rate measured.
 */
export const PILOT_STOP_LOSS_PT = 1;

/**
 * Where a series' full scan starts after a cheap pilot scan (one seed, few images): `pilotLoss` maps
 * each rate the pilot measured to its loss in points. The start is the rate just below the smallest
 * one whose pilot loss is ≥ 1 point (the smallest rate when that is the smallest listed; the largest
 * rate measured when none reached 1 point). The full scan's own up/down rules still bracket the
 * 1-point loss if the noisy pilot is off by a rate.
 */
export function pilotStartIndex(rates: readonly number[], pilotLoss: ReadonlyMap<number, number>): number {
  const sorted = [...rates].sort((a, b) => a - b);
  const measured = sorted.filter((r) => pilotLoss.has(r));
  if (measured.length === 0) throw new RangeError("the pilot measured no listed rate");
  const first = measured.find((r) => pilotLoss.get(r)! >= 1);
  if (first === undefined) return sorted.indexOf(measured[measured.length - 1]!);
  return Math.max(0, sorted.indexOf(first) - 1);
}
