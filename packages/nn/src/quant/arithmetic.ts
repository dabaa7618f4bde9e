import type { Scheme } from "@sccnn/sc-core";

/**
 * Inference arithmetic of a conv/linear layer (see ../../ARITHMETIC.md):
 * - `float32`: float weights and activations, no quantisation.
 * - `fixed`: symmetric integer quantisation at bitsW/bitsA, exact integer products x·w.
 * - `sc-<scheme>`: the same integers, products as SC bitstream counts (sc-core scheme).
 */
export type Arithmetic = "float32" | "fixed" | "sc-bisc" | "sc-lfsr" | "sc-sobol" | "sc-bitrev";
export const ARITHMETICS: readonly Arithmetic[] = ["float32", "fixed", "sc-bisc", "sc-lfsr", "sc-sobol", "sc-bitrev"];

export function checkArithmetic(a: unknown, name = "arithmetic"): Arithmetic {
  if (typeof a !== "string" || !(ARITHMETICS as readonly string[]).includes(a)) {
    throw new RangeError(`${name} must be one of ${ARITHMETICS.join(", ")}, got ${JSON.stringify(a)}`);
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
