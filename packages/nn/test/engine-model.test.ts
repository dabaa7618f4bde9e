import { describe, expect, it } from "vitest";
import { selectKernels } from "../src/engine/kernels.ts";
import { buildModel } from "../src/engine/model.ts";
import { Rng } from "../src/engine/prng.ts";
import { Tensor } from "../src/engine/tensor.ts";
import { countParams, inferShapes } from "../src/shapes.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { lenet5, randomArray } from "./engine-helpers.ts";

/** Direct-loop convolution (the definition), float64 sums. */
function directConv(
  x: Float32Array,
  [N, C, H, W]: number[],
  w: Float32Array,
  b: Float32Array | null,
  K: number,
  R: number,
  S: number,
  stride: number,
  pad: number,
  groups: number,
): { y: Float64Array; P: number; Q: number } {
  const P = Math.floor((H + 2 * pad - R) / stride) + 1,
    Q = Math.floor((W + 2 * pad - S) / stride) + 1;
  const Cg = C / groups,
    Kg = K / groups;
  const y = new Float64Array(N * K * P * Q);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++)
      for (let p = 0; p < P; p++)
        for (let q = 0; q < Q; q++) {
          const g = Math.floor(k / Kg);
          let s = b ? b[k] : 0;
          for (let c = 0; c < Cg; c++)
            for (let r = 0; r < R; r++)
              for (let t = 0; t < S; t++) {
                const h = p * stride - pad + r,
                  ww = q * stride - pad + t;
                if (h < 0 || h >= H || ww < 0 || ww >= W) continue;
                s += x[((n * C + g * Cg + c) * H + h) * W + ww] * w[((k * Cg + c) * R + r) * S + t];
              }
          y[((n * K + k) * P + p) * Q + q] = s;
        }
  return { y, P, Q };
}

describe("buildModel", () => {
  it("buildModel(lenet5) exposes the weight record with the documented names and shapes", () => {
    const m = buildModel(lenet5, { seed: 1 });
    expect(m.tensors.map((t) => `${t.name}:${t.shape.join("x")}`)).toEqual([
      "c1.weight:6x1x5x5",
      "c1.bias:6",
      "c2.weight:16x6x5x5",
      "c2.bias:16",
      "f1.weight:120x400",
      "f1.bias:120",
      "f2.weight:84x120",
      "f2.bias:84",
      "f3.weight:10x84",
      "f3.bias:10",
    ]);
    expect(m.paramData.length).toBe(61706);
    expect(m.paramData.length).toBe(countParams(lenet5));
    expect(m.forward(new Float32Array(3 * 784)).shape).toEqual([3, 10]);
  });

  it("buildModel gives the per-layer output shapes that shapes.ts infers, on a net with every layer type", () => {
    const spec: NetworkSpec = {
      id: "all",
      title: "all",
      input: [3, 12, 12],
      classes: 5,
      dataset: "x",
      layers: [
        { type: "conv", name: "c", outChannels: 8, kernel: 3, stride: 2, padding: 1 },
        { type: "batchnorm", name: "bn" },
        { type: "relu6" },
        {
          type: "residual",
          body: [{ type: "conv", name: "dw", outChannels: 8, kernel: 3, padding: 1, groups: 8 }, { type: "relu" }],
        },
        { type: "maxpool", kernel: 3, stride: 1, padding: 1 },
        { type: "avgpool", kernel: 2 },
        { type: "dropout", p: 0.2 },
        { type: "gap" },
        { type: "flatten" },
        { type: "linear", name: "fc", outFeatures: 5 },
      ],
    };
    const m = buildModel(spec, { seed: 1, kernels: "ts" });
    expect(m.root.layers.map((l) => l.outShape)).toEqual(
      inferShapes(spec)
        .filter((s) => /^layers\[\d+\]$/.test(s.path))
        .map((s) => s.output),
    );
    expect(m.params.reduce((a, p) => a + p.value.length, 0)).toBe(countParams(spec));
  });

  it("buildModel initialises weights He-uniform within ±sqrt(6/fanIn), biases 0, identically for the same seed", () => {
    const a = buildModel(lenet5, { seed: 9 }),
      b = buildModel(lenet5, { seed: 9 }),
      c = buildModel(lenet5, { seed: 10 });
    expect(Buffer.from(a.paramData.buffer).equals(Buffer.from(b.paramData.buffer))).toBe(true);
    expect(Buffer.from(a.paramData.buffer).equals(Buffer.from(c.paramData.buffer))).toBe(false);
    for (const [name, fanIn] of [
      ["c1", 25],
      ["c2", 150],
      ["f1", 400],
      ["f3", 84],
    ] as const) {
      const w = a.weights[`${name}.weight`],
        bound = Math.sqrt(6 / fanIn);
      expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * bound);
      // variance of U(-b, b) is b²/3 = 2/fanIn; 4 standard errors of the sample variance
      const v = w.reduce((s, x) => s + x * x, 0) / w.length;
      expect(Math.abs(v - 2 / fanIn)).toBeLessThan(4 * (2 / fanIn) * Math.sqrt(0.8 / w.length));
      expect(a.weights[`${name}.bias`].every((x) => x === 0)).toBe(true);
    }
  });

  it("conv forward (im2col + GEMM, ts and wasm kernels) equals direct loops for stride, padding and groups", () => {
    const rng = new Rng(31);
    for (const [C, K, R, S, stride, pad, groups] of [
      [3, 4, 3, 3, 1, 1, 1],
      [4, 6, 3, 2, 2, 1, 2],
      [6, 6, 3, 3, 1, 2, 6],
      [2, 3, 5, 5, 3, 0, 1],
    ]) {
      const spec: NetworkSpec = {
        id: "c",
        title: "c",
        input: [C, 9, 8],
        classes: 0,
        dataset: "x",
        layers: [{ type: "conv", name: "c", outChannels: K, kernel: [R, S], stride, padding: pad, groups }],
      };
      const P = Math.floor((9 + 2 * pad - R) / stride) + 1,
        Q = Math.floor((8 + 2 * pad - S) / stride) + 1;
      spec.classes = K * P * Q;
      const x = randomArray(2 * C * 72, rng);
      for (const kernels of ["ts", "wasm"] as const) {
        const m = buildModel(spec, { seed: 2, kernels });
        m.weights["c.bias"].set(randomArray(K, rng));
        const y = m.forward(new Tensor([2, C, 9, 8], x));
        const ref = directConv(
          x,
          [2, C, 9, 8],
          m.weights["c.weight"],
          m.weights["c.bias"],
          K,
          R,
          S,
          stride,
          pad,
          groups,
        );
        expect(y.shape).toEqual([2, K, ref.P, ref.Q]);
        for (let i = 0; i < y.size; i++) expect(Math.abs(y.data[i] - ref.y[i])).toBeLessThan(1e-5);
      }
    }
  });

  it("conv backward with wasm kernels (weight, bias and input gradients) equals the ts reference for stride, padding and groups", () => {
    const rng = new Rng(32);
    for (const [C, K, R, S, stride, pad, groups] of [
      [3, 4, 3, 3, 1, 1, 1],
      [4, 6, 3, 2, 2, 1, 2],
      [6, 12, 3, 3, 1, 2, 6],
      [2, 3, 5, 5, 3, 0, 1],
      [3, 5, 1, 1, 1, 0, 1],
    ]) {
      const spec: NetworkSpec = {
        id: "c",
        title: "c",
        input: [C, 9, 8],
        classes: 1,
        dataset: "x",
        layers: [
          { type: "conv", name: "c", outChannels: K, kernel: [R, S], stride, padding: pad, groups },
          { type: "flatten" },
          { type: "linear", name: "f", outFeatures: 1 },
        ],
      };
      const x = new Tensor([3, C, 9, 8], randomArray(3 * C * 72, rng));
      const dy = new Tensor([3, 1], randomArray(3, rng));
      const [a, b] = (["ts", "wasm"] as const).map((kernels) => {
        const m = buildModel(spec, { seed: 4, kernels });
        m.weights["c.bias"].set(randomArray(K, new Rng(5)));
        m.forward(x);
        m.zeroGrad();
        m.gradData.fill(0.25); // backward accumulates into existing gradients
        const dx = m.backward(dy, { inputGrad: true })!;
        return { g: Float32Array.from(m.gradData), dx: dx.data };
      });
      for (let i = 0; i < a.g.length; i++)
        expect(Math.abs(a.g[i] - b.g[i])).toBeLessThan(1e-5 * (1 + Math.abs(a.g[i])));
      for (let i = 0; i < a.dx.length; i++)
        expect(Math.abs(a.dx[i] - b.dx[i])).toBeLessThan(1e-5 * (1 + Math.abs(a.dx[i])));
    }
  });

  it("wasm conv splits a batch whose column matrix exceeds 4M floats into image chunks and still equals the ts reference", () => {
    // C·R·S·P·Q = 64·9·32·32 = 589 824 floats per image → chunks of 7 images for a batch of 9
    const spec: NetworkSpec = {
      id: "big",
      title: "big",
      input: [64, 32, 32],
      classes: 1,
      dataset: "x",
      layers: [
        { type: "conv", name: "c", outChannels: 4, kernel: 3, padding: 1 },
        { type: "gap" },
        { type: "flatten" },
        { type: "linear", name: "f", outFeatures: 1 },
      ],
    };
    const x = new Tensor([9, 64, 32, 32], randomArray(9 * 65536, new Rng(41)));
    const dy = new Tensor([9, 1], randomArray(9, new Rng(42)));
    const [a, b] = (["ts", "wasm"] as const).map((kernels) => {
      const m = buildModel(spec, { seed: 4, kernels });
      const y = Float32Array.from(m.forward(x).data);
      m.zeroGrad();
      const dx = m.backward(dy, { inputGrad: true })!;
      return { y, g: Float32Array.from(m.gradData), dx: dx.data };
    });
    for (const k of ["y", "g", "dx"] as const) {
      let worst = 0;
      for (let i = 0; i < a[k].length; i++)
        worst = Math.max(worst, Math.abs(a[k][i] - b[k][i]) / (1 + Math.abs(a[k][i])));
      expect({ k, small: worst < 1e-4 }).toEqual({ k, small: true });
    }
  });

  it("wasm conv forward of a batch (in cache-sized chunks) equals the same images one per call, bit for bit", () => {
    const conv = selectKernels("wasm").conv!;
    for (const [N, C, H, K, R, stride, padding, groups] of [
      [64, 1, 28, 6, 5, 1, 2, 1], // LeNet-5 conv1: 13 images per chunk
      [40, 6, 14, 16, 5, 1, 0, 1],
      [21, 8, 16, 12, 3, 2, 1, 4],
    ] as const) {
      const P = Math.floor((H + 2 * padding - R) / stride) + 1;
      const g = { N, C, H, W: H, K, R, S: R, P, Q: P, stride, padding, groups, Cg: C / groups, Kg: K / groups };
      const x = randomArray(N * C * H * H, new Rng(N));
      const w = randomArray((K * C * R * R) / groups, new Rng(K));
      const bias = randomArray(K, new Rng(R));
      const batch = conv.forward(x, w, bias, g, groups, K);
      const per = C * H * H,
        out = K * P * P;
      for (let n = 0; n < N; n++) {
        const one = conv.forward(x.subarray(n * per, (n + 1) * per), w, bias, { ...g, N: 1 }, groups, K);
        for (let i = 0; i < out; i++)
          expect(Object.is(batch[n * out + i], one[i]), `[${N}, ${C}, ${H}] image ${n} [${i}]`).toBe(true);
      }
    }
  });

  it("LeNet-5 forward and backward with wasm kernels equal the ts-kernel reference within float tolerance", () => {
    const x = new Tensor([8, 1, 28, 28], randomArray(8 * 784, new Rng(4), 0, 1));
    const dy = new Tensor([8, 10], randomArray(80, new Rng(5)));
    const run = (kernels: "ts" | "wasm") => {
      const m = buildModel(lenet5, { seed: 3, kernels });
      const y = m.forward(x, { train: true });
      m.zeroGrad();
      const dx = m.backward(dy, { inputGrad: true })!;
      return { y: y.data, g: Float32Array.from(m.gradData), dx: dx.data };
    };
    const a = run("ts"),
      b = run("wasm");
    const rel = (u: Float32Array, v: Float32Array): number => {
      let num = 0,
        den = 0;
      for (let i = 0; i < u.length; i++) {
        num = Math.max(num, Math.abs(u[i] - v[i]));
        den = Math.max(den, Math.abs(u[i]));
      }
      return num / den;
    };
    expect(rel(a.y, b.y)).toBeLessThan(1e-5);
    expect(rel(a.g, b.g)).toBeLessThan(1e-5);
    expect(rel(a.dx, b.dx)).toBeLessThan(1e-5);
  });

  it("buildModel errors name the layer path and the bad parameter", () => {
    const bad = (layers: NetworkSpec["layers"]): NetworkSpec => ({ ...lenet5, layers });
    expect(() =>
      buildModel(bad([{ type: "conv", name: "a", outChannels: 6, kernel: 5, groups: 4 }]), { seed: 1 }),
    ).toThrow(/layers\[0\] \(conv "a"\): conv a: groups 4 must divide input channels 1 and outChannels 6/);
    expect(() =>
      buildModel(
        bad([
          { type: "conv", name: "a", outChannels: 2, kernel: 3 },
          { type: "residual", body: [{ type: "conv", name: "a", outChannels: 2, kernel: 3, padding: 1 }] },
        ]),
        { seed: 1 },
      ),
    ).toThrow(/layers\[1\]\.body\[0\] \(conv "a"\): duplicate layer name "a"/);
    expect(() => buildModel(bad([{ type: "conv", name: "a", outChannels: 6, kernel: 40 }]), { seed: 1 })).toThrow(
      /kernel 40x40 with padding 0 does not fit input 28x28/,
    );
    expect(() =>
      buildModel(bad([{ type: "flatten" }, { type: "linear", name: "f", outFeatures: 9 }]), { seed: 1 }),
    ).toThrow(/spec.classes: 10 classes but the last layer gives \[9\]/);
    expect(() => buildModel(lenet5, { seed: 1, kernels: "gpu" as "ts" })).toThrow(
      /kernels: expected "ts" or "wasm", got "gpu"/,
    );
  });
});
