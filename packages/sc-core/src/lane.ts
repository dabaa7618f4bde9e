import { UpDownCounter, type OverflowMode } from "./accumulator.ts";
import { makeSngSource } from "./sng.ts";
import { resolveSpec, type ResolvedSpec, type ScSpec } from "./spec.ts";
import { checkLength, checkSignedArray, isPowerOfTwo } from "./validate.ts";

/**
 * Cycle-level reference of a BISC MAC lane and of a BISC-MVM unit. This is the meaning every fast
 * kernel is tested against; it clocks real counters and SNG sources, one cycle per loop turn.
 *
 * Per product (step) of a down-counter lane (bisc, bitrev):
 * - the count operand's magnitude |c| is loaded into the down counter and the SNG counter is reset
 *   to cycle t = 1 (so every product sees the same stream prefix);
 * - each clock consumes b = `parallel` stream bits (cycles t … t+b−1, fewer in the last cycle),
 *   adds their ones to the up/down counter — counting down when sign(x) XOR sign(w) — and
 *   decrements the down counter by b; the step ends when it reaches 0: ⌈|c|/b⌉ cycles;
 * - a zero count operand costs `zeroWeightCycles` (0 or 1) and adds nothing.
 * The up/down counter is never reset between products: it accumulates the whole dot product.
 *
 * Conventional SC (lfsr, sobol): both generators are reloaded with their seeds each product; each
 * clock ANDs b bits of the two comparator streams and counts the ones; a product always takes
 * ⌈2^N/b⌉ cycles (there is no down counter, so zeroWeightCycles does not apply).
 */
export interface LaneSpec extends ScSpec {
  /** Stream bits consumed per cycle, b = 2^j (1…65536). Default 1. */
  parallel?: number;
  /** Width of the up/down accumulator (2…48). Default 32. */
  accBits?: number;
  /** Accumulator overflow behaviour. Default "wrap". */
  overflow?: OverflowMode;
  /** Cycles a zero count operand costs, 0 or 1. Default 1. */
  zeroWeightCycles?: 0 | 1;
}

export interface ResolvedLaneSpec extends ResolvedSpec {
  parallel: number;
  accBits: number;
  overflow: OverflowMode;
  zeroWeightCycles: 0 | 1;
}

export interface MacLaneResult {
  /** Final up/down counter value (summed signed product counts, after wrap/saturation). */
  acc: number;
  cycles: number;
  /** True when some step left the accumulator's range. */
  overflow: boolean;
}

export interface MvmUnitResult {
  acc: number[];
  /** Cycles of the unit; all lanes finish together. */
  cycles: number;
  overflow: boolean[];
}

export function resolveLaneSpec(spec: LaneSpec, name = "laneSpec"): ResolvedLaneSpec {
  const s = resolveSpec(spec, name);
  const parallel = spec.parallel ?? 1;
  if (!isPowerOfTwo(parallel) || parallel > 65536) {
    throw new RangeError(`${name}.parallel (b) must be a power of two in 1…65536, got ${String(parallel)}`);
  }
  const accBits = spec.accBits ?? 32;
  if (!Number.isInteger(accBits) || accBits < 2 || accBits > 48) {
    throw new RangeError(`${name}.accBits must be an integer in 2…48, got ${String(accBits)}`);
  }
  const overflow = spec.overflow ?? "wrap";
  if (overflow !== "wrap" && overflow !== "saturate") {
    throw new RangeError(`${name}.overflow must be "wrap" or "saturate", got ${String(overflow)}`);
  }
  const zeroWeightCycles = spec.zeroWeightCycles ?? 1;
  if (zeroWeightCycles !== 0 && zeroWeightCycles !== 1) {
    throw new RangeError(`${name}.zeroWeightCycles must be 0 or 1, got ${String(zeroWeightCycles)}`);
  }
  return { ...s, parallel, accBits, overflow, zeroWeightCycles };
}

/** Cycles of one product step whose count operand has magnitude `countMagnitude`. */
export function stepCycles(spec: ResolvedLaneSpec, countMagnitude: number): number {
  if (spec.scheme === "lfsr" || spec.scheme === "sobol") return Math.ceil(2 ** spec.bits / spec.parallel);
  if (countMagnitude === 0) return spec.zeroWeightCycles;
  return Math.ceil(countMagnitude / spec.parallel);
}

/**
 * Mean cycles per product step over a list of count operands (e.g. a layer's weights): the
 * latency figure SC throughput depends on. Validates like the simulator.
 */
export function meanStepCycles(laneSpec: LaneSpec, counts: ArrayLike<number>): number {
  const s = resolveLaneSpec(laneSpec);
  checkSignedArray(counts, s.bits, "counts");
  if (counts.length === 0) throw new RangeError("counts must not be empty");
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += stepCycles(s, Math.abs(counts[i]!));
  return total / counts.length;
}

/**
 * The unit: `streams[m][i]` is lane m's stream operand of step i, `counts[i]` the broadcast count
 * operand of step i (one shared down counter, one shared SNG counter, a mux/comparator and an
 * up/down counter per lane).
 */
function runUnit(s: ResolvedLaneSpec, streams: ArrayLike<number>[], counts: ArrayLike<number>): MvmUnitResult {
  const lanes = streams.length;
  const accs = streams.map(() => new UpDownCounter(s.accBits, s.overflow));
  const b = s.parallel;
  const selA = new Float64Array(b);
  const cbit = new Uint8Array(b);
  const conventional = s.scheme === "lfsr" || s.scheme === "sobol";
  const srcA = makeSngSource(s, "stream");
  const srcB = conventional ? makeSngSource(s, "count") : null;
  let cycles = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    const cm = c < 0 ? -c : c;
    srcA.reset();
    srcB?.reset();
    // The down counter: product length in stream bits still to consume.
    let down = conventional ? 2 ** s.bits : cm;
    if (down === 0) cycles += s.zeroWeightCycles;
    while (down > 0) {
      const nb = down < b ? down : b;
      for (let u = 0; u < nb; u++) {
        selA[u] = srcA.next();
        if (srcB) cbit[u] = srcB.bit(cm, srcB.next());
      }
      for (let m = 0; m < lanes; m++) {
        const x = streams[m]![i]!;
        const xm = x < 0 ? -x : x;
        let ones = 0;
        if (srcB) for (let u = 0; u < nb; u++) ones += srcA.bit(xm, selA[u]!) & cbit[u]!;
        else for (let u = 0; u < nb; u++) ones += srcA.bit(xm, selA[u]!);
        if (ones) accs[m]!.add(x < 0 !== c < 0 ? -ones : ones);
      }
      down -= nb;
      cycles++;
    }
  }
  return { acc: accs.map((a) => a.value), cycles, overflow: accs.map((a) => a.overflowed) };
}

/**
 * One SC-MAC lane over a dot product: Σ_i product(xs[i], ws[i]) accumulated cycle by cycle.
 * With countOperand "x" the activations are loaded into the down counter and the weights drive
 * the SNG.
 */
export function simulateMacLane(laneSpec: LaneSpec, xs: ArrayLike<number>, ws: ArrayLike<number>): MacLaneResult {
  const s = resolveLaneSpec(laneSpec);
  checkLength(ws, xs.length, "ws");
  checkSignedArray(xs, s.bits, "xs");
  checkSignedArray(ws, s.bits, "ws");
  const r = s.countOperand === "w" ? runUnit(s, [xs], ws) : runUnit(s, [ws], xs);
  return { acc: r.acc[0]!, cycles: r.cycles, overflow: r.overflow[0]! };
}

/**
 * A BISC-MVM unit of M = xsPerLane.length lanes sharing the down counter (loaded with the
 * broadcast ws[i]) and the SNG counter; lane m streams xsPerLane[m][i]. All lanes finish each
 * step together: cycles = Σ_i stepCycles(|ws[i]|). The broadcast operand is always the counted
 * one, so countOperand must be "w" (to count activations, pass them as `ws`).
 */
export function simulateMvmUnit(
  laneSpec: LaneSpec,
  xsPerLane: ArrayLike<number>[],
  ws: ArrayLike<number>,
): MvmUnitResult {
  const s = resolveLaneSpec(laneSpec);
  if (s.countOperand !== "w") {
    throw new RangeError(
      `laneSpec.countOperand must be "w" for an MVM unit (the broadcast ws is counted); pass the counted operand as ws`,
    );
  }
  if (!Array.isArray(xsPerLane) || xsPerLane.length < 1)
    throw new RangeError(`xsPerLane must be a non-empty array of lanes`);
  checkSignedArray(ws, s.bits, "ws");
  xsPerLane.forEach((xs, m) => {
    checkLength(xs, ws.length, `xsPerLane[${m}]`);
    checkSignedArray(xs, s.bits, `xsPerLane[${m}]`);
  });
  return runUnit(s, xsPerLane, ws);
}

/** Cycle-level product of one pair (any scheme): { count, cycles } with a wide accumulator. */
export function simulateProduct(
  spec: ScSpec & { parallel?: number },
  x: number,
  w: number,
): { count: number; cycles: number } {
  const r = simulateMacLane({ ...spec, accBits: 48 }, [x], [w]);
  return { count: r.acc, cycles: r.cycles };
}
