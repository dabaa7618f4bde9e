/** Number formatting for labels and the details panel. */
export function fmt(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "—";
  if (Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(digits)).toLocaleString("en-US", { maximumSignificantDigits: digits });
}

/** Accuracy as a percentage when given as a fraction (every value ≤ 1), else as is. */
export function accuracyScale(values: readonly number[]): { factor: number; unit: string } {
  return values.every((v) => v <= 1) ? { factor: 100, unit: "%" } : { factor: 1, unit: "" };
}
