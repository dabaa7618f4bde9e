/**
 * Shape inference and cost counting for a NetworkSpec (see spec.ts for the Timeloop letters).
 *
 * Shapes are per image (no batch dimension): [C, H, W] for feature maps, [F] after flatten.
 * Rules:
 * - conv: P = floor((H + 2·pad − R) / stride) + 1, Q likewise with W, S; C must divide by groups
 *   and K by groups.
 * - maxpool / avgpool: the same formula with stride defaulting to the kernel (floor mode).
 * - gap: [C, H, W] → [C, 1, 1] (as ONNX GlobalAveragePool).
 * - flatten: any shape → [product of dims].
 * - linear: input of any shape is read as a flat vector of product(dims) features (so
 *   `gap, linear` and `gap, flatten, linear` are the same network); output [outFeatures].
 * - relu, relu6, batchnorm, dropout: shape unchanged (batchnorm needs a [C, …] input).
 * - residual: body and shortcut (identity when absent or empty) must give the same shape.
 *
 * Counting (what is counted and what is not):
 * - MACs: multiply-accumulates of conv and linear layers only, per image:
 *   conv K·(C/g)·R·S·P·Q, linear inFeatures·outFeatures. Bias adds, batchnorm, pooling,
 *   activations and residual additions are not counted (the convention of torchvision's model
 *   cards and of the papers' "mult-adds").
 * - Params: learnable parameters: conv K·(C/g)·R·S (+K bias), linear in·out (+out bias),
 *   batchnorm 2 per channel (gamma, beta). BN running statistics are buffers, not counted.
 */
import { convOutputSize, type ConvGeometry } from "@sccnn/sc-core";
import type { LayerSpec, NetworkSpec } from "./spec.ts";

export type Shape = number[];

/** One layer's shapes. `path` locates it in the table, e.g. "layers[4]" or "layers[7].body[2]". */
export interface LayerShape {
  path: string;
  /** Layer name when the layer has one (conv, linear, batchnorm), else its type. */
  label: string;
  layer: LayerSpec;
  input: Shape;
  output: Shape;
}

/**
 * One conv or linear layer in sc-core's ConvGeometry letters (Timeloop's; per image, N = 1; a
 * linear layer has C input features, K output features and R = S = P = Q = H = W = 1).
 */
export interface LayerStats extends Omit<ConvGeometry, "Cg" | "Kg"> {
  name: string;
  path: string;
  type: "conv" | "linear";
  /** Inputs summed per output: C/groups · R · S. */
  fanIn: number;
  /** K · fanIn · P · Q. */
  macs: number;
  weights: number;
  biases: number;
}

function label(layer: LayerSpec): string {
  return "name" in layer ? `${layer.name} (${layer.type})` : layer.type;
}

function kernelRS(kernel: number | [number, number]): [number, number] {
  return typeof kernel === "number" ? [kernel, kernel] : kernel;
}

function fail(path: string, layer: LayerSpec, message: string): never {
  throw new Error(`${path} ${label(layer)}: ${message}`);
}

function positiveInt(path: string, layer: LayerSpec, field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) fail(path, layer, `${field} must be a positive integer, got ${value}`);
}

function nonNegativeInt(path: string, layer: LayerSpec, field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) fail(path, layer, `${field} must be a non-negative integer, got ${value}`);
}

function windowOut(
  path: string,
  layer: LayerSpec,
  size: number,
  kernel: number,
  stride: number,
  padding: number,
  axis: string,
): number {
  const out = convOutputSize(size, kernel, stride, padding);
  if (out < 1) fail(path, layer, `kernel ${kernel} with padding ${padding} does not fit the input ${axis} ${size}`);
  return out;
}

function needChw(path: string, layer: LayerSpec, input: Shape): [number, number, number] {
  if (input.length !== 3)
    fail(path, layer, `needs a [C, H, W] input, got [${input.join(", ")}] (is it after a flatten or linear layer?)`);
  return input as [number, number, number];
}

function product(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Output shape of one non-residual layer; throws naming the layer when it does not fit. */
export function layerOutputShape(layer: LayerSpec, input: Shape, path = "layer"): Shape {
  switch (layer.type) {
    case "conv": {
      const [C, H, W] = needChw(path, layer, input);
      const [R, S] = kernelRS(layer.kernel);
      const stride = layer.stride ?? 1,
        padding = layer.padding ?? 0,
        groups = layer.groups ?? 1;
      positiveInt(path, layer, "outChannels", layer.outChannels);
      positiveInt(path, layer, "kernel", R);
      positiveInt(path, layer, "kernel", S);
      positiveInt(path, layer, "stride", stride);
      positiveInt(path, layer, "groups", groups);
      nonNegativeInt(path, layer, "padding", padding);
      if (C % groups !== 0) fail(path, layer, `input channels ${C} are not divisible by groups ${groups}`);
      if (layer.outChannels % groups !== 0)
        fail(path, layer, `outChannels ${layer.outChannels} is not divisible by groups ${groups}`);
      return [
        layer.outChannels,
        windowOut(path, layer, H, R, stride, padding, "height"),
        windowOut(path, layer, W, S, stride, padding, "width"),
      ];
    }
    case "maxpool":
    case "avgpool": {
      const [C, H, W] = needChw(path, layer, input);
      const stride = layer.stride ?? layer.kernel,
        padding = layer.padding ?? 0;
      positiveInt(path, layer, "kernel", layer.kernel);
      positiveInt(path, layer, "stride", stride);
      nonNegativeInt(path, layer, "padding", padding);
      if (2 * padding > layer.kernel) fail(path, layer, `padding ${padding} exceeds half the kernel ${layer.kernel}`);
      return [
        C,
        windowOut(path, layer, H, layer.kernel, stride, padding, "height"),
        windowOut(path, layer, W, layer.kernel, stride, padding, "width"),
      ];
    }
    case "gap": {
      const [C] = needChw(path, layer, input);
      return [C, 1, 1];
    }
    case "flatten":
      return [product(input)];
    case "linear":
      positiveInt(path, layer, "outFeatures", layer.outFeatures);
      return [layer.outFeatures];
    case "batchnorm":
      if (input.length < 1) fail(path, layer, "needs an input with a channel dimension");
      return input.slice();
    case "relu":
    case "relu6":
    case "sigmoid":
    case "tanh":
      return input.slice();
    case "dropout":
      if (!(layer.p >= 0 && layer.p < 1)) fail(path, layer, `p must lie in [0, 1), got ${layer.p}`);
      return input.slice();
    case "residual":
    case "concat":
      throw new Error(`${path}: layerOutputShape does not take ${layer.type} blocks; use inferShapes`);
    default: {
      const unknown = layer as { type?: unknown };
      throw new Error(`${path}: unknown layer type ${JSON.stringify(unknown.type)}`);
    }
  }
}

function walk(layers: LayerSpec[], input: Shape, prefix: string, out: LayerShape[]): Shape {
  let shape = input;
  layers.forEach((layer, i) => {
    const path = `${prefix}[${i}]`;
    if (layer.type === "residual") {
      const entry: LayerShape = { path, label: "residual", layer, input: shape, output: [] };
      out.push(entry);
      const bodyOut = walk(layer.body, shape, `${path}.body`, out);
      const shortOut =
        layer.shortcut && layer.shortcut.length > 0 ? walk(layer.shortcut, shape, `${path}.shortcut`, out) : shape;
      if (!sameShape(bodyOut, shortOut)) {
        throw new Error(
          `${path} residual: body output [${bodyOut.join(", ")}] differs from shortcut output [${shortOut.join(", ")}]`,
        );
      }
      entry.output = bodyOut;
      shape = bodyOut;
    } else if (layer.type === "concat") {
      const entry: LayerShape = { path, label: "concat", layer, input: shape, output: [] };
      out.push(entry);
      if (!Array.isArray(layer.branches) || layer.branches.length < 2)
        throw new Error(`${path} concat: needs at least two branches`);
      const outs = layer.branches.map((b, k) => walk(b, shape, `${path}.branches[${k}]`, out));
      const rest = (s: Shape) => s.slice(1).join(", ");
      outs.forEach((o, k) => {
        if (o.length !== outs[0].length || rest(o) !== rest(outs[0]))
          throw new Error(
            `${path} concat: branch ${k} output [${o.join(", ")}] does not match branch 0 [${outs[0].join(", ")}] beyond channel 0`,
          );
      });
      entry.output = [outs.reduce((a, o) => a + o[0], 0), ...outs[0].slice(1)];
      shape = entry.output;
    } else {
      const output = layerOutputShape(layer, shape, path);
      out.push({ path, label: label(layer), layer, input: shape, output });
      shape = output;
    }
  });
  return shape;
}

function analyse(spec: NetworkSpec): { layers: LayerShape[]; output: Shape } {
  const input = spec.input;
  if (!Array.isArray(input) || input.length !== 3 || !input.every((v) => Number.isInteger(v) && v > 0)) {
    throw new Error(`${spec.id}: input must be [C, H, W] of positive integers, got ${JSON.stringify(input)}`);
  }
  const layers: LayerShape[] = [];
  try {
    const output = walk(spec.layers, input.slice(), "layers", layers);
    return { layers, output };
  } catch (e) {
    throw new Error(`${spec.id}: ${(e as Error).message}`);
  }
}

/**
 * Per-layer input and output shapes in execution order (a residual block's entry comes first,
 * then its body, then its shortcut). Throws an error naming the network, the layer's path and
 * its name when a layer does not fit its input, e.g.
 * `lenet5: layers[6] f1 (linear): …`.
 */
export function inferShapes(spec: NetworkSpec): LayerShape[] {
  return analyse(spec).layers;
}

/** Output shape of the whole network (per image), e.g. [10]. */
export function outputShape(spec: NetworkSpec): Shape {
  return analyse(spec).output;
}

/** Timeloop dimensions, MACs and parameter counts of every conv and linear layer, in order. */
export function layerStats(spec: NetworkSpec): LayerStats[] {
  const stats: LayerStats[] = [];
  for (const s of inferShapes(spec)) {
    const layer = s.layer;
    if (layer.type === "conv") {
      const [C, H, W] = s.input;
      const [K, P, Q] = s.output;
      const [R, S] = kernelRS(layer.kernel);
      const groups = layer.groups ?? 1;
      const fanIn = (C / groups) * R * S;
      stats.push({
        name: layer.name,
        path: s.path,
        type: "conv",
        N: 1,
        C,
        K,
        R,
        S,
        P,
        Q,
        H,
        W,
        stride: layer.stride ?? 1,
        padding: layer.padding ?? 0,
        groups,
        fanIn,
        macs: K * fanIn * P * Q,
        weights: K * fanIn,
        biases: layer.bias === false ? 0 : K,
      });
    } else if (layer.type === "linear") {
      const C = product(s.input);
      const K = layer.outFeatures;
      stats.push({
        name: layer.name,
        path: s.path,
        type: "linear",
        N: 1,
        C,
        K,
        R: 1,
        S: 1,
        P: 1,
        Q: 1,
        H: 1,
        W: 1,
        stride: 1,
        padding: 0,
        groups: 1,
        fanIn: C,
        macs: C * K,
        weights: C * K,
        biases: layer.bias === false ? 0 : K,
      });
    }
  }
  return stats;
}

/** Multiply-accumulates per image of conv and linear layers (see the file comment). */
export function countMacs(spec: NetworkSpec): number {
  return layerStats(spec).reduce((sum, l) => sum + l.macs, 0);
}

/** Learnable parameters: conv/linear weights and biases, batchnorm gamma and beta. */
export function countParams(spec: NetworkSpec): number {
  let params = 0;
  for (const s of inferShapes(spec)) {
    if (s.layer.type === "batchnorm") params += 2 * s.input[0];
  }
  for (const l of layerStats(spec)) params += l.weights + l.biases;
  return params;
}

/** Names of all parameterised layers (conv, linear, batchnorm) must be unique; returns them in order. */
export function parameterLayerNames(spec: NetworkSpec): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const s of inferShapes(spec)) {
    if ("name" in s.layer) {
      const name = s.layer.name;
      if (typeof name !== "string" || name === "")
        throw new Error(`${spec.id} ${s.path}: ${s.layer.type} layer needs a non-empty name`);
      if (seen.has(name)) throw new Error(`${spec.id} ${s.path}: duplicate layer name "${name}"`);
      seen.add(name);
      names.push(name);
    }
  }
  return names;
}
