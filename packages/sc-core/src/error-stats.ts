import { forEachCountRow } from "./product-table.ts";
import { resolveSpec, type ScSpec } from "./spec.ts";
import { checkBits } from "./validate.ts";

/** Largest N errorStats sweeps exhaustively (4^N products, O(2^N) memory). */
export const MAX_ERROR_STATS_BITS = 14;

export interface ErrorStats {
  scheme: ScSpec["scheme"];
  bits: number;
  /** Products evaluated: all (x, w) magnitudes, 4^N. */
  products: number;
  /** Mean of count − x·w/2^N, in product LSBs. */
  meanErrLsb: number;
  meanAbsErrLsb: number;
  rmsErrLsb: number;
  maxAbsErrLsb: number;
}

/**
 * Error of a scheme's product count against the exact product x·w/2^N over all unsigned
 * magnitudes x, w in 0…2^N − 1 (sign-magnitude makes the signed errors the same up to sign),
 * in product LSBs. Exhaustive; rows come from prefix counts (2-D prefix counts for conventional
 * SC), so N = 12 takes 16.8 M products without building the table.
 */
export function errorStats(spec: ScSpec): ErrorStats {
  const s = resolveSpec(spec);
  checkBits(s.bits, "spec.bits (N) for errorStats", MAX_ERROR_STATS_BITS);
  const size = 2 ** s.bits;
  let sum = 0;
  let sumAbs = 0;
  let sumSq = 0;
  let maxAbs = 0;
  // Errors are multiples of 2^−N: accumulate them as integers e·2^N (each row's sums are exact).
  forEachCountRow(s, (x, counts) => {
    let rs = 0;
    let ra = 0;
    let rq = 0;
    for (let w = 0; w < size; w++) {
      const e = counts[w]! * size - x * w;
      const a = e < 0 ? -e : e;
      rs += e;
      ra += a;
      rq += e * e;
      if (a > maxAbs) maxAbs = a;
    }
    sum += rs;
    sumAbs += ra;
    sumSq += rq;
  });
  const n = size * size;
  return {
    scheme: s.scheme,
    bits: s.bits,
    products: n,
    meanErrLsb: sum / size / n,
    meanAbsErrLsb: sumAbs / size / n,
    rmsErrLsb: Math.sqrt(sumSq / n) / size,
    maxAbsErrLsb: maxAbs / size,
  };
}
