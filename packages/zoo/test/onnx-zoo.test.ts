/**
 * The zoo's networks through the ONNX format: every table round-trips through exportOnnx →
 * importOnnx with byte-identical outputs, and onnxruntime-node agrees with the engine on them.
 */
import { describe, expect, it } from "vitest";
import { loadDataset } from "@sccnn/datasets";
import { buildModel, inferShapes, specTensors, type NetworkSpec, type WeightRecord } from "@sccnn/nn";
import { canonicalSpec, exportOnnx, importOnnx } from "@sccnn/onnx";
import { maxAbsDiff, runOrt, scaleOf, seeded, engineRun } from "../../onnx/test/helpers/ort.ts";
import { bytesOf, roundTrip, seededInput } from "../../onnx/test/helpers/round-trip.ts";
import { getNetwork, loadTrainedWeights } from "../src/index.ts";
import { scaleSpec } from "./helpers/scale-spec.ts";

describe("zoo networks: exportOnnx → importOnnx round trip", () => {
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
});

describe("zoo networks: onnxruntime-node agrees with the engine", () => {
  it("exportOnnx(lenet5, trained weights) run by onnxruntime matches the engine within 1e-4 on 64 MNIST test images", async () => {
    const ckpt = loadTrainedWeights("lenet5");
    const test = loadDataset("mnist", "test", { limit: 64 });
    const y = engineRun(ckpt.spec, ckpt.weights, test.images);
    const yOrt = await runOrt(exportOnnx(ckpt.spec, ckpt.weights), "input", test.images, [64, 1, 28, 28]);
    expect(maxAbsDiff(y, yOrt)).toBeLessThanOrEqual(1e-4);
    const argmax = (a: Float32Array, r: number) => {
      const row = Array.from(a.subarray(r * 10, r * 10 + 10));
      return row.indexOf(Math.max(...row));
    };
    for (let r = 0; r < 64; r++) expect(argmax(yOrt, r)).toBe(argmax(y, r));
  });

  for (const [label, spec] of [
    ["resnet20-cifar", getNetwork("resnet20-cifar")],
    [
      "mobilenet-v1 scaled to 3x64x64, widths / 8",
      scaleSpec(getNetwork("mobilenet-v1"), { divisor: 8, input: [3, 64, 64], classes: 10 }),
    ],
    ["vgg-small-cifar", getNetwork("vgg-small-cifar")],
  ] as const) {
    it(`exportOnnx(${label}, seeded weights) run by onnxruntime matches the engine within 1e-4 relative`, async () => {
      const model = buildModel(spec, { seed: 4, kernels: "ts" });
      // Batchnorm statistics away from their identity init, so the BN arithmetic is compared too.
      for (const [name, w] of Object.entries(model.weights)) {
        if (name.endsWith(".runningVar")) w.forEach((_, i) => (w[i] = 0.5 + ((i * 7919) % 13) / 10));
        if (name.endsWith(".runningMean") || name.endsWith(".beta"))
          w.forEach((_, i) => (w[i] = (((i * 104729) % 11) - 5) / 50));
        if (name.endsWith(".gamma")) w.forEach((_, i) => (w[i] = 0.5 + ((i * 31) % 7) / 7));
      }
      const x = seeded(2 * spec.input.reduce((a, b) => a * b, 1), 9);
      const y = model.forward(x).data;
      const yOrt = await runOrt(exportOnnx(spec, model.weights), "input", x, [2, ...spec.input]);
      expect(maxAbsDiff(y, yOrt) / scaleOf(y)).toBeLessThanOrEqual(1e-4);
    });
  }
});
