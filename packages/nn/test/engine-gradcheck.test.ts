import { describe, expect, it } from "vitest";
import { softmaxCrossEntropy } from "../src/engine/loss.ts";
import { Rng } from "../src/engine/prng.ts";
import { Tensor } from "../src/engine/tensor.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { gradCheck, randomArray, smallModel } from "./engine-helpers.ts";

const TOL = 2e-2;

function net(input: [number, number, number], classes: number, layers: NetworkSpec["layers"]): NetworkSpec {
  return { id: "t", title: "t", input, classes, dataset: "synthetic", layers };
}

function check(spec: NetworkSpec, batch: number, train: boolean, seed: number): Record<string, number> {
  const model = smallModel(spec, seed);
  const rng = new Rng(seed + 100);
  const x = new Tensor([batch, ...spec.input], randomArray(batch * spec.input.reduce((a, b) => a * b), rng));
  return gradCheck(model, x, { train, seed: seed + 200 }).worst;
}

function expectAllBelow(worst: Record<string, number>, tol: number): void {
  for (const [name, w] of Object.entries(worst)) expect({ name, ok: w < tol, w }).toEqual({ name, ok: true, w });
}

describe("engine gradients match central finite differences", () => {
  // Kinks (relu at 0, ties in a max-pool window) make finite differences meaningless, so the
  // nets put max-pool on continuous values and the activations are checked on inputs away from kinks.
  it("conv (stride 2, padding 1, groups 2, bias) + conv (stride 1) + linear: all parameter and input gradients", () => {
    const spec = net([4, 7, 7], 3, [
      { type: "conv", name: "c", outChannels: 6, kernel: 3, stride: 2, padding: 1, groups: 2 },
      { type: "conv", name: "c2", outChannels: 5, kernel: 2 },
      { type: "flatten" },
      { type: "linear", name: "fc", outFeatures: 3 },
    ]);
    const worst = check(spec, 3, false, 1);
    expect(Object.keys(worst).sort()).toEqual([
      "c.bias",
      "c.weight",
      "c2.bias",
      "c2.weight",
      "fc.bias",
      "fc.weight",
      "input",
    ]);
    expectAllBelow(worst, TOL);
  });

  it("depthwise conv (groups = C, 3x2 kernel) + batchnorm (train) + avgpool (padded) + gap + linear", () => {
    const spec = net([3, 6, 6], 4, [
      { type: "conv", name: "dw", outChannels: 6, kernel: [3, 2], padding: 1, groups: 3, bias: false },
      { type: "batchnorm", name: "bn" },
      { type: "avgpool", kernel: 2, stride: 1, padding: 1 },
      { type: "gap" },
      { type: "linear", name: "fc", outFeatures: 4 },
    ]);
    expectAllBelow(check(spec, 4, true, 2), TOL);
  });

  it("residual blocks (conv+bn body with 1x1 conv shortcut, identity shortcut) in train mode", () => {
    const spec = net([2, 5, 5], 3, [
      { type: "conv", name: "stem", outChannels: 4, kernel: 3, padding: 1 },
      {
        type: "residual",
        body: [
          { type: "conv", name: "b1", outChannels: 6, kernel: 3, padding: 1, stride: 2 },
          { type: "batchnorm", name: "bn1" },
        ],
        shortcut: [{ type: "conv", name: "sc", outChannels: 6, kernel: 1, stride: 2, bias: false }],
      },
      { type: "residual", body: [{ type: "conv", name: "b2", outChannels: 6, kernel: 3, padding: 1 }] },
      { type: "flatten" },
      { type: "linear", name: "fc", outFeatures: 3 },
    ]);
    const worst = check(spec, 3, true, 3);
    expect(Object.keys(worst)).toContain("sc.weight");
    expectAllBelow(worst, TOL);
  });

  it("concat (identity + conv branch) + sigmoid + avgpool not counting padding + tanh: all gradients", () => {
    const spec = net([2, 5, 5], 3, [
      { type: "conv", name: "stem", outChannels: 3, kernel: 3, padding: 1 },
      {
        type: "concat",
        branches: [[], [{ type: "conv", name: "br", outChannels: 2, kernel: 1 }, { type: "sigmoid" }]],
      },
      { type: "avgpool", kernel: 3, stride: 2, padding: 1, countIncludePad: false },
      { type: "tanh" },
      { type: "flatten" },
      { type: "linear", name: "fc", outFeatures: 3 },
    ]);
    const worst = check(spec, 3, false, 5);
    expect(Object.keys(worst)).toContain("br.weight");
    expect(Object.keys(worst)).toContain("input");
    expectAllBelow(worst, TOL);
  });

  it("linear + batchnorm over features + dropout (fixed mask) + linear in train mode", () => {
    const spec = net([1, 4, 5], 5, [
      { type: "flatten" },
      { type: "linear", name: "l1", outFeatures: 16 },
      { type: "batchnorm", name: "bn" },
      { type: "dropout", p: 0.3 },
      { type: "relu" },
      { type: "linear", name: "l2", outFeatures: 5, bias: false },
    ]);
    expectAllBelow(check(spec, 5, true, 4), TOL);
  });

  it("relu and relu6 pass the gradient where 0 < x < cap and zero it elsewhere", () => {
    for (const type of ["relu", "relu6"] as const) {
      const spec = net([1, 4, 5], 20, [{ type }, { type: "flatten" }]);
      const model = smallModel(spec, 1);
      // values in [-3, 9] kept 0.05 away from the kinks at 0 and 6
      const rng = new Rng(21);
      const xs = Array.from({ length: 40 }, () => {
        for (;;) {
          const v = rng.uniform(-3, 9);
          if (Math.abs(v) > 0.05 && Math.abs(v - 6) > 0.05) return v;
        }
      });
      const x = new Tensor([2, 1, 4, 5], Float32Array.from(xs));
      const y = model.forward(x);
      expect(Math.max(...y.data)).toBe(type === "relu" ? Math.max(...x.data) : 6);
      expectAllBelow(gradCheck(model, x, { train: false, seed: 22, samples: 40 }).worst, 1e-3);
    }
  });

  it("maxpool (padded, overlapping windows) routes each output gradient to its window's maximum", () => {
    const spec = net([2, 5, 5], 18, [{ type: "maxpool", kernel: 3, stride: 2, padding: 1 }, { type: "flatten" }]);
    const model = smallModel(spec, 1);
    // distinct values 0.1 apart (no near-ties), in a seeded order
    const vals = new Rng(23).shuffle(Array.from({ length: 100 }, (_, i) => (i - 50) * 0.1));
    const x = new Tensor([2, 2, 5, 5], Float32Array.from(vals));
    expectAllBelow(gradCheck(model, x, { train: false, seed: 24, samples: 100 }).worst, 1e-3);
  });

  it("maxpool 2x2 stride 2 (fast path) equals the direct window maximum, first maximum winning ties, and routes gradients to it", () => {
    const spec = net([3, 6, 8], 36, [{ type: "maxpool", kernel: 2 }, { type: "flatten" }]);
    const model = smallModel(spec, 1);
    const rng = new Rng(25);
    const x = new Tensor(
      [2, 3, 6, 8],
      Float32Array.from({ length: 288 }, () => rng.int(4)),
    ); // many ties
    const y = model.forward(x);
    const dy = new Tensor([2, 36], randomArray(72, rng));
    const dx = model.backward(dy, { inputGrad: true })!;
    const want = new Float32Array(288);
    for (let nc = 0; nc < 6; nc++)
      for (let p = 0; p < 3; p++)
        for (let q = 0; q < 4; q++) {
          let best = -Infinity,
            bi = -1;
          for (let h = 2 * p; h < 2 * p + 2; h++)
            for (let w = 2 * q; w < 2 * q + 2; w++) {
              const i = nc * 48 + h * 8 + w;
              if (x.data[i] > best) {
                best = x.data[i];
                bi = i;
              }
            }
          expect(y.data[nc * 12 + p * 4 + q]).toBe(best);
          want[bi] += dy.data[nc * 12 + p * 4 + q];
        }
    expect([...dx.data]).toEqual([...want]);
  });

  it("batchnorm in eval mode (running statistics) passes gradients through its affine map", () => {
    const spec = net([2, 3, 3], 2, [
      { type: "conv", name: "c", outChannels: 3, kernel: 2 },
      { type: "batchnorm", name: "bn" },
      { type: "flatten" },
      { type: "linear", name: "fc", outFeatures: 2 },
    ]);
    const model = smallModel(spec, 5);
    model.weights["bn.runningMean"].set([0.1, -0.2, 0.3]);
    model.weights["bn.runningVar"].set([0.5, 2, 1.5]);
    model.weights["bn.gamma"].set([1.5, 0.7, -1]);
    const x = new Tensor([2, 2, 3, 3], randomArray(36, new Rng(9)));
    expectAllBelow(gradCheck(model, x, { train: false, seed: 6 }).worst, TOL);
  });

  it("softmaxCrossEntropy(logits, labels).grad equals the finite-difference gradient of the mean loss", () => {
    const rng = new Rng(11);
    const logits = new Tensor([4, 5], randomArray(20, rng, -3, 3));
    const labels = [0, 3, 4, 1];
    const { grad, loss } = softmaxCrossEntropy(logits, labels);
    expect(loss).toBeGreaterThan(0);
    const eps = 1e-3;
    for (let i = 0; i < 20; i++) {
      const orig = logits.data[i];
      logits.data[i] = orig + eps;
      const lp = softmaxCrossEntropy(logits, labels).loss;
      logits.data[i] = orig - eps;
      const lm = softmaxCrossEntropy(logits, labels).loss;
      logits.data[i] = orig;
      expect(grad.data[i]).toBeCloseTo((lp - lm) / (2 * eps), 4);
    }
  });
});
