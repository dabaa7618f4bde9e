import { checkIntRange, checkScFanIn } from "./gemm.ts";
import { autoScKernel, scKernel, type ScKernel, type ScKernelName } from "./fast-kernel.ts";
import { intKernel, transpose } from "./kernels.ts";
import { resolveSpec, type ResolvedSpec, type ScSpec } from "./spec.ts";
import { checkInteger, checkLength, checkSignedArray } from "./validate.ts";
import { convOutputSize, type ConvGeometry } from "./geometry.ts";

export type { ConvGeometry } from "./geometry.ts";

/**
 * 2-D convolution, NCHW. Letters: N batch, C input channels, H,W input size, K output channels,
 * R,S filter size, P,Q output size. Weights [K, C/groups, R, S]. Zero padding.
 */
export interface Conv2dOptions {
  stride?: number;
  padding?: number;
  groups?: number;
}

export interface Conv2dResult {
  data: Int32Array;
  /** [N, K, P, Q]. */
  shape: [number, number, number, number];
}

export function convGeometry(
  inShape: readonly number[],
  wShape: readonly number[],
  opts: Conv2dOptions = {},
): ConvGeometry {
  if (!Array.isArray(inShape) || inShape.length !== 4)
    throw new RangeError(`inShape must be [N, C, H, W], got ${JSON.stringify(inShape)}`);
  if (!Array.isArray(wShape) || wShape.length !== 4)
    throw new RangeError(`wShape must be [K, C/groups, R, S], got ${JSON.stringify(wShape)}`);
  const [N, C, H, W] = inShape as [number, number, number, number];
  const [K, Cg, R, S] = wShape as [number, number, number, number];
  inShape.forEach((v, i) => checkInteger(v, `inShape[${i}]`, 1, 2 ** 30));
  wShape.forEach((v, i) => checkInteger(v, `wShape[${i}]`, 1, 2 ** 30));
  const stride = opts.stride ?? 1;
  const padding = opts.padding ?? 0;
  const groups = opts.groups ?? 1;
  checkInteger(stride, "stride", 1, 2 ** 20);
  checkInteger(padding, "padding", 0, 2 ** 20);
  checkInteger(groups, "groups", 1, 2 ** 20);
  if (C % groups !== 0) throw new RangeError(`groups = ${groups} must divide inShape[1] (C) = ${C}`);
  if (K % groups !== 0) throw new RangeError(`groups = ${groups} must divide wShape[0] (K) = ${K}`);
  if (Cg !== C / groups) throw new RangeError(`wShape[1] must be C/groups = ${C / groups}, got ${Cg}`);
  const P = convOutputSize(H, R, stride, padding);
  const Q = convOutputSize(W, S, stride, padding);
  if (P < 1 || Q < 1) throw new RangeError(`filter ${R}×${S} does not fit input ${H}×${W} with padding ${padding}`);
  return { N, C, H, W, K, R, S, P, Q, stride, padding, groups, Cg, Kg: K / groups };
}

/**
 * im2col of group g, transposed: col[kk * M + m] with kk = (c·R + r)·S + s over the group's
 * channels and m = (n·P + p)·Q + q; out-of-image taps are 0.
 */
export function im2colT(input: ArrayLike<number>, g: ConvGeometry, group: number): Int32Array {
  const M = g.N * g.P * g.Q;
  const K = g.Cg * g.R * g.S;
  const col = new Int32Array(K * M);
  for (let c = 0; c < g.Cg; c++) {
    const ch = group * g.Cg + c;
    for (let r = 0; r < g.R; r++) {
      for (let s = 0; s < g.S; s++) {
        const base = ((c * g.R + r) * g.S + s) * M;
        for (let n = 0; n < g.N; n++) {
          const inBase = (n * g.C + ch) * g.H * g.W;
          for (let p = 0; p < g.P; p++) {
            const y = p * g.stride - g.padding + r;
            const rowOut = base + (n * g.P + p) * g.Q;
            if (y < 0 || y >= g.H) continue;
            for (let q = 0; q < g.Q; q++) {
              const x = q * g.stride - g.padding + s;
              if (x >= 0 && x < g.W) col[rowOut + q] = input[inBase + y * g.W + x]!;
            }
          }
        }
      }
    }
  }
  return col;
}

/**
 * Where the GEMM over group `grp`'s im2col rows puts its result in the [N, K, P, Q] output:
 * row m (image ⌊m / PQ⌋, pixel m mod PQ) and column c (the group's output channel c).
 */
export function convOutputIndex(g: ConvGeometry, grp: number): (row: number, col: number) => number {
  const PQ = g.P * g.Q;
  return (row, col) => {
    const img = Math.floor(row / PQ);
    return (img * g.K + grp * g.Kg + col) * PQ + (row - img * PQ);
  };
}

/**
 * One row of `im2colT(input, g, group)` (output pixel m = (n·P + p)·Q + q, every tap kk of the
 * group) written into `dst[0 … Cg·R·S)`: what the transposed im2col holds at col[kk * M + m], without
 * building the whole matrix (the fault injectors need only the rows of the outputs they hit).
 */
export function im2colRow(input: ArrayLike<number>, g: ConvGeometry, group: number, m: number, dst: Int32Array): void {
  const PQ = g.P * g.Q;
  const n = Math.floor(m / PQ);
  const pq = m - n * PQ;
  const p = Math.floor(pq / g.Q);
  const q = pq - p * g.Q;
  const y0 = p * g.stride - g.padding;
  const x0 = q * g.stride - g.padding;
  let kk = 0;
  for (let c = 0; c < g.Cg; c++) {
    const inBase = (n * g.C + group * g.Cg + c) * g.H * g.W;
    for (let r = 0; r < g.R; r++) {
      const y = y0 + r;
      const inside = y >= 0 && y < g.H;
      const rowBase = inBase + y * g.W;
      for (let s = 0; s < g.S; s++, kk++) {
        const x = x0 + s;
        dst[kk] = inside && x >= 0 && x < g.W ? input[rowBase + x]! : 0;
      }
    }
  }
}

type ConvKernel = ScKernel;

/**
 * Convolution driver: per group, im2col then a stream-side/count-side kernel. With countOperand
 * "w" the weights are counted (columns = output pixels); with "x" the image patches are.
 */
function runConv(
  g: ConvGeometry,
  input: ArrayLike<number>,
  weight: ArrayLike<number>,
  countOperand: "w" | "x",
  kernel: ConvKernel,
): Conv2dResult {
  const M = g.N * g.P * g.Q;
  const PQ = g.P * g.Q;
  const Kg = g.Cg * g.R * g.S;
  const data = new Int32Array(g.N * g.K * PQ);
  for (let grp = 0; grp < g.groups; grp++) {
    const col = im2colT(input, g, grp);
    const wRows = (weight instanceof Int32Array ? weight : Int32Array.from(weight)).subarray(
      grp * g.Kg * Kg,
      (grp + 1) * g.Kg * Kg,
    );
    let r: Int32Array; // r[ko * M + m]
    if (countOperand === "w") {
      r = new Int32Array(g.Kg * M);
      kernel(col, M, wRows, g.Kg, Kg, r);
    } else {
      const rt = new Int32Array(M * g.Kg);
      kernel(transpose(wRows, g.Kg, Kg), g.Kg, transpose(col, Kg, M), M, Kg, rt);
      r = transpose(rt, M, g.Kg);
    }
    for (let ko = 0; ko < g.Kg; ko++) {
      for (let n = 0; n < g.N; n++) {
        data.set(r.subarray(ko * M + n * PQ, ko * M + (n + 1) * PQ), (n * g.K + grp * g.Kg + ko) * PQ);
      }
    }
  }
  return { data, shape: [g.N, g.K, g.P, g.Q] };
}

function checkScConv(
  s: ResolvedSpec,
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: Conv2dOptions,
): ConvGeometry {
  const g = convGeometry(inShape, wShape, opts);
  checkLength(input, g.N * g.C * g.H * g.W, "input");
  checkLength(weight, g.K * g.Cg * g.R * g.S, "weight");
  checkSignedArray(input, s.bits, "input");
  checkSignedArray(weight, s.bits, "weight");
  checkScFanIn(g.Cg * g.R * g.S, s.bits, "C/groups·R·S (fan-in)");
  return g;
}

/** SC convolution with a chosen kernel ("lut", "row-lut", or "bit-plane" for bisc). */
export function scConv2dWith(
  kernel: ScKernelName,
  spec: ScSpec,
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: Conv2dOptions = {},
): Conv2dResult {
  const s = resolveSpec(spec);
  const g = checkScConv(s, input, inShape, weight, wShape, opts);
  return runConv(g, input, weight, s.countOperand, scKernel(s, kernel));
}

/** SC convolution through the per-MAC product-table lookup (reference fast path, every scheme, N ≤ 12). */
export function scConv2dLut(
  spec: ScSpec,
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: Conv2dOptions = {},
): Conv2dResult {
  return scConv2dWith("lut", spec, input, inShape, weight, wShape, opts);
}

/** BISC convolution as N bit-plane shift-add passes over im2col (any N ≤ 16). */
export function scConv2dBitplane(
  spec: ScSpec,
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: Conv2dOptions = {},
): Conv2dResult {
  return scConv2dWith("bit-plane", spec, input, inShape, weight, wShape, opts);
}

/**
 * SC convolution of summed product counts, output [N, K, P, Q]: im2col + the fastest exact
 * plain-TS kernel (pickScKernel). Equal to scConv2dLut, scConv2dBitplane and a per-MAC loop over
 * the cycle-level lane (tested).
 */
export function scConv2d(
  spec: ScSpec,
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: Conv2dOptions = {},
): Conv2dResult {
  const s = resolveSpec(spec);
  const g = checkScConv(s, input, inShape, weight, wShape, opts);
  return runConv(g, input, weight, s.countOperand, autoScKernel(s));
}

/** Exact integer convolution (products x·w), same shapes; the fixed-point / int8 baseline. */
export function intConv2d(
  input: ArrayLike<number>,
  inShape: readonly number[],
  weight: ArrayLike<number>,
  wShape: readonly number[],
  opts: Conv2dOptions = {},
): Conv2dResult {
  const g = convGeometry(inShape, wShape, opts);
  checkLength(input, g.N * g.C * g.H * g.W, "input");
  checkLength(weight, g.K * g.Cg * g.R * g.S, "weight");
  checkIntRange(input, weight, g.Cg * g.R * g.S, "C/groups·R·S (fan-in)");
  return runConv(g, input, weight, "w", intKernel);
}
