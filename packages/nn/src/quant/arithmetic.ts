import type { Scheme } from "@sccnn/sc-core";

/**
 * Inference arithmetic of a conv/linear layer (see ../../ARITHMETIC.md):
 * - `float32`: float weights and activations, no quantisation.
 * - `fixed`: symmetric integer quantisation at bitsW/bitsA, exact integer products x·w.
 * - `sc-<scheme>`: the same integers, products as SC bitstream counts (sc-core scheme).
 * - `fixed-trunc-g<g>`: the same integers, products of a truncated N x N multiplier with g guard
 *   bits (partial products below column N − g dropped, no correction; sc-core `truncProduct`),
 *   N = max(bitsW, bitsA) with the narrower operand left-aligned as for SC. g = 0…16.
 */
export type TruncArithmetic = `fixed-trunc-g${number}`;
export type Arithmetic = "float32" | "fixed" | "sc-bisc" | "sc-lfsr" | "sc-sobol" | "sc-bitrev" | TruncArithmetic;
/** The named arithmetics (truncated ones are a family: fixed-trunc-g0 … fixed-trunc-g16). */
export const ARITHMETICS: readonly Arithmetic[] = [
  "float32",
  "fixed",
  "sc-bisc",
  "sc-lfsr",
  "sc-sobol",
  "sc-bitrev",
  "fixed-trunc-g0",
  "fixed-trunc-g1",
  "fixed-trunc-g2",
];

const TRUNC = /^fixed-trunc-g(\d{1,2})$/;

/** Guard bits g of a `fixed-trunc-g<g>` arithmetic, or null for any other arithmetic. */
export function truncGuardBits(a: string): number | null {
  const m = TRUNC.exec(a);
  if (!m) return null;
  const g = Number(m[1]);
  return g <= 16 ? g : null;
}

export function checkArithmetic(a: unknown, name = "arithmetic"): Arithmetic {
  if (typeof a !== "string" || !((ARITHMETICS as readonly string[]).includes(a) || truncGuardBits(a) !== null)) {
    throw new RangeError(
      `${name} must be one of ${ARITHMETICS.join(", ")} (or fixed-trunc-g<g>, g = 0…16), got ${JSON.stringify(a)}`,
    );
  }
  return a as Arithmetic;
}

export function isScArithmetic(a: Arithmetic): boolean {
  return a.startsWith("sc-");
}

/** The sc-core scheme of an SC arithmetic (`sc-bisc` → `bisc`). */
export function scSchemeOf(a: Arithmetic): Scheme {
  if (!isScArithmetic(a)) throw new RangeError(`arithmetic ${a} is not an SC arithmetic`);
  return a.slice(3) as Scheme;
}
