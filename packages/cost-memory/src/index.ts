/**
 * On-chip SRAM buffers for the arrays: a weight buffer holding every weight of the network and an
 * activation buffer holding the largest layer's input and output (ping-pong), both in words of
 * N + 1 bits (magnitude + sign). Priced from published figures, scaled to the node:
 *
 * - Energy per access: Horowitz, "Computing's energy problem (and what we can do about it)",
 *   ISSCC 2014, 45 nm, 0.9 V: a 64-bit SRAM read costs 10 pJ (8 KB), 20 pJ (32 KB), 100 pJ (1 MB);
 *   interpolated log-log in capacity (extrapolated with the end slopes from 1 KB to 4 MB, refused
 *   outside), proportional to the word width, writes priced as reads. Scaled to the node as
 *   dynamic energy ∝ C·V² with C ∝ feature size: × (L / 45 nm) · (V / 0.9 V)² (× 16 for 0.18 µm at
 *   1.8 V).
 * - Area: a 6T cell of 0.346 µm² at 45 nm (Intel 45 nm SRAM, Mistry et al., IEDM 2007) at 50 %
 *   array efficiency (decoders, sense amplifiers, I/O), scaled × (L / 45 nm)².
 * - Leakage: a 6T cell is counted as three minimum inverters' worth of off transistors, priced with
 *   the technology's INVX1 `cell_leakage_power` from its OSU Liberty file (osu018: 0.0221741 nW).
 *   An order-of-magnitude stand-in, not a measured SRAM figure; at these nodes it is far below the
 *   dynamic energy.
 *
 * Accesses per inference come from the array's dataflow (the same as latency.ts and energy.ts):
 * every weight step reads one weight (each unit its own), every lane holding an output pixel reads one activation per step
 * (no reuse between lanes or steps is modelled: an upper bound on activation reads), and every
 * output activation is written once. The counts are equal for SC and binary arrays of the same
 * shape and N, so memory adds the same energy to both sides at the same N.
 */
import {
  arrayActivity,
  CostRefusal,
  type ComponentCost,
  type ComponentQuery,
  type CostModel,
  type LayerWorkload,
} from "@sccnn/cost";

export interface MemoryTechnology {
  id: string;
  featureSizeM: number;
  supplyV: number;
  /** INVX1 leakage of the technology's Liberty file, W. */
  inverterLeakageW: number;
}

export const MEMORY_TECHNOLOGIES: Readonly<Record<string, MemoryTechnology>> = {
  osu018: { id: "osu018", featureSizeM: 0.18e-6, supplyV: 1.8, inverterLeakageW: 0.0221741e-9 },
  osu035: { id: "osu035", featureSizeM: 0.35e-6, supplyV: 3.3, inverterLeakageW: 0.0152465e-9 },
  osu050: { id: "osu050", featureSizeM: 0.5e-6, supplyV: 5, inverterLeakageW: 0.0305626e-9 },
};

/** Horowitz ISSCC 2014, 45 nm 0.9 V: (capacity bytes, J per 64-bit read). */
export const HOROWITZ_SRAM_64BIT: readonly [number, number][] = [
  [8 * 1024, 10e-12],
  [32 * 1024, 20e-12],
  [1024 * 1024, 100e-12],
];
const REF_L = 45e-9;
const REF_V = 0.9;
const CELL_UM2_45NM = 0.346;
const ARRAY_EFFICIENCY = 0.5;
const MIN_BYTES = 1024;
const MAX_BYTES = 4 * 1024 * 1024;

export const SOURCE =
  "Horowitz, ISSCC 2014 (45 nm SRAM read energies), Mistry et al., IEDM 2007 (0.346 µm² 6T cell), scaled to the node; leakage from the node's INVX1 Liberty leakage (3 inverters per cell)";

function tech(id: string | undefined, model: string): MemoryTechnology {
  const t = MEMORY_TECHNOLOGIES[id ?? "osu018"];
  if (!t)
    throw new CostRefusal(
      model,
      "technology",
      id,
      `SRAM figures are scaled only to ${Object.keys(MEMORY_TECHNOLOGIES).join(", ")}`,
    );
  return t;
}

/** Energy of a 64-bit read at 45 nm for a buffer of `bytes`, J (log-log interpolation). */
export function horowitzRead64J(bytes: number): number {
  const pts = HOROWITZ_SRAM_64BIT;
  const lx = Math.log(bytes);
  let i = 0;
  while (i < pts.length - 2 && lx > Math.log(pts[i + 1]![0])) i++;
  const [x0, y0] = pts[i]!;
  const [x1, y1] = pts[i + 1]!;
  const t = (lx - Math.log(x0)) / (Math.log(x1) - Math.log(x0));
  return Math.exp(Math.log(y0) + t * (Math.log(y1) - Math.log(y0)));
}

export interface SramCost {
  bits: number;
  areaUm2: number;
  /** Energy per bit accessed (read or write), J. */
  energyPerBitJ: number;
  leakageW: number;
}

/** Area, energy per bit accessed and leakage of an SRAM of `bits` in a technology. */
export function sramCost(bits: number, technology = "osu018", model = "sram-horowitz"): SramCost {
  const t = tech(technology, model);
  if (!Number.isInteger(bits) || bits < 1)
    throw new CostRefusal(model, "widthBits", bits, "SRAM capacity must be a positive integer of bits");
  const bytes = Math.max(bits / 8, 1);
  if (bytes > MAX_BYTES)
    throw new CostRefusal(
      model,
      "widthBits",
      bits,
      `beyond ${MAX_BYTES / 1024 / 1024} MB, where the published points end`,
    );
  const scale = (t.featureSizeM / REF_L) * (t.supplyV / REF_V) ** 2;
  const e64 = horowitzRead64J(Math.max(bytes, MIN_BYTES)) * scale;
  const areaPerBit = (CELL_UM2_45NM / ARRAY_EFFICIENCY) * (t.featureSizeM / REF_L) ** 2;
  return { bits, areaUm2: bits * areaPerBit, energyPerBitJ: e64 / 64, leakageW: bits * 3 * t.inverterLeakageW };
}

/** A CostModel for the `memory` kind (capacity in widthBits): area from the SRAM figures. */
export function sramModel(priority = 20): CostModel {
  const id = "sram-horowitz";
  return {
    id,
    description: "on-chip SRAM from published 45 nm figures scaled to the node",
    priority,
    estimate(q: ComponentQuery): ComponentCost {
      if (q.kind !== "memory") throw new CostRefusal(id, "kind", q.kind, "this model prices on-chip memories only");
      const t = tech(q.technology, id);
      const c = sramCost(q.widthBits ?? 0, t.id, id);
      return {
        areaUm2: c.areaUm2,
        model: id,
        referencePoint: {
          technology: t.id,
          library: "published SRAM figures",
          featureSizeM: t.featureSizeM,
          supplyV: t.supplyV,
        },
        provenance: { source: SOURCE },
      };
    },
  };
}

/** Buffer capacities of a network at N: all weights, and the largest layer input + output. */
export function networkBuffers(
  layers: readonly LayerWorkload[],
  bits: number,
): { weightBits: number; activationBits: number } {
  const word = bits + 1;
  let weights = 0;
  let act = 0;
  for (const l of layers) {
    const { N, C, K, P, Q, R, S } = l.dims;
    weights += l.weightMagnitudes.length;
    // Input extent from the output size and kernel as for stride 1 (LayerWorkload has no stride).
    const inputs = N * C * (l.kind === "conv" ? (P + R - 1) * (Q + S - 1) : 1);
    act = Math.max(act, inputs + N * K * P * Q);
  }
  return { weightBits: weights * word, activationBits: act * word };
}

export interface MemoryTraffic {
  weightReads: number;
  activationReads: number;
  activationWrites: number;
  wordBits: number;
}

/** Word accesses of one inference on an array of M lanes per unit (equal for SC and binary). */
export function memoryTraffic(
  layers: readonly LayerWorkload[],
  shape: { units: number; lanesPerUnit: number },
  bits: number,
): MemoryTraffic {
  const a = arrayActivity("binary", layers, { ...shape, cycles: 0 });
  let writes = 0;
  for (const l of layers) writes += l.dims.N * l.dims.K * l.dims.P * l.dims.Q;
  return {
    weightReads: a.unitSteps,
    activationReads: a.laneSteps,
    activationWrites: writes,
    wordBits: bits + 1,
  };
}

export interface MemoryEnergy {
  weightBufferBits: number;
  activationBufferBits: number;
  areaUm2: number;
  traffic: MemoryTraffic;
  dynamicJ: number;
  leakageJ: number;
  energyPerInferenceJ: number;
}

/** Area and energy per inference of the weight and activation buffers (seconds = inference time). */
export function memoryEnergy(
  layers: readonly LayerWorkload[],
  shape: { units: number; lanesPerUnit: number },
  run: { bits: number; seconds: number; technology?: string },
): MemoryEnergy {
  const buf = networkBuffers(layers, run.bits);
  const w = sramCost(buf.weightBits, run.technology);
  const a = sramCost(buf.activationBits, run.technology);
  const t = memoryTraffic(layers, shape, run.bits);
  const dynamicJ =
    t.weightReads * t.wordBits * w.energyPerBitJ +
    (t.activationReads + t.activationWrites) * t.wordBits * a.energyPerBitJ;
  const leakageJ = (w.leakageW + a.leakageW) * run.seconds;
  return {
    weightBufferBits: buf.weightBits,
    activationBufferBits: buf.activationBits,
    areaUm2: w.areaUm2 + a.areaUm2,
    traffic: t,
    dynamicJ,
    leakageJ,
    energyPerInferenceJ: dynamicJ + leakageJ,
  };
}
