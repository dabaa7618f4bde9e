import { describe, expect, it } from "vitest";
import { buildModel } from "@sccnn/nn";
import { exportOnnx, importOnnx } from "../src/index.ts";
import { floatTensor, int64Tensor, makeModel, node, seededTensor } from "./helpers/onnx-graph.ts";
import { kitchenSink } from "./helpers/kitchen-sink.ts";
import { engineRun, maxAbsDiff, runOrt, scaleOf, seeded } from "./helpers/ort.ts";

function softmaxRows(y: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(y.length);
  for (let r = 0; r < y.length / classes; r++) {
    const row = y.subarray(r * classes, (r + 1) * classes);
    const mx = Math.max(...row);
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(row[c] - mx);
    for (let c = 0; c < classes; c++) out[r * classes + c] = Math.exp(row[c] - mx) / s;
  }
  return out;
}

describe("onnxruntime-node agrees with the engine", () => {
  for (const [label, spec] of [["a table using every layer type and option", kitchenSink]] as const) {
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

  it("importOnnx of a foreign-style graph (Constant shape, float_data, Gemm transB 0 with alpha/beta, MatMul + Add, Clip, pads, final Softmax) matches onnxruntime", async () => {
    const bytes = makeModel({
      input: [2, 8, 8],
      output: "prob",
      outputDims: [5],
      nodes: [
        node("Conv", "features.0", ["x", "features.0.weight", "features.0.bias"], ["c1"], {
          kernel_shape: [3, 3],
          pads: [1, 1, 1, 1],
          strides: [1, 1],
        }),
        node(
          "BatchNormalization",
          "features.1",
          ["c1", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"],
          ["b1"],
          { epsilon: { float: 1e-5 } },
        ),
        node("Relu", "relu1", ["b1"], ["r1"]),
        node("MaxPool", "pool1", ["r1"], ["p1"], { kernel_shape: [2, 2], strides: [2, 2] }),
        node("Conv", "dw", ["p1", "dw.weight"], ["c2"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 4 }),
        node("Clip", "relu6", ["c2", "zero", "six"], ["r2"]),
        node("AveragePool", "pool2", ["r2"], ["p2"], {
          kernel_shape: [3, 3],
          strides: [2, 2],
          pads: [1, 1, 1, 1],
          count_include_pad: 1,
        }),
        node("Constant", "shape_const", [], ["shape"], {}),
        node("Reshape", "reshape", ["p2", "shape"], ["flat"]),
        node("Gemm", "fc1", ["flat", "fc1.weight", "fc1.bias"], ["h"], {
          transB: 0,
          alpha: { float: 0.5 },
          beta: { float: 2 },
        }),
        node("Dropout", "drop", ["h", "ratio"], ["hd"]),
        node("Relu", "relu3", ["hd"], ["hr"]),
        node("MatMul", "fc2", ["hr", "fc2.weight"], ["mm"]),
        node("Add", "fc2_bias", ["mm", "fc2.bias"], ["logits"]),
        node("Softmax", "softmax", ["logits"], ["prob"], { axis: 1 }),
      ],
      initializers: [
        seededTensor("features.0.weight", [4, 2, 3, 3], 1, 0.5, true),
        seededTensor("features.0.bias", [4], 2, 0.5, true),
        seededTensor("bn.weight", [4], 3),
        seededTensor("bn.bias", [4], 4),
        seededTensor("bn.running_mean", [4], 5, 0.2),
        floatTensor("bn.running_var", [4], Float32Array.of(0.5, 1, 1.5, 2)),
        seededTensor("dw.weight", [4, 1, 3, 3], 6, 3),
        floatTensor("zero", [], Float32Array.of(0)),
        floatTensor("six", [], Float32Array.of(6)),
        seededTensor("fc1.weight", [16, 7], 7),
        seededTensor("fc1.bias", [7], 8),
        floatTensor("ratio", [], Float32Array.of(0.25)),
        seededTensor("fc2.weight", [7, 5], 9),
        seededTensor("fc2.bias", [5], 10),
      ],
    });
    // The Constant node's tensor is set here (the helper's node() builds scalar attributes only).
    const { onnx } = await import("../src/proto.ts");
    const model = onnx.ModelProto.decode(bytes);
    model.graph!.node!.find((n) => n.name === "shape_const")!.attribute = [
      { name: "value", type: 4, t: int64Tensor("shape", [2], [0, -1]) },
    ];
    const withConst = onnx.ModelProto.encode(model).finish();

    const imported = importOnnx(withConst, { source: "foreign.onnx" });
    expect(imported.spec.layers.map((l) => l.type)).toEqual([
      "conv",
      "batchnorm",
      "relu",
      "maxpool",
      "conv",
      "relu6",
      "avgpool",
      "flatten",
      "linear",
      "dropout",
      "relu",
      "linear",
    ]);
    expect(imported.spec.layers[0]).toEqual({
      type: "conv",
      name: "features.0",
      outChannels: 4,
      kernel: 3,
      stride: 1,
      padding: 1,
      groups: 1,
      bias: true,
    });
    expect(imported.spec.layers[4]).toMatchObject({ type: "conv", name: "dw", groups: 4, bias: false });
    expect(imported.spec.classes).toBe(5);
    expect(imported.notes.join("\n")).toMatch(/alpha 0\.5 folded[\s\S]*beta 2 folded[\s\S]*dropped the final Softmax/);
    const x = seeded(3 * 2 * 8 * 8, 12);
    const y = softmaxRows(engineRun(imported.spec, imported.weights, x), 5);
    const yOrt = await runOrt(withConst, "x", x, [3, 2, 8, 8]);
    expect(maxAbsDiff(y, yOrt)).toBeLessThanOrEqual(1e-5);
  });

  it("importOnnx of residual graphs (identity shortcut as Add input 0, projection shortcut, nested order) matches onnxruntime", async () => {
    const bytes = makeModel({
      input: [4, 6, 6],
      outputDims: [3],
      nodes: [
        node("Conv", "b1.conv1", ["x", "w1"], ["a1"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
        node("Relu", "b1.relu", ["a1"], ["a2"]),
        node("Conv", "b1.conv2", ["a2", "w2"], ["a3"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
        node("Add", "b1.add", ["x", "a3"], ["s1"]),
        node("Relu", "r1", ["s1"], ["t1"]),
        node("Conv", "b2.down", ["t1", "wd"], ["d1"], { kernel_shape: [1, 1], strides: [2, 2] }),
        node("Conv", "b2.conv1", ["t1", "w3"], ["e1"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }),
        node("Add", "b2.add", ["d1", "e1"], ["s2"]),
        node("GlobalAveragePool", "gap", ["s2"], ["g"]),
        node("Flatten", "flatten", ["g"], ["f"], { axis: 1 }),
        node("Gemm", "fc", ["f", "wf", "bf"], ["y"], { transB: 1 }),
      ],
      initializers: [
        seededTensor("w1", [4, 4, 3, 3], 1),
        seededTensor("w2", [4, 4, 3, 3], 2),
        seededTensor("wd", [8, 4, 1, 1], 3),
        seededTensor("w3", [8, 4, 3, 3], 4),
        seededTensor("wf", [3, 8], 5),
        seededTensor("bf", [3], 6),
      ],
    });
    const imported = importOnnx(bytes);
    const [block1, , block2] = imported.spec.layers;
    expect(block1).toMatchObject({ type: "residual", shortcut: [] });
    expect((block1 as { body: unknown[] }).body).toHaveLength(3);
    // Add(d1, e1): input 0 (the 1x1 projection) is the body, input 1 the shortcut.
    expect(block2).toMatchObject({ type: "residual", body: [{ name: "b2.down" }], shortcut: [{ name: "b2.conv1" }] });
    const x = seeded(2 * 4 * 6 * 6, 3);
    const y = engineRun(imported.spec, imported.weights, x);
    const yOrt = await runOrt(bytes, "x", x, [2, 4, 6, 6]);
    expect(maxAbsDiff(y, yOrt) / scaleOf(y)).toBeLessThanOrEqual(1e-5);
  });

  it("importOnnx of Conv and MaxPool with auto_pad SAME_UPPER (symmetric here) matches onnxruntime", async () => {
    const bytes = makeModel({
      input: [2, 7, 7],
      outputDims: [3, 7, 7],
      nodes: [
        node("Conv", "c", ["x", "w", "b"], ["c"], { kernel_shape: [5, 5], auto_pad: "SAME_UPPER" }),
        node("MaxPool", "p", ["c"], ["y"], { kernel_shape: [3, 3], auto_pad: "SAME_UPPER" }),
      ],
      initializers: [seededTensor("w", [3, 2, 5, 5], 1), seededTensor("b", [3], 2)],
    });
    const imported = importOnnx(bytes);
    expect(imported.spec.layers).toMatchObject([
      { type: "conv", padding: 2 },
      { type: "maxpool", kernel: 3, stride: 1, padding: 1 },
    ]);
    const x = seeded(2 * 98, 4);
    expect(
      maxAbsDiff(engineRun(imported.spec, imported.weights, x), await runOrt(bytes, "x", x, [2, 2, 7, 7])),
    ).toBeLessThanOrEqual(1e-5);
  });

  it("importOnnx of a three-way fork (x + relu(x) + relu(x) as two nested Adds) reads nested residual blocks and matches onnxruntime", async () => {
    const bytes = makeModel({
      input: [2, 3, 3],
      outputDims: [2, 3, 3],
      nodes: [
        node("Conv", "a", ["x", "wa"], ["a"], { kernel_shape: [1, 1] }),
        node("Relu", "b", ["x"], ["b"]),
        node("Add", "inner", ["a", "b"], ["s"]),
        node("Add", "outer", ["s", "x"], ["y"]),
      ],
      initializers: [seededTensor("wa", [2, 2, 1, 1], 4)],
    });
    const imported = importOnnx(bytes);
    expect(imported.spec.layers).toEqual([
      {
        type: "residual",
        body: [
          {
            type: "residual",
            body: [
              { type: "conv", name: "a", outChannels: 2, kernel: 1, stride: 1, padding: 0, groups: 1, bias: false },
            ],
            shortcut: [{ type: "relu" }],
          },
        ],
        shortcut: [],
      },
    ]);
    const x = seeded(2 * 18, 6).map((v) => v - 0.5);
    expect(
      maxAbsDiff(engineRun(imported.spec, imported.weights, x), await runOrt(bytes, "x", x, [2, 2, 3, 3])),
    ).toBeLessThanOrEqual(1e-6);
  });

  it("importOnnx of PyTorch's x.view(x.size(0), -1) export (Shape → Gather → Unsqueeze → Concat → Reshape) reads a flatten and matches onnxruntime", async () => {
    const bytes = makeModel({
      input: [1, 5, 5],
      outputDims: [4],
      nodes: [
        node("Conv", "conv", ["x", "conv.weight", "conv.bias"], ["c"], { kernel_shape: [3, 3] }),
        node("Relu", "relu", ["c"], ["r"]),
        node("Shape", "shape", ["r"], ["s"]),
        node("Gather", "gather", ["s", "zero_index"], ["n"], { axis: 0 }),
        node("Unsqueeze", "unsqueeze", ["n", "axes0"], ["n1"]),
        node("Concat", "concat", ["n1", "minus_one"], ["target"], { axis: 0 }),
        node("Reshape", "view", ["r", "target"], ["flat"]),
        node("Gemm", "fc", ["flat", "fc.weight", "fc.bias"], ["y"], { transB: 1 }),
      ],
      initializers: [
        seededTensor("conv.weight", [2, 1, 3, 3], 1),
        seededTensor("conv.bias", [2], 2),
        int64Tensor("zero_index", [], [0]),
        int64Tensor("axes0", [1], [0]),
        int64Tensor("minus_one", [1], [-1]),
        seededTensor("fc.weight", [4, 18], 3),
        seededTensor("fc.bias", [4], 4),
      ],
    });
    const imported = importOnnx(bytes);
    expect(imported.spec.layers.map((l) => l.type)).toEqual(["conv", "relu", "flatten", "linear"]);
    const x = seeded(3 * 25, 8);
    expect(
      maxAbsDiff(engineRun(imported.spec, imported.weights, x), await runOrt(bytes, "x", x, [3, 1, 5, 5])),
    ).toBeLessThanOrEqual(1e-5);
  });

  it("importOnnx folds a BatchNormalization epsilon of 1e-3 into the variance (with a note) and still matches onnxruntime within 1e-4", async () => {
    const bytes = makeModel({
      input: [3, 2, 2],
      nodes: [node("BatchNormalization", "bn", ["x", "g", "b", "m", "v"], ["y"], { epsilon: { float: 1e-3 } })],
      initializers: [
        seededTensor("g", [3], 1),
        seededTensor("b", [3], 2),
        seededTensor("m", [3], 3),
        floatTensor("v", [3], Float32Array.of(0.01, 0.1, 1)),
      ],
      outputDims: [3, 2, 2],
    });
    const imported = importOnnx(bytes);
    expect(imported.notes.join()).toMatch(/epsilon 0\.001\d* folded into the running variance/);
    const x = seeded(12, 2);
    expect(
      maxAbsDiff(engineRun(imported.spec, imported.weights, x), await runOrt(bytes, "x", x, [1, 3, 2, 2])),
    ).toBeLessThanOrEqual(1e-4);
  });
});
