import {
  binaryArrayArea,
  binaryCyclesPerMac,
  binaryMacsPerCycle,
  truncBaselineGuard,
  checkBaseline,
  checkSng,
  conventionalCyclesPerMac,
  conventionalScArrayArea,
  type BinaryBaseline,
  scArrayArea,
  type ArrayArea,
  type ArraySpec,
  type ComponentCostSource,
  type RegisterPolicy,
} from "./array.ts";
import type { ConventionalSng } from "./component.ts";
import { networkCycles, type LayerWorkload, type SchedulingOptions } from "./latency.ts";
import { timedArray, type LaneTimingSource, type TargetClock } from "./timing.ts";

/**
 * Operations per area: (2 · MACs / cycles) · f_clk / area (1 MAC = 2 operations), in GOPS/mm².
 * The improvement of SC over binary is gopsPerMm2(SC) / gopsPerMm2(binary) − 1.
 */
export interface DesignPoint {
  design: "sc" | "binary";
  /** The binary design compared with (binary points only). */
  baseline?: BinaryBaseline;
  /** Precision the hardware is built for. */
  builtBits: number;
  /** Precision the workload runs at. */
  runBits: number;
  units: number;
  lanesPerUnit: number;
  parallel: number;
  /** Replicas of the array working on independent inputs (iso-throughput beyond one tile per layer). */
  copies: number;
  /** Area of all copies. */
  areaUm2: number;
  macs: number;
  /** Cycles per input (network inference), divided by the copies. */
  cycles: number;
  opsPerCycle: number;
  clockHz: number;
  gops: number;
  gopsPerMm2: number;
  /** MACs per lane-cycle. */
  utilisation: number;
  /** Target clock policies: the lane's slack at the target (ps; negative = missed) and whether it was pipelined. */
  slackPs?: number;
  pipelined?: boolean;
}

/** A design point of an array; run's five fields are copied in this order. */
export function designPoint(
  area: ArrayArea,
  run: { builtBits: number; runBits: number; units: number; lanesPerUnit: number; parallel: number },
  macs: number,
  cyclesOneCopy: number,
  clockHz: number,
  copies = 1,
  timing?: { slackPs: number; pipelined: boolean },
): DesignPoint {
  if (!(clockHz > 0)) throw new RangeError(`clockHz must be positive, got ${String(clockHz)}`);
  // Built field by field (no spreads: a sweep makes two per design point), in the order the
  // spreads of run / baseline / timing gave; test/ops-per-area.test.ts checks it against them.
  const cycles = cyclesOneCopy / copies;
  const opsPerCycle = (2 * macs) / cycles;
  const gops = (opsPerCycle * clockHz) / 1e9;
  const { builtBits, runBits, units, lanesPerUnit, parallel } = run;
  const areaUm2 = area.areaUm2 * copies;
  const gopsPerMm2 = gops / ((area.areaUm2 * copies) / 1e6);
  const utilisation = macs / (cycles * area.lanes * copies);
  const point: DesignPoint =
    area.baseline !== undefined
      ? {
          design: area.design,
          baseline: area.baseline,
          builtBits,
          runBits,
          units,
          lanesPerUnit,
          parallel,
          copies,
          areaUm2,
          macs,
          cycles,
          opsPerCycle,
          clockHz,
          gops,
          gopsPerMm2,
          utilisation,
        }
      : {
          design: area.design,
          builtBits,
          runBits,
          units,
          lanesPerUnit,
          parallel,
          copies,
          areaUm2,
          macs,
          cycles,
          opsPerCycle,
          clockHz,
          gops,
          gopsPerMm2,
          utilisation,
        };
  if (timing) {
    point.slackPs = timing.slackPs;
    point.pipelined = timing.pipelined;
  }
  return point;
}

export type Scenario = "fixed-precision" | "precision-flexible" | "iso-area" | "iso-throughput";
export const SCENARIOS: readonly Scenario[] = ["fixed-precision", "precision-flexible", "iso-area", "iso-throughput"];

export interface ScenarioInput {
  scenario: Scenario;
  costs: ComponentCostSource;
  /** Layers of the network with weights quantised at `bits`. */
  layers: readonly LayerWorkload[];
  /** N the network runs at. */
  bits: number;
  /** Largest N any workload needs (precision-flexible: both arrays are built for it). */
  maxBits?: number;
  units: number;
  lanesPerUnit: number;
  parallel?: number;
  registers?: RegisterPolicy;
  technology?: string;
  /** On-chip memory bits added to both arrays (default 0: excluded). */
  memoryBits?: number;
  /** The binary design SC is compared with (default "exact"; see BinaryBaseline). */
  baseline?: BinaryBaseline;
  scheduling?: Omit<SchedulingOptions, "units" | "lanesPerUnit" | "parallel">;
  /** Clock of both designs when `clock` is "parameter" (the default). */
  clockHz: number;
  /**
   * "parameter": both designs run at clockHz. "library": each design runs at 1 / its lane's
   * register-to-register delay from the cost model's timing (ArrayArea.criticalPathS).
   * "target-pipelined" / "target-own": whole-lane timing at a clock target (see TargetClock);
   * need `timing`, whose target must be 1 / clockHz.
   */
  clock?: ClockPolicy;
  /** Whole-lane timing (cost-yosys' synthesized timing table) for the target clock policies. */
  timing?: LaneTimingSource;
}

export type ClockPolicy = "parameter" | "library" | TargetClock;
export const CLOCK_POLICIES: readonly ClockPolicy[] = ["parameter", "library", "target-pipelined", "target-own"];

export interface ScenarioResult {
  scenario: Scenario;
  sc: DesignPoint;
  binary: DesignPoint;
  /** gopsPerMm2(SC) / gopsPerMm2(binary) − 1. */
  improvement: number;
  scArea: ArrayArea;
  binaryArea: ArrayArea;
}

const fanInCache = new WeakMap<readonly LayerWorkload[], number>();

export function maxFanIn(layers: readonly LayerWorkload[]): number {
  const hit = fanInCache.get(layers);
  if (hit !== undefined) return hit;
  let f = 1;
  for (const l of layers) f = Math.max(f, (l.dims.C / l.groups) * l.dims.R * l.dims.S);
  fanInCache.set(layers, f);
  return f;
}

function maxExtents(layers: readonly LayerWorkload[]): { maxK: number; maxPix: number } {
  let maxK = 1;
  let maxPix = 1;
  for (const l of layers) {
    maxK = Math.max(maxK, l.dims.K);
    maxPix = Math.max(maxPix, l.dims.N * l.dims.P * l.dims.Q);
  }
  return { maxK, maxPix };
}

/** Evaluates SC vs binary for one network, precision and scenario. */
/** The clock a design runs at under the input's clock policy. */
export function designClockHz(input: Pick<ScenarioInput, "clock" | "clockHz">, area: ArrayArea): number {
  if ((input.clock ?? "parameter") === "parameter") return input.clockHz;
  if (input.clock !== "library")
    throw new RangeError(`designClockHz: clock must be "parameter" or "library", got ${String(input.clock)}`);
  if (area.criticalPathS === undefined || !(area.criticalPathS > 0)) {
    throw new RangeError(
      `clock "library" needs timing (clockPeriodS) for every ${area.design} lane part on the critical path; models used: ${[...new Set(area.parts.map((p) => p.model))].join(", ")}`,
    );
  }
  return 1 / area.criticalPathS;
}

/** An array under the input's clock policy: its clock and, for the target policies, slack and pipelining. */
interface Clocked {
  area: ArrayArea;
  clockHz: number;
  timing?: { slackPs: number; pipelined: boolean };
}

function clocked(input: ScenarioInput, area: ArrayArea, bits: number, parallel: number): Clocked {
  const policy = input.clock ?? "parameter";
  if (policy === "parameter" || policy === "library") return { area, clockHz: designClockHz(input, area) };
  if (policy !== "target-pipelined" && policy !== "target-own")
    throw new RangeError(`clock must be one of ${CLOCK_POLICIES.join(", ")}, got ${String(policy)}`);
  const timing = input.timing;
  if (!timing)
    throw new RangeError(`clock "${policy}" needs timing (a LaneTimingSource, e.g. cost-yosys' timing table)`);
  if (Math.abs(1e12 / timing.targetPs - input.clockHz) > 1e-6 * input.clockHz)
    throw new RangeError(
      `clockHz ${input.clockHz} differs from the timing source's target ${timing.targetPs} ps (${1e12 / timing.targetPs} Hz)`,
    );
  // a trunc-g<g> lane with g ≥ N is the exact lane (every column kept)
  const g = truncBaselineGuard(area.baseline ?? "exact");
  const design = area.design === "sc" ? "sc" : g !== null && g >= bits ? "exact" : (area.baseline ?? "exact");
  const t = timedArray(area, policy, timing, { design, bits, parallel });
  return { area: t.area, clockHz: t.clockHz, timing: { slackPs: t.slackPs, pipelined: t.pipelined } };
}

export function evaluateScenario(input: ScenarioInput): ScenarioResult {
  const { scenario, costs, layers, bits, units, lanesPerUnit } = input;
  const b = input.parallel ?? 1;
  if (!SCENARIOS.includes(scenario)) {
    throw new RangeError(`scenario must be one of ${SCENARIOS.join(", ")}, got ${String(scenario)}`);
  }
  const maxBits = input.maxBits ?? bits;
  if (scenario === "precision-flexible" && maxBits < bits)
    throw new RangeError(`maxBits (${maxBits}) must be ≥ bits (${bits}) in the precision-flexible scenario`);
  const builtBits = scenario === "precision-flexible" ? maxBits : bits;
  const baseline = checkBaseline(input.baseline ?? "exact", "baseline");
  const fanIn = maxFanIn(layers);
  // terms per binary lane-cycle (bit-fusion at a run precision below the built one: > 1)
  const macsPerCycle = binaryMacsPerCycle(baseline, bits, builtBits);

  // The reference: a binary array of P x M lanes. Other shapes spread it with their own P, M.
  const refSpec: ArraySpec = {
    bits: builtBits,
    maxFanIn: fanIn,
    registers: input.registers,
    technology: input.technology,
    parallel: b,
    memoryBits: input.memoryBits,
    units,
    lanesPerUnit,
  };
  const ref = clocked(input, binaryArrayArea(costs, refSpec, baseline), builtBits, b);
  const refArea = ref.area;
  const refLat = networkCycles(layers, {
    units,
    lanesPerUnit,
    parallel: b,
    zeroWeightCycles: input.scheduling?.zeroWeightCycles,
    lockstep: input.scheduling?.lockstep,
    fcRoleSwap: input.scheduling?.fcRoleSwap,
    binaryMacsPerCycle: macsPerCycle,
  });

  if (scenario === "iso-throughput") {
    // Both designs: the least-area design with at least the reference throughput, searched over
    // array shapes P' = 2^a, M' = 2^c (up to one channel group and one tile per layer), each
    // replicated `copies` times on independent inputs until fast enough. Searching both sides
    // keeps shape effects (utilisation) out of the SC/binary comparison.
    const targetS = (refLat.binaryCycles * binaryCyclesPerMac(baseline, bits)) / ref.clockHz;
    const sched = { ...input.scheduling, parallel: b };
    const sc = leastAreaAtThroughput("sc", input, refSpec, sched, targetS, builtBits, baseline);
    const bin = leastAreaAtThroughput("binary", input, refSpec, sched, targetS, builtBits, baseline);
    return {
      scenario,
      sc: sc.point,
      binary: bin.point,
      improvement: sc.point.gopsPerMm2 / bin.point.gopsPerMm2 - 1,
      scArea: sc.area,
      binaryArea: bin.area,
    };
  }

  const binary = designPoint(
    refArea,
    { builtBits, runBits: bits, units, lanesPerUnit, parallel: 1 },
    refLat.macs,
    refLat.binaryCycles * binaryCyclesPerMac(baseline, bits),
    ref.clockHz,
    1,
    ref.timing,
  );
  let scLanes = lanesPerUnit;
  if (scenario === "iso-area") {
    // Largest M whose SC array fits the binary array's area (area is affine in M).
    const a1 = clocked(input, scArrayArea(costs, { ...refSpec, lanesPerUnit: 1 }), builtBits, b).area.areaUm2;
    const a2 = clocked(input, scArrayArea(costs, { ...refSpec, lanesPerUnit: 2 }), builtBits, b).area.areaUm2;
    const perM = a2 - a1;
    scLanes = Math.max(1, 1 + Math.floor((refArea.areaUm2 - a1) / perM + 1e-9));
  }
  const scC = clocked(
    input,
    scArrayArea(costs, scLanes === lanesPerUnit ? refSpec : { ...refSpec, lanesPerUnit: scLanes }),
    builtBits,
    b,
  );
  const scArea = scC.area;
  // Same array shape as the binary one: the cycles already computed hold the SC cycles too.
  const scLat =
    scLanes === lanesPerUnit
      ? refLat
      : networkCycles(layers, { ...input.scheduling, parallel: b, units, lanesPerUnit: scLanes });
  const sc = designPoint(
    scArea,
    { builtBits, runBits: bits, units, lanesPerUnit: scLanes, parallel: b },
    scLat.macs,
    scLat.scCycles,
    scC.clockHz,
    1,
    scC.timing,
  );
  return { scenario, sc, binary, improvement: sc.gopsPerMm2 / binary.gopsPerMm2 - 1, scArea, binaryArea: refArea };
}

function leastAreaAtThroughput(
  design: "sc" | "binary",
  input: ScenarioInput,
  common: Omit<ArraySpec, "units" | "lanesPerUnit">,
  sched: Omit<SchedulingOptions, "units" | "lanesPerUnit">,
  targetS: number,
  builtBits: number,
  baseline: BinaryBaseline,
): { point: DesignPoint; area: ArrayArea } {
  const { layers, costs, units, lanesPerUnit } = input;
  const { maxK, maxPix } = maxExtents(layers);
  const areaOf = (c: ComponentCostSource, spec: ArraySpec) =>
    design === "sc" ? scArrayArea(c, spec) : binaryArrayArea(c, spec, baseline);
  const bLane = input.parallel ?? 1;
  let best = { areaUm2: Infinity, p: units, m: lanesPerUnit, copies: 1, cycles: 0, macs: 0 };
  for (let p = 1; p < 2 * Math.max(maxK, units); p *= 2) {
    for (let m = 1; m < 2 * Math.max(maxPix, lanesPerUnit); m *= 2) {
      const lat = networkCycles(layers, {
        ...sched,
        units: p,
        lanesPerUnit: m,
        ...(design === "binary" ? { binaryMacsPerCycle: binaryMacsPerCycle(baseline, input.bits, builtBits) } : {}),
      });
      const cycles = design === "sc" ? lat.scCycles : lat.binaryCycles * binaryCyclesPerMac(baseline, input.bits);
      const shape = clocked(input, areaOf(costs, { ...common, units: p, lanesPerUnit: m }), builtBits, bLane);
      const seconds = cycles / shape.clockHz;
      const copies = Math.max(1, Math.ceil(seconds / targetS - 1e-9));
      const areaUm2 = shape.area.areaUm2 * copies;
      if (areaUm2 < best.areaUm2 - 1e-9 || (Math.abs(areaUm2 - best.areaUm2) <= 1e-9 && copies < best.copies)) {
        best = { areaUm2, p, m, copies, cycles, macs: lat.macs };
      }
    }
  }
  const c = clocked(input, areaOf(costs, { ...common, units: best.p, lanesPerUnit: best.m }), builtBits, bLane);
  const area = c.area;
  const point = designPoint(
    area,
    {
      builtBits,
      runBits: input.bits,
      units: best.p,
      lanesPerUnit: best.m,
      parallel: design === "sc" ? (input.parallel ?? 1) : 1,
    },
    best.macs,
    best.cycles,
    c.clockHz,
    best.copies,
    c.timing,
  );
  return { point, area };
}

/**
 * The conventional SC array (comparator SNGs; sc-core's lfsr / sobol) at one point: P x M lanes,
 * b = 1, built for builtBits (default bits), 2^bits cycles per weight step whatever the weight
 * (zero weights too), clock "parameter" or "library". Its accuracy is that of nn's sc-lfsr /
 * sc-sobol arithmetic at the same N.
 */
export function evaluateConventionalSc(
  input: Pick<
    ScenarioInput,
    | "costs"
    | "layers"
    | "bits"
    | "units"
    | "lanesPerUnit"
    | "registers"
    | "technology"
    | "memoryBits"
    | "clockHz"
    | "clock"
  > & { sng: ConventionalSng; builtBits?: number },
): { point: DesignPoint; area: ArrayArea } {
  const sng = checkSng(input.sng);
  const builtBits = input.builtBits ?? input.bits;
  if (builtBits < input.bits) throw new RangeError(`builtBits (${builtBits}) must be ≥ bits (${input.bits})`);
  const area = conventionalScArrayArea(
    input.costs,
    {
      bits: builtBits,
      maxFanIn: maxFanIn(input.layers),
      registers: input.registers,
      technology: input.technology,
      memoryBits: input.memoryBits,
      units: input.units,
      lanesPerUnit: input.lanesPerUnit,
    },
    sng,
  );
  const lat = networkCycles(input.layers, { units: input.units, lanesPerUnit: input.lanesPerUnit });
  const point = designPoint(
    area,
    { builtBits, runBits: input.bits, units: input.units, lanesPerUnit: input.lanesPerUnit, parallel: 1 },
    lat.macs,
    lat.binaryCycles * conventionalCyclesPerMac(input.bits),
    designClockHz(input, area),
  );
  return { point, area };
}
