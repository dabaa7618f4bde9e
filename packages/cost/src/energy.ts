/**
 * Energy per inference of an SC or binary array, composed from per-component energies the way
 * the area is composed from per-component areas (array.ts), with the activity of each part
 * counted from the same dataflow as the latency (latency.ts):
 *
 * - a weight step: a unit broadcasts one weight to its M lanes, which each take one activation;
 *   unit steps per inference = Σ_layers tiles · K · (C/groups · R · S), tiles = ⌈N·P·Q / M⌉;
 *   lanes without an output pixel in a tile (the last tile, fully-connected layers) are not
 *   enabled: they pay idle energy, so lane steps = MACs;
 * - SC: a step streams ⌈|w|/b⌉ cycles, the next weight loading in its last one (a zero weight: one
 *   load cycle, no stream cycle), as the generated lane runs them; binary: one MAC cycle
 *   (exact, iso-bisc, trunc-g<g>) or n lane cycles at run precision n (bit-serial: every lane part
 *   is active in each of them, energy rows per lane cycle); bit-fusion: one lane cycle per r terms
 *   of a dot product (r = ⌊B/s⌋² MACs per cycle in the run's mode, fusion.ts), so its steps are
 *   lane cycles, ⌈terms / r⌉ per output, and its rows (per lane cycle and register load) are keyed
 *   by the run precision as well as the built one;
 * - every clocked part pays its idle energy (clock pins, no clock gating) in the cycles it is not
 *   busy; leakage is paid for the whole inference (cycles / f_clk).
 *
 * Per part: E = energyPerStepJ · steps + energyPerActionJ · busyCycles + idleEnergyPerCycleJ ·
 * (count · cycles − busyCycles), busy = activeCycles + zero-weight steps for SC compute parts (the
 * cycles the synthesized lane runs: a zero weight's step is its load cycle), = loads for registers,
 * = MAC cycles for binary parts. Memories are priced by a memory model (memory.ts), not here.
 *
 * Energy depends on the operands (their statistics at the run precision N), so energy models are
 * queried with `bits` set for every kind (the area key ignores it for the up/down counter and
 * registers); they refuse with a CostRefusal what they have no data for.
 */
import {
  type AreaPart,
  binaryCyclesPerMac,
  binaryMacsPerCycle,
  conventionalCyclesPerMac,
  truncBaselineGuard,
  type ArrayArea,
  type BinaryBaseline,
} from "./array.ts";
import type { ComponentQuery, Provenance, ReferencePoint } from "./component.ts";
import { layerMacs, type LayerWorkload } from "./latency.ts";
import { costMemo, MEMO_LIMIT, onClearCostMemos } from "./memo.ts";

export interface ComponentEnergy {
  /** Energy per active cycle: SC busy cycle (stream, or a zero weight's load), binary MAC cycle, register load, J. */
  energyPerActionJ: number;
  /** SC compute parts: energy per weight step beyond its active cycles (the load cycle), J. */
  energyPerStepJ?: number;
  /** Clocked but idle (inputs held, nothing enabled), J per cycle; leakage excluded. */
  idleEnergyPerCycleJ: number;
  leakagePowerW: number;
}

/** The lane a part sits in: BISC SC, conventional SC (its comparator SNG), or a binary baseline. */
export type EnergyLane = "sc" | "sc-lfsr" | "sc-sobol" | BinaryBaseline;

/** Energy of components, or a CostRefusal naming the parameter it has no data for. */
export interface EnergyModel {
  id: string;
  description: string;
  /** Library, supply, input transition, load and activity assumptions the energies refer to. */
  referencePoint: ReferencePoint & { assumptions: string };
  provenance: Provenance;
  /**
   * `lane`: the design the part sits in ("sc" or the binary baseline), for components whose
   * activity differs between lanes (the bit-serial lane's accumulator); models may ignore it.
   * `runBits`: only for the bit-fusion lane (its mode and operand packing follow the run
   * precision; `bits` is the precision it is built for).
   */
  energy(query: ComponentQuery & { bits: number; lane?: EnergyLane; runBits?: number }): ComponentEnergy;
}

/** Activity of one array over one inference (one copy). */
export interface ArrayActivity {
  design: "sc" | "binary";
  /** Cycles of the inference (latency of one copy). */
  cycles: number;
  /** Weight steps summed over the units (bit-fusion: lane cycles, r terms each). */
  unitSteps: number;
  /** SC: stream cycles summed over the units' steps (Σ ⌈|w|/b⌉); binary: equal to unitSteps. */
  unitActiveCycles: number;
  /** Weight steps summed over the lanes that hold an output pixel (= MACs; bit-fusion: lane cycles). */
  laneSteps: number;
  /** SC: stream cycles of those lanes; binary: equal to laneSteps. */
  laneActiveCycles: number;
  /** SC: weight steps of a zero weight (one load cycle, no stream cycle), summed over units / lanes. */
  unitZeroSteps: number;
  laneZeroSteps: number;
  lanesPerUnit: number;
  units: number;
  macs: number;
  /** Binary: lane cycles per MAC (bit-serial: the run precision n; else 1). SC: 1. */
  cyclesPerMac: number;
}

const streamCache = new WeakMap<ArrayLike<number>, Map<number, number>>();

/** Σ over a layer's weights of ⌈|w|/b⌉ (b > 0), or the count of zero weights (b = 0); memoised per weight array and b. */
function streamCycles(w: ArrayLike<number>, b: number): number {
  let m = streamCache.get(w);
  if (!m) streamCache.set(w, (m = new Map()));
  let s = m.get(b);
  if (s === undefined) {
    s = 0;
    if (b === 0) for (let i = 0; i < w.length; i++) s += w[i] === 0 ? 1 : 0;
    else for (let i = 0; i < w.length; i++) s += Math.ceil(w[i]! / b);
    m.set(b, s);
  }
  return s;
}

/** Counts the weight steps and active cycles of one inference from the layers' quantised weights. */
export function arrayActivity(
  design: "sc" | "binary",
  layers: readonly LayerWorkload[],
  shape: {
    units: number;
    lanesPerUnit: number;
    parallel?: number;
    cycles: number;
    fcRoleSwap?: boolean;
    /**
     * Lane cycles per MAC of a lane whose parts are all active every cycle: the bit-serial binary
     * lane (n) and the conventional SC lane (2^n, whatever the weight). Default 1; for SC, absent
     * means BISC (⌈|w|/b⌉ stream cycles per step).
     */
    cyclesPerMac?: number;
    /**
     * Binary only: dot-product terms a lane adds per cycle (bit-fusion below its built precision,
     * binaryMacsPerCycle; default 1). Steps are then lane cycles: ⌈C/groups·R·S / r⌉ per output.
     */
    macsPerCycle?: number;
  },
): ArrayActivity {
  if (shape.fcRoleSwap)
    throw new RangeError("energy: the fully-connected role swap (scheduling.fcRoleSwap) is not modelled");
  const M = shape.lanesPerUnit;
  const b = design === "sc" ? (shape.parallel ?? 1) : 1;
  const r = design === "binary" ? (shape.macsPerCycle ?? 1) : 1;
  if (!Number.isInteger(r) || r < 1)
    throw new RangeError(`energy: macsPerCycle must be a positive integer, got ${String(shape.macsPerCycle)}`);
  const t = activityTotals(design, layers, M, b, r, shape.cyclesPerMac);
  return {
    design,
    cycles: shape.cycles,
    unitSteps: t.unitSteps,
    unitActiveCycles: design === "sc" ? t.active : t.unitSteps,
    laneSteps: design === "sc" ? t.macs : t.laneSteps,
    laneActiveCycles: design === "sc" ? t.laneActive : t.laneSteps,
    unitZeroSteps: t.zeros,
    laneZeroSteps: t.laneZeros,
    lanesPerUnit: M,
    units: shape.units,
    macs: t.macs,
    // binary parts scale their MAC counts by it; SC active cycles already hold it
    cyclesPerMac: design === "binary" ? (shape.cyclesPerMac ?? 1) : 1,
  };
}

/** The layer sums of arrayActivity (what depends on the layers, not on cycles or units). */
interface ActivityTotals {
  unitSteps: number;
  active: number;
  laneActive: number;
  zeros: number;
  laneZeros: number;
  macs: number;
  laneSteps: number;
}

/**
 * Activity sums per layers array and (design, M, b, r, cycles per MAC): the sweep prices both
 * arrays of every design point, with the same few shapes per network. Frozen; kept only for
 * positive integer M and b and numeric (or absent) cycles per MAC, else summed afresh.
 */
let totalsMemo = new WeakMap<readonly LayerWorkload[], Map<string, ActivityTotals>>();
onClearCostMemos(() => {
  totalsMemo = new WeakMap();
});

function activityTotals(
  design: "sc" | "binary",
  layers: readonly LayerWorkload[],
  M: number,
  b: number,
  r: number,
  cyclesPerMac: number | undefined,
): ActivityTotals {
  if (
    !costMemo.enabled ||
    !Number.isInteger(M) ||
    M < 1 ||
    !Number.isInteger(b) ||
    b < 1 ||
    (cyclesPerMac !== undefined && typeof cyclesPerMac !== "number")
  )
    return sumActivity(design, layers, M, b, r, cyclesPerMac);
  // r is a checked positive integer; b is 1 for binary, r 1 for SC
  const key = `${design}/${M}/${b}/${r}/${cyclesPerMac}`;
  let m = totalsMemo.get(layers);
  if (!m) totalsMemo.set(layers, (m = new Map()));
  else if (m.size >= MEMO_LIMIT) m.clear();
  let t = m.get(key);
  if (!t) m.set(key, (t = Object.freeze(sumActivity(design, layers, M, b, r, cyclesPerMac))));
  return t;
}

function sumActivity(
  design: "sc" | "binary",
  layers: readonly LayerWorkload[],
  M: number,
  b: number,
  r: number,
  cyclesPerMac: number | undefined,
): ActivityTotals {
  let unitSteps = 0;
  let active = 0;
  let laneActive = 0;
  let zeros = 0;
  let laneZeros = 0;
  let macs = 0;
  let laneSteps = 0;
  for (const l of layers) {
    const { N, K, C, R, S, P, Q } = l.dims;
    const tiles = Math.ceil((N * P * Q) / M);
    // a lane's cycles per output: its dot product's terms, r per cycle (r = 1 but for bit-fusion)
    const perOutput = Math.ceil(((C / l.groups) * R * S) / r);
    unitSteps += tiles * K * perOutput;
    laneSteps += N * P * Q * K * perOutput;
    if (design === "sc" && cyclesPerMac !== undefined) {
      // conventional SC: every step streams cyclesPerMac cycles, zero weights too
      const steps = tiles * K * (C / l.groups) * R * S;
      active += steps * cyclesPerMac;
      laneActive += layerMacs(l) * cyclesPerMac;
    } else if (design === "sc") {
      const stream = streamCycles(l.weightMagnitudes, b);
      active += tiles * stream;
      laneActive += N * P * Q * stream;
      const z = streamCycles(l.weightMagnitudes, 0);
      zeros += tiles * z;
      laneZeros += N * P * Q * z;
    }
    macs += layerMacs(l);
  }
  return { unitSteps, active, laneActive, zeros, laneZeros, macs, laneSteps };
}

/** Energies per (model, part query object, bits): array parts reuse their query objects across calls. */
const energyCache = new WeakMap<EnergyModel, WeakMap<ComponentQuery, Map<number, ComponentEnergy>>>();

function partEnergy(
  model: EnergyModel,
  q: ComponentQuery,
  bits: number,
  lane: EnergyLane,
  runBits: number | undefined,
): ComponentEnergy {
  // a part's query object belongs to one array (cost's part cache keys it by design and baseline),
  // so its lane is fixed per object
  let byQuery = energyCache.get(model);
  if (!byQuery) energyCache.set(model, (byQuery = new WeakMap()));
  let byBits = byQuery.get(q);
  if (!byBits) byQuery.set(q, (byBits = new Map()));
  const key = bits * 1024 + (runBits ?? 0);
  let e = byBits.get(key);
  if (!e) byBits.set(key, (e = model.energy({ ...q, bits, lane, ...(runBits !== undefined ? { runBits } : {}) })));
  return e;
}

/**
 * partEnergy of every part of a parts list (undefined for memories), per (model, parts list, lane,
 * bits, run bits): the sweep prices the same memoised arrays (array.ts) again and again. Built
 * through partEnergy, so each entry is what it returns; an entry is used only while the list still
 * holds the same query objects (partEnergy's key). Kept for frozen lists (the memoised arrays');
 * fresh lists (a pipelined array's) are priced part by part, as before.
 */
interface PricedParts {
  queries: ComponentQuery[];
  energies: (ComponentEnergy | undefined)[];
}
let energiesMemo = new WeakMap<EnergyModel, WeakMap<readonly AreaPart[], Map<string, PricedParts>>>();
onClearCostMemos(() => {
  energiesMemo = new WeakMap();
});

function partEnergies(
  model: EnergyModel,
  parts: readonly AreaPart[],
  bits: number,
  lane: EnergyLane,
  runBits: number | undefined,
): (ComponentEnergy | undefined)[] {
  // no closure here: tsx (keepNames) wraps every closure made per call
  if (!costMemo.enabled || !Object.isFrozen(parts)) return price(model, parts, bits, lane, runBits).energies;
  let byParts = energiesMemo.get(model);
  if (!byParts) energiesMemo.set(model, (byParts = new WeakMap()));
  let m = byParts.get(parts);
  if (!m) byParts.set(parts, (m = new Map()));
  else if (m.size >= MEMO_LIMIT) m.clear();
  const key = `${lane}/${bits}/${runBits}`;
  let e = m.get(key);
  if (!e || !sameQueries(e.queries, parts)) m.set(key, (e = price(model, parts, bits, lane, runBits)));
  return e.energies;
}

function price(
  model: EnergyModel,
  parts: readonly AreaPart[],
  bits: number,
  lane: EnergyLane,
  runBits: number | undefined,
): PricedParts {
  const queries: ComponentQuery[] = [];
  const energies: (ComponentEnergy | undefined)[] = [];
  for (const p of parts) {
    queries.push(p.query);
    energies.push(p.query.kind === "memory" ? undefined : partEnergy(model, p.query, bits, lane, runBits));
  }
  return { queries, energies };
}

function sameQueries(queries: readonly ComponentQuery[], parts: readonly AreaPart[]): boolean {
  if (queries.length !== parts.length) return false;
  for (let i = 0; i < parts.length; i++) if (queries[i] !== parts[i]!.query) return false;
  return true;
}

export interface EnergyPartResult {
  part: string;
  count: number;
  dynamicJ: number;
  leakageJ: number;
}

export interface ArrayEnergy {
  /** Dynamic + leakage energy of one inference, J. */
  energyPerInferenceJ: number;
  dynamicJ: number;
  leakageJ: number;
  /** 2 · MACs / energy, GOPS/W (= operations per nJ). */
  gopsPerW: number;
  parts: EnergyPartResult[];
  model: string;
}

/**
 * The lane an array's parts are priced in: "sc", sc-<sng>, or the binary baseline, where a
 * trunc-g<g> lane that keeps every column (g ≥ N, costed as the exact lane) is "exact".
 */
function energyLane(area: ArrayArea, bits: number): EnergyLane {
  if (area.design === "sc") return area.sng ? `sc-${area.sng}` : "sc";
  const baseline = area.baseline ?? "exact";
  const g = truncBaselineGuard(baseline);
  return g !== null && g >= bits ? "exact" : baseline;
}

/**
 * Energy of one inference on an array (its parts from scArrayArea / binaryArrayArea) with the
 * activity of arrayActivity, at `bits` (the precision the hardware is built for; the energy rows
 * are keyed by it) and clockHz. `runBits`: the precision the workload runs at, which only the
 * bit-fusion lane's rows are keyed by (its mode); default bits.
 */
export function arrayEnergy(
  model: EnergyModel,
  area: ArrayArea,
  activity: ArrayActivity,
  run: { bits: number; clockHz: number; runBits?: number },
): ArrayEnergy {
  if (area.design !== activity.design)
    throw new RangeError(`arrayEnergy: area is ${area.design}, activity is ${activity.design}`);
  if (!(run.clockHz > 0)) throw new RangeError(`arrayEnergy: clockHz must be positive, got ${String(run.clockHz)}`);
  const C = activity.cycles;
  const seconds = C / run.clockHz;
  const parts: EnergyPartResult[] = [];
  let dynamicJ = 0;
  let leakageJ = 0;
  const laneKind = energyLane(area, run.bits);
  const runBits = laneKind === "bit-fusion" ? (run.runBits ?? run.bits) : undefined;
  const cpm = activity.cyclesPerMac;
  const energies = partEnergies(model, area.parts, run.bits, laneKind, runBits);
  for (let i = 0; i < area.parts.length; i++) {
    const p = area.parts[i]!;
    if (p.query.kind === "memory") continue;
    const e = energies[i]!;
    const lane = p.scope === "lane";
    const steps = lane ? activity.laneSteps : activity.unitSteps;
    const isRegister = p.query.kind === "register";
    // binary compute parts are active every lane cycle of a MAC (cpm > 1: bit-serial)
    const active = isRegister ? 0 : (lane ? activity.laneActiveCycles : activity.unitActiveCycles) * cpm;
    const stepJ = isRegister ? e.energyPerActionJ : activity.design === "sc" ? (e.energyPerStepJ ?? 0) : 0;
    // SC compute parts are busy in their stream cycles and in the load cycle of a zero weight
    const zeroSteps =
      isRegister || activity.design === "binary" ? 0 : lane ? activity.laneZeroSteps : activity.unitZeroSteps;
    const busy = isRegister || activity.design === "binary" ? Math.max(steps, active) : active + zeroSteps;
    const idle = Math.max(0, p.count * C - busy);
    const d = stepJ * steps + e.energyPerActionJ * (active + zeroSteps) + e.idleEnergyPerCycleJ * idle;
    const l = e.leakagePowerW * p.count * seconds;
    parts.push({ part: p.part, count: p.count, dynamicJ: d, leakageJ: l });
    dynamicJ += d;
    leakageJ += l;
  }
  const total = dynamicJ + leakageJ;
  return {
    energyPerInferenceJ: total,
    dynamicJ,
    leakageJ,
    gopsPerW: total > 0 ? (2 * activity.macs) / total / 1e9 : 0,
    parts,
    model: model.id,
  };
}

/**
 * Energy per inference of one design point of evaluateScenario / evaluateDesignCost: its array
 * (area parts), shape and clock, with the activity of the network's layers. Operand statistics are
 * those of the precision the hardware is built for (the energy rows are keyed by it).
 */
export function designPointEnergy(
  model: EnergyModel,
  area: ArrayArea,
  point: {
    units: number;
    lanesPerUnit: number;
    parallel: number;
    builtBits: number;
    /** Precision the workload runs at (the bit-serial lane's cycles per MAC); default builtBits. */
    runBits?: number;
    cycles: number;
    copies: number;
    clockHz: number;
  },
  layers: readonly LayerWorkload[],
  fcRoleSwap = false,
): ArrayEnergy {
  // absent and undefined cyclesPerMac / macsPerCycle are the same to arrayActivity (no spreads per point)
  const binary = area.design === "binary";
  const runBits = point.runBits ?? point.builtBits;
  const activity = arrayActivity(area.design, layers, {
    units: point.units,
    lanesPerUnit: point.lanesPerUnit,
    parallel: point.parallel,
    cycles: point.cycles * point.copies,
    fcRoleSwap,
    cyclesPerMac: binary
      ? binaryCyclesPerMac(area.baseline ?? "exact", runBits)
      : area.sng
        ? conventionalCyclesPerMac(runBits)
        : undefined,
    macsPerCycle: binary ? binaryMacsPerCycle(area.baseline ?? "exact", runBits, point.builtBits) : undefined,
  });
  return arrayEnergy(model, area, activity, { bits: point.builtBits, clockHz: point.clockHz, runBits });
}
