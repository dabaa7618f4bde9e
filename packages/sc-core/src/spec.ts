import { checkBits, checkInteger } from "./validate.ts";

/**
 * SC schemes:
 * - `bisc`: counter + multiplexer SNG in ctz order, product = ones in the first |w| stream bits
 *   (down-counter lane; Sim & Lee's binary-interfaced SC).
 * - `bitrev`: comparator against a bit-reversed counter, same down-counter lane.
 * - `lfsr`, `sobol`: conventional SC, two comparator streams from independent generators, ANDed
 *   and counted over 2^N cycles.
 */
export type Scheme = "bisc" | "bitrev" | "lfsr" | "sobol";
export const SCHEMES: readonly Scheme[] = ["bisc", "bitrev", "lfsr", "sobol"];

/** Which operand is loaded into the down counter (counted); the other drives the SNG. */
export type CountOperand = "w" | "x";

export interface ScSpec {
  scheme: Scheme;
  /** SC precision N (1…16): N-bit magnitudes, 2^N-bit streams. */
  bits: number;
  /** Operand in the down counter; default "w" (x drives the SNG). */
  countOperand?: CountOperand;
  /**
   * `lfsr` only: start state of the LFSR driving the stream operand, 1…2^N − 1 (default 1).
   * Ignored by the other schemes (they have no seed: bisc/bitrev/sobol are fixed sequences).
   */
  seed?: number;
  /**
   * `lfsr` only: start state of the second LFSR (reciprocal polynomial) driving the count
   * operand, 1…2^N − 1 (default 2^N − 1).
   */
  seedW?: number;
}

/** A spec with every default filled in and every field validated. */
export interface ResolvedSpec {
  scheme: Scheme;
  bits: number;
  countOperand: CountOperand;
  seed: number;
  seedW: number;
}

export function resolveSpec(spec: ScSpec, name = "spec"): ResolvedSpec {
  if (spec === null || typeof spec !== "object") throw new TypeError(`${name} must be an object { scheme, bits }`);
  if (!SCHEMES.includes(spec.scheme)) {
    throw new RangeError(`${name}.scheme must be one of ${SCHEMES.join(", ")}, got ${String(spec.scheme)}`);
  }
  checkBits(spec.bits, `${name}.bits (N)`);
  const countOperand = spec.countOperand ?? "w";
  if (countOperand !== "w" && countOperand !== "x") {
    throw new RangeError(`${name}.countOperand must be "w" or "x", got ${String(countOperand)}`);
  }
  const maxState = 2 ** spec.bits - 1;
  const seed = spec.seed ?? 1;
  const seedW = spec.seedW ?? maxState;
  if (spec.scheme === "lfsr") {
    checkInteger(seed, `${name}.seed (LFSR start state; 0 locks the LFSR)`, 1, maxState);
    checkInteger(seedW, `${name}.seedW (LFSR start state; 0 locks the LFSR)`, 1, maxState);
  }
  return { scheme: spec.scheme, bits: spec.bits, countOperand, seed, seedW };
}

export function specKey(s: ResolvedSpec): string {
  return s.scheme === "lfsr" ? `${s.scheme}/${s.bits}/${s.seed}/${s.seedW}` : `${s.scheme}/${s.bits}`;
}
