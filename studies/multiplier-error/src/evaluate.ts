// Evaluations run by the study's worker pool: each depends only on its input.
import { errorStats, type Scheme } from "@sccnn/sc-core";
import { latencyStats, type LatencyStats } from "./latency.ts";
import { gaussianMagnitudePmf, uniformMagnitudePmf } from "./weights.ts";

export interface ErrorInput {
  scheme: Scheme;
  bits: number;
}

export interface ErrorValue {
  products: number;
  meanErrLsb: number;
  meanAbsErrLsb: number;
  rmsErrLsb: number;
  maxAbsErrLsb: number;
}

/** Exhaustive multiplier error of one scheme at one precision (sc-core errorStats). */
export function evaluateError(input: ErrorInput): ErrorValue {
  const s = errorStats({ scheme: input.scheme, bits: input.bits });
  return {
    products: s.products,
    meanErrLsb: s.meanErrLsb,
    meanAbsErrLsb: s.meanAbsErrLsb,
    rmsErrLsb: s.rmsErrLsb,
    maxAbsErrLsb: s.maxAbsErrLsb,
  };
}

export type Distribution = "uniform" | "gaussian";

export interface LatencyInput {
  distribution: Distribution;
  bits: number;
  parallel: number;
  zeroWeightCycles: 0 | 1;
  /** Gaussian only (null for uniform, so uniform points do not depend on them). */
  gaussian: { samples: number; seed: number; clipSigma: number; scaling: "clip" | "max-abs" } | null;
}

/** Mean BISC step latency for one weight distribution, precision and bit-parallelism. */
export function evaluateLatency(input: LatencyInput): LatencyStats {
  let pmf;
  if (input.distribution === "uniform") pmf = uniformMagnitudePmf(input.bits);
  else if (input.gaussian) pmf = gaussianMagnitudePmf(input.bits, input.gaussian);
  else throw new Error("gaussian latency point without gaussian parameters");
  return latencyStats(pmf, {
    scheme: "bisc",
    bits: input.bits,
    parallel: input.parallel,
    zeroWeightCycles: input.zeroWeightCycles,
  });
}
