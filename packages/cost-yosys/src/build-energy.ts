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
 * - binary lane (multiplier + accumulator): energyPerActionJ = mean energy of a MAC cycle;
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
import { driveBiscDot } from "./verilog/sc-driver.ts";
import { biscMacName, biscMacVerilog } from "./verilog/sc-lane.ts";

export interface EnergyTableEntry {
  kind: ComponentQuery["kind"];
  bits: number;
  parallel?: number;
  accBits?: number;
  /** accumulator only: product width when not the exact 2N (the iso-bisc lane's N-bit counts). */
  productBits?: number;
  widthBits?: number;
  /**
   * The lane the row was simulated in when a component's activity there differs from its home
   * lane: "bit-serial" for the Stripes-like lane's multiplier and accumulator (energy per lane
   * cycle, n cycles per MAC). Absent: the SC lane, the exact / iso-bisc one-cycle lanes, registers.
   */
  lane?: "bit-serial" | "sc-lfsr" | "sc-sobol";
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
}

/** Identity of an energy row (kind and every key field): rows of a rebuilt subset replace the same keys. */
export function energyEntryKey(e: EnergyTableEntry): string {
  return [e.kind, e.bits, e.parallel, e.accBits, e.productBits, e.widthBits, e.lane, e.sng]
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

async function binaryRows(
  lib: ReturnType<typeof parseLibertyPower>,
  text: string,
  N: number,
  A: number,
  ops: OperandSet,
  a: EnergyAssumptions,
): Promise<EnergyTableEntry[]> {
  const top = binaryMacName(N, A);
  const { json } = await synthesizeMappedJson({ top, source: binaryMacVerilog(N, A) }, text, { hierarchical: true });
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
    kind,
    bits: N,
    ...(kind === "accumulator" ? { accBits: A } : {}),
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
  for (const g of grid) {
    const ops = operands(g.bits);
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
