/**
 * Cycle counts of one network layer on the SC array (P BISC-MVM units x M lanes) and on the
 * binary array (P x M multiply-accumulate lanes), with the same dataflow on both sides:
 *
 * - Convolution (and, by default, fully-connected) layers: a unit holds one output channel k and
 *   broadcasts its weights one at a time; its M lanes hold M output pixels (batch x P x Q, tiled).
 *   Output channels are spread over the P units (k → unit k mod P, channel group floor(k / P)).
 * - SC: a weight step costs ceil(|w| / b) cycles (a zero weight costs `zeroWeightCycles`, 0 or 1).
 *   In lockstep all units of a channel group advance together, so each step costs the slowest
 *   unit's weight; independent units run their own channel queues and the layer ends when the
 *   busiest unit ends.
 * - Binary: every weight step costs 1 cycle (1 MAC per lane per cycle).
 * - Fully-connected role swap (`fcRoleSwap`): the activation x_c goes into the (single, shared)
 *   down counter and the M x P lanes hold K output neurons with their weights in the SNGs; a step
 *   then costs ceil(|x_c| / b) and needs the layer's activation magnitudes.
 *
 * Dimension letters are Timeloop's: N batch, C input channels, K output channels, R,S filter
 * height/width, P,Q output height/width; weights are [K][C/groups][R][S] row-major.
 */
import type { ConvDims } from "@sccnn/sc-core";
import { costMemo, MEMO_LIMIT, onClearCostMemos } from "./memo.ts";

/** The loop bounds of a layer: the ConvDims of sc-core (the one geometry type). */
export type LayerDims = ConvDims;

export interface LayerWorkload {
  name: string;
  kind: "conv" | "linear";
  dims: LayerDims;
  groups: number;
  /** Quantised weight magnitudes [K][C/groups][R][S] at the precision being evaluated. */
  weightMagnitudes: ArrayLike<number>;
  /** Quantised input activation magnitudes, N x C (only read by the FC role swap). */
  activationMagnitudes?: ArrayLike<number>;
}

export interface SchedulingOptions {
  /** P: units. */
  units: number;
  /** M: lanes per unit. */
  lanesPerUnit: number;
  /** b: SC stream bits per cycle (power of two, default 1). */
  parallel?: number;
  /** Cycles a zero weight costs on the SC array: 0 (skipped) or 1 (default 1). */
  zeroWeightCycles?: 0 | 1;
  /** Units wait for the slowest unit's weight at every step (default true). */
  lockstep?: boolean;
  /** FC layers with the activation in the down counter (default false). */
  fcRoleSwap?: boolean;
  /**
   * Binary array only: dot-product terms a lane adds per cycle (default 1; the bit-fusion lane at
   * a lower run precision: binaryMacsPerCycle). A lane's ⌈steps / r⌉ cycles per output tile.
   */
  binaryMacsPerCycle?: number;
}

export interface LayerLatency {
  name: string;
  macs: number;
  scCycles: number;
  binaryCycles: number;
  /** MACs per lane-cycle actually achieved (≤ 1 for binary, ≤ 1/mean step cycles for SC). */
  scUtilisation: number;
  binaryUtilisation: number;
}

interface Resolved {
  P: number;
  M: number;
  b: number;
  zero: 0 | 1;
  lockstep: boolean;
  swap: boolean;
  /** Binary MACs per lane-cycle. */
  r: number;
}

function positiveInt(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 1)
    throw new RangeError(`scheduling.${name} must be a positive integer, got ${String(v)}`);
}

function resolve(o: SchedulingOptions): Resolved {
  positiveInt(o.units, "units");
  positiveInt(o.lanesPerUnit, "lanesPerUnit");
  const b = o.parallel ?? 1;
  positiveInt(b, "parallel");
  if ((b & (b - 1)) !== 0) throw new RangeError(`scheduling.parallel (b) must be a power of two, got ${b}`);
  const zero = o.zeroWeightCycles ?? 1;
  if (zero !== 0 && zero !== 1) throw new RangeError(`scheduling.zeroWeightCycles must be 0 or 1, got ${String(zero)}`);
  const r = o.binaryMacsPerCycle ?? 1;
  positiveInt(r, "binaryMacsPerCycle");
  return { P: o.units, M: o.lanesPerUnit, b, zero, lockstep: o.lockstep ?? true, swap: o.fcRoleSwap ?? false, r };
}

export function layerMacs(layer: LayerWorkload): number {
  const { N, C, K, R, S, P, Q } = layer.dims;
  return N * K * (C / layer.groups) * R * S * P * Q;
}

/** Validated layers (layers are treated as immutable once evaluated) → weight steps per channel. */
const checkedLayers = new WeakMap<LayerWorkload, number>();

function checkLayer(layer: LayerWorkload): number {
  const known = checkedLayers.get(layer);
  if (known !== undefined) return known;
  const { C, K, R, S } = layer.dims;
  for (const [k, v] of Object.entries(layer.dims)) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`layer "${layer.name}".dims.${k} must be a positive integer, got ${String(v)}`);
  }
  if (!Number.isInteger(layer.groups) || layer.groups < 1 || C % layer.groups !== 0 || K % layer.groups !== 0) {
    throw new RangeError(`layer "${layer.name}".groups must divide C = ${C} and K = ${K}, got ${String(layer.groups)}`);
  }
  const steps = (C / layer.groups) * R * S;
  if (layer.weightMagnitudes.length !== K * steps) {
    throw new RangeError(
      `layer "${layer.name}".weightMagnitudes must have K·C/groups·R·S = ${K * steps} entries, got ${layer.weightMagnitudes.length}`,
    );
  }
  checkedLayers.set(layer, steps);
  return steps;
}

function stepCycles(m: number, b: number, zero: number): number {
  return m === 0 ? zero : Math.ceil(m / b);
}

function swapActivations(layer: LayerWorkload): ArrayLike<number> {
  const a = layer.activationMagnitudes;
  const need = layer.dims.N * layer.dims.C;
  if (!a)
    throw new RangeError(
      `layer "${layer.name}".activationMagnitudes is required by scheduling.fcRoleSwap (the activations set the latency)`,
    );
  if (a.length !== need)
    throw new RangeError(`layer "${layer.name}".activationMagnitudes must have N·C = ${need} entries, got ${a.length}`);
  return a;
}

function binaryCycles(layer: LayerWorkload, r: Resolved, steps: number): number {
  const { N, K, P, Q, C } = layer.dims;
  if (layer.kind === "linear" && r.swap) return N * Math.ceil(K / (r.P * r.M)) * Math.ceil(C / r.r);
  return Math.ceil((N * P * Q) / r.M) * Math.ceil(K / r.P) * Math.ceil(steps / r.r);
}

function finish(layer: LayerWorkload, r: Resolved, sc: number, bin: number): LayerLatency {
  const macs = layerMacs(layer);
  const lanes = r.P * r.M;
  return {
    name: layer.name,
    macs,
    scCycles: sc,
    binaryCycles: bin,
    scUtilisation: macs / (sc * lanes),
    binaryUtilisation: macs / (bin * lanes),
  };
}

/**
 * Reference: walks every tile, channel group, weight step and unit explicitly. Slow (it loops over
 * tiles too); the fast `layerLatency` is tested equal to it.
 */
export function layerLatencyReference(layer: LayerWorkload, options: SchedulingOptions): LayerLatency {
  const r = resolve(options);
  const steps = checkLayer(layer);
  const { N, C, K, P, Q } = layer.dims;
  const w = layer.weightMagnitudes;
  let sc = 0;
  if (layer.kind === "linear" && r.swap) {
    const a = swapActivations(layer);
    for (let n = 0; n < N; n++) {
      for (let pass = 0; pass < Math.ceil(K / (r.P * r.M)); pass++) {
        for (let c = 0; c < C; c++) sc += stepCycles(a[n * C + c]!, r.b, r.zero);
      }
    }
    return finish(layer, r, sc, binaryCycles(layer, r, steps));
  }
  const tiles = Math.ceil((N * P * Q) / r.M);
  if (r.lockstep) {
    for (let t = 0; t < tiles; t++) {
      for (let k0 = 0; k0 < K; k0 += r.P) {
        for (let s = 0; s < steps; s++) {
          let slowest = 0;
          for (let k = k0; k < Math.min(K, k0 + r.P); k++)
            slowest = Math.max(slowest, stepCycles(w[k * steps + s]!, r.b, r.zero));
          sc += slowest;
        }
      }
    }
  } else {
    const busy = new Array<number>(r.P).fill(0);
    for (let t = 0; t < tiles; t++) {
      for (let k = 0; k < K; k++) {
        for (let s = 0; s < steps; s++) busy[k % r.P]! += stepCycles(w[k * steps + s]!, r.b, r.zero);
      }
    }
    sc = Math.max(...busy);
  }
  return finish(layer, r, sc, binaryCycles(layer, r, steps));
}

/** Per-channel step cycles, cached per weight array and (b, zero) so sweeps over P, M are cheap. */
const channelCache = new WeakMap<object, Map<string, Float64Array>>();
const groupCache = new WeakMap<object, Map<number, number>>();

function cyclesTable(layer: LayerWorkload, b: number, zero: number): Float64Array {
  const w = layer.weightMagnitudes as unknown as object;
  let m = channelCache.get(w);
  if (!m) channelCache.set(w, (m = new Map()));
  const key = `${b}/${zero}`;
  let t = m.get(key);
  if (!t) {
    const src = layer.weightMagnitudes;
    t = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) t[i] = stepCycles(src[i]!, b, zero);
    m.set(key, t);
  }
  return t;
}

/**
 * Per weight array and P: each lockstep group's largest weight magnitude per step (`max`, groups ×
 * steps) and the histogram of those maxima (`hist[v]`: how many are v). See scCyclesPerTile.
 */
interface GroupMax {
  max: ArrayLike<number>;
  /** null when some maximum is not an integer in 0…HIST_MAX (scCyclesPerTile then takes its loop). */
  hist: Float64Array | null;
}
const HIST_MAX = 1 << 20;
const groupMaxCache = new WeakMap<object, Map<number, GroupMax>>();

function groupMax(layer: LayerWorkload, P: number, steps: number): GroupMax {
  const w = layer.weightMagnitudes as unknown as object;
  let m = groupMaxCache.get(w);
  if (!m) groupMaxCache.set(w, (m = new Map()));
  const cached = m.get(P);
  if (cached) return cached;
  const K = layer.dims.K;
  // built from the maxima of the largest cached group size dividing P (its groups nest in ours:
  // group g of P is groups g·P/P' … of P'), else from the magnitudes themselves (P' = 1)
  let from = 1;
  for (const q of m.keys()) if (q < P && P % q === 0 && q > from) from = q;
  const src = from === 1 ? layer.weightMagnitudes : m.get(from)!.max;
  let max: ArrayLike<number> = src;
  if (P > 1) {
    const per = P / from;
    const srcGroups = Math.ceil(K / from);
    const groups = Math.ceil(K / P);
    const out = new Float64Array(groups * steps);
    for (let g = 0; g < groups; g++) {
      const o = g * steps;
      const j1 = Math.min(srcGroups, (g + 1) * per);
      for (let j = g * per; j < j1; j++) {
        const base = j * steps;
        for (let s = 0; s < steps; s++) if (src[base + s]! > out[o + s]!) out[o + s] = src[base + s]!;
      }
    }
    max = out;
  }
  let top = 0;
  let integral = true;
  for (let i = 0; i < max.length; i++) {
    const v = max[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v <= HIST_MAX)) integral = false;
    else if (v > top) top = v;
  }
  let hist: Float64Array | null = null;
  if (integral) {
    hist = new Float64Array(top + 1);
    for (let i = 0; i < max.length; i++) hist[max[i]!]!++;
  }
  const r = { max, hist };
  m.set(P, r);
  return r;
}

/** SC cycles of one output-pixel tile (all channel groups, all steps); cached per (b, zero, P, lockstep). */
function scCyclesPerTile(layer: LayerWorkload, r: Resolved, steps: number): number {
  const w = layer.weightMagnitudes as unknown as object;
  let m = groupCache.get(w);
  if (!m) groupCache.set(w, (m = new Map()));
  const key = ((r.b * 2 + r.zero) * 2 + (r.lockstep ? 1 : 0)) * 2 ** 24 + r.P;
  const hit = m.get(key);
  if (hit !== undefined) return hit;
  const K = layer.dims.K;
  let total = 0;
  if (r.lockstep && r.zero <= 1) {
    // stepCycles is non-decreasing in the magnitude when a zero weight costs ≤ 1 cycle, so a group's
    // slowest lane at a step takes stepCycles of the group's largest magnitude, and the tile's
    // cycles are Σ_v (groups·steps whose maximum is v) · stepCycles(v): the maxima once per P
    // (shared by every b), then O(largest magnitude) per (b, P). Integers throughout (exact below
    // 2^53), so the total equals the loop below to the last bit.
    // (Magnitudes that are not integers in 0…HIST_MAX take the loop below.)
    const { hist } = groupMax(layer, r.P, steps);
    if (hist) {
      for (let v = 0; v < hist.length; v++) if (hist[v]! > 0) total += hist[v]! * stepCycles(v, r.b, r.zero);
      m.set(key, total);
      return total;
    }
  }
  const t = cyclesTable(layer, r.b, r.zero);
  if (r.lockstep) {
    const slowest = new Float64Array(steps);
    for (let k0 = 0; k0 < K; k0 += r.P) {
      slowest.fill(0);
      const k1 = Math.min(K, k0 + r.P);
      for (let k = k0; k < k1; k++) {
        const base = k * steps;
        for (let s = 0; s < steps; s++) if (t[base + s]! > slowest[s]!) slowest[s] = t[base + s]!;
      }
      for (let s = 0; s < steps; s++) total += slowest[s]!;
    }
  } else {
    const busy = new Float64Array(r.P);
    for (let k = 0; k < K; k++) {
      const base = k * steps;
      let sum = 0;
      for (let s = 0; s < steps; s++) sum += t[base + s]!;
      busy[k % r.P]! += sum;
    }
    for (const v of busy) total = Math.max(total, v);
  }
  m.set(key, total);
  return total;
}

/** Fast layer latency (memoised per weight array); equal to layerLatencyReference. */
export function layerLatency(layer: LayerWorkload, options: SchedulingOptions): LayerLatency {
  return layerLatencyResolved(layer, resolve(options));
}

function layerLatencyResolved(layer: LayerWorkload, r: Resolved): LayerLatency {
  const steps = checkLayer(layer);
  return finish(layer, r, scLayerCycles(layer, r, steps), binaryCycles(layer, r, steps));
}

function scLayerCycles(layer: LayerWorkload, r: Resolved, steps: number): number {
  const { N, K, P, Q } = layer.dims;
  if (layer.kind === "linear" && r.swap) {
    const a = swapActivations(layer);
    let sc = 0;
    const passes = Math.ceil(K / (r.P * r.M));
    for (let i = 0; i < a.length; i++) sc += stepCycles(a[i]!, r.b, r.zero);
    return sc * passes;
  }
  // Independent units: every unit's busy time scales with the tile count, so max commutes with it.
  const tiles = Math.ceil((N * P * Q) / r.M);
  return tiles * scCyclesPerTile(layer, r, steps);
}

export interface NetworkLatency {
  layers: LayerLatency[];
  macs: number;
  scCycles: number;
  binaryCycles: number;
}

/** Layers run one after another (a barrier between layers). */
export function networkLatency(layers: readonly LayerWorkload[], options: SchedulingOptions): NetworkLatency {
  const r = resolve(options);
  const out: LayerLatency[] = new Array(layers.length);
  let macs = 0;
  let scCycles = 0;
  let binaryCycles = 0;
  for (let i = 0; i < layers.length; i++) {
    const l = layerLatencyResolved(layers[i]!, r);
    out[i] = l;
    macs += l.macs;
    scCycles += l.scCycles;
    binaryCycles += l.binaryCycles;
  }
  return { layers: out, macs, scCycles, binaryCycles };
}

export interface NetworkCycles {
  macs: number;
  scCycles: number;
  binaryCycles: number;
}

/**
 * networkCycles per layers array and resolved schedule: a sweep asks for the same (P, M, b) of a
 * network once per scenario, baseline and clock. Entries are frozen (every caller gets the same
 * object) and only stored once the layers passed their checks.
 */
let cyclesMemo = new WeakMap<readonly LayerWorkload[], Map<string, NetworkCycles>>();
onClearCostMemos(() => {
  cyclesMemo = new WeakMap();
});

/** Totals of networkLatency without the per-layer records (the design-space sweep's inner loop). */
export function networkCycles(layers: readonly LayerWorkload[], options: SchedulingOptions): NetworkCycles {
  const r = resolve(options);
  if (!costMemo.enabled) return networkCyclesResolved(layers, r);
  // resolved fields are checked numbers and booleans
  const key = `${r.P}/${r.M}/${r.b}/${r.zero}/${r.lockstep ? 1 : 0}/${r.swap ? 1 : 0}/${r.r}`;
  let m = cyclesMemo.get(layers);
  if (!m) cyclesMemo.set(layers, (m = new Map()));
  else if (m.size >= MEMO_LIMIT) m.clear();
  let c = m.get(key);
  if (!c) m.set(key, (c = Object.freeze(networkCyclesResolved(layers, r))));
  return c;
}

function networkCyclesResolved(layers: readonly LayerWorkload[], r: Resolved): NetworkCycles {
  let macs = 0;
  let scCycles = 0;
  let binCycles = 0;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const steps = checkLayer(layer);
    macs += layerMacs(layer);
    scCycles += scLayerCycles(layer, r, steps);
    binCycles += binaryCycles(layer, r, steps);
  }
  return { macs, scCycles, binaryCycles: binCycles };
}
