import { describe, expect, it } from "vitest";
import { gemmReference, type GemmForm } from "../src/engine/gemm.ts";
import { gemmWasm } from "../src/engine/wasm-kernels.ts";
import { Clamp } from "../src/engine/activations.ts";
import { MaxPool } from "../src/engine/pooling.ts";
import { selectKernels } from "../src/engine/kernels.ts";
import { Tensor } from "../src/engine/tensor.ts";
import { Rng } from "../src/engine/prng.ts";
import { randomArray } from "./engine-helpers.ts";

/** The k-th factor pair of output (i, j) in `form`: A(i, k) and B(k, j) (see gemm.ts). */
function factors(
  form: GemmForm,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  i: number,
  j: number,
) {
  return {
    a: (k: number) => (form === "tn" ? A[k * M + i]! : A[i * K + k]!),
    b: (k: number) => (form === "nt" ? B[j * K + k]! : B[k * N + j]!),
  };
}

/** Float64 product, the meaning of every form. */
function exact(form: GemmForm, M: number, N: number, K: number, A: Float32Array, B: Float32Array): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      const { a, b } = factors(form, M, N, K, A, B, i, j);
      let s = 0;
      for (let k = 0; k < K; k++) s += a(k) * b(k);
      C[i * N + j] = s;
    }
  return C;
}

/** |error| bound of a float32 dot product of length K: K·ε·Σ|a·b| (ε = 2^-24), plus the accumulated C. */
function bound(
  form: GemmForm,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  i: number,
  j: number,
  c0: number,
): number {
  const { a, b } = factors(form, M, N, K, A, B, i, j);
  let s = Math.abs(c0);
  for (let k = 0; k < K; k++) s += Math.abs(a(k) * b(k));
  return (K + 2) * 2 ** -24 * s + 1e-30;
}

describe("GEMM kernels", () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 8, 1],
    [5, 9, 13],
    [8, 16, 3],
    [7, 33, 17],
    [6, 50, 25],
    [16, 100, 150],
    [2, 3, 400],
  ];
  for (const form of ["nn", "tn", "nt"] as GemmForm[]) {
    it(`gemmReference and gemmWasm("${form}") equal the float64 product within the float32 rounding bound, with and without accumulate`, () => {
      const rng = new Rng(form.charCodeAt(0) * 31 + form.charCodeAt(1));
      for (const [M, N, K] of shapes) {
        const A = randomArray(M * K, rng),
          B = randomArray(K * N, rng),
          C0 = randomArray(M * N, rng);
        const want = exact(form, M, N, K, A, B);
        for (const accumulate of [false, true]) {
          for (const f of [gemmReference, gemmWasm]) {
            const C = Float32Array.from(C0);
            f(form, M, N, K, A, B, C, accumulate);
            for (let i = 0; i < M; i++)
              for (let j = 0; j < N; j++) {
                const c0 = accumulate ? C0[i * N + j] : 0;
                const err = Math.abs(C[i * N + j] - (want[i * N + j] + c0));
                const tol = bound(form, M, N, K, A, B, i, j, c0);
                if (err > tol) expect({ f: f.name, form, M, N, K, i, j, err }).toEqual({ tol });
              }
          }
        }
      }
    });
  }

  it("gemmWasm rejects operands shorter than the declared sizes, naming the operand", () => {
    expect(() => gemmWasm("nn", 2, 2, 2, new Float32Array(3), new Float32Array(4), new Float32Array(4), false)).toThrow(
      /gemm nn: A has 3 elements, needs M·K = 4/,
    );
    expect(() =>
      gemmReference("nt", 2, 2, 2, new Float32Array(4), new Float32Array(4), new Float32Array(3), false),
    ).toThrow(/C has 3 elements/);
  });
});

/**
 * What gemmWasm computes per output, written out (asm/gemm.ts): nn/tn sum the float32-rounded
 * products in k order; nt keeps 4 partial sums (k mod 4, over k < K & ~3), adds them as
 * (s0 + s1) + (s2 + s3), then the tail in order; accumulate adds the old C last. Float32 throughout.
 */
function gemmOrderReference(...[form, M, N, K, A, B, C, accumulate]: Parameters<typeof gemmWasm>): Float32Array {
  const f = Math.fround;
  const out = new Float32Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      const { a, b } = factors(form, M, N, K, A, B, i, j);
      let t = 0;
      if (form === "nt") {
        const K4 = K & ~3;
        const lane = [0, 0, 0, 0];
        for (let k = 0; k < K4; k++) lane[k & 3] = f(lane[k & 3]! + f(a(k) * b(k)));
        t = f(f(lane[0]! + lane[1]!) + f(lane[2]! + lane[3]!));
        for (let k = K4; k < K; k++) t = f(t + f(a(k) * b(k)));
      } else for (let k = 0; k < K; k++) t = f(t + f(a(k) * b(k)));
      out[i * N + j] = accumulate ? f(C[i * N + j]! + t) : t;
    }
  return out;
}

describe("GEMM kernels' summation order", () => {
  it("gemmWasm gives every output the floats of its written-out order, whatever its row or column (register blocks, 2-row and 1-row tails, column tails)", () => {
    const rng = new Rng(12);
    for (const form of ["nn", "tn", "nt"] as const)
      for (const M of [1, 2, 3, 5, 6, 7, 9])
        for (const N of [1, 3, 4, 8, 9, 17])
          for (const K of [1, 5, 8, 25])
            for (const accumulate of [false, true]) {
              const A = randomArray(M * K, rng),
                B = randomArray(K * N, rng),
                C0 = randomArray(M * N, rng);
              const want = gemmOrderReference(form, M, N, K, A, B, C0, accumulate);
              const C = C0.slice();
              gemmWasm(form, M, N, K, A, B, C, accumulate);
              for (let i = 0; i < M * N; i++)
                expect(Object.is(C[i], want[i]), `${form} ${M}x${N}x${K} acc ${accumulate} [${i}]`).toBe(true);
            }
  });
});

describe("ReLU kernels", () => {
  it("the wasm kernels' ReLU forward and backward equal Clamp's loops bit for bit (−0, NaN, ±Infinity, every tail), below and above minLength", () => {
    const special = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 3.4e38, -3.4e38, 0.5, -0.5];
    const rng = new Rng(5);
    for (const n of [1, 7, 1023, 1024, 1027, 4099]) {
      const data = Float32Array.from({ length: n }, (_, i) =>
        i < special.length ? special[i]! : rng.uniform(-0.5, 0.5),
      );
      const dy = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? -0 : rng.uniform(-0.5, 0.5)));
      const outs = (["ts", "wasm"] as const).map((name) => {
        const layer = new Clamp("relu", [n]);
        const kernels = selectKernels(name);
        const y = layer.forward(new Tensor([1, n], data.slice()), { train: true, kernels, rng: new Rng(1) });
        const dx = layer.backward(new Tensor([1, n], dy.slice()), { kernels }, true)!;
        return [y.data, dx.data];
      });
      for (const part of [0, 1])
        for (let i = 0; i < n; i++)
          expect(
            Object.is(outs[1]![part]![i], outs[0]![part]![i]),
            `n ${n}, ${part ? "backward" : "forward"} [${i}]`,
          ).toBe(true);
    }
  });
});

describe("max pooling kernels", () => {
  it("the wasm max pooling backward refuses an argmax outside dx, naming the first, and writes nothing", () => {
    const pool = selectKernels("wasm").maxPool!;
    expect(() => pool.backward(Int32Array.of(0, 3, 5, -1), new Float32Array(4), 4)).toThrow(
      /argmax\[2\] = 5 outside 0…3/,
    );
    expect(() => pool.backward(Int32Array.of(-1), new Float32Array(1), 4)).toThrow(/argmax\[0\] = -1 outside/);
    expect(Array.from(pool.backward(Int32Array.of(3, 0, 3), Float32Array.of(1, 2, 4), 4))).toEqual([2, 0, 0, 5]);
  });

  it("the wasm kernels' 2×2/2 max pooling and its backward equal MaxPool's loops bit for bit (ties, NaN, ±0, odd sizes, every tail)", () => {
    const rng = new Rng(9);
    const special = [NaN, -0, 0, Infinity, -Infinity, -1e-45];
    for (const [N, C, H, W] of [
      [2, 3, 28, 28],
      [3, 16, 10, 10],
      [1, 5, 9, 7],
      [2, 4, 6, 18],
    ] as const) {
      const n = N * C * H * W;
      // values on a coarse grid, so that windows hold ties; some special values sprinkled in
      const data = Float32Array.from({ length: n }, (_, i) =>
        i % 37 === 0 ? special[(i / 37) % special.length]! : Math.round(rng.uniform(-3, 3)) / 2,
      );
      const yShape = [N, C, H >> 1, W >> 1];
      const dy = Float32Array.from({ length: yShape.reduce((a, b) => a * b, 1) }, (_, i) =>
        i % 7 === 0 ? -0 : rng.uniform(-1, 1),
      );
      const [ts, wasm] = (["ts", "wasm"] as const).map((name) => {
        const layer = new MaxPool([C, H, W], 2, 2, 0);
        const kernels = selectKernels(name);
        const y = layer.forward(new Tensor([N, C, H, W], data.slice()), { train: true, kernels, rng: new Rng(1) });
        const dx = layer.backward(new Tensor(yShape, dy.slice()), { kernels }, true)!;
        return { y: y.data, dx: dx.data };
      }) as [{ y: Float32Array; dx: Float32Array }, { y: Float32Array; dx: Float32Array }];
      const shape = `[${N}, ${C}, ${H}, ${W}]`;
      expect(wasm.y.length).toBe(ts.y.length);
      for (let i = 0; i < ts.y.length; i++) expect(Object.is(wasm.y[i], ts.y[i]), `${shape} y[${i}]`).toBe(true);
      for (let i = 0; i < ts.dx.length; i++) expect(Object.is(wasm.dx[i], ts.dx[i]), `${shape} dx[${i}]`).toBe(true);
    }
  });
});
