/** Number formatting for labels and the details panel. */
export function fmt(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "—";
  if (Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(digits)).toLocaleString("en-US", { maximumSignificantDigits: digits });
}

/**
 * How to show accuracy: a fraction (every value ≤ 1) is scaled to percent; values up to 100 are
 * taken as percent already (as accuracy-vs-precision writes them); anything else is shown as is.
 */
export function accuracyScale(values: readonly number[]): { factor: number; unit: string } {
  if (values.every((v) => v <= 1)) return { factor: 100, unit: "%" };
  if (values.every((v) => v <= 100)) return { factor: 1, unit: "%" };
  return { factor: 1, unit: "" };
}
