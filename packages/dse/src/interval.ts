/**
 * Wilson score 95 % interval of a binomial proportion (e.g. test accuracy = correct / total), in
 * percent. Wilson rather than the normal approximation: it stays inside 0…100 and is accurate near
 * 100 % accuracy, where test sets of a few thousand images put most of our numbers.
 */
export function wilson95(correct: number, total: number): { lo: number; hi: number } {
  if (!Number.isInteger(correct) || !Number.isInteger(total) || total < 1 || correct < 0 || correct > total)
    throw new RangeError(`wilson95: need integers 0 ≤ correct ≤ total, total ≥ 1 (got ${correct} / ${total})`);
  const z = 1.959963984540054; // two-sided 95 % normal quantile
  const p = correct / total;
  const z2n = (z * z) / total;
  const centre = p + z2n / 2;
  const half = z * Math.sqrt((p * (1 - p)) / total + z2n / (4 * total));
  return {
    lo: (Math.max(0, centre - half) / (1 + z2n)) * 100,
    hi: (Math.min(1 + z2n, centre + half) / (1 + z2n)) * 100,
  };
}
