import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importOnnx, importOnnxFile, OnnxImportError } from "../src/index.ts";
import { floatTensor, int64Tensor, makeModel, node, seededTensor } from "./helpers/onnx-graph.ts";

const conv = (attrs: Parameters<typeof node>[4] = {}) =>
  makeModel({
    input: [1, 6, 6],
    nodes: [node("Conv", "c", ["x", "w"], ["y"], { kernel_shape: [3, 3], ...attrs })],
    initializers: [seededTensor("w", [2, 1, 3, 3], 1)],
  });
const imp = (bytes: Uint8Array) => () => importOnnx(bytes, { source: "m.onnx" });

describe("importOnnx refusals name the file, the node, the operator and the attribute", () => {
  it("importOnnx refuses an unsupported operator, naming node and operator", () => {
    const bytes = makeModel({ input: [1, 4, 4], nodes: [node("Erf", "erf", ["x"], ["y"])] });
    expect(imp(bytes)).toThrow(OnnxImportError);
    expect(imp(bytes)).toThrow(/^m\.onnx: node "erf" \(Erf\): unsupported operator Erf/);
  });

  it("importOnnx refuses dilation ≠ 1 naming the dilations attribute", () => {
    expect(imp(conv({ dilations: [2, 2] }))).toThrow(
      /^m\.onnx: node "c" \(Conv\): attribute "dilations": \[2, 2\] is not supported/,
    );
  });

  it("importOnnx refuses asymmetric pads naming the pads attribute", () => {
    expect(imp(conv({ pads: [0, 0, 1, 1] }))).toThrow(/node "c" \(Conv\): attribute "pads": \[0, 0, 1, 1\]/);
  });

  it("importOnnx reads symmetric auto_pad SAME as padding, and refuses asymmetric SAME and unequal strides naming the attribute", () => {
    expect(importOnnx(conv({ auto_pad: "SAME_UPPER" })).spec.layers[0]).toMatchObject({
      type: "conv",
      padding: 1,
      stride: 1,
    });
    expect(imp(conv({ auto_pad: "SAME_UPPER", strides: [2, 2] }))).toThrow(
      /node "c" \(Conv\): attribute "auto_pad": SAME_UPPER needs padding 1 \(height\) and 1 \(width\) in total here, which is not symmetric/,
    );
    expect(imp(conv({ strides: [1, 2] }))).toThrow(/node "c" \(Conv\): attribute "strides": \[1, 2\]/);
  });

  it("importOnnx refuses an attribute it does not know, naming it", () => {
    expect(imp(conv({ fancy: 1 }))).toThrow(/node "c" \(Conv\): attribute "fancy": not supported/);
  });

  it("importOnnx refuses Clip other than (0, 6) or (0, none), naming min or max", () => {
    const clip = (min: number, max: number) =>
      makeModel({
        input: [1, 2, 2],
        nodes: [node("Clip", "clip", ["x", "lo", "hi"], ["y"])],
        initializers: [floatTensor("lo", [], Float32Array.of(min)), floatTensor("hi", [], Float32Array.of(max))],
      });
    expect(imp(clip(0, 1))).toThrow(/node "clip" \(Clip\): attribute "max": 1 is not supported/);
    expect(imp(clip(-1, 6))).toThrow(/node "clip" \(Clip\): attribute "min": -1 is not supported/);
    expect(importOnnx(clip(0, 6)).spec.layers).toEqual([{ type: "relu6" }]);
  });

  it("importOnnx reads opset-9 Clip attributes and opset-10 Dropout ratio", () => {
    const bytes = makeModel({
      opset: 9,
      input: [1, 2, 2],
      nodes: [
        node("Clip", "clip", ["x"], ["a"], { min: { float: 0 }, max: { float: 6 } }),
        node("Dropout", "d", ["a"], ["y"], { ratio: { float: 0.3 } }),
      ],
    });
    expect(importOnnx(bytes).spec.layers).toEqual([{ type: "relu6" }, { type: "dropout", p: 0.3 }]);
  });

  it("importOnnx refuses Gemm transA = 1 naming the attribute", () => {
    const bytes = makeModel({
      input: [4, 1, 1],
      nodes: [node("Flatten", "f", ["x"], ["a"]), node("Gemm", "fc", ["a", "w"], ["y"], { transA: 1 })],
      initializers: [seededTensor("w", [4, 3], 2)],
    });
    expect(imp(bytes)).toThrow(/node "fc" \(Gemm\): attribute "transA": 1 is not supported/);
  });

  it("importOnnx refuses a Reshape that is not a flatten to [N, -1]", () => {
    const bytes = makeModel({
      input: [2, 2, 2],
      nodes: [node("Reshape", "r", ["x", "s"], ["y"])],
      initializers: [int64Tensor("s", [3], [0, 2, -1])],
    });
    expect(imp(bytes)).toThrow(/node "r" \(Reshape\): target shape \[0, 2, -1\] is not supported/);
  });

  it("importOnnx refuses Softmax before the last node, and drops a final one with a note", () => {
    const mid = makeModel({
      input: [4, 1, 1],
      nodes: [node("Flatten", "f", ["x"], ["a"]), node("Softmax", "sm", ["a"], ["b"]), node("Relu", "r", ["b"], ["y"])],
    });
    expect(imp(mid)).toThrow(/node "sm" \(Softmax\): Softmax is supported only as the last node/);
    const last = importOnnx(
      makeModel({
        input: [4, 1, 1],
        nodes: [node("Flatten", "f", ["x"], ["a"]), node("Softmax", "sm", ["a"], ["y"], { axis: 1 })],
      }),
    );
    expect(last.spec.layers).toEqual([{ type: "flatten" }]);
    expect(last.notes.join()).toMatch(/dropped the final Softmax node "sm"/);
  });

  it("importOnnx refuses ceil_mode that changes the output size, and reads count_include_pad 0 with padding", () => {
    const pool = (op: string, attrs: Parameters<typeof node>[4]) =>
      makeModel({ input: [1, 5, 5], nodes: [node(op, "p", ["x"], ["y"], { kernel_shape: [2, 2], ...attrs })] });
    expect(imp(pool("MaxPool", { strides: [2, 2], ceil_mode: 1 }))).toThrow(
      /node "p" \(MaxPool\): attribute "ceil_mode"/,
    );
    expect(importOnnx(pool("MaxPool", { strides: [1, 1], ceil_mode: 1 })).spec.layers).toEqual([
      { type: "maxpool", kernel: 2, stride: 1, padding: 0 },
    ]);
    expect(importOnnx(pool("AveragePool", { pads: [1, 1, 1, 1] })).spec.layers).toEqual([
      { type: "avgpool", kernel: 2, stride: 1, padding: 1, countIncludePad: false },
    ]);
    expect(importOnnx(pool("AveragePool", { pads: [1, 1, 1, 1], count_include_pad: 1 })).spec.layers).toEqual([
      { type: "avgpool", kernel: 2, stride: 1, padding: 1 },
    ]);
  });

  it("importOnnx refuses a Pad it cannot fold: reflect mode, a non-zero value, uneven pads, a MaxPool reader", () => {
    const padded = (pads: number[], attrs: Parameters<typeof node>[4] = {}, reader = "Conv", value?: number) =>
      makeModel({
        input: [1, 5, 5],
        opset: 13,
        nodes: [
          node("Pad", "pad", value === undefined ? ["x", "pads"] : ["x", "pads", "v"], ["p"], attrs),
          reader === "Conv"
            ? node("Conv", "c", ["p", "w"], ["y"], { kernel_shape: [3, 3] })
            : node(reader, "c", ["p"], ["y"], { kernel_shape: [3, 3] }),
        ],
        initializers: [
          int64Tensor("pads", [8], pads),
          seededTensor("w", [2, 1, 3, 3], 1),
          ...(value === undefined ? [] : [floatTensor("v", [], new Float32Array([value]))]),
        ],
      });
    const one = [0, 0, 1, 1, 0, 0, 1, 1];
    expect(importOnnx(padded(one)).spec.layers[0]).toMatchObject({ type: "conv", padding: 1 });
    expect(importOnnx(padded([0, 0, 0, 0, 0, 0, 0, 0])).spec.layers[0]).toMatchObject({ type: "conv", padding: 0 });
    expect(imp(padded(one, { mode: "reflect" }))).toThrow(/node "pad" \(Pad\): attribute "mode": "reflect"/);
    expect(imp(padded(one, {}, "Conv", 1))).toThrow(/node "pad" \(Pad\): constant value 1 is not supported/);
    expect(imp(padded([0, 0, 1, 0, 0, 0, 1, 0]))).toThrow(/node "pad" \(Pad\): pads \[0, 0, 1, 0, 0, 0, 1, 0\]/);
    expect(imp(padded(one, {}, "MaxPool"))).toThrow(/node "pad" \(Pad\): padding 1 is supported only when/);
  });

  it("importOnnx refuses BatchNormalization in training mode and Flatten with axis ≠ 1", () => {
    const bn = makeModel({
      input: [2, 2, 2],
      nodes: [node("BatchNormalization", "bn", ["x", "g", "b", "m", "v"], ["y"], { training_mode: 1 })],
      initializers: ["g", "b", "m", "v"].map((n, i) => seededTensor(n, [2], i + 1)),
    });
    expect(imp(bn)).toThrow(/node "bn" \(BatchNormalization\): attribute "training_mode"/);
    const flat = makeModel({ input: [2, 2, 2], nodes: [node("Flatten", "f", ["x"], ["y"], { axis: 2 })] });
    expect(imp(flat)).toThrow(/node "f" \(Flatten\): attribute "axis": 2/);
  });

  it("importOnnx refuses branches joined by another operator than Add, naming the join and the fork", () => {
    const bytes = makeModel({
      input: [1, 2, 2],
      nodes: [node("Relu", "a", ["x"], ["a"]), node("Relu", "b", ["x"], ["b"]), node("Mul", "m", ["a", "b"], ["y"])],
    });
    expect(imp(bytes)).toThrow(
      /^m\.onnx: node "m" \(Mul\): joins the branches forked at tensor "x" \("a" \(Relu\), "b" \(Relu\)\); only Add/,
    );
  });

  it("importOnnx refuses a fork whose branches never join", () => {
    const bytes = makeModel({
      input: [1, 2, 2],
      nodes: [node("Relu", "a", ["x"], ["y"]), node("Relu", "b", ["x"], ["z"])],
    });
    expect(imp(bytes)).toThrow(/m\.onnx: tensor "x" forks into "a" \(Relu\), "b" \(Relu\), which never join/);
  });

  it("importOnnx refuses an initializer of another data type, naming it", () => {
    const bytes = makeModel({
      input: [1, 6, 6],
      nodes: [node("Conv", "c", ["x", "w"], ["y"])],
      initializers: [{ name: "w", dims: [1, 1, 1, 1], dataType: 3, int32Data: [1] }],
    });
    expect(imp(bytes)).toThrow(/node "c" \(Conv\): initializer "w": data_type 3 is not supported/);
  });

  it("importOnnx refuses bytes that are not an ONNX protobuf, naming the source", () => {
    expect(() => importOnnx(new Uint8Array([0xff, 0xff, 0xff, 0xff]), { source: "bad.onnx" })).toThrow(
      /^bad\.onnx: not a valid ONNX protobuf/,
    );
  });

  it("importOnnxFile names the file it cannot read", () => {
    const path = join(mkdtempSync(join(tmpdir(), "onnx-")), "missing.onnx");
    expect(() => importOnnxFile(path)).toThrow(`${path}: cannot read (ENOENT)`);
    writeFileSync(path, conv({ dilations: [3, 3] }));
    expect(() => importOnnxFile(path)).toThrow(`${path}: node "c" (Conv): attribute "dilations"`);
  });
});
