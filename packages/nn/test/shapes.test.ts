import { describe, expect, it } from "vitest";
import {
  countMacs,
  countParams,
  inferShapes,
  layerStats,
  outputShape,
  parameterLayerNames,
  type NetworkSpec,
} from "../src/index.ts";
import { lenet5Spec } from "./lenet5-fixture.ts";

/** LeNet-5 as in the zoo, written out in the fixture so this test does not depend on the zoo package. */
const lenet: NetworkSpec = lenet5Spec("lenet-test", "LeNet-5");

function net(layers: NetworkSpec["layers"], input: [number, number, number] = [3, 8, 8]): NetworkSpec {
  return { id: "t", title: "t", input, classes: 10, dataset: "none", layers };
}

describe("inferShapes", () => {
  it("inferShapes(lenet5) gives the textbook feature-map sizes", () => {
    const shapes = inferShapes(lenet);
    expect(shapes.map((s) => s.output)).toEqual([
      [6, 28, 28],
      [6, 28, 28],
      [6, 14, 14],
      [16, 10, 10],
      [16, 10, 10],
      [16, 5, 5],
      [400],
      [120],
      [120],
      [84],
      [84],
      [10],
    ]);
    expect(shapes[3].path).toBe("layers[3]");
    expect(shapes[3].label).toBe("c2 (conv)");
    expect(outputShape(lenet)).toEqual([10]);
  });

  it("inferShapes applies stride, padding and rectangular kernels with floor division", () => {
    const s = inferShapes(
      net([{ type: "conv", name: "c", outChannels: 4, kernel: [3, 1], stride: 2, padding: 1 }], [3, 9, 8]),
    );
    // P = floor((9 + 2 - 3)/2) + 1 = 5, Q = floor((8 + 2 - 1)/2) + 1 = 5
    expect(s[0].output).toEqual([4, 5, 5]);
    const p = inferShapes(net([{ type: "maxpool", kernel: 3, stride: 2, padding: 1 }], [64, 112, 112]));
    expect(p[0].output).toEqual([64, 56, 56]);
    const a = inferShapes(net([{ type: "avgpool", kernel: 2 }], [2, 7, 7]));
    expect(a[0].output).toEqual([2, 3, 3]);
  });

  it("inferShapes(gap) gives [C, 1, 1] and linear reads any input as a flat vector", () => {
    const s = inferShapes(net([{ type: "gap" }, { type: "linear", name: "fc", outFeatures: 5 }], [7, 4, 4]));
    expect(s[0].output).toEqual([7, 1, 1]);
    expect(s[1].output).toEqual([5]);
    expect(layerStats(net([{ type: "gap" }, { type: "linear", name: "fc", outFeatures: 5 }], [7, 4, 4]))[0].C).toBe(7);
  });

  it("inferShapes walks residual blocks: block entry, body, then shortcut", () => {
    const s = inferShapes(
      net([
        {
          type: "residual",
          body: [
            { type: "conv", name: "a", outChannels: 8, kernel: 3, stride: 2, padding: 1 },
            { type: "batchnorm", name: "a_bn" },
          ],
          shortcut: [{ type: "conv", name: "down", outChannels: 8, kernel: 1, stride: 2 }],
        },
      ]),
    );
    expect(s.map((x) => x.path)).toEqual([
      "layers[0]",
      "layers[0].body[0]",
      "layers[0].body[1]",
      "layers[0].shortcut[0]",
    ]);
    expect(s[0].output).toEqual([8, 4, 4]);
  });

  it("inferShapes names the network, path and layer when a residual body and shortcut disagree", () => {
    expect(() =>
      inferShapes(
        net([{ type: "residual", body: [{ type: "conv", name: "a", outChannels: 8, kernel: 3, padding: 1 }] }]),
      ),
    ).toThrow("t: layers[0] residual: body output [8, 8, 8] differs from shortcut output [3, 8, 8]");
  });

  it("inferShapes names the layer when a kernel does not fit the input", () => {
    expect(() =>
      inferShapes(
        net([
          { type: "maxpool", kernel: 2 },
          { type: "conv", name: "big", outChannels: 2, kernel: 5 },
        ]),
      ),
    ).toThrow("t: layers[1] big (conv): kernel 5 with padding 0 does not fit the input height 4");
  });

  it("inferShapes rejects a conv after flatten, naming the layer", () => {
    expect(() =>
      inferShapes(net([{ type: "flatten" }, { type: "conv", name: "c9", outChannels: 2, kernel: 1 }])),
    ).toThrow(/layers\[1\] c9 \(conv\): needs a \[C, H, W\] input, got \[192\]/);
  });

  it("inferShapes rejects channels that groups do not divide, and bad field values", () => {
    expect(() => inferShapes(net([{ type: "conv", name: "g", outChannels: 4, kernel: 3, groups: 2 }]))).toThrow(
      /g \(conv\): input channels 3 are not divisible by groups 2/,
    );
    expect(() => inferShapes(net([{ type: "conv", name: "z", outChannels: 0, kernel: 3 }]))).toThrow(
      /z \(conv\): outChannels must be a positive integer, got 0/,
    );
    expect(() => inferShapes(net([{ type: "dropout", p: 1.5 }]))).toThrow(/dropout: p must lie in \[0, 1\), got 1.5/);
    expect(() => inferShapes(net([], [3, 0, 8] as [number, number, number]))).toThrow(
      /t: input must be \[C, H, W\] of positive integers/,
    );
  });
});

describe("countMacs / countParams / layerStats", () => {
  it("countMacs(lenet5) and countParams(lenet5) equal the hand counts", () => {
    // MACs: c1 6·25·28·28 + c2 16·6·25·10·10 + f1 400·120 + f2 120·84 + f3 84·10
    expect(countMacs(lenet)).toBe(117600 + 240000 + 48000 + 10080 + 840);
    // params: c1 6·25+6, c2 16·150+16, f1 400·120+120, f2 120·84+84, f3 84·10+10
    expect(countParams(lenet)).toBe(156 + 2416 + 48120 + 10164 + 850);
  });

  it("layerStats gives Timeloop dims and fanIn = C/g·R·S for grouped (depthwise) convs", () => {
    const spec = net(
      [
        { type: "conv", name: "dw", outChannels: 32, kernel: 3, padding: 1, groups: 32, bias: false },
        { type: "batchnorm", name: "dw_bn" },
        { type: "conv", name: "pw", outChannels: 64, kernel: 1, bias: false },
      ],
      [32, 10, 10],
    );
    const [dw, pw] = layerStats(spec);
    expect(dw).toMatchObject({
      name: "dw",
      N: 1,
      C: 32,
      K: 32,
      R: 3,
      S: 3,
      P: 10,
      Q: 10,
      groups: 32,
      fanIn: 9,
      macs: 32 * 9 * 100,
      weights: 288,
      biases: 0,
    });
    expect(pw).toMatchObject({ name: "pw", C: 32, K: 64, R: 1, S: 1, fanIn: 32, macs: 64 * 32 * 100 });
    // batchnorm: gamma and beta per channel; convs without bias.
    expect(countParams(spec)).toBe(288 + 2 * 32 + 2048);
  });

  it("layerStats(linear) uses R = S = P = Q = 1 and C = input features", () => {
    const [fc] = layerStats(net([{ type: "linear", name: "fc", outFeatures: 10, bias: false }], [2, 3, 4]));
    expect(fc).toMatchObject({
      type: "linear",
      C: 24,
      K: 10,
      R: 1,
      S: 1,
      P: 1,
      Q: 1,
      fanIn: 24,
      macs: 240,
      weights: 240,
      biases: 0,
    });
  });

  it("countMacs counts shortcut convs inside residual blocks", () => {
    const spec = net(
      [
        {
          type: "residual",
          body: [{ type: "conv", name: "a", outChannels: 4, kernel: 1 }],
          shortcut: [{ type: "conv", name: "s", outChannels: 4, kernel: 1 }],
        },
      ],
      [2, 3, 3],
    );
    expect(countMacs(spec)).toBe(2 * (4 * 2 * 9));
    expect(countParams(spec)).toBe(2 * (8 + 4));
  });

  it("parameterLayerNames rejects duplicate names, naming the path", () => {
    expect(parameterLayerNames(lenet)).toEqual(["c1", "c2", "f1", "f2", "f3"]);
    expect(() =>
      parameterLayerNames(
        net([
          { type: "conv", name: "a", outChannels: 3, kernel: 1 },
          { type: "conv", name: "a", outChannels: 3, kernel: 1 },
        ]),
      ),
    ).toThrow('t layers[1]: duplicate layer name "a"');
  });
});
