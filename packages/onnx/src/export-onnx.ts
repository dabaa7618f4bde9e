/**
 * Exports a network table with its weights to an ONNX model (opset 13, IR version 7).
 *
 * Layer → node: conv → Conv (pads, strides, group, dilations 1), linear → Gemm (transB = 1; a
 * Flatten is inserted before a linear whose input is not flat), relu → Relu, relu6 → Clip(0, 6),
 * sigmoid → Sigmoid, tanh → Tanh, maxpool → MaxPool, avgpool → AveragePool (count_include_pad
 * 1, as the engine divides by k², or 0 when the layer says countIncludePad false), gap →
 * GlobalAveragePool, batchnorm → BatchNormalization (epsilon 1e-5, the engine's),
 * flatten → Flatten(axis 1), dropout → Dropout(ratio), residual → both branches from the same
 * tensor joined by Add(body, shortcut), concat → the branches from the same tensor joined by
 * Concat(axis 1). The spec's id, title, dataset and published counts go
 * into metadata_props["sccnn.spec"] so an import restores them.
 */
import { BATCHNORM_EPS, convOutputSize, type LayerSpec, type NetworkSpec, type WeightRecord } from "@sccnn/nn";
import { canonicalSpec } from "./canonical-spec.ts";
import {
  floatAttr,
  floatTensor,
  intAttr,
  intsAttr,
  onnx,
  type INodeProto,
  type ITensorProto,
  type IValueInfoProto,
} from "./proto.ts";

export const EXPORT_OPSET = 13;
export const EXPORT_IR_VERSION = 7;
/** metadata_props key holding the spec's id, title, dataset and published counts (JSON). */
export const SPEC_METADATA_KEY = "sccnn.spec";
export const INPUT_NAME = "input";
export const OUTPUT_NAME = "output";

export interface ExportOnnxOptions {
  /** Free text stored as the model's doc_string (e.g. where the weights come from). */
  docString?: string;
}

function valueInfo(name: string, dims: (number | string)[]): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: 1,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

class GraphBuilder {
  readonly nodes: INodeProto[] = [];
  readonly initializers: ITensorProto[] = [];
  private readonly initNames = new Set<string>();
  private tensorCount = 0;
  private nodeCount = 0;

  constructor(
    private readonly weights: WeightRecord,
    private readonly spec: NetworkSpec,
  ) {}

  fresh(): string {
    return `t${this.tensorCount++}`;
  }

  nodeName(base: string): string {
    return `${base}_${this.nodeCount++}`;
  }

  weight(key: string, dims: number[]): string {
    const w = this.weights[key];
    if (!w) throw new Error(`exportOnnx(${this.spec.id}): weights["${key}"] is missing`);
    const n = dims.reduce((a, b) => a * b, 1);
    if (w.length !== n)
      throw new Error(
        `exportOnnx(${this.spec.id}): weights["${key}"] has ${w.length} values, shape [${dims.join(", ")}] needs ${n}`,
      );
    this.addInit(floatTensor(key, dims, w));
    return key;
  }

  constant(name: string, value: number): string {
    if (!this.initNames.has(name)) this.addInit(floatTensor(name, [], Float32Array.of(value)));
    return name;
  }

  private addInit(t: ITensorProto): void {
    if (this.initNames.has(t.name!))
      throw new Error(`exportOnnx(${this.spec.id}): initializer "${t.name}" defined twice`);
    this.initNames.add(t.name!);
    this.initializers.push(t);
  }

  node(opType: string, name: string, inputs: string[], attribute: INodeProto["attribute"] = []): string {
    const out = this.fresh();
    this.nodes.push({ opType, name, input: inputs, output: [out], attribute });
    return out;
  }

  /** Emits the layers reading tensor `x` with per-image shape `shape`; returns the output tensor. */
  layers(layers: readonly LayerSpec[], x: string, shape: number[]): { out: string; shape: number[] } {
    let cur = x;
    let s = shape;
    for (const l of layers) {
      switch (l.type) {
        case "conv": {
          const [r, q] = typeof l.kernel === "number" ? [l.kernel, l.kernel] : l.kernel;
          const groups = l.groups ?? 1,
            stride = l.stride ?? 1,
            pad = l.padding ?? 0;
          const [C, H, W] = s;
          const inputs = [cur, this.weight(`${l.name}.weight`, [l.outChannels, C / groups, r, q])];
          if (l.bias ?? true) inputs.push(this.weight(`${l.name}.bias`, [l.outChannels]));
          cur = this.node("Conv", l.name, inputs, [
            intsAttr("kernel_shape", [r, q]),
            intsAttr("strides", [stride, stride]),
            intsAttr("pads", [pad, pad, pad, pad]),
            intsAttr("dilations", [1, 1]),
            intAttr("group", groups),
          ]);
          s = [l.outChannels, convOutputSize(H, r, stride, pad), convOutputSize(W, q, stride, pad)];
          break;
        }
        case "linear": {
          const inFeatures = s.reduce((a, b) => a * b, 1);
          const inputs = [cur, this.weight(`${l.name}.weight`, [l.outFeatures, inFeatures])];
          if (l.bias ?? true) inputs.push(this.weight(`${l.name}.bias`, [l.outFeatures]));
          cur = this.node("Gemm", l.name, inputs, [
            floatAttr("alpha", 1),
            floatAttr("beta", 1),
            intAttr("transA", 0),
            intAttr("transB", 1),
          ]);
          s = [l.outFeatures];
          break;
        }
        case "relu":
          cur = this.node("Relu", this.nodeName("relu"), [cur]);
          break;
        case "sigmoid":
          cur = this.node("Sigmoid", this.nodeName("sigmoid"), [cur]);
          break;
        case "tanh":
          cur = this.node("Tanh", this.nodeName("tanh"), [cur]);
          break;
        case "relu6":
          cur = this.node("Clip", this.nodeName("relu6"), [
            cur,
            this.constant("relu6.min", 0),
            this.constant("relu6.max", 6),
          ]);
          break;
        case "maxpool":
        case "avgpool": {
          const k = l.kernel,
            stride = l.stride ?? k,
            pad = l.padding ?? 0;
          const attrs = [
            intsAttr("kernel_shape", [k, k]),
            intsAttr("strides", [stride, stride]),
            intsAttr("pads", [pad, pad, pad, pad]),
            intAttr("ceil_mode", 0),
          ];
          if (l.type === "avgpool") attrs.push(intAttr("count_include_pad", l.countIncludePad === false ? 0 : 1));
          cur = this.node(l.type === "maxpool" ? "MaxPool" : "AveragePool", this.nodeName(l.type), [cur], attrs);
          s = [s[0], convOutputSize(s[1], k, stride, pad), convOutputSize(s[2], k, stride, pad)];
          break;
        }
        case "gap":
          cur = this.node("GlobalAveragePool", this.nodeName("gap"), [cur]);
          s = [s[0], 1, 1];
          break;
        case "batchnorm": {
          const c = [s[0]];
          cur = this.node(
            "BatchNormalization",
            l.name,
            [
              cur,
              this.weight(`${l.name}.gamma`, c),
              this.weight(`${l.name}.beta`, c),
              this.weight(`${l.name}.runningMean`, c),
              this.weight(`${l.name}.runningVar`, c),
            ],
            [floatAttr("epsilon", BATCHNORM_EPS), floatAttr("momentum", 0.9)],
          );
          break;
        }
        case "flatten":
          cur = this.node("Flatten", this.nodeName("flatten"), [cur], [intAttr("axis", 1)]);
          s = [s.reduce((a, b) => a * b, 1)];
          break;
        case "dropout": {
          const name = this.nodeName("dropout");
          cur = this.node("Dropout", name, [cur, this.constant(`${name}.ratio`, l.p)]);
          break;
        }
        case "residual": {
          const body = this.layers(l.body, cur, s);
          const shortcut = this.layers(l.shortcut ?? [], cur, s);
          cur = this.node("Add", this.nodeName("add"), [body.out, shortcut.out]);
          s = body.shape;
          break;
        }
        case "concat": {
          const parts = l.branches.map((b) => this.layers(b, cur, s));
          cur = this.node(
            "Concat",
            this.nodeName("concat"),
            parts.map((p) => p.out),
            [intAttr("axis", 1)],
          );
          s = [parts.reduce((a, p) => a + p.shape[0], 0), ...parts[0].shape.slice(1)];
          break;
        }
      }
    }
    return { out: cur, shape: s };
  }
}

/** The ONNX ModelProto of `spec` with `weights` (every tensor the spec builds, engine names). */
export function exportOnnxModel(
  spec: NetworkSpec,
  weights: WeightRecord,
  options: ExportOnnxOptions = {},
): InstanceType<typeof onnx.ModelProto> {
  const canon = canonicalSpec(spec);
  const g = new GraphBuilder(weights, spec);
  const { out } = g.layers(canon.layers, INPUT_NAME, [...canon.input]);
  if (out === INPUT_NAME) throw new Error(`exportOnnx(${spec.id}): the network has no layers`);
  for (const n of g.nodes) n.output = n.output!.map((o) => (o === out ? OUTPUT_NAME : o));
  for (const n of g.nodes) n.input = n.input!.map((i) => (i === out ? OUTPUT_NAME : i));
  const meta: Record<string, unknown> = { id: spec.id, title: spec.title, dataset: spec.dataset };
  if (spec.published) meta.published = spec.published;
  return onnx.ModelProto.create({
    irVersion: EXPORT_IR_VERSION,
    opsetImport: [{ domain: "", version: EXPORT_OPSET }],
    producerName: "sccnn",
    producerVersion: "0.1.0",
    docString: options.docString ?? spec.title,
    metadataProps: [{ key: SPEC_METADATA_KEY, value: JSON.stringify(meta) }],
    graph: {
      name: spec.id,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(INPUT_NAME, ["N", ...canon.input])],
      output: [valueInfo(OUTPUT_NAME, ["N", canon.classes])],
    },
  });
}

/** Serialised ONNX bytes of `spec` with `weights` (see exportOnnxModel). */
export function exportOnnx(spec: NetworkSpec, weights: WeightRecord, options: ExportOnnxOptions = {}): Uint8Array {
  return onnx.ModelProto.encode(exportOnnxModel(spec, weights, options)).finish();
}
