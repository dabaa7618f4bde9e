import { describe, expect, it } from "vitest";
import { buildModel, inferShapes, specTensors, type NetworkSpec, type WeightRecord } from "@sccnn/nn";
import { getNetwork } from "@sccnn/zoo";
import { canonicalSpec, exportOnnx, importOnnx } from "../src/index.ts";
import { scaleSpec } from "./helpers/scale-spec.ts";
import { kitchenSink } from "./helpers/kitchen-sink.ts";

/** A seeded input batch in [0, 1). */
function seededInput(spec: NetworkSpec, batch: number, seed: number): Float32Array {
  const n = batch * spec.input.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32;
  }
  return x;
}

/** Builds a seeded model, perturbs batchnorm statistics away from their init (so they matter), exports, imports, and runs both. */
function roundTrip(spec: NetworkSpec, seed: number) {
  const model = buildModel(spec, { seed, kernels: "ts" });
  for (const [name, w] of Object.entries(model.weights)) {
    if (name.endsWith(".runningVar")) w.forEach((_, i) => (w[i] = 0.5 + ((i * 7919) % 13) / 10));
    if (name.endsWith(".runningMean") || name.endsWith(".beta"))
      w.forEach((_, i) => (w[i] = (((i * 104729) % 11) - 5) / 50));
  }
  const bytes = exportOnnx(spec, model.weights);
  const imported = importOnnx(bytes, { source: `${spec.id}.onnx` });
  const copy = buildModel(imported.spec, { seed: seed + 1, kernels: "ts" });
  copy.loadWeights(imported.weights);
  const x = seededInput(spec, 2, seed);
  return { model, imported, y: model.forward(x).data, yImported: copy.forward(x).data };
}

const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("exportOnnx → importOnnx round trip", () => {
  it("importOnnx(exportOnnx(a table using every layer type and option)) gives its canonical table and byte-identical outputs", () => {
    const { imported, y, yImported } = roundTrip(kitchenSink, 3);
    expect(imported.spec).toEqual(canonicalSpec(kitchenSink));
    expect(imported.spec.layers.filter((l) => l.type === "flatten")).toHaveLength(1);
    expect(bytesOf(yImported).equals(bytesOf(y))).toBe(true);
  });

  for (const id of ["lenet5", "fashion-cnn", "vgg-small-cifar", "vgg16-cifar", "resnet20-cifar"]) {
    it(`importOnnx(exportOnnx(${id})) gives canonicalSpec(${id}), the same weights and byte-identical outputs`, () => {
      const spec = getNetwork(id);
      const { model, imported, y, yImported } = roundTrip(spec, 7);
      expect(imported.spec).toEqual(canonicalSpec(spec));
      expect(imported.notes).toEqual([]);
      expect(Object.keys(imported.weights).sort()).toEqual(Object.keys(model.weights).sort());
      for (const [k, w] of Object.entries(model.weights))
        expect(bytesOf(imported.weights[k]).equals(bytesOf(w)), k).toBe(true);
      expect(bytesOf(yImported).equals(bytesOf(y))).toBe(true);
    });
  }

  for (const id of ["mobilenet-v1", "resnet18", "alexnet", "vgg16"]) {
    it(`importOnnx(exportOnnx(${id} scaled down to 3x64x64, widths / 8)) reproduces the table and byte-identical outputs`, () => {
      const spec = scaleSpec(getNetwork(id), { divisor: 8, input: [3, 64, 64], classes: 10 });
      const { imported, y, yImported } = roundTrip(spec, 11);
      expect(imported.spec).toEqual(canonicalSpec(spec));
      expect(bytesOf(yImported).equals(bytesOf(y))).toBe(true);
      expect(y.every(Number.isFinite)).toBe(true);
    });
  }

  for (const id of ["mobilenet-v1", "resnet18"]) {
    it(`importOnnx(exportOnnx(${id} at full size)) reproduces the table and every layer's shapes`, () => {
      const spec = getNetwork(id);
      const weights: WeightRecord = {};
      for (const t of specTensors(spec)) weights[t.name] = new Float32Array(t.shape.reduce((a, b) => a * b, 1));
      const imported = importOnnx(exportOnnx(spec, weights));
      expect(imported.spec).toEqual(canonicalSpec(spec));
      expect(inferShapes(imported.spec).map((l) => [l.label, l.output])).toEqual(
        inferShapes(canonicalSpec(spec)).map((l) => [l.label, l.output]),
      );
    });
  }

  it("canonicalSpec(spec) keeps shapes and outputs: the engine gives the same bytes for both tables", () => {
    const spec = getNetwork("lenet5");
    const withoutFlatten: NetworkSpec = { ...spec, layers: spec.layers.filter((l) => l.type !== "flatten") };
    const canon = canonicalSpec(withoutFlatten);
    expect(canon.layers.filter((l) => l.type === "flatten")).toHaveLength(1);
    const a = buildModel(withoutFlatten, { seed: 5, kernels: "ts" }),
      b = buildModel(canon, { seed: 5, kernels: "ts" });
    const x = seededInput(spec, 2, 5);
    expect(bytesOf(b.forward(x).data).equals(bytesOf(a.forward(x).data))).toBe(true);
  });

  it("exportOnnx(spec, weights) is deterministic: the same bytes on every call", () => {
    const spec = getNetwork("resnet20-cifar");
    const w = buildModel(spec, { seed: 1, kernels: "ts" }).weights;
    expect(Buffer.from(exportOnnx(spec, w)).equals(Buffer.from(exportOnnx(spec, w)))).toBe(true);
  });

  it("exportOnnx names the missing tensor when a weight is absent", () => {
    const spec = getNetwork("lenet5");
    const model = buildModel(spec, { seed: 1, kernels: "ts" });
    const { "c2.bias": _, ...rest } = model.weights;
    expect(() => exportOnnx(spec, rest)).toThrow(/weights\["c2\.bias"\] is missing/);
  });
});
