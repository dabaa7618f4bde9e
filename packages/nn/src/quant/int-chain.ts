import type { LayerSpec } from "../spec.ts";
import { convOutputSize } from "@sccnn/sc-core";
import { poolRequant2x2Wasm, requantWasm } from "../engine/wasm-kernels.ts";
import { integerBackendByName, type IntegerBackend, type IntegerBackendName } from "./backend.ts";
import { pool2d, relu, type Act } from "./float-ops.ts";
import {
  accumulatorUnit,
  inputShiftOf,
  layerAccumulate,
  quantizeLayerInput,
  rescale,
  type ScOptions,
} from "./layer-forward.ts";
import type { QuantizedLayer, QuantizedNetwork } from "./quantized-network.ts";

/**
 * The integer-chained runtime ("int-chain"): runs a quantised network whose conv/linear layers are
 * all integer arithmetics (fixed, SC, truncated) and whose layers in between are only ReLU, ReLU6,
 * max pooling, flatten and dropout, without leaving the integers between layers.
 *
 * Why it is bit-identical to `runQuantized` (tested on LeNet-5 at several N): the reference takes a
 * layer's accumulator a of channel k to y = fround(a·unit[k] + bias[k]) (float32, `rescale`), then
 * ReLU/ReLU6 and max pooling in float, then the next layer's `quantizeLayerInput`. Every step but
 * the pooling is a non-decreasing function of one value, and unit[k] > 0, so the whole chain is a
 * non-decreasing map g_k(a) followed by max pooling; and max(g(a_i)) = g(max a_i) for any
 * non-decreasing g. So this runtime max-pools the integer accumulators first and then evaluates
 * g_k once per pooled value with the reference's own float expressions (same order, same
 * rounding). The last layer's output goes through `rescale` and the float ops as in the reference.
 * Networks it cannot take (avg pooling, sigmoid, residual, float32 layers, …) are refused with the
 * layer named: it never falls back to another runtime.
 */
export const INT_CHAIN_RUNTIME = "int-chain";

/** Layers allowed between two integer layers (each non-decreasing per value or a max pool). */
type PostLayer = Extract<LayerSpec, { type: "relu" | "relu6" | "maxpool" | "flatten" | "dropout" }>;

interface Stage {
  layer: QuantizedLayer;
  post: PostLayer[];
}

export interface IntChainPlan {
  qnet: QuantizedNetwork;
  stages: Stage[];
  /** Per stage but the last: the map from its accumulators to the next layer's input. */
  tables: RequantTable[];
  backend: IntegerBackendName;
}

export interface IntChainOptions {
  /**
   * Integer kernels by name (default: the plan's, "sc-core-wasm"), or an IntegerBackend object
   * (e.g. one that injects faults): it is called with the same arguments in the same order as
   * runQuantized calls it, so a backend that is a deterministic function of its calls (a seeded
   * fault injector) gives the logits runQuantized gives with it (tested).
   */
  backend?: IntegerBackendName | IntegerBackend;
  batchSize?: number;
}

/** Checks that `qnet` fits the int-chain runtime and lists its stages; throws naming the first misfit. */
export function planIntChain(qnet: QuantizedNetwork, backend: IntegerBackendName = "sc-core-wasm"): IntChainPlan {
  integerBackendByName(backend);
  const stages: Stage[] = [];
  qnet.spec.layers.forEach((l, i) => {
    const where = `${qnet.spec.id} layers[${i}] (${l.type}${"name" in l ? ` ${l.name}` : ""})`;
    switch (l.type) {
      case "conv":
      case "linear": {
        const q = qnet.layers[l.name];
        if (!q) throw new RangeError(`${INT_CHAIN_RUNTIME}: ${where} is not in the quantised network`);
        if (q.arithmetic === "float32")
          throw new RangeError(`${INT_CHAIN_RUNTIME}: ${where} is float32; the runtime needs integer layers only`);
        stages.push({ layer: q, post: [] });
        return;
      }
      case "relu":
      case "relu6":
      case "maxpool":
      case "flatten":
      case "dropout": {
        if (stages.length === 0)
          throw new RangeError(`${INT_CHAIN_RUNTIME}: ${where} comes before the first conv/linear layer`);
        stages[stages.length - 1].post.push(l);
        return;
      }
      default:
        throw new RangeError(
          `${INT_CHAIN_RUNTIME}: ${where} is not supported between integer layers (only relu, relu6, maxpool, flatten, dropout)`,
        );
    }
  });
  if (stages.length === 0) throw new RangeError(`${INT_CHAIN_RUNTIME}: ${qnet.spec.id} has no conv/linear layer`);
  const tables = stages
    .slice(0, -1)
    .map((s, i) => requantTable(accumulatorUnit(s.layer), s.layer.bias, s.post, stages[i + 1].layer));
  return { qnet, stages, tables, backend };
}

/**
 * `planIntChain`, or null when the network does not fit the runtime: a layer it does not take, or
 * a channel whose accumulator unit is not > 0 (its requantisation table needs one).
 */
export function tryPlanIntChain(qnet: QuantizedNetwork): IntChainPlan | null {
  try {
    return planIntChain(qnet);
  } catch (e) {
    if (
      e instanceof RangeError &&
      (e.message.startsWith(`${INT_CHAIN_RUNTIME}: `) || e.message.startsWith("requantTable: "))
    )
      return null;
    throw e;
  }
}

/** Logits [n, classes], bit-identical to `runQuantized(qnet, images)` (see INT_CHAIN_RUNTIME). */
export function runIntChain(
  planOrNet: IntChainPlan | QuantizedNetwork,
  images: Float32Array,
  opts: IntChainOptions = {},
): Float32Array {
  const plan =
    "stages" in planOrNet
      ? planOrNet
      : planIntChain(planOrNet, typeof opts.backend === "object" ? undefined : opts.backend);
  const { qnet, stages } = plan;
  const backend = typeof opts.backend === "object" ? opts.backend : integerBackendByName(opts.backend ?? plan.backend);
  const [C, H, W] = qnet.spec.input;
  const per = C * H * W;
  if (images.length % per !== 0)
    throw new RangeError(
      `${INT_CHAIN_RUNTIME}: images length ${images.length} is not a multiple of ${per} (input ${qnet.spec.input})`,
    );
  const n = images.length / per;
  const batchSize = opts.batchSize ?? 100;
  const classes = qnet.spec.classes;
  const logits = new Float32Array(n * classes);
  const sc: ScOptions = { lfsrSeed: qnet.config.lfsrSeed, lfsrSeedW: qnet.config.lfsrSeedW };
  const units = stages.map((s) => accumulatorUnit(s.layer));
  const tables = plan.tables;
  // Next-layer inputs, one buffer per stage reused by every batch (the kernels copy their input in):
  // fresh arrays per batch cost more than the pooling itself (zeroing, page faults). Accumulators
  // likewise, one buffer per stage the kernels write into. Both are kept with the plan for its next
  // call (a pool's threads call once per claimed batch), taken out while in use so that a
  // nested call on the same plan gets its own.
  const kept = planScratch.get(plan);
  planScratch.delete(plan);
  const { scratch, accScratch } = kept ?? { scratch: [], accScratch: [] };
  for (let s0 = 0; s0 < n; s0 += batchSize) {
    const b = Math.min(batchSize, n - s0);
    let x = quantizeLayerInput(stages[0].layer, images.subarray(s0 * per, (s0 + b) * per));
    let shape = [b, C, H, W];
    for (let i = 0; i < stages.length; i++) {
      const { layer, post } = stages[i];
      if (layer.kind === "linear" && shape.length !== 2) shape = [shape[0], x.length / shape[0]];
      const into = scratchBuffer(accScratch, i, accumulatorLength(layer, shape));
      const r = layerAccumulate(layer, x, shape, backend, sc, into);
      if (i === stages.length - 1) {
        let a: Act = { data: rescale(r.acc, r.shape, units[i], layer.bias), shape: r.shape };
        for (const p of post) a = floatPost(p, a);
        if (a.data.length !== b * classes)
          throw new RangeError(
            `${INT_CHAIN_RUNTIME}: network output has ${a.data.length / b} values per image, spec says ${classes} classes`,
          );
        logits.set(a.data, s0 * classes);
        break;
      }
      let acc = r.acc;
      shape = r.shape;
      let flatten = false;
      const pools = post.filter((p) => p.type === "maxpool");
      const p0 = pools[0];
      if (
        pools.length === 1 &&
        p0.kernel === 2 &&
        (p0.stride ?? 2) === 2 &&
        (p0.padding ?? 0) === 0 &&
        shape.length === 4
      ) {
        // the common case in one pass: 2×2/2 max of the accumulators, then the table
        ({ x, shape } = poolRequant2x2(acc, shape, tables[i], scratch, i));
        if (post.some((p) => p.type === "flatten")) shape = [shape[0], x.length / shape[0]];
        continue;
      }
      for (const p of post) {
        if (p.type === "maxpool") {
          if (flatten || shape.length !== 4)
            throw new RangeError(`${INT_CHAIN_RUNTIME}: maxpool after layer ${layer.name} needs a 4-D input`);
          ({ acc, shape } = maxPoolInt(acc, shape, p.kernel, p.stride ?? p.kernel, p.padding ?? 0));
        } else if (p.type === "flatten") flatten = true;
      }
      x = requantize(acc, shape, tables[i], scratch, i);
      if (flatten) shape = [shape[0], x.length / shape[0]];
    }
  }
  planScratch.set(plan, { scratch, accScratch });
  return logits;
}

/** runIntChain's buffers between calls on a plan (see there). */
const planScratch = new WeakMap<IntChainPlan, { scratch: Int32Array[]; accScratch: Int32Array[] }>();

/**
 * IntChainPool's loop, the same on every thread: claim the next chunk of `chunk` images with
 * Atomics.add on next[0], run it (`runIntChain`), write its logits at its place in `logits`, until
 * no chunk is left. Returns the chunks this thread ran.
 */
export function runClaimedChunks(
  plan: IntChainPlan,
  images: Float32Array,
  logits: Float32Array,
  next: Int32Array,
  chunk: number,
  batchSize: number,
): number {
  const [C, H, W] = plan.qnet.spec.input;
  const per = C * H * W,
    classes = plan.qnet.spec.classes,
    n = images.length / per;
  let ran = 0;
  for (;;) {
    const from = Atomics.add(next, 0, 1) * chunk;
    if (from >= n) return ran;
    const to = Math.min(n, from + chunk);
    logits.set(runIntChain(plan, images.subarray(from * per, to * per), { batchSize }), from * classes);
    ran++;
  }
}

function floatPost(p: PostLayer, a: Act): Act {
  switch (p.type) {
    case "relu":
      return relu(a, Infinity, true);
    case "relu6":
      return relu(a, 6, true);
    case "maxpool":
      return pool2d(a, "max", p.kernel, p.stride ?? p.kernel, p.padding ?? 0);
    case "flatten":
      return { data: a.data, shape: [a.shape[0], a.data.length / a.shape[0]] };
    case "dropout":
      return a;
  }
}

/** Max pooling of integers, cells outside the input skipped (as the float `pool2d`). */
export function maxPoolInt(
  x: Int32Array,
  shape: number[],
  kernel: number,
  stride: number,
  padding: number,
): { acc: Int32Array; shape: number[] } {
  const [N, C, H, W] = shape;
  const P = convOutputSize(H, kernel, stride, padding);
  const Q = convOutputSize(W, kernel, stride, padding);
  const out = new Int32Array(N * C * P * Q);
  if (padding === 0 && kernel === 2 && stride === 2) {
    for (let nc = 0; nc < N * C; nc++) {
      const xo = nc * H * W;
      const oo = nc * P * Q;
      for (let p = 0; p < P; p++) {
        const r0 = xo + 2 * p * W;
        const r1 = r0 + W;
        for (let q = 0; q < Q; q++) {
          const a = x[r0 + 2 * q],
            b = x[r0 + 2 * q + 1],
            c = x[r1 + 2 * q],
            d = x[r1 + 2 * q + 1];
          const m1 = a > b ? a : b,
            m2 = c > d ? c : d;
          out[oo + p * Q + q] = m1 > m2 ? m1 : m2;
        }
      }
    }
    return { acc: out, shape: [N, C, P, Q] };
  }
  for (let nc = 0; nc < N * C; nc++) {
    const xo = nc * H * W;
    for (let p = 0; p < P; p++) {
      for (let q = 0; q < Q; q++) {
        let m = -Infinity;
        for (let r = 0; r < kernel; r++) {
          const h = p * stride - padding + r;
          if (h < 0 || h >= H) continue;
          for (let s = 0; s < kernel; s++) {
            const w = q * stride - padding + s;
            if (w < 0 || w >= W) continue;
            const v = x[xo + h * W + w];
            if (v > m) m = v;
          }
        }
        if (m === -Infinity) throw new RangeError(`maxPoolInt: a window at (${p}, ${q}) lies wholly in the padding`);
        out[nc * P * Q + p * Q + q] = m;
      }
    }
  }
  return { acc: out, shape: [N, C, P, Q] };
}

/**
 * g_k(a) for one accumulator value: the reference's rescale (fround(a·unit + bias)), the ReLU/ReLU6
 * of `post` in order, then `quantizeTensor` at the next layer's scale and bits and its kernel shift —
 * the reference's own float expressions. Non-decreasing in a (unit > 0).
 */
function chainValue(a: number, u: number, b: number, post: PostLayer[], next: QuantizedLayer): number {
  let v = Math.fround(a * u + b);
  for (const p of post) {
    if (p.type === "relu") v = v > 0 ? v : 0;
    else if (p.type === "relu6") v = v > 0 ? (v < 6 ? v : 6) : 0;
  }
  const m = 2 ** next.bitsA - 1;
  const lo = next.aSigned ? -m : 0;
  let r = v * (1 / next.aScale);
  if (r > m) r = m;
  else if (r < lo) r = lo;
  return (r >= 0 ? (r + 0.5) | 0 : -((0.5 - r) | 0)) * 2 ** inputShiftOf(next);
}

/**
 * Per channel k, g_k as a table over the accumulator values where it changes: g_k is constant below
 * base[k] and above base[k] + len[k] − 1 (found by bisection, g_k being non-decreasing), so
 * g_k(a) = table[off[k] + clamp(a − base[k], 0, len[k] − 1)] for every int32 a.
 * When the dense table would exceed DENSE_TABLE_MAX entries (fixed point at N = 8: an input step
 * spans thousands of accumulator values, 60 M entries and ~10 s to build for the Fashion CNN),
 * `steps` holds g_k as its step points instead (table empty): at most one per value g_k takes.
 */
export interface RequantTable {
  base: Int32Array;
  len: Int32Array;
  off: Int32Array;
  table: Int32Array;
  steps: RequantSteps | null;
}

/**
 * g_k as a step function: g_k(a) = below[k] for a < at[from[k]], else val[i] for the last i in
 * from[k] … from[k + 1] − 1 with at[i] ≤ a (`at` ascending within a channel).
 */
export interface RequantSteps {
  from: Int32Array;
  at: Int32Array;
  val: Int32Array;
  below: Int32Array;
}

/** Above this many dense entries over all channels a stage's table is kept as step points. */
export const DENSE_TABLE_MAX = 1 << 21;

const A_MIN = -(2 ** 31);
const A_MAX = 2 ** 31 - 1;

/** First a in [l, h] with pred(a) (pred(h) true, pred monotone). */
function firstTrue(l: number, h: number, pred: (a: number) => boolean): number {
  while (l < h) {
    const mid = Math.floor((l + h) / 2);
    if (pred(mid)) h = mid;
    else l = mid + 1;
  }
  return l;
}

export function requantTable(
  unit: Float64Array,
  bias: Float32Array,
  post: PostLayer[],
  next: QuantizedLayer,
  denseMax: number = DENSE_TABLE_MAX,
): RequantTable {
  const K = unit.length;
  const base = new Int32Array(K);
  const len = new Int32Array(K);
  const off = new Int32Array(K + 1);
  const gOf = (k: number) => (a: number) => chainValue(a, unit[k], bias[k], post, next);
  for (let k = 0; k < K; k++) {
    if (!(unit[k] > 0)) throw new RangeError(`requantTable: accumulator unit of channel ${k} is ${unit[k]}, not > 0`);
    const g = gOf(k);
    const gLo = g(A_MIN);
    const gHi = g(A_MAX);
    // first a with g(a) > gLo, and first a with g(a) === gHi
    const top = firstTrue(A_MIN, A_MAX, (a) => g(a) >= gHi);
    const start = gLo === gHi ? top : firstTrue(A_MIN, A_MAX, (a) => g(a) > gLo) - 1;
    base[k] = start;
    len[k] = top - start + 1;
    off[k + 1] = off[k] + len[k];
  }
  if (off[K] > denseMax) {
    // step points: from each step's start, bisect for the first a where g rises again
    const from = new Int32Array(K + 1);
    const at: number[] = [];
    const val: number[] = [];
    const below = new Int32Array(K);
    for (let k = 0; k < K; k++) {
      const g = gOf(k);
      const end = base[k] + len[k] - 1; // g(end) = g's top value
      below[k] = g(A_MIN);
      // len 1: g is constant (no step); else base is the last a at the bottom value, so every
      // step starts at base + 1 or where g rises again (found by bisection up to end)
      for (let a = base[k] + 1; len[k] > 1; ) {
        const v = g(a);
        at.push(a);
        val.push(v);
        if (a === end) break;
        a = firstTrue(a, end, (x) => g(x) > v);
      }
      from[k + 1] = at.length;
    }
    return {
      base,
      len,
      off: off.subarray(0, K),
      table: new Int32Array(0),
      steps: { from, at: Int32Array.from(at), val: Int32Array.from(val), below },
    };
  }
  const table = new Int32Array(off[K]);
  for (let k = 0; k < K; k++)
    for (let i = 0; i < len[k]; i++) table[off[k] + i] = chainValue(base[k] + i, unit[k], bias[k], post, next);
  return { base, len, off: off.subarray(0, K), table, steps: null };
}

/** g_k(a) from step points (see RequantSteps): the last step at or below a, by bisection. */
function stepValue(st: RequantSteps, k: number, a: number): number {
  let l = st.from[k];
  let h = st.from[k + 1];
  if (l === h || a < st.at[l]) return st.below[k];
  // invariant: at[l] ≤ a; answer in [l, h)
  while (h - l > 1) {
    const mid = (l + h) >> 1;
    if (st.at[mid] <= a) l = mid;
    else h = mid;
  }
  return st.val[l];
}

/** The next layer's integer input: g_k of every value of channel k = dim 1 (see requantTable). */
/** Number of accumulators a conv/linear layer gives for an input of `shape` ([N, C, H, W] / [N, F]). */
function accumulatorLength(layer: QuantizedLayer, shape: number[]): number {
  const K = layer.wShape[0];
  if (layer.kind !== "conv") return shape[0] * K;
  const [, , R, S] = layer.wShape;
  return (
    shape[0] *
    K *
    convOutputSize(shape[2], R, layer.stride, layer.padding) *
    convOutputSize(shape[3], S, layer.stride, layer.padding)
  );
}

/** A buffer of `n` values for stage `i`, kept in `scratch` and grown as needed. */
function scratchBuffer(scratch: Int32Array[], i: number, n: number): Int32Array {
  if (!scratch[i] || scratch[i].length < n) scratch[i] = new Int32Array(n);
  return scratch[i].subarray(0, n);
}

export function requantize(
  acc: Int32Array,
  shape: number[],
  t: RequantTable,
  scratch: Int32Array[],
  si: number,
): Int32Array {
  const N = shape[0];
  const K = shape[1];
  const inner = acc.length / (N * K);
  const out = scratchBuffer(scratch, si, acc.length);
  const { steps } = t;
  if (steps !== null) {
    for (let n = 0; n < N; n++)
      for (let k = 0; k < K; k++) {
        const o = (n * K + k) * inner;
        for (let i = 0; i < inner; i++) out[o + i] = stepValue(steps, k, acc[o + i]);
      }
    return out;
  }
  requantWasm(acc, [N, K, inner], t, out);
  return out;
}

/**
 * The TypeScript reference of a dense table's lookup (what requantWasm and poolRequant2x2Wasm are
 * tested against): out[n, k, i] = table[off[k] + clamp(acc[n, k, i] − base[k], 0, len[k] − 1)].
 */
export function requantizeDenseReference(acc: Int32Array, shape: number[], t: RequantTable): Int32Array {
  const N = shape[0];
  const K = shape[1];
  const inner = acc.length / (N * K);
  const out = new Int32Array(acc.length);
  const { base, len, off, table } = t;
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const b = base[k];
      const last = len[k] - 1;
      const to = off[k];
      const o = (n * K + k) * inner;
      for (let i = 0; i < inner; i++) {
        let d = acc[o + i] - b;
        d = d < 0 ? 0 : d > last ? last : d;
        out[o + i] = table[to + d];
      }
    }
  }
  return out;
}

/**
 * 2×2/2 max pooling of the accumulators and the table lookup in one pass (= maxPoolInt then
 * requantize, tested equal), on nn's SIMD kernel: the JavaScript loop mispredicted its branches on
 * noisy accumulators (about 20 ns per output).
 */
function poolRequant2x2(
  acc: Int32Array,
  shape: number[],
  t: RequantTable,
  scratch: Int32Array[],
  si: number,
): { x: Int32Array; shape: number[] } {
  const [N, K, H, W] = shape;
  if (t.steps !== null) {
    const pooled = maxPoolInt(acc, shape, 2, 2, 0);
    return { x: requantize(pooled.acc, pooled.shape, t, scratch, si), shape: pooled.shape };
  }
  const out = scratchBuffer(scratch, si, N * K * (H >> 1) * (W >> 1));
  poolRequant2x2Wasm(acc, shape, t, out);
  return { x: out, shape: [N, K, H >> 1, W >> 1] };
}
