import { convOutputSize, type ConvGeometry } from "@sccnn/sc-core";
import type { Kernels } from "../engine/gemm.ts";
import { selectKernels } from "../engine/kernels.ts";

/**
 * Float inference operators on NCHW Float32Array tensors, used by the quantised runtime for
 * everything that stays binary (bias, ReLU, pooling, residual add) and for `float32` layers.
 * Conv and linear are im2col + the engine's GEMM (WebAssembly SIMD when built, else plain TS).
 */

let defaultKernels: Kernels | null = null;
function floatKernels(k?: Kernels): Kernels {
  return k ?? (defaultKernels ??= selectKernels());
}

export interface Act {
  data: Float32Array;
  /** [N, C, H, W] or [N, F]. */
  shape: number[];
}

/** A conv layer's stride, zero padding and groups (the rest of its geometry comes from the tensors). */
export type ConvOptions = Pick<ConvGeometry, "stride" | "padding" | "groups">;

/**
 * im2col of one image and one group into `col` [Cg·R·S, P·Q] (row-major), zero padding.
 * Generic over the element array so the integer path can reuse it.
 */
export function im2col<T extends Float32Array | Int32Array>(
  x: T,
  xOff: number,
  C0: number,
  Cg: number,
  H: number,
  W: number,
  R: number,
  S: number,
  stride: number,
  padding: number,
  P: number,
  Q: number,
  col: T,
): void {
  let row = 0;
  for (let c = C0; c < C0 + Cg; c++) {
    const plane = xOff + c * H * W;
    for (let r = 0; r < R; r++) {
      for (let s = 0; s < S; s++) {
        const base = row * P * Q;
        for (let p = 0; p < P; p++) {
          const h = p * stride - padding + r;
          const o = base + p * Q;
          if (h < 0 || h >= H) {
            for (let q = 0; q < Q; q++) col[o + q] = 0;
            continue;
          }
          const hw = plane + h * W;
          for (let q = 0; q < Q; q++) {
            const w = q * stride - padding + s;
            col[o + q] = w < 0 || w >= W ? 0 : x[hw + w];
          }
        }
        row++;
      }
    }
  }
}

/** y = conv(x, w) + b, float; w [K, C/g, R, S]. */
export function floatConv2d(
  x: Act,
  weight: Float32Array,
  wShape: number[],
  bias: Float32Array | null,
  g: ConvOptions,
  kernels?: Kernels,
): Act {
  const gemm = floatKernels(kernels);
  const [N, C, H, W] = x.shape;
  const [K, Cg, R, S] = wShape;
  const { stride, padding, groups } = g;
  if (Cg * groups !== C)
    throw new RangeError(`floatConv2d: weight has ${Cg} input channels per group × ${groups} groups, input has ${C}`);
  const P = convOutputSize(H, R, stride, padding);
  const Q = convOutputSize(W, S, stride, padding);
  const Kg = K / groups;
  const PQ = P * Q;
  const CRS = Cg * R * S;
  const out = new Float32Array(N * K * PQ);
  const col = new Float32Array(CRS * PQ);
  for (let n = 0; n < N; n++) {
    for (let gi = 0; gi < groups; gi++) {
      im2col(x.data, n * C * H * W, gi * Cg, Cg, H, W, R, S, stride, padding, P, Q, col);
      const o = (n * K + gi * Kg) * PQ;
      // out[Kg, PQ] = W_g[Kg, CRS] · col[CRS, PQ]
      gemm.gemm(
        "nn",
        Kg,
        PQ,
        CRS,
        weight.subarray(gi * Kg * CRS, (gi + 1) * Kg * CRS),
        col,
        out.subarray(o, o + Kg * PQ),
        false,
      );
      if (bias) {
        for (let kk = 0; kk < Kg; kk++) {
          const b = bias[gi * Kg + kk];
          const ok = o + kk * PQ;
          for (let j = 0; j < PQ; j++) out[ok + j] += b;
        }
      }
    }
  }
  return { data: out, shape: [N, K, P, Q] };
}

/** y = x·wᵀ + b, float; x [N, F] (4-D input is flattened), w [out, F]. */
export function floatLinear(
  x: Act,
  weight: Float32Array,
  outFeatures: number,
  bias: Float32Array | null,
  kernels?: Kernels,
): Act {
  const N = x.shape[0];
  const F = x.data.length / N;
  if (weight.length !== outFeatures * F)
    throw new RangeError(`floatLinear: weight length ${weight.length} ≠ ${outFeatures} × ${F} input features`);
  const out = new Float32Array(N * outFeatures);
  // out[N, out] = x[N, F] · W[out, F]ᵀ
  floatKernels(kernels).gemm("nt", N, outFeatures, F, x.data, weight, out, false);
  if (bias) for (let n = 0; n < N; n++) for (let o = 0; o < outFeatures; o++) out[n * outFeatures + o] += bias[o];
  return { data: out, shape: [N, outFeatures] };
}

/** ReLU (capped at `cap`); in place when `inPlace` (the caller owns x.data). */
export function relu(x: Act, cap = Infinity, inPlace = false): Act {
  const out = inPlace ? x.data : new Float32Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = x.data[i];
    out[i] = v > 0 ? (v < cap ? v : cap) : 0;
  }
  return { data: out, shape: x.shape.slice() };
}

/** Max or average pooling; average divides by the full window (padding counts as zeros). */
export function pool2d(
  x: Act,
  kind: "max" | "avg",
  kernel: number,
  stride: number,
  padding: number,
  countIncludePad = true,
): Act {
  const [N, C, H, W] = x.shape;
  const P = convOutputSize(H, kernel, stride, padding);
  const Q = convOutputSize(W, kernel, stride, padding);
  const out = new Float32Array(N * C * P * Q);
  if (kind === "max" && padding === 0 && kernel === 2 && stride === 2) {
    // the common 2×2/2 max pool, without the bounds checks
    for (let nc = 0; nc < N * C; nc++) {
      const xo = nc * H * W;
      const oo = nc * P * Q;
      for (let p = 0; p < P; p++) {
        const r0 = xo + 2 * p * W;
        const r1 = r0 + W;
        for (let q = 0; q < Q; q++) {
          const a = x.data[r0 + 2 * q],
            b = x.data[r0 + 2 * q + 1],
            c = x.data[r1 + 2 * q],
            d = x.data[r1 + 2 * q + 1];
          const m1 = a > b ? a : b,
            m2 = c > d ? c : d;
          out[oo + p * Q + q] = m1 > m2 ? m1 : m2;
        }
      }
    }
    return { data: out, shape: [N, C, P, Q] };
  }
  const area = kernel * kernel;
  for (let nc = 0; nc < N * C; nc++) {
    const xo = nc * H * W;
    for (let p = 0; p < P; p++) {
      for (let q = 0; q < Q; q++) {
        let m = kind === "max" ? -Infinity : 0;
        let cells = 0;
        for (let r = 0; r < kernel; r++) {
          const h = p * stride - padding + r;
          if (h < 0 || h >= H) continue;
          for (let s = 0; s < kernel; s++) {
            const w = q * stride - padding + s;
            if (w < 0 || w >= W) continue;
            const v = x.data[xo + h * W + w];
            cells++;
            if (kind === "max") {
              if (v > m) m = v;
            } else m += v;
          }
        }
        out[(nc * P + p) * Q + q] = kind === "max" ? m : m / (countIncludePad ? area : cells);
      }
    }
  }
  return { data: out, shape: [N, C, P, Q] };
}

/** Sigmoid or tanh elementwise (always float: no fixed-point or SC form). */
export function squash(x: Act, kind: "sigmoid" | "tanh"): Act {
  const out = new Float32Array(x.data.length);
  if (kind === "sigmoid") for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-x.data[i]));
  else for (let i = 0; i < out.length; i++) out[i] = Math.tanh(x.data[i]);
  return { data: out, shape: x.shape };
}

/** Joins per-image tensors on channel 0 (dimension 1 of [N, C, …]). */
export function concatChannels(parts: Act[]): Act {
  const N = parts[0].shape[0];
  const sizes = parts.map((p) => p.data.length / N);
  const total = sizes.reduce((a, b) => a + b, 0);
  const out = new Float32Array(N * total);
  for (let n = 0; n < N; n++) {
    let o = n * total;
    parts.forEach((p, k) => {
      out.set(p.data.subarray(n * sizes[k], (n + 1) * sizes[k]), o);
      o += sizes[k];
    });
  }
  return { data: out, shape: [N, parts.reduce((a, p) => a + p.shape[1], 0), ...parts[0].shape.slice(2)] };
}

export function globalAvgPool(x: Act): Act {
  const [N, C, H, W] = x.shape;
  const out = new Float32Array(N * C);
  const hw = H * W;
  for (let nc = 0; nc < N * C; nc++) {
    let s = 0;
    for (let i = 0; i < hw; i++) s += x.data[nc * hw + i];
    out[nc] = s / hw;
  }
  return { data: out, shape: [N, C, 1, 1] };
}

/** Inference batch norm with running statistics, per channel (dim 1). */
export function batchNormInference(
  x: Act,
  gamma: Float32Array,
  beta: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  eps: number,
): Act {
  const N = x.shape[0];
  const C = x.shape[1];
  const inner = x.data.length / (N * C);
  const out = new Float32Array(x.data.length);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const a = gamma[c] / Math.sqrt(variance[c] + eps);
      const b = beta[c] - mean[c] * a;
      const o = (n * C + c) * inner;
      for (let i = 0; i < inner; i++) out[o + i] = x.data[o + i] * a + b;
    }
  }
  return { data: out, shape: x.shape.slice() };
}

export function addActs(a: Act, b: Act): Act {
  if (a.data.length !== b.data.length)
    throw new RangeError(`residual add: shapes [${a.shape}] and [${b.shape}] differ`);
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] + b.data[i];
  return { data: out, shape: a.shape.slice() };
}
