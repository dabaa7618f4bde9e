/**
 * Builds the energy table: each lane design is synthesized like its area rows (hierarchically, so
 * every component keeps its own mapped netlist), clocked in EnergySim on operand sequences from
 * real networks, and each component's energy is recorded:
 *
 * - SC lane (shared unit + stream front + up/down counter), driven as the array's sequencer does
 *   (driveBiscDot: the next weight loads in the last stream cycle): a weight step is
 *   k = max(1, ceil(|w|/b)) cycles (its stream cycles; a zero weight: its 1 load cycle); per
 *   component the step energies are fitted as E(step) = energyPerStepJ + k · energyPerActionJ
 *   (least squares over all steps but each sequence's first, whose fill cycle is not a step), so
 *   energyPerActionJ is per busy cycle of the lane (stream cycles and zero-weight load cycles);
 * - binary lane (multiplier + accumulator; the truncated multiplier's lane alike): energyPerActionJ =
 *   mean energy of a MAC cycle;
 * - bit-fusion lane (fusion multiplier + signed accumulator, operand registers of 3B² bits), per
 *   built precision N and run precision n (its mode, fusion.ts): energyPerActionJ = mean energy of a
 *   lane cycle adding r = ⌊B/s⌋² terms (a dot product's last cycle zero-padded), of a register load
 *   of r packed operands;
 * - register: energyPerActionJ = mean energy of a load of a new operand (activation and weight
 *   sequences alike);
 * - idleEnergyPerCycleJ: the component clocked with its inputs held and nothing enabled
 *   (clock pins and leakage only; no clock gating);
 * - leakageW: Σ cell_leakage_power.
 */
import type { ComponentQuery } from "@sccnn/cost";
import { EnergySim, DEFAULT_ENERGY_ASSUMPTIONS, type EnergyAssumptions } from "./energy-sim.ts";
import type { ResolvedLibrary } from "./liberty.ts";
import { parseLibertyPower } from "./liberty-power.ts";
import { ABC_SCRIPT, SYNTH_SCRIPT, synthesizeMappedJson, YOSYS_VERSION } from "./synthesize.ts";
import {
  binaryMacName,
  binaryMacVerilog,
  bitSerialMacName,
  bitSerialMacVerilog,
  registerName,
  registerVerilog,
} from "./verilog/binary-lane.ts";
import { type ConventionalSng, convMacName, convMacVerilog } from "./verilog/conventional-lane.ts";
import { isoMacName, isoMacVerilog } from "./verilog/iso-lane.ts";
import {
  fusionBricks,
  fusionBusBits,
  fusionGroups,
  fusionMacName,
  fusionMacVerilog,
  fusionMode,
} from "./verilog/fusion-lane.ts";
import { driveBiscDot } from "./verilog/sc-driver.ts";
import { biscMacName, biscMacVerilog } from "./verilog/sc-lane.ts";
import { truncMacName, truncMacVerilog } from "./verilog/trunc-lane.ts";

/** Binary lanes whose rows are simulated in their own lane (see EnergyTableEntry.lane). */
export type EnergyRowLane = "bit-serial" | "sc-lfsr" | "sc-sobol" | "bit-fusion" | `trunc-g${number}`;

export interface EnergyTableEntry {
  kind: ComponentQuery["kind"];
  bits: number;
  parallel?: number;
  accBits?: number;
  /** accumulator only: product width when not the exact 2N (the iso-bisc lane's N-bit counts). */
  productBits?: number;
  widthBits?: number;
  /** trunc-multiplier only: guard bits g. */
  guardBits?: number;
  /** bit-fusion rows only: the run precision n (the lane's mode and operand packing); bits is the built N. */
  runBits?: number;
  /**
   * The lane the row was simulated in when a component's activity there differs from its home
   * lane: "bit-serial" for the Stripes-like lane's multiplier and accumulator (energy per lane
   * cycle, n cycles per MAC), "trunc-g<g>" for the accumulator of truncated products,
   * "bit-fusion" for the fusion lane's accumulator and operand registers. Absent: the SC lane, the
   * exact / iso-bisc one-cycle lanes, their registers.
   */
  lane?: EnergyRowLane;
  /** conventional SC rows (sc-conv-*): the random source. */
  sng?: ConventionalSng;
  /** Energy per active cycle (SC: busy cycle, stream or zero-weight load; binary: MAC cycle; register: load), J. */
  energyPerActionJ: number;
  /** SC only: energy per weight step beyond its stream cycles (the load cycle), J. */
  energyPerStepJ?: number;
  /** Clocked with nothing enabled, J per cycle (leakage excluded). */
  idleEnergyPerCycleJ: number;
  leakageW: number;
  cellCount: number;
  /** Cycles simulated for this row. */
  cycles: number;
}

export interface EnergyTable {
  technology: string;
  library: string;
  supplyV: number;
  assumptions: EnergyAssumptions & { wires: string; delays: string; clock: string };
  operands: { source: string; sequences: number; steps: number; seed: number };
  provenance: {
    tool: string;
    toolVersion: string;
    script: string[];
    abcScript: string;
    date: string;
    regenerate: string;
  };
  entries: EnergyTableEntry[];
}

export interface OperandSet {
  /** Signed integer (activation, weight) sequences at N bits, one per sampled lane dot product. */
  sequences: { x: number[]; w: number[] }[];
}

export interface EnergyGridPoint {
  bits: number;
  parallel: readonly number[];
  scAccBits: readonly number[];
  binaryAccBits: readonly number[];
  /** Accumulator widths of the iso-bisc lane (N-bit products); absent or empty: no iso rows. */
  isoAccBits?: readonly number[];
  /** Accumulator widths of the bit-serial lane (exact 2N-bit products); absent or empty: none. */
  bitSerialAccBits?: readonly number[];
  /** Register rows (default true). */
  register?: boolean;
  /** Conventional SC lanes (comparator SNGs) and their up/down counter widths; absent: none. */
  conventional?: { sngs: readonly ConventionalSng[]; accBits: readonly number[] };
  /** Truncated-multiplier lanes (guard bits g < N) with their accumulator widths; absent: none. */
  trunc?: readonly { guard: number; accBits: number }[];
  /**
   * Bit-fusion lanes built for N: accumulator widths and the run precisions n ≤ N simulated (each
   * with operands quantised at n, packed for its mode); absent: none. Every run precision adds a
   * row of the fusion operand register (3B² bits).
   */
  fusion?: { accBits: readonly number[]; runBits: readonly number[] };
}

/** Identity of an energy row (kind and every key field): rows of a rebuilt subset replace the same keys. */
export function energyEntryKey(e: EnergyTableEntry): string {
  return [e.kind, e.bits, e.parallel, e.accBits, e.productBits, e.widthBits, e.lane, e.sng, e.guardBits, e.runBits]
    .map((v) => v ?? "")
    .join("/");
}

/**
 * Merges rebuilt rows into an existing table's: a new row replaces the old row with the same key,
 * every other old row is kept (order: old rows in place, new keys appended).
 */
export function mergeEnergyEntries(
  old: readonly EnergyTableEntry[],
  fresh: readonly EnergyTableEntry[],
): EnergyTableEntry[] {
  const byKey = new Map(fresh.map((e) => [energyEntryKey(e), e]));
  const out = old.map((e) => {
    const k = energyEntryKey(e);
    const n = byKey.get(k);
    if (n) byKey.delete(k);
    return n ?? e;
  });
  return [...out, ...byKey.values()];
}

function fit(points: { k: number; e: number }[]): { perStep: number; perCycle: number } {
  const n = points.length;
  const mk = points.reduce((s, p) => s + p.k, 0) / n;
  const me = points.reduce((s, p) => s + p.e, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.k - mk) ** 2;
    sxy += (p.k - mk) * (p.e - me);
  }
  if (sxx < 1e-9 * n) {
    // Every step had the same length: split evenly over its cycles.
    const perCycle = me / (mk + 1);
    return { perStep: perCycle, perCycle };
  }
  const perCycle = sxy / sxx;
  const perStep = me - perCycle * mk;
  if (perStep >= 0) return { perStep, perCycle };
  // a negative step energy is not physical: least squares with the intercept held at 0
  let skk = 0;
  let ske = 0;
  for (const p of points) {
    skk += p.k * p.k;
    ske += p.k * p.e;
  }
  return { perStep: 0, perCycle: ske / skk };
}

const mag = (v: number) => Math.abs(v);
const sgn = (v: number) => (v < 0 ? 1 : 0);

async function scRows(
  lib: ReturnType<typeof parseLibertyPower>,
  text: string,
  N: number,
  b: number,
  A: number,
  ops: OperandSet,
  a: EnergyAssumptions,
): Promise<EnergyTableEntry[]> {
  const top = biscMacName(N, b, A);
  const { json } = await synthesizeMappedJson({ top, source: biscMacVerilog(N, b, A) }, text, { hierarchical: true });
  const sim = new EnergySim(json, top, lib, a);
  const comps = ["shared", "front", "counter"] as const;
  const pts: Record<string, { k: number; e: number }[]> = { shared: [], front: [], counter: [] };
  let cycles = 0;
  for (const seq of ops.sequences) {
    sim.set("load", 0);
    sim.set("clear", 1);
    sim.clock();
    sim.set("clear", 0);
    sim.take();
    // the fill cycle (first weight into the empty unit) is not a step: dropped at the first step
    let fill = true;
    driveBiscDot(sim, seq.x, seq.w, (i) => {
      const e = sim.take();
      if (fill) {
        fill = false;
        return;
      }
      // the step's cycles: its stream cycles, or the one load cycle of a zero weight
      const k = Math.max(1, Math.ceil(mag(seq.w[i]!) / b));
      cycles += e.cycles;
      for (const c of comps) pts[c]!.push({ k, e: e.byComponentJ[c] ?? 0 });
    });
  }
  sim.take();
  for (let i = 0; i < 64; i++) sim.clock();
  const idle = sim.take();
  const leak = sim.leakageByComponentW;
  const cells = countCells(json, top);
  const row = (
    c: (typeof comps)[number],
    q: Omit<EnergyTableEntry, "energyPerActionJ" | "idleEnergyPerCycleJ" | "leakageW" | "cellCount" | "cycles">,
  ): EnergyTableEntry => {
    const f = fit(pts[c]!);
    return {
      ...q,
      energyPerActionJ: f.perCycle,
      energyPerStepJ: f.perStep,
      idleEnergyPerCycleJ: (idle.byComponentJ[c] ?? 0) / idle.cycles,
      leakageW: leak[c] ?? 0,
      cellCount: cells[c] ?? 0,
      cycles,
    };
  };
  return [
    row("shared", { kind: "sc-unit-shared", bits: N, parallel: b, accBits: A }),
    row("front", { kind: "sc-stream-front", bits: N, parallel: b, accBits: A }),
    row("counter", { kind: "updown-counter", bits: N, parallel: b, accBits: A }),
  ];
}

function countCells(json: string, top: string): Record<string, number> {
  const mod = (JSON.parse(json) as { modules: Record<string, { cells: Record<string, { type: string }> }> }).modules[
    top
  ]!;
  const out: Record<string, number> = {};
  for (const [name, c] of Object.entries(mod.cells)) {
    if (c.type === "$scopeinfo") continue;
    const m = /^\\?([^$.][^.]*)\./.exec(name.replace(/^\$flatten\\/, ""));
    const comp = m ? m[1]! : "";
    out[comp] = (out[comp] ?? 0) + 1;
  }
  return out;
}

/**
 * The one-cycle binary lane (multiplier + add/sub accumulator): the exact multiplier, or with
 * `guard` the truncated multiplier keeping g guard bits (trunc-lane.ts), whose accumulator adds
 * (N + g)-bit products (row lane trunc-g<g>).
 */
async function binaryRows(
  lib: ReturnType<typeof parseLibertyPower>,
  text: string,
  N: number,
  A: number,
  ops: OperandSet,
  a: EnergyAssumptions,
  guard?: number,
): Promise<EnergyTableEntry[]> {
  const trunc = guard !== undefined;
  const top = trunc ? truncMacName(N, guard, A) : binaryMacName(N, A);
  const source = trunc ? truncMacVerilog(N, guard, A) : binaryMacVerilog(N, A);
  const { json } = await synthesizeMappedJson({ top, source }, text, { hierarchical: true });
  const sim = new EnergySim(json, top, lib, a);
  let cycles = 0;
  const sum: Record<string, number> = { mul: 0, accu: 0 };
  for (const seq of ops.sequences) {
    sim.set("en", 0);
    sim.set("clear", 1);
    sim.clock();
    sim.set("clear", 0);
    sim.set("en", 1);
    sim.take();
    for (let i = 0; i < seq.x.length; i++) {
      sim.set("x", mag(seq.x[i]!));
      sim.set("sx", sgn(seq.x[i]!));
      sim.set("w", mag(seq.w[i]!));
      sim.set("sw", sgn(seq.w[i]!));
      sim.clock();
    }
    const e = sim.take();
    cycles += e.cycles;
    for (const c of ["mul", "accu"]) sum[c]! += e.byComponentJ[c] ?? 0;
  }
  sim.set("en", 0);
  sim.clock();
  sim.take();
  for (let i = 0; i < 64; i++) sim.clock();
  const idle = sim.take();
  const cells = countCells(json, top);
  const row = (c: string, kind: "multiplier" | "accumulator"): EnergyTableEntry => ({
    kind: kind === "multiplier" && trunc ? "trunc-multiplier" : kind,
    bits: N,
    ...(kind === "multiplier" && trunc ? { guardBits: guard } : {}),
    ...(kind === "accumulator" ? { accBits: A } : {}),
    ...(kind === "accumulator" && trunc ? { productBits: N + guard, lane: `trunc-g${guard}` as const } : {}),
    energyPerActionJ: sum[c]! / cycles,
    idleEnergyPerCycleJ: (idle.byComponentJ[c] ?? 0) / idle.cycles,
    leakageW: sim.leakageByComponentW[c] ?? 0,
    cellCount: cells[c] ?? 0,
    cycles,
  });
  return [row("mul", "multiplier"), row("accu", "accumulator")];
}

/**
 * The iso-bisc lane (per-unit recoder + per-lane triangular product array + accumulator of N-bit
 * products), one MAC per cycle as the exact lane: per component the mean energy of a MAC cycle.
 */
async function isoRows(
  lib: ReturnType<typeof parseLibertyPower>,
  text: string,
  N: number,
  A: number,
  ops: OperandSet,
  a: EnergyAssumptions,
): Promise<EnergyTableEntry[]> {
  const top = isoMacName(N, A);
  const { json } = await synthesizeMappedJson({ top, source: isoMacVerilog(N, A) }, text, { hierarchical: true });
  const sim = new EnergySim(json, top, lib, a);
  const comps = ["rec", "mul", "accu"] as const;
  const sum: Record<string, number> = { rec: 0, mul: 0, accu: 0 };
  let cycles = 0;
  for (const seq of ops.sequences) {
    sim.set("en", 0);
    sim.set("clear", 1);
    sim.clock();
    sim.set("clear", 0);
    sim.set("en", 1);
    sim.take();
    for (let i = 0; i < seq.x.length; i++) {
      sim.set("x", mag(seq.x[i]!));
      sim.set("sx", sgn(seq.x[i]!));
      sim.set("w", mag(seq.w[i]!));
      sim.set("sw", sgn(seq.w[i]!));
      sim.clock();
    }
    const e = sim.take();
    cycles += e.cycles;
    for (const c of comps) sum[c]! += e.byComponentJ[c] ?? 0;
  }
  sim.set("en", 0);
  sim.clock();
  sim.take();
  for (let i = 0; i < 64; i++) sim.clock();
  const idle = sim.take();
  const cells = countCells(json, top);
  const row = (c: (typeof comps)[number], q: Pick<EnergyTableEntry, "kind" | "accBits" | "productBits">) => ({
    ...q,
    bits: N,
    energyPerActionJ: sum[c]! / cycles,
    idleEnergyPerCycleJ: (idle.byComponentJ[c] ?? 0) / idle.cycles,
    leakageW: sim.leakageByComponentW[c] ?? 0,
    cellCount: cells[c] ?? 0,
    cycles,
  });
  return [
    row("rec", { kind: "iso-recoder" }),
    row("mul", { kind: "iso-multiplier" }),
    row("accu", { kind: "accumulator", accBits: A, productBits: N }),
  ];
}

/**
 * The bit-serial (Stripes-like) lane at run precision N: per MAC a load cycle (which also adds the
 * previous product) and N − 1 shift-add cycles. Its multiplier and accumulator rows are energy per
 * lane cycle (the accumulator's adder sees the serial product change every cycle, enabled or not),
 * marked lane "bit-serial" (the accumulator module is the exact lane's, its activity is not).
 */
async function bitSerialRows(
  lib: ReturnType<typeof parseLibertyPower>,
  text: string,
  N: number,
  A: number,
  ops: OperandSet,
  a: EnergyAssumptions,
): Promise<EnergyTableEntry[]> {
  const top = bitSerialMacName(N, A);
  const { json } = await synthesizeMappedJson({ top, source: bitSerialMacVerilog(N, A) }, text, {
    hierarchical: true,
  });
  const sim = new EnergySim(json, top, lib, a);
  const comps = ["mul", "accu"] as const;
  const sum: Record<string, number> = { mul: 0, accu: 0 };
  let cycles = 0;
  for (const seq of ops.sequences) {
    sim.set("load", 0);
    sim.set("en", 0);
    sim.set("clear", 1);
    sim.clock();
    sim.set("clear", 0);
    sim.take();
    for (let i = 0; i < seq.x.length; i++) {
      sim.set("x", mag(seq.x[i]!));
      sim.set("sx", sgn(seq.x[i]!));
      sim.set("w", mag(seq.w[i]!));
      sim.set("sw", sgn(seq.w[i]!));
      sim.set("load", 1);
      sim.set("en", i > 0 ? 1 : 0);
      sim.clock();
      sim.set("load", 0);
      sim.set("en", 0);
      for (let c = 1; c < N; c++) sim.clock();
    }
    sim.set("en", 1);
    sim.clock();
    sim.set("en", 0);
    const e = sim.take();
    // the closing add is the last MAC's accumulate; the cycles counted are the N per MAC
    cycles += seq.x.length * N;
    for (const c of comps) sum[c]! += e.byComponentJ[c] ?? 0;
  }
  sim.clock();
  sim.take();
  for (let i = 0; i < 64; i++) sim.clock();
  const idle = sim.take();
  const cells = countCells(json, top);
  const row = (c: (typeof comps)[number], q: Pick<EnergyTableEntry, "kind" | "accBits">): EnergyTableEntry => ({
    ...q,
    bits: N,
    lane: "bit-serial",
    energyPerActionJ: sum[c]! / cycles,
    idleEnergyPerCycleJ: (idle.byComponentJ[c] ?? 0) / idle.cycles,
    leakageW: sim.leakageByComponentW[c] ?? 0,
    cellCount: cells[c] ?? 0,
    cycles,
  });
  return [row("mul", { kind: "bitserial-multiplier" }), row("accu", { kind: "accumulator", accBits: A })];
}

/** Cycle budget of one conventional-lane row: 2^N cycles per step, so long sequences are cut. */
const CONVENTIONAL_CYCLES = 300_000;

/**
 * The conventional SC lane (comparator SNGs, AND, up/down counter; sc-core's lfsr / sobol), driven
 * as the BISC lane (driveBiscDot: 2^N cycles per step, the next weight loading in the last). Every
 * part works every cycle of a step, so each row is energy per lane cycle (the fill cycle excluded).
 * Each sequence is cut to its first max(2, ⌊300 000 / (sequences · 2^N)⌋) steps.
 */
async function conventionalRows(
  lib: ReturnType<typeof parseLibertyPower>,
  text: string,
  N: number,
  sng: ConventionalSng,
  A: number,
  ops: OperandSet,
  a: EnergyAssumptions,
): Promise<EnergyTableEntry[]> {
  const top = convMacName(N, sng, A);
  const { json } = await synthesizeMappedJson({ top, source: convMacVerilog(N, sng, A) }, text, {
    hierarchical: true,
  });
  const sim = new EnergySim(json, top, lib, a);
  const comps = ["shared", "front", "counter"] as const;
  const sum: Record<string, number> = { shared: 0, front: 0, counter: 0 };
  const perSeq = Math.max(2, Math.floor(CONVENTIONAL_CYCLES / (ops.sequences.length * 2 ** N)));
  let cycles = 0;
  for (const seq of ops.sequences) {
    sim.set("load", 0);
    sim.set("clear", 1);
    sim.clock();
    sim.set("clear", 0);
    sim.take();
    let fill = true;
    driveBiscDot(sim, seq.x.slice(0, perSeq), seq.w.slice(0, perSeq), () => {
      const e = sim.take();
      if (fill) {
        fill = false;
        return;
      }
      cycles += e.cycles;
      for (const c of comps) sum[c]! += e.byComponentJ[c] ?? 0;
    });
  }
  sim.take();
  for (let i = 0; i < 64; i++) sim.clock();
  const idle = sim.take();
  const cells = countCells(json, top);
  const row = (
    c: (typeof comps)[number],
    q: Pick<EnergyTableEntry, "kind" | "accBits" | "parallel" | "sng" | "lane">,
  ) => ({
    ...q,
    bits: N,
    energyPerActionJ: sum[c]! / cycles,
    idleEnergyPerCycleJ: (idle.byComponentJ[c] ?? 0) / idle.cycles,
    leakageW: sim.leakageByComponentW[c] ?? 0,
    cellCount: cells[c] ?? 0,
    cycles,
  });
  return [
    row("shared", { kind: "sc-conv-shared", sng }),
    row("front", { kind: "sc-conv-front", sng }),
    row("counter", { kind: "updown-counter", parallel: 1, accBits: A, lane: `sc-${sng}` }),
  ];
}

/**
 * One cycle's operands of a bit-fusion lane in mode s (r = ⌊B/s⌋² groups): bits of the magnitude
 * bus (group g's |v| at bits 2s·g…), then of the sign bus (bit g), as the fusion multiplier's
 * ports and the operand register (3B² bits: magnitudes then signs) hold them; groups past the
 * chunk's end are zero.
 */
function fusionWord(N: number, side: number, chunk: readonly number[]): { mag: number[]; sign: number[] } {
  const mag = new Array<number>(fusionBusBits(N)).fill(0);
  const sign = new Array<number>(fusionGroups(N)).fill(0);
  chunk.forEach((v, g) => {
    const m = Math.abs(v);
    for (let k = 0; k < 2 * side; k++) mag[2 * side * g + k] = Math.floor(m / 2 ** k) % 2;
    sign[g] = v < 0 ? 1 : 0;
  });
  return { mag, sign };
}

/** A dot product's operands in chunks of r (the fusion lane's terms per cycle; the last chunk shorter). */
function chunks(xs: readonly number[], r: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < xs.length; i += r) out.push(xs.slice(i, i + r));
  return out;
}

/**
 * The bit-fusion lane built for N running at n (fusionMode): each cycle adds r = ⌊B/s⌋² terms of
 * the dot product (its groups' signed products summed by the brick array's tree) to the signed
 * accumulator. Rows per lane cycle, keyed by runBits n; plus the operand register's row (3B² bits,
 * a load per cycle of r packed activations or weights).
 */
async function fusionRows(
  lib: ReturnType<typeof parseLibertyPower>,
  text: string,
  N: number,
  A: number,
  runs: readonly { n: number; ops: OperandSet }[],
  a: EnergyAssumptions,
  withRegister: boolean,
): Promise<EnergyTableEntry[]> {
  const top = fusionMacName(N, A);
  const { json } = await synthesizeMappedJson({ top, source: fusionMacVerilog(N, A) }, text, { hierarchical: true });
  const sim = new EnergySim(json, top, lib, a);
  const cells = countCells(json, top);
  const W = 3 * fusionBricks(N) ** 2;
  const reg = withRegister ? await registerSim(lib, text, W, a) : null;
  const out: EnergyTableEntry[] = [];
  for (const { n, ops } of runs) {
    const mode = fusionMode(N, n);
    const r = mode.macsPerCycle;
    const sum: Record<string, number> = { mul: 0, accu: 0 };
    let cycles = 0;
    sim.set("mode", mode.index);
    for (const seq of ops.sequences) {
      sim.set("en", 0);
      sim.set("clear", 1);
      sim.clock();
      sim.set("clear", 0);
      sim.set("en", 1);
      sim.take();
      const xc = chunks(seq.x, r);
      const wc = chunks(seq.w, r);
      xc.forEach((xs, i) => {
        const x = fusionWord(N, mode.side, xs);
        const w = fusionWord(N, mode.side, wc[i]!);
        sim.setBits("x", x.mag);
        sim.setBits("sx", x.sign);
        sim.setBits("w", w.mag);
        sim.setBits("sw", w.sign);
        sim.clock();
      });
      const e = sim.take();
      cycles += e.cycles;
      for (const c of ["mul", "accu"]) sum[c]! += e.byComponentJ[c] ?? 0;
    }
    sim.set("en", 0);
    sim.clock();
    sim.take();
    for (let i = 0; i < 64; i++) sim.clock();
    const idle = sim.take();
    const row = (c: "mul" | "accu", q: Pick<EnergyTableEntry, "kind" | "accBits" | "productBits">) => ({
      ...q,
      bits: N,
      runBits: n,
      lane: "bit-fusion" as const,
      energyPerActionJ: sum[c]! / cycles,
      idleEnergyPerCycleJ: (idle.byComponentJ[c] ?? 0) / idle.cycles,
      leakageW: sim.leakageByComponentW[c] ?? 0,
      cellCount: cells[c] ?? 0,
      cycles,
    });
    out.push(
      row("mul", { kind: "fusion-multiplier" }),
      row("accu", { kind: "accumulator", accBits: A, productBits: 4 * fusionBricks(N) + 1 }),
    );
    if (reg) {
      const words: number[][] = [];
      for (const seq of ops.sequences)
        for (const vs of [seq.x, seq.w])
          for (const c of chunks(vs, r)) {
            const wd = fusionWord(N, mode.side, c);
            words.push([...wd.mag, ...wd.sign]);
          }
      out.push({ ...reg.row(words), bits: N, runBits: n, lane: "bit-fusion" });
    }
  }
  return out;
}

/**
 * A load-enabled register of W bits in EnergySim: row(words) loads each word (bit arrays) in turn
 * and gives the register row (energy per load, idle, leakage).
 */
async function registerSim(
  lib: ReturnType<typeof parseLibertyPower>,
  text: string,
  W: number,
  a: EnergyAssumptions,
): Promise<{ row: (words: readonly (readonly number[])[]) => Omit<EnergyTableEntry, "bits"> }> {
  const top = registerName(W);
  const { json, stat } = await synthesizeMappedJson({ top, source: registerVerilog(W) }, text);
  return {
    row(words) {
      const sim = new EnergySim(json, top, lib, a);
      sim.set("load", 1);
      for (const w of words) {
        sim.setBits("d", w);
        sim.clock();
      }
      const t = sim.take();
      sim.set("load", 0);
      sim.clock();
      sim.take();
      for (let i = 0; i < 64; i++) sim.clock();
      const idle = sim.take();
      return {
        kind: "register",
        widthBits: W,
        energyPerActionJ: t.dynamicJ / t.cycles,
        idleEnergyPerCycleJ: idle.dynamicJ / idle.cycles,
        leakageW: sim.leakageW,
        cellCount: stat.cellCount,
        cycles: t.cycles,
      };
    },
  };
}

async function registerRow(
  lib: ReturnType<typeof parseLibertyPower>,
  text: string,
  N: number,
  ops: OperandSet,
  a: EnergyAssumptions,
): Promise<EnergyTableEntry> {
  const W = N + 1;
  const top = registerName(W);
  const { json, stat } = await synthesizeMappedJson({ top, source: registerVerilog(W) }, text);
  const sim = new EnergySim(json, top, lib, a);
  const word = (v: number) => (sgn(v) << N) | mag(v);
  sim.set("load", 1);
  let e = 0;
  let cycles = 0;
  for (const seq of ops.sequences)
    for (const vs of [seq.x, seq.w]) {
      for (const v of vs) {
        sim.set("d", word(v));
        sim.clock();
      }
      const t = sim.take();
      e += t.dynamicJ;
      cycles += t.cycles;
    }
  sim.set("load", 0);
  sim.clock();
  sim.take();
  for (let i = 0; i < 64; i++) sim.clock();
  const idle = sim.take();
  return {
    kind: "register",
    bits: N,
    widthBits: W,
    energyPerActionJ: e / cycles,
    idleEnergyPerCycleJ: idle.dynamicJ / idle.cycles,
    leakageW: sim.leakageW,
    cellCount: stat.cellCount,
    cycles,
  };
}

/** Designs synthesized and simulated for one grid point (the progress total). */
export function energyGridSize(g: EnergyGridPoint): number {
  return (
    g.parallel.length * g.scAccBits.length +
    g.binaryAccBits.length +
    (g.isoAccBits?.length ?? 0) +
    (g.bitSerialAccBits?.length ?? 0) +
    (g.conventional ? g.conventional.sngs.length * g.conventional.accBits.length : 0) +
    (g.trunc?.length ?? 0) +
    (g.fusion?.accBits.length ?? 0) +
    ((g.register ?? true) ? 1 : 0)
  );
}

/** Energy rows of every grid point; `operands(N)` gives the real-network operand sequences at N. */
export async function buildEnergyTable(
  grid: readonly EnergyGridPoint[],
  library: ResolvedLibrary,
  operands: (bits: number) => OperandSet & { source: string; seed: number },
  opts: {
    date: string;
    assumptions?: EnergyAssumptions;
    onProgress?: (done: number, total: number, what: string) => void;
  },
): Promise<EnergyTable> {
  const lib = parseLibertyPower(library.text);
  const a = opts.assumptions ?? DEFAULT_ENERGY_ASSUMPTIONS;
  const entries: EnergyTableEntry[] = [];
  const total = grid.reduce((s, g) => s + energyGridSize(g), 0);
  let done = 0;
  let seqs = 0;
  let steps = 0;
  let source = "";
  let seed = 0;
  // operand sets per precision (the fusion lanes also run below their built N)
  const opsCache = new Map<number, ReturnType<typeof operands>>();
  const opsAt = (bits: number) => {
    let o = opsCache.get(bits);
    if (!o) opsCache.set(bits, (o = operands(bits)));
    return o;
  };
  for (const g of grid) {
    const ops = opsAt(g.bits);
    source = ops.source;
    seed = ops.seed;
    seqs += ops.sequences.length;
    steps += ops.sequences.reduce((s, q) => s + q.x.length, 0);
    for (const b of g.parallel)
      for (const A of g.scAccBits) {
        entries.push(...(await scRows(lib, library.text, g.bits, b, A, ops, a)));
        opts.onProgress?.(++done, total, `sc N=${g.bits} b=${b} A=${A}`);
      }
    for (const A of g.binaryAccBits) {
      entries.push(...(await binaryRows(lib, library.text, g.bits, A, ops, a)));
      opts.onProgress?.(++done, total, `binary N=${g.bits} A=${A}`);
    }
    for (const A of g.isoAccBits ?? []) {
      entries.push(...(await isoRows(lib, library.text, g.bits, A, ops, a)));
      opts.onProgress?.(++done, total, `iso-bisc N=${g.bits} A=${A}`);
    }
    for (const A of g.bitSerialAccBits ?? []) {
      entries.push(...(await bitSerialRows(lib, library.text, g.bits, A, ops, a)));
      opts.onProgress?.(++done, total, `bit-serial N=${g.bits} A=${A}`);
    }
    for (const t of g.trunc ?? []) {
      entries.push(...(await binaryRows(lib, library.text, g.bits, t.accBits, ops, a, t.guard)));
      opts.onProgress?.(++done, total, `trunc-g${t.guard} N=${g.bits} A=${t.accBits}`);
    }
    for (const [i, A] of (g.fusion?.accBits ?? []).entries()) {
      const runs = g.fusion!.runBits.map((n) => ({ n, ops: opsAt(n) }));
      // the operand register does not depend on the accumulator: one row set per N
      entries.push(...(await fusionRows(lib, library.text, g.bits, A, runs, a, i === 0)));
      opts.onProgress?.(++done, total, `bit-fusion N=${g.bits} A=${A}`);
    }
    for (const sng of g.conventional?.sngs ?? [])
      for (const A of g.conventional!.accBits) {
        entries.push(...(await conventionalRows(lib, library.text, g.bits, sng, A, ops, a)));
        opts.onProgress?.(++done, total, `sc-${sng} N=${g.bits} A=${A}`);
      }
    if (g.register ?? true) {
      entries.push(await registerRow(lib, library.text, g.bits, ops, a));
      opts.onProgress?.(++done, total, `register N=${g.bits}`);
    }
  }
  return {
    technology: library.technology,
    library: library.libertyPath,
    supplyV: a.supplyV ?? lib.nominalVoltageV,
    assumptions: {
      ...a,
      wires: "no wire capacitance (pin capacitances only), as the area and delay tables",
      delays: "zero-delay cycle simulation: no glitches counted",
      clock: "every flip-flop clocked every cycle, no clock gating, no clock tree",
    },
    operands: { source, sequences: seqs, steps, seed },
    provenance: {
      tool: "yosys (@yowasp/yosys) + EnergySim (packages/cost-yosys/src/energy-sim.ts)",
      toolVersion: YOSYS_VERSION,
      script: SYNTH_SCRIPT,
      abcScript: ABC_SCRIPT,
      date: opts.date,
      regenerate: `pnpm cost:energy --tech ${library.technology}`,
    },
    entries,
  };
}
