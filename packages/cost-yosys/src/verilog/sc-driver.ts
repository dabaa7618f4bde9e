/**
 * The sequencer of a BISC-MVM unit, as a testbench: drives a lane built by biscMacVerilog (ports
 * load, wmag, swin, x, sx; outputs en, last) through a dot product the way the array's unit does.
 *
 * - fill: the first weight is loaded into the empty down counter (1 cycle, nothing counted);
 * - step i: x_i is applied; the lane streams while `last` is low; in the cycle `last` is high the
 *   next weight is loaded (or nothing after the last step) while the lane adds its last increment.
 *
 * Cycles = 1 + Σ_i max(1, ⌈|w_i|/b⌉): the fill cycle plus the latency model's count with
 * zeroWeightCycles = 1 (packages/cost latency.ts). `onStep(i, cycles)` is called after step i.
 */
export interface ClockedLane {
  set(port: string, value: number): void;
  get(port: string): number;
  clock(): void;
}

export interface BiscDotResult {
  /** Cycles after the fill cycle (the latency model's count). */
  stepCycles: number;
  /** Including the fill cycle. */
  cycles: number;
}

export function driveBiscDot(
  sim: ClockedLane,
  xs: ArrayLike<number>,
  ws: ArrayLike<number>,
  onStep?: (i: number, cycles: number) => void,
  maxCycles = 1e7,
): BiscDotResult {
  if (xs.length !== ws.length) throw new RangeError(`driveBiscDot: ${xs.length} activations, ${ws.length} weights`);
  if (ws.length === 0) return { stepCycles: 0, cycles: 0 };
  const loadWeight = (w: number) => {
    sim.set("load", 1);
    sim.set("wmag", Math.abs(w));
    sim.set("swin", w < 0 ? 1 : 0);
  };
  if (sim.get("last") !== 1) throw new Error("driveBiscDot: the unit is busy (last is low before the fill)");
  loadWeight(ws[0]!);
  sim.clock();
  let stepCycles = 0;
  for (let i = 0; i < xs.length; i++) {
    sim.set("x", Math.abs(xs[i]!));
    sim.set("sx", xs[i]! < 0 ? 1 : 0);
    let c = 0;
    for (;;) {
      const last = sim.get("last") === 1;
      if (last) {
        if (i + 1 < ws.length) loadWeight(ws[i + 1]!);
        else sim.set("load", 0);
      } else sim.set("load", 0);
      sim.clock();
      c++;
      if (last) break;
      if (stepCycles + c > maxCycles) throw new Error(`driveBiscDot: step ${i} never raised last`);
    }
    stepCycles += c;
    onStep?.(i, c);
  }
  sim.set("load", 0);
  return { stepCycles, cycles: stepCycles + 1 };
}
