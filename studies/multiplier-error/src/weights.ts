import { Rng } from "@sccnn/sc-core";

/**
 * A distribution of weight magnitudes |q| at precision N: `pmf[m]` is the probability that a
 * quantised weight has magnitude m (0…2^N − 1). Latency depends on |q| only (sign-magnitude).
 */
export type MagnitudePmf = Float64Array;

function checkBits(bits: number): number {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16)
    throw new RangeError(`bits (N) must be an integer in 1…16, got ${bits}`);
  return 2 ** bits - 1;
}

/**
 * Uniform signed weights: q uniform over the 2^(N+1) − 1 integers −(2^N − 1)…2^N − 1 (exact, no
 * sampling). Magnitude 0 has one value, every other magnitude two.
 */
export function uniformMagnitudePmf(bits: number): MagnitudePmf {
  const max = checkBits(bits);
  const values = 2 * max + 1;
  const pmf = new Float64Array(max + 1);
  pmf[0] = 1 / values;
  for (let m = 1; m <= max; m++) pmf[m] = 2 / values;
  return pmf;
}

export interface GaussianOptions {
  /** Number of draws (a layer's weight count, roughly). */
  samples: number;
  seed: number;
  /** σ multiple mapped to the largest magnitude 2^N − 1; draws beyond are clipped ("clip" scaling). */
  clipSigma: number;
  /**
   * "clip" (default): s = clipSigma / (2^N − 1), clip beyond. "max-abs": s = max|w| / (2^N − 1)
   * over the draws (a per-layer max-abs quantiser; no clipping, clipSigma unused).
   */
  scaling?: "clip" | "max-abs";
}

/**
 * Gaussian weights quantised to N-bit sign-magnitude: draws w ~ N(0, 1) from Rng(seed)
 * (sc-core's polar normal sampler), scale s (see GaussianOptions.scaling), |q| = min(round(|w| / s), 2^N − 1). The
 * same seed gives the same draws at every N, so the N-curves share one weight set.
 */
export function gaussianMagnitudePmf(bits: number, options: GaussianOptions): MagnitudePmf {
  const max = checkBits(bits);
  if (!Number.isInteger(options.samples) || options.samples < 1)
    throw new RangeError(`samples must be a positive integer, got ${options.samples}`);
  if (!(options.clipSigma > 0)) throw new RangeError(`clipSigma must be > 0, got ${options.clipSigma}`);
  const rng = new Rng(options.seed);
  const draws = new Float64Array(options.samples);
  let largest = 0;
  for (let i = 0; i < options.samples; i++) {
    draws[i] = Math.abs(rng.normal());
    if (draws[i]! > largest) largest = draws[i]!;
  }
  const scaling = options.scaling ?? "clip";
  if (scaling !== "clip" && scaling !== "max-abs")
    throw new RangeError(`scaling must be "clip" or "max-abs", got ${String(scaling)}`);
  const scale = (scaling === "clip" ? options.clipSigma : largest) / max;
  const counts = new Float64Array(max + 1);
  for (let i = 0; i < options.samples; i++) counts[Math.min(Math.round(draws[i]! / scale), max)]!++;
  for (let m = 0; m <= max; m++) counts[m]! /= options.samples;
  return counts;
}

/** erf(x) to about 1e-12 (series for small |x|, continued fraction for the tail). */
export function erf(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax < 2.5) {
    // Maclaurin series: erf x = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc x = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) (Lentz-free backward evaluation)
    let f = ax;
    for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
    r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  }
  return x < 0 ? -r : r;
}

/**
 * The exact magnitude pmf gaussianMagnitudePmf samples from (infinitely many draws): P(|q| = m)
 * for |w| ~ half-normal, from the normal CDF at the rounding boundaries. The reference the
 * sampled pmf is tested against.
 */
export function gaussianMagnitudePmfExact(bits: number, clipSigma: number): MagnitudePmf {
  const max = checkBits(bits);
  const scale = clipSigma / max;
  // P(|w| < t) = erf(t / √2)
  const below = (t: number) => erf(t / Math.SQRT2);
  const pmf = new Float64Array(max + 1);
  for (let m = 0; m < max; m++) pmf[m] = below((m + 0.5) * scale) - (m === 0 ? 0 : below((m - 0.5) * scale));
  pmf[max] = 1 - below((max - 0.5) * scale);
  return pmf;
}
