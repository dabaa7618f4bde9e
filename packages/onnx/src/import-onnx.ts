/**
 * Imports an ONNX model (decoded with onnx-proto, see proto.ts) into a network table
 * (NetworkSpec, packages/nn/src/spec.ts) and the engine's weights.
 *
 * Supported (default domain): Conv, Gemm, MatMul (+ a following Add of a constant as its bias),
 * Relu, Clip (min 0 and max 6 → relu6; min 0 without max → relu), Sigmoid and Tanh (float-only
 * layers: a note says fixed-point and SC runs evaluate them in float), MaxPool, AveragePool
 * (count_include_pad either way), GlobalAveragePool, ReduceMean over [2, 3] (→ gap, + flatten
 * when keepdims 0), BatchNormalization (anywhere), Add (two branches from a common fork →
 * residual), Concat on channels (branches from a common fork → concat), Pad (constant zero:
 * all-zero pads are dropped, as PyTorch 1.13 writes before `F.avg_pool2d`; equal spatial pads
 * are folded into the Conv/AveragePool reading them), Flatten (axis 1 or its negative form; axis
 * 0 at a fixed batch of 1), Squeeze of a [N, C, 1, 1] tensor (→ flatten), Reshape (to [N, -1]
 * only; the target may be a constant — [1, -1] when the file fixes batch 1, as PyTorch's default
 * export folds `x.view(x.size(0), -1)` — or a Shape → Gather → Unsqueeze → Concat computation),
 * Softmax (only as the last node: dropped, with a note), Dropout and Identity (inference:
 * identity; the ratio is kept for training), Constant.
 * auto_pad SAME_* is read when the padding it implies is symmetric. A fork read by several
 * nodes must close with Add or Concat (nested blocks included). Anything else — another
 * operator, an attribute the engine cannot express (asymmetric padding, dilation ≠ 1, unequal
 * strides, ceil_mode that changes the size, …) — is refused with an error naming the file, the
 * node, the operator and the attribute.
 *
 * Initializers: FLOAT tensors in raw_data or float_data (DOUBLE is rounded to float32).
 * The first dimension of the single graph input is the batch; the rest must be [C, H, W].
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import {
  BATCHNORM_EPS,
  inferShapes,
  layerOutputShape,
  type LayerSpec,
  type NetworkSpec,
  type PublishedCount,
  type Shape,
  type WeightRecord,
} from "@sccnn/nn";
import { SPEC_METADATA_KEY } from "./export-onnx.ts";
import {
  ATTRIBUTE_TYPE,
  int64ToNumber,
  onnx,
  readFloatTensor,
  readInt64Tensor,
  type IAttributeProto,
  type INodeProto,
  type ITensorProto,
} from "./proto.ts";

export const SUPPORTED_OPERATORS: readonly string[] = [
  "Conv",
  "Gemm",
  "MatMul",
  "Relu",
  "Clip",
  "Sigmoid",
  "Tanh",
  "Pad",
  "Concat",
  "ReduceMean",
  "Squeeze",
  "MaxPool",
  "AveragePool",
  "GlobalAveragePool",
  "BatchNormalization",
  "Add",
  "Flatten",
  "Reshape",
  "Softmax",
  "Dropout",
  "Identity",
  "Constant",
];

export interface ImportOnnxOptions {
  /** Name used in error messages (the file path); default "onnx model". */
  source?: string;
  /** Network id; default: the id stored by our exporter, else the file's base name, else the graph name. */
  id?: string;
  /** Dataset id recorded in the spec; default: the stored one, else "unknown". */
  dataset?: string;
}

export interface ImportedNetwork {
  spec: NetworkSpec;
  /** Every tensor the spec builds, keyed `${layer}.weight` etc. */
  weights: WeightRecord;
  /** Things the import changed that a user should know (dropped Softmax, folded alpha, …). */
  notes: string[];
  /** Opset version of the default domain. */
  opset: number;
}

/** Thrown for anything the importer refuses; the message names the file, node, operator and attribute. */
export class OnnxImportError extends Error {
  override readonly name = "OnnxImportError";
}

interface Step {
  layers: LayerSpec[];
  out: string;
  shape: Shape;
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

class Importer {
  private readonly constants = new Map<string, ITensorProto>();
  private readonly consumers = new Map<string, INodeProto[]>();
  private readonly nodes: INodeProto[] = [];
  private readonly visited = new Set<INodeProto>();
  private readonly usedNames = new Set<string>();
  private readonly graphOutputs: string[];
  readonly weights: WeightRecord = {};
  readonly notes: string[] = [];
  readonly opset: number;
  /** Outputs of shape computations (Shape → Gather → Unsqueeze → Concat, as `x.view(x.size(0), -1)` exports) and their nodes. */
  private readonly shapeProducers = new Map<string, INodeProto>();
  /** The node writing each activation tensor. */
  private readonly producer = new Map<string, INodeProto>();
  /** Per-image shapes of the activation tensors walked so far (for Shape nodes). */
  private readonly tensorShapes = new Map<string, Shape>();
  /** Zero padding of a folded Pad node, added to the padding of the Conv/AveragePool reading it. */
  private readonly foldedPad = new Map<INodeProto, number>();
  /** The graph input's batch dimension when the file fixes it (PyTorch's default export: 1). */
  inputBatch: number | undefined;

  constructor(
    private readonly source: string,
    readonly model: InstanceType<typeof onnx.ModelProto>,
  ) {
    const graph = model.graph;
    if (!graph) throw this.fail("the model has no graph");
    const defaultOpset = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === "ai.onnx");
    this.opset = defaultOpset ? int64ToNumber(defaultOpset.version, `${source}: opset_import version`) : 0;
    if (this.opset === 0) throw this.fail("opset_import has no entry for the default (ai.onnx) domain");
    for (const t of graph.initializer ?? []) this.constants.set(t.name ?? "", t);
    for (const n of graph.node ?? []) {
      if (n.domain && n.domain !== "ai.onnx")
        throw this.nodeError(n, `operator domain "${n.domain}" is not supported (only the default ONNX domain)`);
      if (n.opType === "Constant") {
        this.readConstantNode(n);
        continue;
      }
      if (this.isShapeComputation(n)) {
        for (const o of n.output ?? []) this.shapeProducers.set(o, n);
        continue;
      }
      this.nodes.push(n);
      for (const o of n.output ?? []) if (o !== "") this.producer.set(o, n);
      for (const i of n.input ?? []) {
        if (i === "" || this.constants.has(i) || this.shapeProducers.has(i)) continue;
        const list = this.consumers.get(i) ?? [];
        if (!list.includes(n)) list.push(n);
        this.consumers.set(i, list);
      }
    }
    this.graphOutputs = (graph.output ?? []).map((o) => o.name ?? "");
  }

  /** Shape, or an integer op whose inputs are all constants or shape computations. */
  private isShapeComputation(n: INodeProto): boolean {
    if (n.opType === "Shape") return true;
    if (!["Gather", "Unsqueeze", "Squeeze", "Concat", "Cast"].includes(n.opType ?? "")) return false;
    const inputs = (n.input ?? []).filter((i) => i !== "");
    return (
      inputs.length > 0 &&
      inputs.some((i) => this.shapeProducers.has(i)) &&
      inputs.every((i) => this.constants.has(i) || this.shapeProducers.has(i))
    );
  }

  /** Evaluates a shape tensor; the batch dimension is the symbol "N". */
  private evalShape(name: string, user: INodeProto): { values: (number | "N")[]; scalar: boolean } {
    const t = this.constants.get(name);
    if (t) {
      try {
        const r = readInt64Tensor(t, `shape tensor "${name}"`);
        return { values: r.data, scalar: r.dims.length === 0 };
      } catch (e) {
        throw this.nodeError(user, (e as Error).message);
      }
    }
    const n = this.shapeProducers.get(name);
    if (!n)
      throw this.nodeError(user, `shape input "${name}" must be an initializer, a Constant or a Shape computation`);
    const input = (i: number) => this.evalShape(n.input?.[i] ?? "", n);
    switch (n.opType) {
      case "Shape": {
        this.checkAttributes(n, []);
        const shape = this.tensorShapes.get(n.input?.[0] ?? "");
        if (!shape)
          throw this.nodeError(n, `reads tensor "${n.input?.[0]}", which is not on the walked path before its use`);
        return { values: ["N", ...shape], scalar: false };
      }
      case "Gather": {
        this.checkAttributes(n, ["axis"]);
        if (this.intAttr(n, "axis", 0) !== 0)
          throw this.attrError(n, "axis", "only 0 is supported in shape computations");
        const data = input(0),
          idx = input(1);
        const pick = idx.values.map((i) => {
          if (typeof i !== "number") throw this.nodeError(n, "indices must be constant");
          const v = data.values[i < 0 ? i + data.values.length : i];
          if (v === undefined) throw this.nodeError(n, `index ${i} is out of range for [${data.values.join(", ")}]`);
          return v;
        });
        return { values: pick, scalar: idx.scalar };
      }
      case "Unsqueeze":
      case "Squeeze": {
        this.checkAttributes(n, this.opset < 13 ? ["axes"] : []);
        const v = input(0);
        if (n.opType === "Unsqueeze" && !v.scalar)
          throw this.nodeError(n, "only a scalar can be unsqueezed in a shape computation");
        if (n.opType === "Squeeze" && v.values.length !== 1)
          throw this.nodeError(n, "only a one-element vector can be squeezed in a shape computation");
        return { values: v.values, scalar: n.opType === "Squeeze" };
      }
      case "Concat": {
        this.checkAttributes(n, ["axis"]);
        if (this.intAttr(n, "axis", 0) !== 0)
          throw this.attrError(n, "axis", "only 0 is supported in shape computations");
        return {
          values: (n.input ?? []).filter((i) => i !== "").flatMap((i) => this.evalShape(i, n).values),
          scalar: false,
        };
      }
      case "Cast":
        this.checkAttributes(n, ["to", "saturate"]);
        return input(0);
      default:
        throw this.nodeError(n, "unsupported operator in a shape computation");
    }
  }

  fail(message: string): OnnxImportError {
    return new OnnxImportError(`${this.source}: ${message}`);
  }

  nodeError(n: INodeProto, message: string): OnnxImportError {
    return new OnnxImportError(`${this.source}: node "${n.name || n.output?.[0] || "?"}" (${n.opType}): ${message}`);
  }

  attrError(n: INodeProto, attr: string, message: string): OnnxImportError {
    return this.nodeError(n, `attribute "${attr}": ${message}`);
  }

  private readConstantNode(n: INodeProto): void {
    for (const a of n.attribute ?? []) {
      if (a.name !== "value") throw this.attrError(n, a.name ?? "", 'not supported (only a tensor "value")');
    }
    const value = (n.attribute ?? []).find((a) => a.name === "value");
    if (!value?.t) throw this.attrError(n, "value", "missing tensor");
    this.constants.set(n.output?.[0] ?? "", value.t);
  }

  // ---- attributes ----

  private checkAttributes(n: INodeProto, allowed: readonly string[]): void {
    for (const a of n.attribute ?? []) {
      if (!allowed.includes(a.name ?? "")) {
        throw this.attrError(
          n,
          a.name ?? "",
          `not supported by the importer for ${n.opType} (supported: ${allowed.join(", ") || "none"})`,
        );
      }
    }
  }

  private attr(n: INodeProto, name: string): IAttributeProto | undefined {
    return (n.attribute ?? []).find((a) => a.name === name);
  }

  private intAttr(n: INodeProto, name: string, dflt: number): number {
    const a = this.attr(n, name);
    if (!a) return dflt;
    if (a.type !== ATTRIBUTE_TYPE.INT) throw this.attrError(n, name, `expected an INT, got attribute type ${a.type}`);
    return int64ToNumber(a.i, `${this.source}: node "${n.name}" attribute "${name}"`);
  }

  private intsAttr(n: INodeProto, name: string): number[] | undefined {
    const a = this.attr(n, name);
    if (!a) return undefined;
    if (a.type !== ATTRIBUTE_TYPE.INTS) throw this.attrError(n, name, `expected INTS, got attribute type ${a.type}`);
    return (a.ints ?? []).map((v) => int64ToNumber(v, `${this.source}: node "${n.name}" attribute "${name}"`));
  }

  private floatAttr(n: INodeProto, name: string, dflt: number): number {
    const a = this.attr(n, name);
    if (!a) return dflt;
    if (a.type !== ATTRIBUTE_TYPE.FLOAT)
      throw this.attrError(n, name, `expected a FLOAT, got attribute type ${a.type}`);
    return a.f ?? 0;
  }

  private stringAttr(n: INodeProto, name: string, dflt: string): string {
    const a = this.attr(n, name);
    if (!a) return dflt;
    if (a.type !== ATTRIBUTE_TYPE.STRING)
      throw this.attrError(n, name, `expected a STRING, got attribute type ${a.type}`);
    return new TextDecoder().decode(a.s ?? new Uint8Array());
  }

  // ---- tensors ----

  private isConstant(name: string): boolean {
    return this.constants.has(name);
  }

  private floatInput(n: INodeProto, index: number, role: string): { name: string; dims: number[]; data: Float32Array } {
    const name = n.input?.[index] ?? "";
    const t = this.constants.get(name);
    if (!t)
      throw this.nodeError(
        n,
        `input ${index} (${role}) "${name}" must be an initializer or Constant (computed ${role} tensors are not supported)`,
      );
    try {
      return { name, ...readFloatTensor(t, `initializer "${name}"`) };
    } catch (e) {
      throw this.nodeError(n, (e as Error).message);
    }
  }

  private optionalScalarInput(n: INodeProto, index: number, role: string): number | undefined {
    const name = n.input?.[index];
    if (name === undefined || name === "") return undefined;
    const { data } = this.floatInput(n, index, role);
    if (data.length !== 1)
      throw this.nodeError(n, `input ${index} (${role}) must be a scalar, got ${data.length} values`);
    return data[0];
  }

  /** Activation inputs of `n` (not initializers, not empty). */
  private activationInputs(n: INodeProto): string[] {
    return (n.input ?? []).filter((i) => i !== "" && !this.isConstant(i) && !this.shapeProducers.has(i));
  }

  /**
   * Layer name: the weight initializer's name without a ".weight"-style suffix (PyTorch and our
   * exporter name weights "<layer>.weight"), else the node's name, else `fallback`; made unique.
   */
  private uniqueName(initializer: string, n: INodeProto, fallback: string): string {
    const stripped = initializer.match(/^(.+)\.(weight|gamma|scale|kernel|W)$/)?.[1];
    let name = stripped || n.name || initializer || fallback;
    if (this.usedNames.has(name)) {
      let k = 2;
      while (this.usedNames.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    this.usedNames.add(name);
    return name;
  }

  private consumersOf(t: string): INodeProto[] {
    return this.consumers.get(t) ?? [];
  }

  /** Only the first output may be used (Dropout mask, MaxPool indices, BN training outputs). */
  private checkSingleOutput(n: INodeProto): void {
    for (const o of (n.output ?? []).slice(1)) {
      if (o !== "" && (this.consumersOf(o).length > 0 || this.graphOutputs.includes(o))) {
        throw this.nodeError(n, `output "${o}" is used; only the first output is supported (inference)`);
      }
    }
  }

  // ---- structure ----

  /** Nodes reachable from `start` (including it), following activation edges. */
  private reach(start: INodeProto): Set<INodeProto> {
    const seen = new Set<INodeProto>([start]);
    const stack = [start];
    while (stack.length) {
      const n = stack.pop()!;
      for (const o of n.output ?? [])
        for (const c of this.consumersOf(o))
          if (!seen.has(c)) {
            seen.add(c);
            stack.push(c);
          }
    }
    return seen;
  }

  parse(input: string, shape: Shape): Step {
    return this.sequence(input, shape, null);
  }

  private sequence(start: string, startShape: Shape, join: INodeProto | null): Step {
    const layers: LayerSpec[] = [];
    let cur = start,
      shape = startShape;
    for (;;) {
      this.tensorShapes.set(cur, shape);
      const cons = this.consumersOf(cur);
      if (join && cons.length === 1 && cons[0] === join) return { layers, out: cur, shape };
      if (cons.length === 0) return { layers, out: cur, shape };
      if (cons.length === 1) {
        const n = cons[0];
        if ((n.opType === "Add" || n.opType === "Concat") && this.activationInputs(n).length >= 2) {
          throw this.nodeError(
            n,
            `joins tensor "${cur}" with a branch that does not fork from a common tensor on the main path (only blocks whose branches fork from one tensor and meet at one Add or Concat)`,
          );
        }
        const step = this.translate(n, cur, shape);
        layers.push(...step.layers);
        cur = step.out;
        shape = step.shape;
        continue;
      }
      const step = this.residual(cur, shape, cons);
      layers.push(...step.layers);
      cur = step.out;
      shape = step.shape;
    }
  }

  /**
   * A fork: `consumers` (two or more nodes reading `fork`) must meet at one Add (residual block)
   * or one Concat on the channel axis (Inception-style block) — the first node reachable from all
   * of them. The consumers leading to each join input form one branch; a branch with several
   * consumers is itself a fork (a block nested at the start of a branch), and a join input that
   * is `fork` itself is an identity branch.
   */
  private residual(fork: string, shape: Shape, consumers: INodeProto[]): Step {
    const label = consumers.map((c) => `"${c.name}" (${c.opType})`).join(", ");
    const reaches = consumers.map((c) => this.reach(c));
    const join = this.nodes.find((n) => reaches.every((r) => r.has(n)));
    if (!join) throw this.fail(`tensor "${fork}" forks into ${label}, which never join`);
    const inputs = join.input ?? [];
    const isAdd = join.opType === "Add" && inputs.length === 2 && this.activationInputs(join).length === 2;
    const isConcat =
      join.opType === "Concat" && inputs.length >= 2 && this.activationInputs(join).length === inputs.length;
    if (!isAdd && !isConcat) {
      throw this.nodeError(
        join,
        `joins the branches forked at tensor "${fork}" (${label}); only Add of two branches (residual block) or Concat on channels is supported`,
      );
    }
    if (isConcat) {
      this.checkAttributes(join, ["axis"]);
      const axis = this.intAttr(join, "axis", 1);
      if (axis !== 1 && axis !== 1 - (shape.length + 1))
        throw this.attrError(join, "axis", `${axis} is not supported (channel concatenation, axis 1, only)`);
    }
    if (isAdd && inputs[0] === fork && inputs[1] === fork)
      throw this.nodeError(join, `adds tensor "${fork}" to itself`);
    this.visited.add(join);
    const groups: INodeProto[][] = inputs.map(() => []);
    consumers.forEach((c, k) => {
      if (c === join) return;
      const sides = inputs
        .map((_, i) => i)
        .filter((i) => inputs[i] !== fork && reaches[k].has(this.producer.get(inputs[i])!));
      if (sides.length !== 1)
        throw this.nodeError(
          c,
          `reads the forked tensor "${fork}" and feeds ${sides.length >= 2 ? "several inputs" : "no input"} of ${join.opType} "${join.name}"`,
        );
      groups[sides[0]].push(c);
    });
    const branch = (side: number): Step => {
      if (inputs[side] === fork) return { layers: [], out: fork, shape };
      const group = groups[side];
      if (group.length === 0)
        throw this.nodeError(join, `input "${inputs[side]}" does not come from the forked tensor "${fork}"`);
      const first = group.length === 1 ? this.translate(group[0], fork, shape) : this.residual(fork, shape, group);
      const rest = this.sequence(first.out, first.shape, join);
      if (rest.out !== inputs[side])
        throw this.nodeError(
          join,
          `branch ending in tensor "${rest.out}" does not feed this ${join.opType} (inputs ${inputs.join(", ")})`,
        );
      return { layers: [...first.layers, ...rest.layers], out: rest.out, shape: rest.shape };
    };
    this.checkSingleOutput(join);
    if (isConcat) {
      const parts = inputs.map((_, i) => branch(i));
      const rest = (s: Shape) => s.slice(1).join(", ");
      for (const p of parts)
        if (p.shape.length !== parts[0].shape.length || rest(p.shape) !== rest(parts[0].shape))
          throw this.nodeError(
            join,
            `concatenates tensors of shapes ${parts.map((q) => `[${q.shape.join(", ")}]`).join(", ")}, which differ beyond the channel axis`,
          );
      return {
        layers: [{ type: "concat", branches: parts.map((p) => p.layers) }],
        out: join.output![0],
        shape: [parts.reduce((a, p) => a + p.shape[0], 0), ...parts[0].shape.slice(1)],
      };
    }
    // y = body + shortcut; an identity branch is the shortcut, else input 0 of the Add is the body.
    const bodySide = inputs[0] === fork ? 1 : 0;
    const body = branch(bodySide),
      shortcut = branch(1 - bodySide);
    if (body.shape.join() !== shortcut.shape.join()) {
      throw this.nodeError(
        join,
        `adds tensors of shapes [${body.shape.join(", ")}] and [${shortcut.shape.join(", ")}] (broadcasting is not supported)`,
      );
    }
    return {
      layers: [{ type: "residual", body: body.layers, shortcut: shortcut.layers }],
      out: join.output![0],
      shape: body.shape,
    };
  }

  // ---- operators ----

  private layerShape(n: INodeProto, layer: LayerSpec, shape: Shape): Shape {
    try {
      return layerOutputShape(layer, shape, `node "${n.name}"`);
    } catch (e) {
      throw this.nodeError(n, (e as Error).message);
    }
  }

  private single(n: INodeProto, layers: LayerSpec[], shape: Shape): Step {
    let s = shape;
    for (const l of layers) s = this.layerShape(n, l, s);
    this.checkSingleOutput(n);
    return { layers, out: n.output![0], shape: s };
  }

  private windowAttrs(
    n: INodeProto,
    spatial: [number, number],
    kernel: [number, number],
  ): { stride: number; padding: number } {
    const autoPad = this.stringAttr(n, "auto_pad", "NOTSET");
    if (!["NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"].includes(autoPad))
      throw this.attrError(n, "auto_pad", `"${autoPad}" is not a valid value`);
    const strides = this.intsAttr(n, "strides") ?? [1, 1];
    if (strides.length !== 2 || strides[0] !== strides[1])
      throw this.attrError(
        n,
        "strides",
        `[${strides.join(", ")}] is not supported (equal strides for height and width only)`,
      );
    const dilations = this.intsAttr(n, "dilations") ?? [1, 1];
    if (dilations.some((d) => d !== 1))
      throw this.attrError(n, "dilations", `[${dilations.join(", ")}] is not supported (dilation 1 only)`);
    const extra = this.foldedPad.get(n) ?? 0;
    if (autoPad.startsWith("SAME")) {
      if (extra > 0) throw this.attrError(n, "auto_pad", `${autoPad} after a Pad node is not supported`);
      if (this.attr(n, "pads")) throw this.attrError(n, "pads", `given together with auto_pad ${autoPad}`);
      // SAME: output = ceil(in / stride); the total padding is split, the odd one to the end (UPPER) or start (LOWER).
      const totals = [0, 1].map((i) =>
        Math.max((Math.ceil(spatial[i] / strides[0]) - 1) * strides[0] + kernel[i] - spatial[i], 0),
      );
      if (totals[0] !== totals[1] || totals[0] % 2 !== 0) {
        throw this.attrError(
          n,
          "auto_pad",
          `${autoPad} needs padding ${totals[0]} (height) and ${totals[1]} (width) in total here, which is not symmetric (only equal padding on all four sides is supported)`,
        );
      }
      return { stride: strides[0], padding: totals[0] / 2 };
    }
    const pads = (this.intsAttr(n, "pads") ?? [0, 0, 0, 0]).map((p) => p + extra);
    if (pads.length !== 4 || pads.some((p) => p !== pads[0]))
      throw this.attrError(
        n,
        "pads",
        `[${pads.join(", ")}] is not supported (symmetric padding, equal on all four sides, only)`,
      );
    if (autoPad === "VALID" && pads[0] !== 0)
      throw this.attrError(n, "pads", `auto_pad VALID with non-zero pads [${pads.join(", ")}]`);
    const ceil = this.intAttr(n, "ceil_mode", 0);
    if (ceil !== 0) {
      const [H, W] = spatial,
        s = strides[0],
        p = pads[0];
      const same = [0, 1].every((i) => ([H, W][i] + 2 * p - kernel[i]) % s === 0);
      if (!same)
        throw this.attrError(n, "ceil_mode", "1 is not supported here (the output size would differ from floor mode)");
    }
    return { stride: strides[0], padding: pads[0] };
  }

  private needChw(n: INodeProto, shape: Shape): [number, number, number] {
    if (shape.length !== 3)
      throw this.nodeError(n, `expects an [N, C, H, W] input, got per-image shape [${shape.join(", ")}]`);
    return shape as [number, number, number];
  }

  translate(n: INodeProto, x: string, shape: Shape): Step {
    if (this.visited.has(n)) throw this.nodeError(n, "reached twice while walking the graph");
    this.visited.add(n);
    const acts = this.activationInputs(n);
    if (n.opType !== "Add" && (acts.length !== 1 || acts[0] !== x)) {
      throw this.nodeError(
        n,
        `reads activation tensors [${acts.join(", ")}]; only one activation input (the previous layer's output) is supported`,
      );
    }
    switch (n.opType) {
      case "Conv":
        return this.conv(n, shape);
      case "Gemm":
        return this.gemm(n, shape);
      case "MatMul":
        return this.matmul(n, shape);
      case "Relu":
        this.checkAttributes(n, []);
        return this.single(n, [{ type: "relu" }], shape);
      case "Clip":
        return this.clip(n, shape);
      case "Sigmoid":
      case "Tanh":
        this.checkAttributes(n, []);
        if (!this.notes.some((m) => m.startsWith(n.opType!)))
          this.notes.push(
            `${n.opType} is evaluated in float: fixed-point and SC inference of this network compute it in float, not in the accelerator's arithmetic`,
          );
        return this.single(n, [{ type: n.opType === "Sigmoid" ? "sigmoid" : "tanh" }], shape);
      case "Pad":
        return this.pad(n, shape);
      case "ReduceMean":
        return this.reduceMean(n, shape);
      case "Squeeze":
        return this.squeeze(n, shape);
      case "MaxPool":
      case "AveragePool":
        return this.pool(n, shape);
      case "GlobalAveragePool":
        this.checkAttributes(n, []);
        this.needChw(n, shape);
        return this.single(n, [{ type: "gap" }], shape);
      case "BatchNormalization":
        return this.batchnorm(n, shape);
      case "Flatten": {
        this.checkAttributes(n, ["axis"]);
        const axis = this.intAttr(n, "axis", 1);
        const rank = shape.length + 1;
        const normal = axis < 0 ? axis + rank : axis;
        if (normal === 0 && this.inputBatch === 1) {
          this.notes.push(`node "${n.name}" (Flatten axis ${axis}) read as [N, -1]: the file fixes batch 1`);
          return this.single(n, [{ type: "flatten" }], shape);
        }
        if (normal !== 1)
          throw this.attrError(
            n,
            "axis",
            `${axis} is not supported on a rank-${rank} tensor (axis 1, or ${1 - rank}: [N, rest] only)`,
          );
        return this.single(n, [{ type: "flatten" }], shape);
      }
      case "Reshape":
        return this.reshape(n, shape);
      case "Softmax": {
        this.checkAttributes(n, ["axis"]);
        const out = n.output![0];
        if (this.consumersOf(out).length > 0 || !this.graphOutputs.includes(out) || shape.length !== 1) {
          throw this.nodeError(
            n,
            "Softmax is supported only as the last node on a [N, classes] tensor (it is dropped: the engine outputs logits)",
          );
        }
        this.notes.push(`dropped the final Softmax node "${n.name}": the network outputs logits (argmax unchanged)`);
        return this.single(n, [], shape);
      }
      case "Dropout":
        return this.dropout(n, shape);
      case "Identity":
        this.checkAttributes(n, []);
        return this.single(n, [], shape);
      case "Add":
        throw this.nodeError(n, "Add of a constant is supported only as the bias right after a MatMul");
      case "Concat":
        throw this.nodeError(n, "Concat of a constant is not supported (only channel concatenation of branches)");
      default:
        throw this.nodeError(n, `unsupported operator ${n.opType} (supported: ${SUPPORTED_OPERATORS.join(", ")})`);
    }
  }

  private conv(n: INodeProto, shape: Shape): Step {
    this.checkAttributes(n, ["kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"]);
    const [C, H, W] = this.needChw(n, shape);
    const w = this.floatInput(n, 1, "weight");
    if (w.dims.length !== 4)
      throw this.nodeError(
        n,
        `weight "${w.name}" has shape [${w.dims.join(", ")}]; only 2-D convolution ([K, C/group, R, S]) is supported`,
      );
    const [K, Cg, R, S] = w.dims;
    const ks = this.intsAttr(n, "kernel_shape");
    if (ks && (ks.length !== 2 || ks[0] !== R || ks[1] !== S))
      throw this.attrError(n, "kernel_shape", `[${ks.join(", ")}] does not match the weight's [${R}, ${S}]`);
    const groups = this.intAttr(n, "group", 1);
    if (Cg * groups !== C)
      throw this.attrError(
        n,
        "group",
        `${groups} with weight [${w.dims.join(", ")}] needs ${Cg * groups} input channels, the input has ${C}`,
      );
    const { stride, padding } = this.windowAttrs(n, [H, W], [R, S]);
    const name = this.uniqueName(w.name, n, `conv${this.usedNames.size}`);
    this.weights[`${name}.weight`] = w.data;
    const hasBias = (n.input?.[2] ?? "") !== "";
    if (hasBias) {
      const b = this.floatInput(n, 2, "bias");
      if (b.data.length !== K) throw this.nodeError(n, `bias "${b.name}" has ${b.data.length} values, expected ${K}`);
      this.weights[`${name}.bias`] = b.data;
    }
    return this.single(
      n,
      [{ type: "conv", name, outChannels: K, kernel: R === S ? R : [R, S], stride, padding, groups, bias: hasBias }],
      shape,
    );
  }

  private linearStep(
    n: INodeProto,
    shape: Shape,
    nameBase: string,
    w: Float32Array,
    out: number,
    bias: Float32Array | null,
    outTensor?: string,
  ): Step {
    const inFeatures = prod(shape);
    if (w.length !== out * inFeatures)
      throw this.nodeError(
        n,
        `weight "${nameBase}" gives ${w.length / out} input features, the input has ${inFeatures} ([${shape.join(", ")}])`,
      );
    const name = this.uniqueName(nameBase, n, `fc${this.usedNames.size}`);
    this.weights[`${name}.weight`] = w;
    if (bias) this.weights[`${name}.bias`] = bias;
    const step = this.single(n, [{ type: "linear", name, outFeatures: out, bias: bias !== null }], shape);
    return outTensor ? { ...step, out: outTensor } : step;
  }

  private gemm(n: INodeProto, shape: Shape): Step {
    this.checkAttributes(n, ["alpha", "beta", "transA", "transB"]);
    if (this.intAttr(n, "transA", 0) !== 0)
      throw this.attrError(n, "transA", "1 is not supported (the activation must be the untransposed A input)");
    if ((n.input ?? [])[0] !== this.activationInputs(n)[0])
      throw this.nodeError(n, "the activation must be input A (0)");
    const transB = this.intAttr(n, "transB", 0);
    const alpha = this.floatAttr(n, "alpha", 1),
      beta = this.floatAttr(n, "beta", 1);
    const b = this.floatInput(n, 1, "B");
    if (b.dims.length !== 2) throw this.nodeError(n, `B "${b.name}" has shape [${b.dims.join(", ")}], expected 2-D`);
    const out = transB ? b.dims[0] : b.dims[1];
    let w = transB ? b.data : transpose(b.data, b.dims[0], b.dims[1]);
    if (alpha !== 1) {
      w = w.map((v) => v * alpha);
      this.notes.push(`node "${n.name}" (Gemm): alpha ${alpha} folded into the weights`);
    }
    let bias: Float32Array | null = null;
    if ((n.input?.[2] ?? "") !== "") {
      const c = this.floatInput(n, 2, "C");
      if (c.data.length !== out || (c.dims.length === 2 && c.dims[0] !== 1)) {
        throw this.nodeError(
          n,
          `C "${c.name}" of shape [${c.dims.join(", ")}] is not a per-output bias of ${out} values`,
        );
      }
      bias = beta === 1 ? c.data : c.data.map((v) => v * beta);
      if (beta !== 1) this.notes.push(`node "${n.name}" (Gemm): beta ${beta} folded into the bias`);
    }
    return this.linearStep(n, shape, b.name, w, out, bias);
  }

  private matmul(n: INodeProto, shape: Shape): Step {
    this.checkAttributes(n, []);
    if ((n.input ?? [])[0] !== this.activationInputs(n)[0])
      throw this.nodeError(n, "the activation must be input A (0)");
    const b = this.floatInput(n, 1, "B");
    if (b.dims.length !== 2) throw this.nodeError(n, `B "${b.name}" has shape [${b.dims.join(", ")}], expected 2-D`);
    if (shape.length !== 1)
      throw this.nodeError(n, `expects a [N, features] input, got per-image shape [${shape.join(", ")}]`);
    const [inF, out] = b.dims;
    const w = transpose(b.data, inF, out);
    // A following Add of a constant vector is the bias.
    const next = this.consumersOf(n.output![0]);
    if (next.length === 1 && next[0].opType === "Add" && this.activationInputs(next[0]).length === 1) {
      const add = next[0];
      const ci = (add.input ?? []).findIndex((i) => this.isConstant(i));
      const c = this.floatInput(add, ci, "bias");
      if (c.data.length === out && c.dims.every((d, i) => i === c.dims.length - 1 || d === 1)) {
        this.visited.add(add);
        this.checkAttributes(add, []);
        this.checkSingleOutput(add);
        this.checkSingleOutput(n);
        return this.linearStep(n, shape, b.name, w, out, c.data, add.output![0]);
      }
      throw this.nodeError(
        add,
        `adds constant "${c.name}" of shape [${c.dims.join(", ")}]; only a per-output bias of ${out} values is supported`,
      );
    }
    return this.linearStep(n, shape, b.name, w, out, null);
  }

  private clip(n: INodeProto, shape: Shape): Step {
    let min: number | undefined, max: number | undefined;
    if (this.opset < 11) {
      this.checkAttributes(n, ["min", "max"]);
      min = this.attr(n, "min") ? this.floatAttr(n, "min", 0) : undefined;
      max = this.attr(n, "max") ? this.floatAttr(n, "max", 0) : undefined;
    } else {
      this.checkAttributes(n, []);
      min = this.optionalScalarInput(n, 1, "min");
      max = this.optionalScalarInput(n, 2, "max");
    }
    if (min !== 0)
      throw this.attrError(
        n,
        "min",
        `${min ?? "none"} is not supported (Clip with min 0 and max 6 is ReLU6; min 0 without max is ReLU)`,
      );
    if (max === undefined) return this.single(n, [{ type: "relu" }], shape);
    if (max !== 6) throw this.attrError(n, "max", `${max} is not supported (Clip with min 0 and max 6 is ReLU6)`);
    return this.single(n, [{ type: "relu6" }], shape);
  }

  private pool(n: INodeProto, shape: Shape): Step {
    const isMax = n.opType === "MaxPool";
    this.checkAttributes(
      n,
      isMax
        ? ["kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "dilations", "storage_order"]
        : ["kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "count_include_pad"],
    );
    const [, H, W] = this.needChw(n, shape);
    const ks = this.intsAttr(n, "kernel_shape");
    if (ks?.length !== 2 || ks[0] !== ks[1])
      throw this.attrError(
        n,
        "kernel_shape",
        `${ks ? `[${ks.join(", ")}]` : "missing"} is not supported (a square 2-D kernel only)`,
      );
    const { stride, padding } = this.windowAttrs(n, [H, W], [ks[0], ks[1]]);
    if (isMax) return this.single(n, [{ type: "maxpool", kernel: ks[0], stride, padding }], shape);
    const include = this.intAttr(n, "count_include_pad", 0) === 1;
    const extra = this.foldedPad.get(n) ?? 0;
    if (!include && extra > 0 && padding > extra)
      throw this.attrError(
        n,
        "count_include_pad",
        "0 with its own pads after a Pad node is not supported (the Pad's zeros count, its own padding does not)",
      );
    // The zeros of a folded Pad are input cells: the divisor is the whole kernel either way.
    const countIncludePad = include || extra > 0 || padding === 0;
    return this.single(
      n,
      [
        countIncludePad
          ? { type: "avgpool", kernel: ks[0], stride, padding }
          : { type: "avgpool", kernel: ks[0], stride, padding, countIncludePad: false },
      ],
      shape,
    );
  }

  private batchnorm(n: INodeProto, shape: Shape): Step {
    this.checkAttributes(n, ["epsilon", "momentum", "spatial", "training_mode"]);
    if (this.intAttr(n, "training_mode", 0) !== 0)
      throw this.attrError(n, "training_mode", "1 is not supported (inference with running statistics only)");
    if (this.intAttr(n, "spatial", 1) !== 1)
      throw this.attrError(n, "spatial", "0 is not supported (per-channel statistics only)");
    const C = shape[0];
    const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i, k) => {
      const t = this.floatInput(n, i, ["scale", "B", "input_mean", "input_var"][k]);
      if (t.data.length !== C)
        throw this.nodeError(n, `input ${i} "${t.name}" has ${t.data.length} values, the input has ${C} channels`);
      return t;
    });
    const name = this.uniqueName(gamma.name, n, `bn${this.usedNames.size}`);
    const eps = this.floatAttr(n, "epsilon", 1e-5);
    let runningVar = variance.data;
    if (Math.fround(eps) !== Math.fround(BATCHNORM_EPS)) {
      // The engine's epsilon is fixed; 1/sqrt(var + eps) is kept by shifting the variance (not bit-exact).
      runningVar = variance.data.map((v) => v + eps - BATCHNORM_EPS);
      this.notes.push(
        `node "${n.name}" (BatchNormalization): epsilon ${eps} folded into the running variance (the engine uses ${BATCHNORM_EPS})`,
      );
    }
    Object.assign(this.weights, {
      [`${name}.gamma`]: gamma.data,
      [`${name}.beta`]: beta.data,
      [`${name}.runningMean`]: mean.data,
      [`${name}.runningVar`]: runningVar,
    });
    return this.single(n, [{ type: "batchnorm", name }], shape);
  }

  /**
   * Pad: constant mode with value 0 only, nothing on the batch and channel axes. All-zero pads
   * (PyTorch 1.13 writes one before `F.avg_pool2d`) are dropped; equal padding on all four
   * spatial sides is folded into the Conv or AveragePool that alone reads the result.
   */
  private pad(n: INodeProto, shape: Shape): Step {
    let pads: number[];
    let value = 0;
    if (this.opset < 11) {
      this.checkAttributes(n, ["mode", "pads", "value"]);
      pads = this.intsAttr(n, "pads") ?? [];
      value = this.floatAttr(n, "value", 0);
    } else {
      this.checkAttributes(n, ["mode"]);
      pads = this.evalShape(n.input?.[1] ?? "", n).values.map((v) => {
        if (typeof v !== "number") throw this.nodeError(n, "input 1 (pads) must be constant");
        return v;
      });
      value = this.optionalScalarInput(n, 2, "constant_value") ?? 0;
      if ((n.input?.[3] ?? "") !== "") throw this.nodeError(n, "input 3 (axes) is not supported");
    }
    const mode = this.stringAttr(n, "mode", "constant");
    if (mode !== "constant") throw this.attrError(n, "mode", `"${mode}" is not supported (constant zero padding only)`);
    if (value !== 0) throw this.nodeError(n, `constant value ${value} is not supported (zero padding only)`);
    const rank = shape.length + 1;
    if (pads.length !== 2 * rank)
      throw this.nodeError(n, `pads [${pads.join(", ")}] do not have 2 × ${rank} values for a rank-${rank} input`);
    if (pads.every((p) => p === 0)) return this.single(n, [], shape);
    const spatial = [pads[2], pads[3], pads[rank + 2], pads[rank + 3]];
    if (rank !== 4 || pads[0] || pads[1] || pads[rank] || pads[rank + 1] || spatial.some((p) => p !== spatial[0]))
      throw this.nodeError(
        n,
        `pads [${pads.join(", ")}] are not supported (only equal zero padding of height and width on all four sides)`,
      );
    const next = this.consumersOf(n.output![0]);
    const reader = next.length === 1 ? next[0] : undefined;
    if (!reader || (reader.opType !== "Conv" && reader.opType !== "AveragePool"))
      throw this.nodeError(
        n,
        `padding ${spatial[0]} is supported only when a single Conv or AveragePool reads the result (it is folded into that node's pads)`,
      );
    this.foldedPad.set(reader, spatial[0]);
    this.checkSingleOutput(n);
    // The padded shape is never materialised: the reader's padding grows instead.
    return { layers: [], out: n.output![0], shape };
  }

  /** ReduceMean over the two spatial axes: global average pooling (then a flatten when keepdims is 0). */
  private reduceMean(n: INodeProto, shape: Shape): Step {
    let axes: number[] | undefined;
    if (this.opset < 18) {
      this.checkAttributes(n, ["axes", "keepdims"]);
      axes = this.intsAttr(n, "axes");
    } else {
      this.checkAttributes(n, ["keepdims", "noop_with_empty_axes"]);
      const a = n.input?.[1];
      axes =
        a === undefined || a === ""
          ? undefined
          : this.evalShape(a, n).values.map((v) => {
              if (typeof v !== "number") throw this.nodeError(n, "input 1 (axes) must be constant");
              return v;
            });
    }
    const rank = shape.length + 1;
    const norm = (axes ?? []).map((a) => (a < 0 ? a + rank : a)).sort();
    if (rank !== 4 || norm.join() !== "2,3")
      throw this.attrError(
        n,
        "axes",
        `[${(axes ?? []).join(", ")}] on a rank-${rank} tensor is not supported (the mean over height and width, axes [2, 3], only)`,
      );
    const keep = this.intAttr(n, "keepdims", 1) === 1;
    return this.single(n, keep ? [{ type: "gap" }] : [{ type: "gap" }, { type: "flatten" }], shape);
  }

  /** Squeeze of the two unit spatial axes of a [N, C, 1, 1] tensor: a flatten. */
  private squeeze(n: INodeProto, shape: Shape): Step {
    let axes: number[] | undefined;
    if (this.opset < 13) {
      this.checkAttributes(n, ["axes"]);
      axes = this.intsAttr(n, "axes");
    } else {
      this.checkAttributes(n, []);
      const a = n.input?.[1];
      axes =
        a === undefined || a === ""
          ? undefined
          : this.evalShape(a, n).values.map((v) => {
              if (typeof v !== "number") throw this.nodeError(n, "input 1 (axes) must be constant");
              return v;
            });
    }
    const rank = shape.length + 1;
    const norm = (axes ?? [2, 3]).map((a) => (a < 0 ? a + rank : a)).sort();
    if (rank !== 4 || shape[1] !== 1 || shape[2] !== 1 || norm.join() !== "2,3")
      throw this.nodeError(
        n,
        `squeezing axes [${(axes ?? []).join(", ")}] of per-image shape [${shape.join(", ")}] is not supported (only the unit height and width of [N, C, 1, 1])`,
      );
    return this.single(n, [{ type: "flatten" }], shape);
  }

  private reshape(n: INodeProto, shape: Shape): Step {
    this.checkAttributes(n, ["allowzero"]);
    const target = this.evalShape(n.input?.[1] ?? "", n).values;
    const flat = prod(shape);
    const zeroCopies = this.intAttr(n, "allowzero", 0) === 0;
    // At a fixed batch of 1 (PyTorch's default export) `x.view(x.size(0), -1)` is folded to [1, -1].
    const fixedOne = target[0] === 1 && this.inputBatch === 1;
    const batch = target[0] === "N" || target[0] === -1 || (target[0] === 0 && zeroCopies) || fixedOne;
    const ok = target.length === 2 && batch && (target[1] === flat || (target[1] === -1 && target[0] !== -1));
    if (!ok)
      throw this.nodeError(
        n,
        `target shape [${target.join(", ")}] is not supported (only flattening to [N, -1], i.e. [0, -1] or [-1, ${flat}]${this.inputBatch === 1 ? ", or [1, -1] at the file's batch 1" : ""})`,
      );
    if (fixedOne)
      this.notes.push(`node "${n.name}" (Reshape to [1, ${target[1]}]) read as [N, -1]: the file fixes batch 1`);
    return this.single(n, [{ type: "flatten" }], shape);
  }

  private dropout(n: INodeProto, shape: Shape): Step {
    let p: number;
    if (this.opset < 12) {
      this.checkAttributes(n, ["ratio", "is_test", "seed"]);
      p = this.floatAttr(n, "ratio", 0.5);
    } else {
      this.checkAttributes(n, ["seed"]);
      p = this.optionalScalarInput(n, 1, "ratio") ?? 0.5;
      const tm = n.input?.[2];
      if (tm !== undefined && tm !== "") {
        const t = this.constants.get(tm);
        const on = t && (t.rawData?.some((b) => b !== 0) || (t.int32Data ?? []).some((v) => v !== 0));
        if (!t || on)
          throw this.nodeError(n, `input 2 (training_mode) "${tm}" must be a constant false (inference only)`);
      }
    }
    // The ratio is stored as float32; keep the decimal it came from (0.3, not 0.30000001).
    return this.single(n, [{ type: "dropout", p: Number(Math.fround(p).toPrecision(7)) }], shape);
  }

  /** Every node must lie on the walk from the input to the output. */
  checkAllVisited(): void {
    const missed = this.nodes.filter((n) => !this.visited.has(n));
    if (missed.length) {
      throw this.fail(
        `${missed.length} node(s) are not on the path from the input to the output: ${missed
          .slice(0, 5)
          .map((m) => `"${m.name}" (${m.opType})`)
          .join(", ")}`,
      );
    }
  }

  get outputs(): string[] {
    return this.graphOutputs;
  }
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

interface StoredMeta {
  id?: string;
  title?: string;
  dataset?: string;
  published?: PublishedCount;
}

/** Decodes ONNX bytes and converts the graph into a network table and weights (see the header). */
export function importOnnx(bytes: Uint8Array, options: ImportOnnxOptions = {}): ImportedNetwork {
  const source = options.source ?? "onnx model";
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxImportError(`${source}: not a valid ONNX protobuf (${(e as Error).message})`);
  }
  const imp = new Importer(source, model);
  const graph = model.graph!;
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((i) => !initNames.has(i.name));
  if (inputs.length !== 1)
    throw imp.fail(
      `expected one graph input (besides initializers), got ${inputs.length}: ${inputs.map((i) => i.name).join(", ")}`,
    );
  const input = inputs[0];
  const dims = input.type?.tensorType?.shape?.dim ?? [];
  if (dims.length !== 4) throw imp.fail(`graph input "${input.name}" has rank ${dims.length}; expected [N, C, H, W]`);
  const chw = dims.slice(1).map((d, i) => {
    const v = d.dimValue === null || d.dimValue === undefined ? 0 : int64ToNumber(d.dimValue, `${source}: input dim`);
    if (v < 1)
      throw imp.fail(
        `graph input "${input.name}" dimension ${i + 1} is ${d.dimParam ? `symbolic "${d.dimParam}"` : "unknown"}; C, H and W must be fixed`,
      );
    return v;
  }) as [number, number, number];
  if (imp.outputs.length !== 1)
    throw imp.fail(`expected one graph output, got ${imp.outputs.length}: ${imp.outputs.join(", ")}`);

  const batchDim = dims[0];
  imp.inputBatch =
    batchDim?.dimValue !== null && batchDim?.dimValue !== undefined
      ? int64ToNumber(batchDim.dimValue, `${source}: input dim`)
      : undefined;
  const result = imp.parse(input.name!, [...chw]);
  if (result.out !== imp.outputs[0]) {
    throw imp.fail(
      `the walk from input "${input.name}" ends at tensor "${result.out}", not at the graph output "${imp.outputs[0]}"`,
    );
  }
  imp.checkAllVisited();

  const metaText = (model.metadataProps ?? []).find((p) => p.key === SPEC_METADATA_KEY)?.value;
  let meta: StoredMeta = {};
  if (metaText) {
    try {
      meta = JSON.parse(metaText) as StoredMeta;
    } catch {
      throw imp.fail(`metadata_props["${SPEC_METADATA_KEY}"] is not valid JSON`);
    }
  }
  const fileId = options.source ? basename(options.source).replace(/\.onnx$/i, "") : undefined;
  const id = options.id ?? meta.id ?? fileId ?? (graph.name || "onnx-model");
  const spec: NetworkSpec = {
    id,
    title: meta.title ?? (model.docString || graph.name || id),
    input: chw,
    classes: prod(result.shape),
    dataset: options.dataset ?? meta.dataset ?? "unknown",
    layers: result.layers,
  };
  if (meta.published) spec.published = meta.published;
  try {
    inferShapes(spec);
  } catch (e) {
    throw imp.fail(`the imported table is not valid: ${(e as Error).message}`);
  }
  return { spec, weights: imp.weights, notes: imp.notes, opset: imp.opset };
}

/** Reads and imports an .onnx file; errors name the file. */
export function importOnnxFile(path: string, options: Omit<ImportOnnxOptions, "source"> = {}): ImportedNetwork {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new OnnxImportError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return importOnnx(bytes, { ...options, source: path });
}
