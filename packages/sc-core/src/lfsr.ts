import { checkInteger } from "./validate.ts";

/**
 * Maximal-length LFSR taps, one primitive polynomial per width (1-based stage numbers; the
 * polynomial is x^n + Σ x^t + 1 over the non-n taps t).
 * Source: widths 3…16 from P. Alfke, "Efficient Shift Registers, LFSR Counters, and Long
 * Pseudo-Random Sequence Generators", Xilinx XAPP052 (1996), Table 3. Width 2 is x^2 + x + 1
 * (the only primitive polynomial of degree 2), width 1 the degenerate x + 1 (period 1 = 2^1 − 1).
 * The test suite checks every entry by brute force: period 2^n − 1 from any non-zero seed.
 */
export const LFSR_TAPS: Readonly<Record<number, readonly number[]>> = {
  1: [1],
  2: [2, 1],
  3: [3, 2],
  4: [4, 3],
  5: [5, 3],
  6: [6, 5],
  7: [7, 6],
  8: [8, 6, 5, 4],
  9: [9, 5],
  10: [10, 7],
  11: [11, 9],
  12: [12, 6, 4, 1],
  13: [13, 4, 3, 1],
  14: [14, 5, 3, 1],
  15: [15, 14],
  16: [16, 15, 13, 4],
};

/** Taps of the reciprocal polynomial x^n·p(1/x): also primitive, a second independent generator. */
export function reciprocalTaps(taps: readonly number[]): number[] {
  const n = Math.max(...taps);
  const out = [n, ...taps.filter((t) => t !== n).map((t) => n - t)];
  return out.sort((a, b) => b - a);
}

export type LfsrForm = "fibonacci" | "galois";

export interface LfsrOptions {
  /** Register width n (1…16). */
  width: number;
  /** Start state 1…2^n − 1 (0 is the lock-up state of an XOR LFSR). */
  seed: number;
  /** Tap positions (default LFSR_TAPS[width]). */
  taps?: readonly number[];
  /** Default "fibonacci". */
  form?: LfsrForm;
}

/**
 * A maximal-length XOR LFSR. `state` is the current register value; `step()` advances one clock.
 * Fibonacci: feedback = XOR of stages t (bit n−t of the state), shifted in at the top
 * (state = state >> 1 | fb << (n−1)). Galois: if the output bit (bit 0) is 1 the shifted state is
 * XORed with the tap mask Σ 2^(t−1). Both visit all 2^n − 1 non-zero states.
 */
export class Lfsr {
  readonly width: number;
  readonly form: LfsrForm;
  readonly taps: readonly number[];
  readonly seed: number;
  state: number;
  private readonly shifts: number[];
  private readonly mask: number;

  constructor(opts: LfsrOptions) {
    checkInteger(opts.width, "width (LFSR register width)", 1, 16);
    const max = 2 ** opts.width - 1;
    if (!Number.isInteger(opts.seed) || opts.seed < 1 || opts.seed > max) {
      throw new RangeError(
        `seed (LFSR start state) must be an integer in 1…${max} for width ${opts.width} (0 locks an XOR LFSR), got ${String(opts.seed)}`,
      );
    }
    const taps = opts.taps ?? LFSR_TAPS[opts.width]!;
    if (!taps.includes(opts.width) || taps.some((t) => !Number.isInteger(t) || t < 1 || t > opts.width)) {
      throw new RangeError(
        `taps must be stage numbers in 1…${opts.width} including ${opts.width}, got [${taps.join(", ")}]`,
      );
    }
    const form = opts.form ?? "fibonacci";
    if (form !== "fibonacci" && form !== "galois")
      throw new RangeError(`form must be "fibonacci" or "galois", got ${String(form)}`);
    this.width = opts.width;
    this.form = form;
    this.taps = [...taps];
    this.seed = opts.seed;
    this.state = opts.seed;
    this.shifts = taps.map((t) => opts.width - t);
    this.mask = taps.reduce((m, t) => m | (1 << (t - 1)), 0);
  }

  reset(): void {
    this.state = this.seed;
  }

  /** Advance one clock; returns the new state. */
  step(): number {
    const s = this.state;
    if (this.form === "fibonacci") {
      let fb = 0;
      for (const sh of this.shifts) fb ^= s >>> sh;
      this.state = (s >>> 1) | ((fb & 1) << (this.width - 1));
    } else {
      this.state = s & 1 ? (s >>> 1) ^ this.mask : s >>> 1;
    }
    return this.state;
  }
}

/** The first `length` states of an LFSR, starting with the seed itself. */
export function lfsrSequence(opts: LfsrOptions, length: number): Uint32Array {
  checkInteger(length, "length", 0, 2 ** 28);
  const g = new Lfsr(opts);
  const out = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = g.state;
    g.step();
  }
  return out;
}
