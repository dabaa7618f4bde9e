import { checkIntRange, checkScFanIn } from "./gemm.ts";
import { autoScKernel, scKernel, type ScKernel, type ScKernelName } from "./fast-kernel.ts";
import { intKernel, transpose } from "./kernels.ts";
import { resolveSpec, type ResolvedSpec, type ScSpec } from "./spec.ts";
import { checkInteger, checkLength, checkSignedArray } from "./validate.ts";

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

export interface ConvGeometry {
  batch: number;
  c: number;
  h: number;
  w: number;
  k: number;
  r: number;
  s: number;
  p: number;
  q: number;
  stride: number;
  padding: number;
  groups: number;
  /** C / groups, K / groups. */
  cg: number;
  kg: number;
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
  const [batch, c, h, w] = inShape as [number, number, number, number];
  const [k, cg, r, s] = wShape as [number, number, number, number];
  inShape.forEach((v, i) => checkInteger(v, `inShape[${i}]`, 1, 2 ** 30));
  wShape.forEach((v, i) => checkInteger(v, `wShape[${i}]`, 1, 2 ** 30));
  const stride = opts.stride ?? 1;
  const padding = opts.padding ?? 0;
  const groups = opts.groups ?? 1;
  checkInteger(stride, "stride", 1, 2 ** 20);
  checkInteger(padding, "padding", 0, 2 ** 20);
  checkInteger(groups, "groups", 1, 2 ** 20);
  if (c % groups !== 0) throw new RangeError(`groups = ${groups} must divide inShape[1] (C) = ${c}`);
  if (k % groups !== 0) throw new RangeError(`groups = ${groups} must divide wShape[0] (K) = ${k}`);
  if (cg !== c / groups) throw new RangeError(`wShape[1] must be C/groups = ${c / groups}, got ${cg}`);
  const p = Math.floor((h + 2 * padding - r) / stride) + 1;
  const q = Math.floor((w + 2 * padding - s) / stride) + 1;
  if (p < 1 || q < 1) throw new RangeError(`filter ${r}×${s} does not fit input ${h}×${w} with padding ${padding}`);
  return { batch, c, h, w, k, r, s, p, q, stride, padding, groups, cg, kg: k / groups };
}

/**
 * im2col of group g, transposed: col[kk * M + m] with kk = (c·R + r)·S + s over the group's
 * channels and m = (n·P + p)·Q + q; out-of-image taps are 0.
 */
export function im2colT(input: ArrayLike<number>, g: ConvGeometry, group: number): Int32Array {
  const M = g.batch * g.p * g.q;
  const K = g.cg * g.r * g.s;
  const col = new Int32Array(K * M);
  for (let c = 0; c < g.cg; c++) {
    const ch = group * g.cg + c;
    for (let r = 0; r < g.r; r++) {
      for (let s = 0; s < g.s; s++) {
        const base = ((c * g.r + r) * g.s + s) * M;
        for (let n = 0; n < g.batch; n++) {
          const inBase = (n * g.c + ch) * g.h * g.w;
          for (let p = 0; p < g.p; p++) {
            const y = p * g.stride - g.padding + r;
            const rowOut = base + (n * g.p + p) * g.q;
            if (y < 0 || y >= g.h) continue;
            for (let q = 0; q < g.q; q++) {
              const x = q * g.stride - g.padding + s;
              if (x >= 0 && x < g.w) col[rowOut + q] = input[inBase + y * g.w + x]!;
            }
          }
        }
      }
    }
  }
  return col;
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
  const M = g.batch * g.p * g.q;
  const PQ = g.p * g.q;
  const Kg = g.cg * g.r * g.s;
  const data = new Int32Array(g.batch * g.k * PQ);
  for (let grp = 0; grp < g.groups; grp++) {
    const col = im2colT(input, g, grp);
    const wRows = (weight instanceof Int32Array ? weight : Int32Array.from(weight)).subarray(
      grp * g.kg * Kg,
      (grp + 1) * g.kg * Kg,
    );
    let r: Int32Array; // r[ko * M + m]
    if (countOperand === "w") {
      r = new Int32Array(g.kg * M);
      kernel(col, M, wRows, g.kg, Kg, r);
    } else {
      const rt = new Int32Array(M * g.kg);
      kernel(transpose(wRows, g.kg, Kg), g.kg, transpose(col, Kg, M), M, Kg, rt);
      r = transpose(rt, M, g.kg);
    }
    for (let ko = 0; ko < g.kg; ko++) {
      for (let n = 0; n < g.batch; n++) {
        data.set(r.subarray(ko * M + n * PQ, ko * M + (n + 1) * PQ), (n * g.k + grp * g.kg + ko) * PQ);
      }
    }
  }
  return { data, shape: [g.batch, g.k, g.p, g.q] };
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
  checkLength(input, g.batch * g.c * g.h * g.w, "input");
  checkLength(weight, g.k * g.cg * g.r * g.s, "weight");
  checkSignedArray(input, s.bits, "input");
  checkSignedArray(weight, s.bits, "weight");
  checkScFanIn(g.cg * g.r * g.s, s.bits, "C/groups·R·S (fan-in)");
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
  checkLength(input, g.batch * g.c * g.h * g.w, "input");
  checkLength(weight, g.k * g.cg * g.r * g.s, "weight");
  checkIntRange(input, weight, g.cg * g.r * g.s, "C/groups·R·S (fan-in)");
  return runConv(g, input, weight, "w", intKernel);
}
