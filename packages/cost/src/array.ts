import type { ComponentCost, ComponentQuery } from "./component.ts";

/** Anything that estimates components (a CostRegistry, or a single CostModel). */
export interface ComponentCostSource {
  estimate(query: ComponentQuery): ComponentCost;
}

/**
 * Register policy, applied identically to the SC and the binary array:
 * - `io`: one activation register per lane (N magnitude bits + sign) and one weight register per
 *   unit (N + 1 bits) feeding the broadcast;
 * - `none`: registers excluded (only the arithmetic is compared).
 * On-chip memories (weight / activation buffers) are excluded in both designs: they are binary on
 * both sides and equal for equal storage.
 */
export type RegisterPolicy = "io" | "none";

export interface ArraySpec {
  /** P: BISC-MVM units (binary: lane groups sharing one broadcast weight). */
  units: number;
  /** M: lanes per unit. */
  lanesPerUnit: number;
  /** N: magnitude bits the hardware is built for. */
  bits: number;
  /** b: SC stream bits per cycle (power of two); ignored by the binary array. */
  parallel?: number;
  /** Largest dot-product length (fan-in) the accumulators must hold without overflow. */
  maxFanIn: number;
  registers?: RegisterPolicy;
  technology?: string;
}

export interface AreaPart {
  /** What the part is ("lane: up/down counter", "unit: shared down counter + SNG counter", …). */
  part: string;
  /** How many copies in the array. */
  count: number;
  areaEachUm2: number;
  areaUm2: number;
  model: string;
}

export interface ArrayArea {
  design: "sc" | "binary";
  areaUm2: number;
  /** Area of one lane (its own parts only). */
  laneAreaUm2: number;
  /** Area shared per unit (divided by M it is the lane's share). */
  unitSharedAreaUm2: number;
  lanes: number;
  accBits: number;
  parts: AreaPart[];
}

function checkPositiveInt(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${String(v)}`);
}

/** ceil(log2(n)) for n ≥ 1. */
export function ceilLog2(n: number): number {
  checkPositiveInt(n, "ceilLog2(n)");
  return Math.ceil(Math.log2(n) - 1e-12);
}

/** SC up/down counter width for a fan-in: N + ceil(log2 fanIn) + 1 (sum of |x·w|/2^N ≤ fanIn·2^N, plus sign). */
export function scAccumulatorBits(bits: number, maxFanIn: number): number {
  return bits + ceilLog2(maxFanIn) + 1;
}

/** Binary accumulator width: 2N + ceil(log2 fanIn) + 1 (2N-bit products, plus sign). */
export function binaryAccumulatorBits(bits: number, maxFanIn: number): number {
  return 2 * bits + ceilLog2(maxFanIn) + 1;
}

function checkSpec(spec: ArraySpec): void {
  checkPositiveInt(spec.units, "array.units (P)");
  checkPositiveInt(spec.lanesPerUnit, "array.lanesPerUnit (M)");
  checkPositiveInt(spec.bits, "array.bits (N)");
  checkPositiveInt(spec.maxFanIn, "array.maxFanIn");
  if (spec.registers !== undefined && spec.registers !== "io" && spec.registers !== "none") {
    throw new RangeError(`array.registers must be "io" or "none", got ${String(spec.registers)}`);
  }
}

function part(source: ComponentCostSource, label: string, count: number, q: ComponentQuery): AreaPart {
  const c = source.estimate(q);
  return { part: label, count, areaEachUm2: c.areaUm2, areaUm2: c.areaUm2 * count, model: c.model };
}

function total(design: "sc" | "binary", spec: ArraySpec, accBits: number, laneParts: AreaPart[], unitParts: AreaPart[]): ArrayArea {
  const parts = [...unitParts, ...laneParts];
  return {
    design,
    areaUm2: parts.reduce((s, p) => s + p.areaUm2, 0),
    laneAreaUm2: laneParts.reduce((s, p) => s + p.areaEachUm2, 0),
    unitSharedAreaUm2: unitParts.reduce((s, p) => s + p.areaEachUm2, 0),
    lanes: spec.units * spec.lanesPerUnit,
    accBits,
    parts,
  };
}

/**
 * SC array: P BISC-MVM units x M lanes. Per unit: shared down counter + SNG counter/FSM (+ weight
 * register); per lane: SNG multiplexer or b-parallel front, up/down counter sized for maxFanIn
 * (+ activation register).
 */
export function scArrayArea(source: ComponentCostSource, spec: ArraySpec): ArrayArea {
  checkSpec(spec);
  const { units: P, lanesPerUnit: M, bits: N, technology } = spec;
  const b = spec.parallel ?? 1;
  const accBits = scAccumulatorBits(N, spec.maxFanIn);
  const regs = (spec.registers ?? "io") === "io";
  const unitParts = [part(source, "unit: shared down counter + SNG counter", P, { kind: "sc-unit-shared", bits: N, parallel: b, technology })];
  if (regs) unitParts.push(part(source, "unit: weight register", P, { kind: "register", widthBits: N + 1, technology }));
  const laneParts = [
    part(source, b === 1 ? "lane: SNG multiplexer" : `lane: ${b}-parallel stream front`, P * M, { kind: "sc-stream-front", bits: N, parallel: b, technology }),
    part(source, "lane: up/down counter", P * M, { kind: "updown-counter", accBits, parallel: b, technology }),
  ];
  if (regs) laneParts.push(part(source, "lane: activation register", P * M, { kind: "register", widthBits: N + 1, technology }));
  return total("sc", spec, accBits, laneParts, unitParts);
}

/** Binary array: P units x M lanes of N x N multiplier + add/sub + accumulator register. */
export function binaryArrayArea(source: ComponentCostSource, spec: ArraySpec): ArrayArea {
  checkSpec(spec);
  const { units: P, lanesPerUnit: M, bits: N, technology } = spec;
  const accBits = binaryAccumulatorBits(N, spec.maxFanIn);
  const regs = (spec.registers ?? "io") === "io";
  const unitParts: AreaPart[] = regs ? [part(source, "unit: weight register", P, { kind: "register", widthBits: N + 1, technology })] : [];
  const laneParts = [
    part(source, "lane: multiplier", P * M, { kind: "multiplier", bits: N, technology }),
    part(source, "lane: accumulator (add/sub + register)", P * M, { kind: "accumulator", bits: N, accBits, technology }),
  ];
  if (regs) laneParts.push(part(source, "lane: activation register", P * M, { kind: "register", widthBits: N + 1, technology }));
  return total("binary", spec, accBits, laneParts, unitParts);
}
