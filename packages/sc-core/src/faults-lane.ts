import { biscBitAt, biscPrefixOnes, flipAccBit, resolveFaultSpec, type FaultSpec } from "./faults-model.ts";
import { wrapToBits } from "./accumulator.ts";
import type { Rng } from "./prng.ts";
import { checkLength, checkSignedArray } from "./validate.ts";

export interface FaultyLaneResult {
  /** Final accumulator value (two's complement, wrapped to accBits). */
  acc: number;
  /** Fault-free dot product Σ x·w (binary) or Σ BISC counts (SC), same wrap. */
  cleanAcc: number;
  cycles: number;
  /** Bits flipped at the faulty site. */
  flips: number;
}

/**
 * The exact reference of a faulty lane, clocked cycle by cycle with one Bernoulli(p) draw per bit
 * of the faulty site per cycle from the injected generator (never Math.random): a given seed
 * reproduces the run exactly.
 *
 * SC sites run a BISC lane (countOperand w, b = spec.parallel, default 1): per product |w| is
 * loaded into the N-bit down counter and the SNG counter restarts at t = 1; each cycle reads the
 * next min(b, remaining) stream bits t (the N-bit SNG counter wraps, so a lengthened product sees
 * the stream again from its start), adds their ones to the up/down counter (down when sign(x) XOR
 * sign(w)), takes them off the down counter; the step ends when it reaches 0. A zero weight costs `zeroWeightCycles` idle cycles (the accumulator is still
 * exposed). Binary sites run a sign-magnitude N×N multiplier + accumulator, one MAC per cycle.
 * Faults: see FaultSite in faults-model.ts.
 */
export function simulateFaultyMacLane(
  spec: FaultSpec,
  xs: ArrayLike<number>,
  ws: ArrayLike<number>,
  rng: Rng,
): FaultyLaneResult {
  checkLength(ws, xs.length, "ws");
  const s = resolveFaultSpec(spec, xs.length);
  checkSignedArray(xs, s.bits, "xs");
  checkSignedArray(ws, s.bits, "ws");
  const N = s.bits;
  const B = s.accBits;
  const p = s.rate;
  let acc = 0;
  let clean = 0;
  let cycles = 0;
  let flips = 0;
  const accFaults = s.site === "sc-accumulator" || s.site === "bin-accumulator";
  const flipAcc = (): void => {
    for (let k = 0; k < B; k++) {
      if (rng.unit() < p) {
        acc = flipAccBit(acc, k, B);
        flips++;
      }
    }
  };
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const w = ws[i]!;
    const xm = Math.abs(x);
    const wm = Math.abs(w);
    const dir = x < 0 !== w < 0 ? -1 : 1;
    if (s.sc) {
      if (wm === 0) {
        for (let c = 0; c < s.zeroWeightCycles; c++) {
          cycles++;
          if (accFaults) flipAcc();
        }
        continue;
      }
      clean += dir * biscPrefixOnes(xm, N, wm);
      let down = wm;
      let t = 0;
      while (down > 0) {
        // one cycle consumes min(b, remaining) stream bits
        const take = Math.min(s.parallel, down);
        let ones = 0;
        for (let j = 0; j < take; j++) {
          t++;
          let bit = biscBitAt(xm, N, t);
          if (s.site === "sc-stream" && rng.unit() < p) {
            bit = bit ? 0 : 1;
            flips++;
          }
          ones += bit;
        }
        acc = wrapToBits(acc + dir * ones, B);
        down -= take;
        cycles++;
        if (s.site === "sc-down-counter" && down > 0) {
          for (let k = 0; k < N; k++) {
            if (rng.unit() < p) {
              down ^= 1 << k;
              flips++;
            }
          }
        }
        if (accFaults) flipAcc();
      }
    } else {
      let m = xm * wm;
      clean += dir * m;
      if (s.site === "bin-product") {
        for (let k = 0; k < 2 * N; k++) {
          if (rng.unit() < p) {
            m ^= 1 << k;
            flips++;
          }
        }
      }
      acc = wrapToBits(acc + dir * m, B);
      cycles++;
      if (accFaults) flipAcc();
    }
  }
  return { acc, cleanAcc: wrapToBits(clean, B), cycles, flips };
}
