import { describe, expect, it } from "vitest";
import type { LayerInfo } from "../src/engine/hooks.ts";
import { buildModel } from "../src/engine/model.ts";
import { Rng } from "../src/engine/prng.ts";
import { Tensor } from "../src/engine/tensor.ts";
import { train } from "../src/engine/train.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { installHooks, roundTo } from "./engine-hooks-fixture.ts";
import { lenet5, randomArray, syntheticImages } from "./engine-helpers.ts";

const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function singleLayer(
  layer: NetworkSpec["layers"][number],
  input: [number, number, number],
  classes: number,
): NetworkSpec {
  return { id: "one", title: "one", input, classes, dataset: "x", layers: [layer] };
}

describe("layer hooks (QAT / SC-aware training)", () => {
  it("weightTransform: forward uses w' and backward gives dL/dw' as the gradient of w (straight-through)", () => {
    const x = new Tensor([4, 1, 28, 28], randomArray(4 * 784, new Rng(1), 0, 1));
    const dy = new Tensor([4, 10], randomArray(40, new Rng(2)));
    const hooked = buildModel(lenet5, { seed: 5, kernels: "ts" });
    const before = Float32Array.from(hooked.weights["c2.weight"]);
    hooked.setLayerHooks("c2", { weightTransform: (w) => roundTo(w, 0.125) });
    hooked.setLayerHooks("f1", { weightTransform: (w) => roundTo(w, 0.125) });
    const plain = buildModel(lenet5, { seed: 5, kernels: "ts" });
    plain.weights["c2.weight"].set(roundTo(plain.weights["c2.weight"], 0.125));
    plain.weights["f1.weight"].set(roundTo(plain.weights["f1.weight"], 0.125));
    const ya = hooked.forward(x, { train: true }),
      yb = plain.forward(x, { train: true });
    expect(bytes(ya.data).equals(bytes(yb.data))).toBe(true);
    hooked.zeroGrad();
    plain.zeroGrad();
    hooked.backward(dy);
    plain.backward(dy);
    expect(bytes(hooked.gradData).equals(bytes(plain.gradData))).toBe(true);
    expect(bytes(hooked.weights["c2.weight"]).equals(bytes(before))).toBe(true);
    expect(bytes(hooked.weights["c2.weight"]).equals(bytes(plain.weights["c2.weight"]))).toBe(false);
  });

  for (const kind of ["conv", "linear"] as const) {
    it(`inputTransform on ${kind}: forward sees x', dL/dx passes straight through inside [clipLo, clipHi] and is zero outside`, () => {
      const spec =
        kind === "conv"
          ? singleLayer({ type: "conv", name: "L", outChannels: 2, kernel: 3, padding: 1 }, [1, 4, 4], 32)
          : singleLayer({ type: "linear", name: "L", outFeatures: 3 }, [1, 4, 4], 3);
      const x = new Tensor([2, 1, 4, 4], randomArray(32, new Rng(3), -1, 1));
      const clip = (v: Float32Array): Float32Array => v.map((t) => Math.min(0.5, Math.max(0, t)));
      const hooked = buildModel(spec, { seed: 1, kernels: "ts" });
      hooked.setLayerHooks("L", { inputTransform: (v) => ({ value: clip(v), clipLo: 0, clipHi: 0.5 }) });
      const plain = buildModel(spec, { seed: 1, kernels: "ts" });
      const dy = new Tensor([2, spec.classes], randomArray(2 * spec.classes, new Rng(4)));
      const y = hooked.forward(x);
      expect(bytes(y.data).equals(bytes(plain.forward(new Tensor(x.shape, clip(x.data))).data))).toBe(true);
      const dxPlain = plain.backward(dy, { inputGrad: true })!.data;
      const dx = hooked.backward(dy, { inputGrad: true })!.data;
      let inside = 0;
      for (let i = 0; i < dx.length; i++) {
        const v = x.data[i];
        if (v < 0 || v > 0.5) expect(dx[i]).toBe(0);
        else {
          expect(dx[i]).toBe(dxPlain[i]);
          inside++;
        }
      }
      expect(inside).toBeGreaterThan(4);
      expect(bytes(hooked.gradData).equals(bytes(plain.gradData))).toBe(true);
    });
  }

  it("forwardOverride replaces the layer output while backward uses the float gradients of (xq, wq); info describes the layer", () => {
    const x = new Tensor([3, 1, 28, 28], randomArray(3 * 784, new Rng(6), 0, 1));
    const dy = new Tensor([3, 10], randomArray(30, new Rng(7)));
    const hooked = buildModel(lenet5, { seed: 8, kernels: "ts" });
    const plain = buildModel(lenet5, { seed: 8, kernels: "ts" });
    const seen: LayerInfo[] = [];
    hooked.setLayerHooks("f3", {
      weightTransform: (w) => roundTo(w, 0.25),
      forwardOverride: (xq, wq, info) => {
        seen.push({ ...info });
        expect(xq.shape).toEqual([3, 84]);
        expect(wq.length).toBe(840);
        return new Float32Array(xq.batch * 10).fill(7);
      },
    });
    plain.weights["f3.weight"].set(roundTo(plain.weights["f3.weight"], 0.25));
    const y = hooked.forward(x, { train: true });
    expect([...y.data]).toEqual(new Array(30).fill(7));
    expect(seen[0]).toMatchObject({
      name: "f3",
      type: "linear",
      inShape: [84],
      outShape: [10],
      weightShape: [10, 84],
      train: true,
    });
    expect(seen[0].bias).toBe(hooked.weights["f3.bias"]);
    plain.forward(x, { train: true });
    hooked.zeroGrad();
    plain.zeroGrad();
    hooked.backward(dy);
    plain.backward(dy);
    expect(bytes(hooked.gradData).equals(bytes(plain.gradData))).toBe(true);
  });

  it("forwardOverride on a conv receives the NCHW input batch and its output must have N·K·P·Q values", () => {
    const m = buildModel(lenet5, { seed: 8, kernels: "ts" });
    let info: LayerInfo | null = null;
    m.setLayerHooks("c2", {
      forwardOverride: (xq, _wq, i) => {
        info = i;
        expect(xq.shape).toEqual([2, 6, 14, 14]);
        return new Float32Array(2 * 16 * 100);
      },
    });
    m.forward(new Float32Array(2 * 784));
    expect(info).toMatchObject({
      name: "c2",
      type: "conv",
      inShape: [6, 14, 14],
      outShape: [16, 10, 10],
      kernel: [5, 5],
      stride: 1,
      padding: 0,
      groups: 1,
    });
    m.setLayerHooks("c2", { forwardOverride: () => new Float32Array(5) });
    expect(() => m.forward(new Float32Array(2 * 784))).toThrow(
      /c2: forwardOverride must return a Float32Array of 3200 values, got 5/,
    );
    m.setLayerHooks("c2", { weightTransform: () => new Float32Array(3) });
    expect(() => m.forward(new Float32Array(784))).toThrow(/conv c2: weightTransform returned 3 values, expected 2400/);
    expect(() => m.setLayerHooks("relu", {})).toThrow(
      /setLayerHooks: no conv or linear layer named "relu" \(have: c1, c2, f1, f2, f3\)/,
    );
    m.setLayerHooks("c2", null);
    expect(m.hasHooks()).toBe(false);
  });

  it("train with hooks: hooksModule in 2 threads gives byte-identical weights to the main thread alone", async () => {
    const data = syntheticImages(128, [1, 28, 28], 10, 11);
    const cfg = {
      epochs: 1,
      batchSize: 32,
      optimizer: { type: "sgd" as const, lr: 0.05, momentum: 0.9 },
      seed: 4,
      shards: 2,
      progress: false,
      maxSteps: 3,
    };
    const args = { step: 0.125, layers: ["c1", "f1"] };
    const one = buildModel(lenet5, { seed: 2 });
    installHooks(one, args);
    const h1 = await train(one, data, { ...cfg, threads: 2 });
    expect(h1.threads).toBe(1); // hooks set, no hooksModule: main thread only
    const two = buildModel(lenet5, { seed: 2 });
    installHooks(two, args);
    const h2 = await train(two, data, {
      ...cfg,
      threads: 2,
      hooksModule: { url: new URL("./engine-hooks-fixture.ts", import.meta.url).href, args },
    });
    expect(h2.threads).toBe(2);
    expect(bytes(two.paramData).equals(bytes(one.paramData))).toBe(true);
    const unhooked = buildModel(lenet5, { seed: 2 });
    await train(unhooked, data, { ...cfg, threads: 1 });
    expect(bytes(unhooked.paramData).equals(bytes(one.paramData))).toBe(false);
  });

  it("train with a hooksModule lacking the named export fails with a message naming the module and export", async () => {
    const data = syntheticImages(64, [1, 28, 28], 10, 12);
    const m = buildModel(lenet5, { seed: 2 });
    const url = new URL("./engine-hooks-fixture.ts", import.meta.url).href;
    await expect(
      train(m, data, {
        epochs: 1,
        batchSize: 32,
        optimizer: { type: "sgd", lr: 0.1 },
        seed: 1,
        threads: 2,
        progress: false,
        hooksModule: { url, exportName: "nope" },
      }),
    ).rejects.toThrow(
      /training worker failed to start: Error: hooksModule: .*engine-hooks-fixture\.ts has no exported function "nope"/,
    );
  });
});
