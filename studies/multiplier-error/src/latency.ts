import { resolveLaneSpec, stepCycles, type Scheme } from "@sccnn/sc-core";
import type { MagnitudePmf } from "./weights.ts";

export interface LatencyStats {
  /** Expected cycles of one product step (one weight) under the distribution. */
  meanLatencyCycles: number;
  /** Expected |q| in LSBs. */
  meanAbsWeightLsb: number;
  /** Expected |q| / (2^N − 1): the fraction of the full stream a BISC step uses. */
  meanAbsWeightFraction: number;
  /** Probability of a zero weight. */
  zeroWeightFraction: number;
  /** Cycles of a conventional (LFSR/Sobol) product: the full stream, 2^N / b. */
  fullStreamCycles: number;
}

/**
 * Expected latency of one SC product step when the count operand (the weight) has the given
 * magnitude distribution: Σ_m pmf[m] · stepCycles(m), with sc-core's stepCycles
 * (ceil(m / b) for the down-counter schemes, zeroWeightCycles for m = 0, 2^N / b for conventional SC).
 */
export function latencyStats(
  pmf: MagnitudePmf,
  lane: { scheme: Scheme; bits: number; parallel: number; zeroWeightCycles: 0 | 1 },
): LatencyStats {
  const spec = resolveLaneSpec(lane);
  const max = 2 ** spec.bits - 1;
  if (pmf.length !== max + 1)
    throw new RangeError(`pmf has ${pmf.length} entries, expected 2^N = ${max + 1} for bits = ${spec.bits}`);
  let latency = 0;
  let magnitude = 0;
  for (let m = 0; m <= max; m++) {
    latency += pmf[m]! * stepCycles(spec, m);
    magnitude += pmf[m]! * m;
  }
  return {
    meanLatencyCycles: latency,
    meanAbsWeightLsb: magnitude,
    meanAbsWeightFraction: magnitude / max,
    zeroWeightFraction: pmf[0]!,
    fullStreamCycles: Math.ceil(2 ** spec.bits / spec.parallel),
  };
}
