/**
 * Matrix multiply kernels used by conv (im2col) and linear layers. All matrices are row-major
 * float32. Three forms cover forward and backward passes:
 *
 * - "nn": C[M,N] (+)= A[M,K] · B[K,N]
 * - "tn": C[M,N] (+)= A[K,M]ᵀ · B[K,N]
 * - "nt": C[M,N] (+)= A[M,K] · B[N,K]ᵀ
 *
 * `accumulate` adds to C instead of overwriting it. The plain TypeScript kernel below is the
 * reference; the WebAssembly SIMD kernel (wasm-kernels.ts) is tested equal to it within float
 * tolerance (test/engine-gemm.test.ts).
 */
import type { ConvGeometry } from "@sccnn/sc-core";

export type GemmForm = "nn" | "tn" | "nt";

export interface Kernels {
  /** "ts" = plain TypeScript reference, "wasm" = WebAssembly SIMD (f32x4). */
  readonly name: KernelName;
  gemm(
    form: GemmForm,
    M: number,
    N: number,
    K: number,
    A: Float32Array,
    B: Float32Array,
    C: Float32Array,
    accumulate: boolean,
  ): void;
  /** A whole-convolution kernel; when absent, Conv2d runs its reference im2col + gemm loops. */
  readonly conv?: ConvKernels;
  /** ReLU forward and backward (bit for bit Clamp's loops); when absent, Clamp runs its loops. */
  readonly relu?: ReluKernels;
  /** 2×2/2 max pooling and max pooling's backward (bit for bit MaxPool's loops); else MaxPool's loops. */
  readonly maxPool?: MaxPoolKernels;
}

/**
 * Max pooling. forward2x2: NC planes H×W → P×Q (2×2 windows, stride 2, no padding), the first
 * maximum of each window in row-major order and its index into x. backward: dx (dxLength values)
 * = 0, then dx[argmax[i]] += dy[i] in order.
 */
export interface MaxPoolKernels {
  /** Calls on fewer values than this run MaxPool's loops. */
  readonly minLength: number;
  forward2x2(
    x: Float32Array,
    NC: number,
    H: number,
    W: number,
    P: number,
    Q: number,
    y: Float32Array,
    argmax: Int32Array,
  ): void;
  backward(argmax: Int32Array, dy: Float32Array, dxLength: number): Float32Array;
}

/** ReLU: forward y = x > 0 ? x : +0; backward dx = x > 0 ? dy : +0 (x the forward input). */
export interface ReluKernels {
  /** Tensors smaller than this run Clamp's loops (a call's copies would cost more than it saves). */
  readonly minLength: number;
  forward(x: Float32Array): Float32Array;
  backward(x: Float32Array, dy: Float32Array): Float32Array;
}

/**
 * Convolution over a batch with the meaning of Conv2d's reference path: forward returns y
 * (NCHW); backward adds into wGrad (and biasGrad) and returns dx when needDx.
 */
export interface ConvKernels {
  forward(
    x: Float32Array,
    w: Float32Array,
    bias: Float32Array | null,
    g: ConvGeometry,
    groups: number,
    K: number,
  ): Float32Array;
  backward(
    x: Float32Array,
    w: Float32Array,
    dy: Float32Array,
    g: ConvGeometry,
    groups: number,
    K: number,
    wGrad: Float32Array,
    biasGrad: Float32Array | null,
    needDx: boolean,
  ): Float32Array | null;
}

export type KernelName = "ts" | "wasm";

export function checkGemmArgs(
  form: GemmForm,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
): void {
  if (A.length < M * K) throw new Error(`gemm ${form}: A has ${A.length} elements, needs M·K = ${M * K}`);
  if (B.length < K * N) throw new Error(`gemm ${form}: B has ${B.length} elements, needs K·N = ${K * N}`);
  if (C.length < M * N) throw new Error(`gemm ${form}: C has ${C.length} elements, needs M·N = ${M * N}`);
}

/** Reference GEMM: direct loops, sums in k order (each C update rounded to float32 for nn/tn). */
export function gemmReference(
  form: GemmForm,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  accumulate: boolean,
): void {
  checkGemmArgs(form, M, N, K, A, B, C);
  if (!accumulate) C.fill(0, 0, M * N);
  if (form === "nt") {
    for (let i = 0; i < M; i++) {
      const ai = i * K;
      for (let j = 0; j < N; j++) {
        const bj = j * K;
        let s = 0;
        for (let k = 0; k < K; k++) s += A[ai + k] * B[bj + k];
        C[i * N + j] += s;
      }
    }
    return;
  }
  // nn: A(i,k) = A[i*K + k]; tn: A(i,k) = A[k*M + i]
  const sai = form === "nn" ? K : 1;
  const sak = form === "nn" ? 1 : M;
  for (let i = 0; i < M; i++) {
    const ci = i * N;
    for (let k = 0; k < K; k++) {
      const a = A[i * sai + k * sak];
      const bk = k * N;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

export const tsKernels: Kernels = { name: "ts", gemm: gemmReference };
