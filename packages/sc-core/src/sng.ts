import { bitReverse } from "./bit-reverse.ts";
import { ctz } from "./bisc.ts";
import { Lfsr, LFSR_TAPS, reciprocalTaps } from "./lfsr.ts";
import { sobolDirectionNumbers } from "./sobol.ts";
import type { ResolvedSpec } from "./spec.ts";

/**
 * The shared, clocked part of a stochastic number generator (SNG): a counter or a random-number
 * source that produces one selector value per cycle. Each lane turns the selector into its own
 * stream bit with `bit(x, selector)` (a multiplexer for BISC, a comparator x > r otherwise), so an
 * MVM unit can share one source among its lanes.
 */
export interface SngSource {
  readonly bits: number;
  /** Back to the state of cycle 1. */
  reset(): void;
  /** Selector value of the next cycle (the first call after reset gives cycle t = 1). */
  next(): number;
  /** Stream bit for magnitude x given a selector from next(). */
  bit(x: number, selector: number): 0 | 1;
}

/** Which generator: the stream operand's (x by default) or the count operand's (conventional SC only). */
export type SngRole = "stream" | "count";

/** BISC: an up counter t = 1, 2, …; the multiplexer emits x[N−1−ctz(t)] (0 when ctz(t) ≥ N). */
export class BiscCounterSource implements SngSource {
  private t = 0;
  constructor(readonly bits: number) {}
  reset(): void {
    this.t = 0;
  }
  next(): number {
    this.t = (this.t % 2 ** this.bits) + 1;
    return this.t;
  }
  bit(x: number, t: number): 0 | 1 {
    const k = ctz(t);
    return k >= this.bits ? 0 : (((x >>> (this.bits - 1 - k)) & 1) as 0 | 1);
  }
}

/** Comparator against a bit-reversed N-bit counter: r(t) = bitReverse(t − 1 mod 2^N). */
export class BitrevSource implements SngSource {
  private c = 0;
  constructor(readonly bits: number) {}
  reset(): void {
    this.c = 0;
  }
  next(): number {
    const r = bitReverse(this.c, this.bits);
    this.c = (this.c + 1) % 2 ** this.bits;
    return r;
  }
  bit(x: number, r: number): 0 | 1 {
    return x > r ? 1 : 0;
  }
}

/**
 * Comparator against an N-bit maximal-length LFSR: r(t) = state(t) − 1, so r runs over
 * 0…2^N − 2 once per period (2^N − 1 cycles) and the stream x > r(t) holds exactly x ones per
 * period. Over the 2^N cycles of an SC stream the first state repeats once at cycle 2^N.
 */
export class LfsrSource implements SngSource {
  readonly lfsr: Lfsr;
  private started = false;
  constructor(
    readonly bits: number,
    seed: number,
    taps: readonly number[] = LFSR_TAPS[bits]!,
  ) {
    this.lfsr = new Lfsr({ width: bits, seed, taps });
  }
  reset(): void {
    this.lfsr.reset();
    this.started = false;
  }
  next(): number {
    if (this.started) this.lfsr.step();
    this.started = true;
    return this.lfsr.state - 1;
  }
  bit(x: number, r: number): 0 | 1 {
    return x > r ? 1 : 0;
  }
}

/** Comparator against one dimension of the Sobol sequence (Gray-code order), N-bit points. */
export class SobolSource implements SngSource {
  private readonly V: Uint32Array;
  private u = 0;
  private i = 0;
  constructor(
    readonly bits: number,
    readonly dimension: number,
  ) {
    this.V = sobolDirectionNumbers(dimension);
  }
  reset(): void {
    this.u = 0;
    this.i = 0;
  }
  next(): number {
    const r = this.u >>> (32 - this.bits);
    this.i++;
    this.u = (this.u ^ this.V[ctz(this.i) + 1]!) >>> 0;
    return r;
  }
  bit(x: number, r: number): 0 | 1 {
    return x > r ? 1 : 0;
  }
}

/**
 * The SNG a scheme uses for one role. bisc/bitrev stream only the stream operand (the count
 * operand sits in the down counter). Conventional SC: lfsr uses the table polynomial with `seed`
 * for the stream operand and the reciprocal polynomial with `seedW` for the count operand; sobol
 * uses dimension 1 for the stream operand and dimension 2 for the count operand.
 * Why the reciprocal polynomial: two LFSRs with the same taps are shifted copies of one sequence
 * and their comparator streams are strongly correlated — measured here (exhaustive, N = 12) the
 * RMS product error is 216 LSB with the same taps and seeds 1 / 2^(N−1), against 8.2 LSB with the
 * reciprocal pair (ideal independent Bernoulli streams: √(2^N·E[p(1−p)]) ≈ 24 LSB at N = 12).
 */
export function makeSngSource(spec: ResolvedSpec, role: SngRole = "stream"): SngSource {
  switch (spec.scheme) {
    case "bisc":
      return new BiscCounterSource(spec.bits);
    case "bitrev":
      return new BitrevSource(spec.bits);
    case "lfsr":
      return role === "stream"
        ? new LfsrSource(spec.bits, spec.seed)
        : new LfsrSource(spec.bits, spec.seedW, reciprocalTaps(LFSR_TAPS[spec.bits]!));
    case "sobol":
      return new SobolSource(spec.bits, role === "stream" ? 1 : 2);
  }
}
