/**
 * Speed of the exact SC convolution against the cycle-level reference and against the fastest
 * int8 convolution in the project, on a LeNet-5-sized layer (conv2: K = 16 output channels,
 * C = 6 input channels, R×S = 5×5, P×Q = 8×8 output, batch 64; input 6×12×12) at N = 8.
 *
 * Method: every kernel is warmed up (≥ 0.3 s, so WebAssembly is tiered up to TurboFan), then the
 * kernels are timed in interleaved rounds (so a load spike on this shared machine hits all of them
 * alike; the two WebAssembly kernels in rounds of their own); a round times as many calls as fit in
 * ≥ 25 ms of process CPU time; the figure is the median CPU time per call over rounds.
 * The cycle-level reference is too slow for the whole layer: it runs on a sample (one image, all
 * 16 channels: 16 BISC-MVM unit runs of 64 lanes × 150 steps, or 64 single-lane dot products), is
 * checked equal to the fast kernel on that sample, and its MAC/s is sampled MACs / sample time.
 * Operands are uniform random (seeded): SC operands in ±255 (N = 8 sign-magnitude), int8
 * operands in −128…127. The SIMD kernels' speed does not depend on the values; the cycle-level
 * reference's does (a product costs |w| cycles; uniform |w| averages 128).
 *
 * Run: `pnpm bench` in packages/sc-core (tsx bench/conv.bench.ts). Prints a table; asserts nothing.
 */
import { cpus, loadavg } from "node:os";
import {
  intConv2d,
  scConv2d,
  scConv2dLut,
  simulateMacLane,
  simulateMvmUnit,
  Rng,
  wasmIntConv2d,
  wasmScConv2d,
  type ScSpec,
} from "../src/index.ts";

const BITS = 8;
const SPEC: ScSpec = { scheme: "bisc", bits: BITS };
const IN_SHAPE: [number, number, number, number] = [64, 6, 12, 12];
const W_SHAPE: [number, number, number, number] = [16, 6, 5, 5];
const [B, C, H, W] = IN_SHAPE;
const [K, , R, S] = W_SHAPE;
const P = H - R + 1;
const Q = W - S + 1;
const TAPS = C * R * S;
const MACS = B * K * P * Q * TAPS;

const rng = new Rng(20261128);
const uniform = (n: number, lo: number, hi: number) => Int32Array.from({ length: n }, () => rng.between(lo, hi));
const xSc = uniform(B * C * H * W, -(2 ** BITS - 1), 2 ** BITS - 1);
const wSc = uniform(K * TAPS, -(2 ** BITS - 1), 2 ** BITS - 1);
const x8 = uniform(B * C * H * W, -128, 127);
const w8 = uniform(K * TAPS, -128, 127);

interface Kernel {
  name: string;
  run: () => unknown;
  /** Median CPU ms per call. */
  msPerCall?: number;
  /** Median and minimum wall-clock ms per call over rounds. */
  wallMsPerCall?: number;
  wallMinMsPerCall?: number;
}

/** CPU milliseconds of this process (user + system, all its threads). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
}

/**
 * One round: calls `run` until ≥ minMs of CPU time has passed; returns CPU and wall ms per call.
 * CPU time is the figure: on a shared, oversubscribed machine wall time mostly measures the
 * scheduler's share (a load average of 10 on 2 cores stretches wall time several-fold).
 */
function timeRound(run: () => unknown, minMs: number): { cpu: number; wall: number } {
  let calls = 0;
  const c0 = cpuMs();
  const t0 = performance.now();
  let c = c0;
  do {
    run();
    calls++;
    c = cpuMs();
  } while (c - c0 < minMs);
  return { cpu: (c - c0) / calls, wall: (performance.now() - t0) / calls };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const kernels: Kernel[] = [
  { name: "SC exact, wasm SIMD (wasmScConv2d)", run: () => wasmScConv2d(SPEC, xSc, IN_SHAPE, wSc, W_SHAPE) },
  { name: "SC exact, TS bit-plane (scConv2d)", run: () => scConv2d(SPEC, xSc, IN_SHAPE, wSc, W_SHAPE) },
  { name: "SC exact, TS product table (scConv2dLut)", run: () => scConv2dLut(SPEC, xSc, IN_SHAPE, wSc, W_SHAPE) },
  { name: "int8, wasm SIMD dot_i16x8 (wasmIntConv2d)", run: () => wasmIntConv2d(x8, IN_SHAPE, w8, W_SHAPE) },
  { name: "int8, TS (intConv2d)", run: () => intConv2d(x8, IN_SHAPE, w8, W_SHAPE) },
];

// Same answers before timing anything.
const fast = wasmScConv2d(SPEC, xSc, IN_SHAPE, wSc, W_SHAPE).data;
const ref = scConv2d(SPEC, xSc, IN_SHAPE, wSc, W_SHAPE).data;
if (fast.some((v, i) => v !== ref[i])) throw new Error("wasmScConv2d differs from scConv2d on the bench layer");
const int8Fast = wasmIntConv2d(x8, IN_SHAPE, w8, W_SHAPE).data;
const int8Ref = intConv2d(x8, IN_SHAPE, w8, W_SHAPE).data;
if (int8Fast.some((v, i) => v !== int8Ref[i]))
  throw new Error("wasmIntConv2d differs from intConv2d on the bench layer");

// The two WebAssembly kernels are timed in their own interleaved rounds, apart from the TypeScript
// kernels, whose garbage (large temporary arrays) would otherwise land in the fast kernels' rounds.
const ROUNDS = 15;
for (const group of [
  [kernels[0]!, kernels[3]!],
  [kernels[1]!, kernels[2]!, kernels[4]!],
]) {
  for (const k of group) {
    const t0 = performance.now();
    while (performance.now() - t0 < 300) k.run();
  }
  const samples = new Map<Kernel, { cpu: number; wall: number }[]>(group.map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) for (const k of group) samples.get(k)!.push(timeRound(k.run, 25));
  for (const k of group) {
    k.msPerCall = median(samples.get(k)!.map((v) => v.cpu));
    k.wallMsPerCall = median(samples.get(k)!.map((v) => v.wall));
    k.wallMinMsPerCall = Math.min(...samples.get(k)!.map((v) => v.wall));
  }
}

// Cycle-level reference on image 0: lane (p, q) streams its im2col row, the unit broadcasts the
// output channel's weights (countOperand "w" = weights in the down counter).
const lanes: Int32Array[] = [];
for (let p = 0; p < P; p++) {
  for (let q = 0; q < Q; q++) {
    const row = new Int32Array(TAPS);
    for (let c = 0; c < C; c++)
      for (let r = 0; r < R; r++)
        for (let s = 0; s < S; s++) {
          row[(c * R + r) * S + s] = xSc[(c * H + p + r) * W + q + s]!;
        }
    lanes.push(row);
  }
}
const weightRow = (k: number) => wSc.subarray(k * TAPS, (k + 1) * TAPS);
const laneSpec = { ...SPEC, parallel: 1, accBits: 32 };
const fastAt = (k: number, pq: number) => fast[(0 * K + k) * P * Q + pq]!;

function timeOnce(run: () => void): number {
  const c0 = cpuMs();
  run();
  return cpuMs() - c0;
}
const mvmMs: number[] = [];
let mvmCycles = 0;
for (let rep = 0; rep < 3; rep++) {
  mvmMs.push(
    timeOnce(() => {
      mvmCycles = 0;
      for (let k = 0; k < K; k++) {
        const r = simulateMvmUnit(laneSpec, lanes, weightRow(k));
        mvmCycles += r.cycles;
        r.acc.forEach((acc, pq) => {
          if (acc !== fastAt(k, pq))
            throw new Error(`cycle-level MVM unit differs from wasmScConv2d at channel ${k}, pixel ${pq}`);
        });
      }
    }),
  );
}
const mvmMacs = K * P * Q * TAPS;

// Trained weights are mostly small (SC-CNN-NOTES: mean |w| about 20 % of full scale), so a product
// costs fewer cycles: the same sample with Gaussian weights N(0, (255/4)^2), rounded and clipped,
// checked against the fast kernel on those weights. The fast kernel's speed does not change.
const wGauss = Int32Array.from({ length: K * TAPS }, () =>
  Math.max(-255, Math.min(255, Math.round((rng.normal() * 255) / 4))),
);
const fastGauss = wasmScConv2d(SPEC, xSc, IN_SHAPE, wGauss, W_SHAPE).data;
const gaussMs: number[] = [];
let gaussCycles = 0;
for (let rep = 0; rep < 3; rep++) {
  gaussMs.push(
    timeOnce(() => {
      gaussCycles = 0;
      for (let k = 0; k < K; k++) {
        const r = simulateMvmUnit(laneSpec, lanes, wGauss.subarray(k * TAPS, (k + 1) * TAPS));
        gaussCycles += r.cycles;
        r.acc.forEach((acc, pq) => {
          if (acc !== fastGauss[k * P * Q + pq])
            throw new Error(
              `cycle-level MVM unit (Gaussian weights) differs from wasmScConv2d at channel ${k}, pixel ${pq}`,
            );
        });
      }
    }),
  );
}
const LANE_SAMPLE = 64;
const laneMs: number[] = [];
for (let rep = 0; rep < 3; rep++) {
  laneMs.push(
    timeOnce(() => {
      for (let i = 0; i < LANE_SAMPLE; i++) {
        const k = i % K;
        const pq = (i * 7) % (P * Q);
        const r = simulateMacLane(laneSpec, lanes[pq]!, weightRow(k));
        if (r.acc !== fastAt(k, pq))
          throw new Error(`cycle-level lane differs from wasmScConv2d at channel ${k}, pixel ${pq}`);
      }
    }),
  );
}
const laneMacs = LANE_SAMPLE * TAPS;

const macPerS = (macs: number, ms: number) => (macs / ms) * 1e3;
const mvmRate = macPerS(mvmMacs, median(mvmMs));
const laneRate = macPerS(laneMacs, median(laneMs));
const gaussRate = macPerS(mvmMacs, median(gaussMs));
const cycleRate = Math.max(mvmRate, laneRate);
const scRate = macPerS(MACS, kernels[0]!.msPerCall!);
const int8Rate = macPerS(MACS, kernels[3]!.msPerCall!);

const fmtRate = (r: number) =>
  (r >= 1e9 ? `${(r / 1e9).toFixed(2)} G` : r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(2)} k`) +
  "MAC/s";
const rows: string[][] = [
  ["kernel", "CPU ms / layer", "MAC/s (CPU)", "× cycle-level", "÷ int8 wasm", "wall ms / layer"],
];
for (const k of kernels) {
  const rate = macPerS(MACS, k.msPerCall!);
  rows.push([
    k.name,
    k.msPerCall!.toFixed(3),
    fmtRate(rate),
    (rate / cycleRate).toFixed(0),
    (rate / int8Rate).toFixed(3),
    k.wallMsPerCall!.toFixed(3),
  ]);
}
rows.push([
  `cycle-level BISC-MVM unit, 64 lanes (sample ${mvmMacs} MACs)`,
  `${((MACS / mvmRate) * 1e3).toFixed(0)} (scaled)`,
  fmtRate(mvmRate),
  (mvmRate / cycleRate).toFixed(2),
  (mvmRate / int8Rate).toExponential(2),
  "-",
]);
rows.push([
  `cycle-level BISC-MVM unit, Gaussian weights (same sample)`,
  `${((MACS / gaussRate) * 1e3).toFixed(0)} (scaled)`,
  fmtRate(gaussRate),
  (gaussRate / cycleRate).toFixed(2),
  (gaussRate / int8Rate).toExponential(2),
  "-",
]);
rows.push([
  `cycle-level single MAC lane (sample ${laneMacs} MACs)`,
  `${((MACS / laneRate) * 1e3).toFixed(0)} (scaled)`,
  fmtRate(laneRate),
  (laneRate / cycleRate).toFixed(2),
  (laneRate / int8Rate).toExponential(2),
  "-",
]);

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const line = (r: string[]) =>
  r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");

console.log(
  `LeNet-5-sized conv: input [${IN_SHAPE}] (N,C,H,W), weights [${W_SHAPE}] (K,C,R,S), output [${B},${K},${P},${Q}], ${MACS} MACs; SC at N = ${BITS} (bisc, weights counted)`,
);
console.log(
  `machine: ${cpus()[0]?.model ?? "?"} ×${cpus().length}, node ${process.version}, load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(" ")}; median of ${ROUNDS} interleaved rounds of ≥ 25 CPU-ms; rates from CPU time`,
);
console.log("");
console.log(line(rows[0]!));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows.slice(1)) console.log(line(r));
console.log("");
console.log(
  `cycle-level reference = the faster of the two uniform-weight samples, ${fmtRate(cycleRate)}; both samples equal wasmScConv2d bit for bit (${mvmCycles} unit cycles for image 0)`,
);
console.log(
  `fast exact SC / cycle-level reference: ${(scRate / cycleRate).toFixed(0)}×   (goal ≥ 1000×); with Gaussian weights (${gaussCycles} unit cycles): ${(scRate / gaussRate).toFixed(0)}×`,
);
console.log(
  `fast exact SC / fastest int8 conv:      ${(scRate / int8Rate).toFixed(3)}   (goal ≥ 0.25, stretch ≥ 0.5; from median CPU time)`,
);
console.log(
  `  same ratio from the best wall-clock round: ${(kernels[3]!.wallMinMsPerCall! / kernels[0]!.wallMinMsPerCall!).toFixed(3)} (SC ${kernels[0]!.wallMinMsPerCall!.toFixed(3)} ms, int8 ${kernels[3]!.wallMinMsPerCall!.toFixed(3)} ms)`,
);
