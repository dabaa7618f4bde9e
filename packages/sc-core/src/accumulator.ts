import { checkInteger } from "./validate.ts";

/**
 * What an up/down counter of `accBits` bits does when a step leaves its range
 * [−2^(B−1), 2^(B−1) − 1]:
 * - "wrap": two's complement, the value is taken modulo 2^B (what a plain binary counter does);
 *   the final value is the true sum modulo 2^B whatever the order of the steps.
 * - "saturate": the value sticks at the bound it crossed (clamped after every step); since all
 *   steps of one product go the same way, this equals clamping after each product.
 * Either way `overflowed` records that some step left the range.
 */
export type OverflowMode = "wrap" | "saturate";

export const MAX_ACC_BITS = 48;

export class UpDownCounter {
  readonly bits: number;
  readonly mode: OverflowMode;
  readonly min: number;
  readonly max: number;
  value = 0;
  overflowed = false;

  constructor(bits: number, mode: OverflowMode) {
    checkInteger(bits, "accBits", 2, MAX_ACC_BITS);
    if (mode !== "wrap" && mode !== "saturate")
      throw new RangeError(`overflow must be "wrap" or "saturate", got ${String(mode)}`);
    this.bits = bits;
    this.mode = mode;
    this.min = -(2 ** (bits - 1));
    this.max = 2 ** (bits - 1) - 1;
  }

  /** Count up (delta > 0) or down (delta < 0) by |delta| in one clock. */
  add(delta: number): void {
    const v = this.value + delta;
    if (v >= this.min && v <= this.max) {
      this.value = v;
      return;
    }
    this.overflowed = true;
    if (this.mode === "saturate") {
      this.value = v > this.max ? this.max : this.min;
    } else {
      const span = 2 ** this.bits;
      this.value = ((((v - this.min) % span) + span) % span) + this.min;
    }
  }
}

/** 2^(i − 1) for i < 64: the half range of an i-bit register without a Math.pow per call (fault injection wraps every hit output). */
const HALF_RANGE = Array.from({ length: 64 }, (_, i) => 2 ** (i - 1));

/** Two's-complement wrap of an integer into B bits (the "wrap" mode's closed form). */
export function wrapToBits(v: number, bits: number): number {
  const half = HALF_RANGE[bits] ?? 2 ** (bits - 1);
  // already in range (the common case): the closed form would return v itself (+0 for −0)
  if (v >= -half && v < half && Math.floor(v) === v) return v + 0;
  const span = 2 * half;
  return ((((v + half) % span) + span) % span) - half;
}
