import { binaryArrayArea, scArrayArea, type ArrayArea, type ComponentCostSource, type RegisterPolicy } from "./array.ts";
import { networkCycles, type LayerWorkload, type SchedulingOptions } from "./latency.ts";

/**
 * Operations per area: (2 · MACs / cycles) · f_clk / area (1 MAC = 2 operations), in GOPS/mm².
 * The improvement of SC over binary is gopsPerMm2(SC) / gopsPerMm2(binary) − 1.
 */
export interface DesignPoint {
  design: "sc" | "binary";
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
}

export function designPoint(area: ArrayArea, run: { builtBits: number; runBits: number; units: number; lanesPerUnit: number; parallel: number }, macs: number, cyclesOneCopy: number, clockHz: number, copies = 1): DesignPoint {
  if (!(clockHz > 0)) throw new RangeError(`clockHz must be positive, got ${String(clockHz)}`);
  const cycles = cyclesOneCopy / copies;
  const opsPerCycle = (2 * macs) / cycles;
  const gops = (opsPerCycle * clockHz) / 1e9;
  return {
    design: area.design,
    ...run,
    copies,
    areaUm2: area.areaUm2 * copies,
    macs,
    cycles,
    opsPerCycle,
    clockHz,
    gops,
    gopsPerMm2: gops / (area.areaUm2 / 1e6),
    utilisation: macs / (cycles * area.lanes * copies),
  };
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
  scheduling?: Omit<SchedulingOptions, "units" | "lanesPerUnit" | "parallel">;
  clockHz: number;
}

export interface ScenarioResult {
  scenario: Scenario;
  sc: DesignPoint;
  binary: DesignPoint;
  /** gopsPerMm2(SC) / gopsPerMm2(binary) − 1. */
  improvement: number;
  scArea: ArrayArea;
  binaryArea: ArrayArea;
}

export function maxFanIn(layers: readonly LayerWorkload[]): number {
  let f = 1;
  for (const l of layers) f = Math.max(f, (l.dims.C / l.groups) * l.dims.R * l.dims.S);
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
export function evaluateScenario(input: ScenarioInput): ScenarioResult {
  const { scenario, costs, layers, bits, units, lanesPerUnit, clockHz } = input;
  const b = input.parallel ?? 1;
  if (!SCENARIOS.includes(scenario)) {
    throw new RangeError(`scenario must be one of ${SCENARIOS.join(", ")}, got ${String(scenario)}`);
  }
  const maxBits = input.maxBits ?? bits;
  if (scenario === "precision-flexible" && maxBits < bits) throw new RangeError(`maxBits (${maxBits}) must be ≥ bits (${bits}) in the precision-flexible scenario`);
  const builtBits = scenario === "precision-flexible" ? maxBits : bits;
  const fanIn = maxFanIn(layers);
  const common = { bits: builtBits, maxFanIn: fanIn, registers: input.registers, technology: input.technology, parallel: b };
  const sched = { ...input.scheduling, parallel: b };

  const binArea = binaryArrayArea(costs, { ...common, units, lanesPerUnit });
  const binLat = networkCycles(layers, { ...sched, units, lanesPerUnit });
  const binary = designPoint(binArea, { builtBits, runBits: bits, units, lanesPerUnit, parallel: 1 }, binLat.macs, binLat.binaryCycles, clockHz);

  let scUnits = units;
  let scLanes = lanesPerUnit;
  let copies = 1;
  if (scenario === "iso-area") {
    // Largest M whose SC array fits the binary array's area (area is affine in M).
    const a1 = scArrayArea(costs, { ...common, units, lanesPerUnit: 1 }).areaUm2;
    const a2 = scArrayArea(costs, { ...common, units, lanesPerUnit: 2 }).areaUm2;
    const perM = a2 - a1;
    scLanes = Math.max(1, 1 + Math.floor((binArea.areaUm2 - a1) / perM + 1e-9));
  } else if (scenario === "iso-throughput") {
    // The smallest SC design with at least the binary throughput: array shapes P' = 2^a, M' = 2^c
    // (up to one channel group and one tile per layer), each replicated `copies` times on
    // independent inputs until it is fast enough; the least total area wins (ties: fewer copies).
    const { maxK, maxPix } = maxExtents(layers);
    let best = Infinity;
    for (let p = 1; p < 2 * Math.max(maxK, units); p *= 2) {
      for (let m = 1; m < 2 * Math.max(maxPix, lanesPerUnit); m *= 2) {
        const cycles = networkCycles(layers, { ...sched, units: p, lanesPerUnit: m }).scCycles;
        const c = Math.max(1, Math.ceil(cycles / binLat.binaryCycles));
        const area = scArrayArea(costs, { ...common, units: p, lanesPerUnit: m }).areaUm2 * c;
        if (area < best - 1e-9 || (Math.abs(area - best) <= 1e-9 && c < copies)) {
          best = area;
          scUnits = p;
          scLanes = m;
          copies = c;
        }
      }
    }
  }
  const scArea = scArrayArea(costs, { ...common, units: scUnits, lanesPerUnit: scLanes });
  // Same array shape as the binary one: the latency already computed holds the SC cycles too.
  const scLat = scUnits === units && scLanes === lanesPerUnit ? binLat : networkCycles(layers, { ...sched, units: scUnits, lanesPerUnit: scLanes });
  const sc = designPoint(scArea, { builtBits, runBits: bits, units: scUnits, lanesPerUnit: scLanes, parallel: b }, scLat.macs, scLat.scCycles, clockHz, copies);
  return { scenario, sc, binary, improvement: sc.gopsPerMm2 / binary.gopsPerMm2 - 1, scArea, binaryArea: binArea };
}
