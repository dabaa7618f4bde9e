import { floatTensor, int64Tensor, onnx, type INodeProto, type ITensorProto } from "../../src/proto.ts";
import { ATTRIBUTE_TYPE } from "../../src/proto.ts";

export { floatTensor, int64Tensor };

type AttrValue = number | number[] | string | { float: number };

/** A node; attribute values: integer → INT, integer[] → INTS, { float } → FLOAT, string → STRING. */
export function node(
  opType: string,
  name: string,
  input: string[],
  output: string[],
  attrs: Record<string, AttrValue> = {},
): INodeProto {
  const attribute = Object.entries(attrs).map(([k, v]) => {
    if (typeof v === "string") return { name: k, type: ATTRIBUTE_TYPE.STRING, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name: k, type: ATTRIBUTE_TYPE.INTS, ints: v };
    if (typeof v === "object") return { name: k, type: ATTRIBUTE_TYPE.FLOAT, f: v.float };
    return { name: k, type: ATTRIBUTE_TYPE.INT, i: v };
  });
  return { opType, name, input, output, attribute };
}

/** A seeded float tensor with values in [-scale, scale). */
export function seededTensor(
  name: string,
  dims: number[],
  seed: number,
  scale = 0.5,
  asFloatData = false,
): ITensorProto {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return asFloatData ? { name, dims, dataType: 1, floatData: Array.from(data) } : floatTensor(name, dims, data);
}

export interface GraphOptions {
  nodes: INodeProto[];
  initializers?: ITensorProto[];
  /** [C, H, W] of the input "x" (batch "N" is symbolic). */
  input: [number, number, number];
  output?: string;
  outputDims?: number[];
  opset?: number;
}

export function makeModel(o: GraphOptions): Uint8Array {
  const dim = (d: number | string) => (typeof d === "number" ? { dimValue: d } : { dimParam: d });
  const vi = (name: string, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: dims.map(dim) } } },
  });
  const m = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: "", version: o.opset ?? 13 }],
    graph: {
      name: "test-graph",
      node: o.nodes,
      initializer: o.initializers ?? [],
      input: [vi("x", ["N", ...o.input])],
      output: [vi(o.output ?? "y", ["N", ...(o.outputDims ?? [])])],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}
