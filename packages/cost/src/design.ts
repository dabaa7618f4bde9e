import { binaryArrayArea, scArrayArea, type ComponentCostSource, type RegisterPolicy } from "./array.ts";
import { designPointEnergy, type ArrayEnergy, type EnergyModel } from "./energy.ts";
import { CostRefusal } from "./refusal.ts";
import { networkCycles, type LayerWorkload, type SchedulingOptions } from "./latency.ts";
import { designClockHz, designPoint, maxFanIn, type DesignPoint } from "./ops-per-area.ts";

/** Precision of one conv/linear layer of a design (magnitude bits, sign extra). */
export interface LayerPrecision {
  /** The network's layer name (nn spec). */
  name: string;
  bitsW: number;
  bitsA: number;
}

/**
 * One accelerator design running one network: the single object every claim (accuracy,
 * operations per area, energy, fault tolerance) is evaluated at.
 *
 * - `design` "sc": a BISC-MVM array (P units x M lanes, b stream bits per cycle) that runs each layer
 *   at its own N = max(bitsW, bitsA) on the same hardware (streams of 2^N bits); "binary": a
 *   fixed-point MAC array built for `builtBits`, one MAC per lane per cycle whatever a layer's N.
 * - `arithmetic`: the nn arithmetic of every layer ("sc-bisc", "fixed", …).
 * - `builtBits`: the precision the hardware is synthesised for (≥ every layer's N).
 */
export interface Design {
  network: string;
  design: "sc" | "binary";
  arithmetic: string;
  /** Every conv/linear layer of the network, in network order. */
  layers: LayerPrecision[];
  builtBits: number;
  /** b: SC stream bits per cycle; 1 for binary. */
  parallel: number;
  lanesPerUnit: number;
  units: number;
  clockHz: number;
}

/** The precision a layer runs at: SC streams of 2^N bits with N = max(bitsW, bitsA); binary the wider operand. */
export function layerRunBits(layer: LayerPrecision): number {
  return Math.max(layer.bitsW, layer.bitsA);
}

/** Largest per-layer N of a design. */
export function designMaxBits(d: Pick<Design, "layers">): number {
  return Math.max(...d.layers.map(layerRunBits));
}

/** True when every layer runs at the same bitsW = bitsA. */
export function isUniform(d: Pick<Design, "layers">): boolean {
  const first = d.layers[0];
  return first !== undefined && d.layers.every((l) => l.bitsW === first.bitsW && l.bitsA === first.bitsW);
}

/** A design whose layers all run at N (bitsW = bitsA = N), built for `builtBits` (default N). */
export function uniformDesign(
  base: Omit<Design, "layers" | "builtBits"> & { builtBits?: number },
  layerNames: readonly string[],
  bits: number,
): Design {
  return {
    ...base,
    builtBits: base.builtBits ?? bits,
    layers: layerNames.map((name) => ({ name, bitsW: bits, bitsA: bits })),
  };
}

/** Per-layer N as a short string: "4" when uniform, else "4/3/3/4/5" in layer order (bitsW:bitsA where they differ). */
export function describePrecision(d: Pick<Design, "layers">): string {
  if (isUniform(d)) return String(d.layers[0]!.bitsW);
  return d.layers.map((l) => (l.bitsW === l.bitsA ? String(l.bitsW) : `${l.bitsW}:${l.bitsA}`)).join("/");
}

/** A stable one-line label: "sc N=4/3/3/4/5 built 5 M=16 P=4 b=8" (binary: no b). */
export function describeDesign(d: Design): string {
  const built = d.builtBits !== designMaxBits(d) ? ` built ${d.builtBits}` : "";
  return `${d.design} N=${describePrecision(d)}${built} M=${d.lanesPerUnit} P=${d.units}${d.design === "sc" ? ` b=${d.parallel}` : ""}`;
}

/** nn QuantConfig.layers overrides of a design (structurally nn's Record<string, LayerQuantConfig>). */
export function designQuantLayers(d: Pick<Design, "layers">): Record<string, { bitsW: number; bitsA: number }> {
  return Object.fromEntries(d.layers.map((l) => [l.name, { bitsW: l.bitsW, bitsA: l.bitsA }]));
}

/** Checks the fields every evaluation relies on; the error names the field. */
export function checkDesign(d: Design, name = "design"): Design {
  if (d.design !== "sc" && d.design !== "binary")
    throw new RangeError(`${name}.design must be "sc" or "binary", got ${String(d.design)}`);
  if (!Array.isArray(d.layers) || d.layers.length === 0)
    throw new RangeError(`${name}.layers must list every conv/linear layer`);
  d.layers.forEach((l, i) => {
    for (const f of ["bitsW", "bitsA"] as const)
      if (!Number.isInteger(l[f]) || l[f] < 1 || l[f] > 16)
        throw new RangeError(`${name}.layers[${i}].${f} must be an integer 1…16, got ${String(l[f])}`);
  });
  if (!Number.isInteger(d.builtBits) || d.builtBits < designMaxBits(d))
    throw new RangeError(
      `${name}.builtBits (${String(d.builtBits)}) must be an integer ≥ the largest layer N (${designMaxBits(d)})`,
    );
  if (d.design === "binary" && d.parallel !== 1)
    throw new RangeError(`${name}.parallel must be 1 for a binary design, got ${String(d.parallel)}`);
  return d;
}

export interface DesignCostOptions {
  costs: ComponentCostSource;
  registers?: RegisterPolicy;
  technology?: string;
  memoryBits?: number;
  scheduling?: Omit<SchedulingOptions, "units" | "lanesPerUnit" | "parallel">;
  /** "parameter" (default): the design's clockHz; "library": 1 / its lane's critical path. */
  clock?: "parameter" | "library";
  /**
   * An energy model (e.g. cost-yosys' synthEnergyModel of the committed table): the result then
   * carries the design's energy per inference, or the model's refusal when its table does not hold
   * the design (a precision, b or accumulator width it was not built for).
   */
  energy?: EnergyModel;
}

/** A design's cost; with `energy` in the options also its energy per inference (or why not). */
export type DesignCost = DesignPoint & {
  /** Energy per inference (array logic; no memories) when the energy model holds the design. */
  energy?: ArrayEnergy;
  /** The energy model's refusal (one line naming the parameter) when it does not. */
  energyRefused?: string;
};

/**
 * Area, cycles and operations per area of one design on one network. `workload` holds the
 * network's conv/linear layers in the design's layer order, each with the count-operand magnitudes
 * that layer runs with at its own N (nn's quantised integer weights). Equal, for a uniform design,
 * to the matching side of `evaluateScenario` ("fixed-precision", or "precision-flexible" with
 * builtBits = maxBits); tested so.
 */
export function evaluateDesignCost(
  d: Design,
  workload: readonly LayerWorkload[],
  options: DesignCostOptions,
): DesignCost {
  checkDesign(d);
  if (workload.length !== d.layers.length || workload.some((w, i) => w.name !== d.layers[i]!.name)) {
    throw new RangeError(
      `workload layers (${workload.map((w) => w.name).join(", ")}) must be the design's layers (${d.layers.map((l) => l.name).join(", ")})`,
    );
  }
  const spec = {
    bits: d.builtBits,
    maxFanIn: maxFanIn(workload),
    registers: options.registers,
    technology: options.technology,
    parallel: d.parallel,
    memoryBits: options.memoryBits,
    units: d.units,
    lanesPerUnit: d.lanesPerUnit,
  };
  const area = d.design === "sc" ? scArrayArea(options.costs, spec) : binaryArrayArea(options.costs, spec);
  const lat = networkCycles(workload, {
    ...options.scheduling,
    units: d.units,
    lanesPerUnit: d.lanesPerUnit,
    parallel: d.design === "sc" ? d.parallel : 1,
  });
  const point = designPoint(
    area,
    {
      builtBits: d.builtBits,
      runBits: designMaxBits(d),
      units: d.units,
      lanesPerUnit: d.lanesPerUnit,
      parallel: d.parallel,
    },
    lat.macs,
    d.design === "sc" ? lat.scCycles : lat.binaryCycles,
    designClockHz({ clock: options.clock, clockHz: d.clockHz }, area),
  );
  if (!options.energy) return point;
  // Energy rows are those of the built precision; each layer's weight steps and stream cycles come
  // from its own workload (its N), as for latency.
  try {
    return { ...point, energy: designPointEnergy(options.energy, area, point, workload) };
  } catch (e) {
    if (e instanceof CostRefusal) return { ...point, energyRefused: e.message };
    throw e;
  }
}
