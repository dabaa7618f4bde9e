import type { LayerSpec, NetworkSpec } from "../spec.ts";
import { Clamp, Squash } from "./activations.ts";
import { BatchNorm } from "./batchnorm.ts";
import { Conv2d } from "./conv2d.ts";
import type { KernelName, Kernels } from "./gemm.ts";
import type { LayerHooks, LayerInfo } from "./hooks.ts";
import { selectKernels } from "./kernels.ts";
import type { Buffer, Layer, Param, TensorDecl } from "./layer.ts";
import { Linear } from "./linear.ts";
import { AvgPool, GlobalAvgPool, MaxPool } from "./pooling.ts";
import { Rng } from "./prng.ts";
import { Concat, Residual, Sequential } from "./sequential.ts";
import { Dropout, Flatten } from "./shape-layers.ts";
import { Tensor, shapeSize } from "./tensor.ts";

export interface BuildModelOptions {
  /** Seed of the weight initialisation (integer in [0, 2^32)). */
  seed: number;
  /** GEMM kernels; default "wasm" (the committed WebAssembly SIMD module), "ts" for the reference. */
  kernels?: KernelName;
}

export interface ForwardOptions {
  /** Training pass: batch statistics in batchnorm, dropout active. Default false. */
  train?: boolean;
  /** Rng for dropout masks; default the model's own stream (seeded from the build seed). */
  rng?: Rng;
}

/** Everything a model stores: keys `${name}.weight`, `.bias`, `.gamma`, `.beta`, `.runningMean`, `.runningVar`. */
export type WeightRecord = Record<string, Float32Array>;

export interface TensorEntry {
  name: string;
  shape: number[];
  kind: "param" | "buffer";
}

function kernelRS(k: number | [number, number]): [number, number] {
  return typeof k === "number" ? [k, k] : [k[0], k[1]];
}

function specLabel(l: LayerSpec): string {
  return "name" in l ? `${l.type} "${l.name}"` : l.type;
}

function buildLayers(layers: LayerSpec[], inShape: readonly number[], path: string, names: Set<string>): Sequential {
  const out: Layer[] = [];
  let shape = [...inShape];
  for (const [i, l] of layers.entries()) {
    const where = `${path}[${i}]`;
    let layer: Layer;
    try {
      if ("name" in l) {
        if (typeof l.name !== "string" || l.name === "") throw new Error("name must be a non-empty string");
        if (names.has(l.name)) throw new Error(`duplicate layer name "${l.name}"`);
        names.add(l.name);
      }
      switch (l.type) {
        case "conv":
          layer = new Conv2d({
            name: l.name,
            inShape: shape,
            outChannels: l.outChannels,
            kernel: kernelRS(l.kernel),
            stride: l.stride ?? 1,
            padding: l.padding ?? 0,
            groups: l.groups ?? 1,
            bias: l.bias ?? true,
          });
          break;
        case "linear":
          layer = new Linear(l.name, shape, l.outFeatures, l.bias ?? true);
          break;
        case "relu":
        case "relu6":
          layer = new Clamp(l.type, shape);
          break;
        case "sigmoid":
        case "tanh":
          layer = new Squash(l.type, shape);
          break;
        case "maxpool":
          layer = new MaxPool(shape, l.kernel, l.stride ?? l.kernel, l.padding ?? 0);
          break;
        case "avgpool":
          layer = new AvgPool(shape, l.kernel, l.stride ?? l.kernel, l.padding ?? 0, l.countIncludePad ?? true);
          break;
        case "gap":
          layer = new GlobalAvgPool(shape);
          break;
        case "batchnorm":
          layer = new BatchNorm(l.name, shape);
          break;
        case "flatten":
          layer = new Flatten(shape);
          break;
        case "dropout":
          layer = new Dropout(shape, l.p);
          break;
        case "residual": {
          const body = buildLayers(l.body, shape, `${where}.body`, names);
          const shortcut = buildLayers(l.shortcut ?? [], shape, `${where}.shortcut`, names);
          layer = new Residual(body, shortcut);
          break;
        }
        case "concat":
          layer = new Concat(l.branches.map((b, k) => buildLayers(b, shape, `${where}.branches[${k}]`, names)));
          break;
        default:
          throw new Error(`unknown layer type ${JSON.stringify((l as { type: unknown }).type)}`);
      }
    } catch (e) {
      const msg = (e as Error).message;
      throw new Error(msg.startsWith("layers[") ? msg : `${where} (${specLabel(l)}): ${msg}`);
    }
    out.push(layer);
    shape = [...layer.outShape];
  }
  return new Sequential(out, inShape);
}

function walk(layer: Layer, visit: (l: Layer) => void): void {
  visit(layer);
  if (layer instanceof Sequential) for (const l of layer.layers) walk(l, visit);
  if (layer instanceof Residual) {
    walk(layer.body, visit);
    walk(layer.shortcut, visit);
  }
  if (layer instanceof Concat) for (const b of layer.branches) walk(b, visit);
}

/**
 * A network built from a NetworkSpec. All parameters live in one flat Float32Array
 * (`paramData`, gradients in `gradData`) and all buffers in `bufferData`; `weights` maps each
 * tensor name to its view, so writing into `weights["c1.weight"]` changes the model.
 */
export class Model {
  readonly spec: NetworkSpec;
  readonly seed: number;
  readonly root: Sequential;
  readonly params: Param[] = [];
  readonly buffers: Buffer[] = [];
  readonly paramData: Float32Array;
  readonly gradData: Float32Array;
  readonly bufferData: Float32Array;
  readonly weights: WeightRecord = {};
  /** Tensor names, shapes and kinds in storage order (params first, then buffers). */
  readonly tensors: TensorEntry[] = [];
  kernels: Kernels;
  private readonly hookable = new Map<string, Conv2d | Linear>();
  private readonly dropoutRng: Rng;

  constructor(spec: NetworkSpec, options: BuildModelOptions) {
    this.spec = spec;
    this.seed = options.seed;
    const rng = new Rng(options.seed);
    this.dropoutRng = new Rng(options.seed, 0x64726f70);
    this.kernels = selectKernels(options.kernels);
    if (
      !Array.isArray(spec.input) ||
      spec.input.length !== 3 ||
      !spec.input.every((d) => Number.isInteger(d) && d > 0)
    ) {
      throw new Error(`spec.input: expected [C, H, W] of positive integers, got ${JSON.stringify(spec.input)}`);
    }
    this.root = buildLayers(spec.layers, spec.input, "layers", new Set());
    if (shapeSize(this.root.outShape) !== spec.classes) {
      throw new Error(
        `spec.classes: ${spec.classes} classes but the last layer gives [${this.root.outShape.join(", ")}]`,
      );
    }
    const owners: { layer: Layer; decls: TensorDecl[] }[] = [];
    walk(this.root, (l) => {
      const decls = l.declare();
      if (decls.length) owners.push({ layer: l, decls });
      if (l instanceof Conv2d || l instanceof Linear) this.hookable.set(l.label, l);
    });
    let nParam = 0,
      nBuf = 0;
    for (const { decls } of owners)
      for (const d of decls) d.kind === "param" ? (nParam += shapeSize(d.shape)) : (nBuf += shapeSize(d.shape));
    this.paramData = new Float32Array(nParam);
    this.gradData = new Float32Array(nParam);
    this.bufferData = new Float32Array(nBuf);
    let pOff = 0,
      bOff = 0;
    const bufferEntries: TensorEntry[] = [];
    for (const { layer, decls } of owners) {
      const values: Float32Array[] = [],
        grads: (Float32Array | null)[] = [];
      for (const d of decls) {
        const n = shapeSize(d.shape);
        let v: Float32Array;
        if (d.kind === "param") {
          v = this.paramData.subarray(pOff, pOff + n);
          const g = this.gradData.subarray(pOff, pOff + n);
          pOff += n;
          this.params.push({ name: d.name, shape: d.shape, value: v, grad: g });
          this.tensors.push({ name: d.name, shape: d.shape, kind: "param" });
          grads.push(g);
        } else {
          v = this.bufferData.subarray(bOff, bOff + n);
          bOff += n;
          this.buffers.push({ name: d.name, shape: d.shape, value: v });
          bufferEntries.push({ name: d.name, shape: d.shape, kind: "buffer" });
          grads.push(null);
        }
        d.init(v, rng);
        values.push(v);
        this.weights[d.name] = v;
      }
      layer.bind(values, grads);
    }
    this.tensors.push(...bufferEntries);
  }

  /** Per-image output shape. */
  get outShape(): readonly number[] {
    return this.root.outShape;
  }

  /** Runs the network on a batch [N, C, H, W] (a Float32Array is read as N whole images). */
  forward(x: Tensor | Float32Array, options: ForwardOptions = {}): Tensor {
    const per = shapeSize(this.spec.input);
    let t: Tensor;
    if (x instanceof Tensor) t = x;
    else {
      if (x.length % per !== 0)
        throw new Error(
          `forward: input length ${x.length} is not a multiple of the image size ${per} ([${this.spec.input.join(", ")}])`,
        );
      t = new Tensor([x.length / per, ...this.spec.input], x);
    }
    if (t.itemSize !== per)
      throw new Error(
        `forward: input [${t.shape.join(", ")}] does not match spec.input [${this.spec.input.join(", ")}]`,
      );
    return this.root.forward(t, {
      train: options.train ?? false,
      kernels: this.kernels,
      rng: options.rng ?? this.dropoutRng,
    });
  }

  /**
   * Back-propagates dL/d(output) of the last forward pass, adding parameter gradients into
   * `gradData` (call zeroGrad() first). Returns dL/d(input) only when `inputGrad` is true.
   */
  backward(gradOut: Tensor, options: { inputGrad?: boolean } = {}): Tensor | null {
    return this.root.backward(gradOut, { kernels: this.kernels }, options.inputGrad ?? false);
  }

  zeroGrad(): void {
    this.gradData.fill(0);
  }

  /** Names of the conv and linear layers (the ones that take hooks), in spec order. */
  hookableLayers(): LayerInfo[] {
    return [...this.hookable.values()].map((l) => l.info);
  }

  /** Installs (or with null removes) the hooks of one conv or linear layer; see hooks.ts. */
  setLayerHooks(name: string, hooks: LayerHooks | null): void {
    const layer = this.hookable.get(name);
    if (!layer)
      throw new Error(
        `setLayerHooks: no conv or linear layer named "${name}" (have: ${[...this.hookable.keys()].join(", ")})`,
      );
    layer.hooks = hooks && Object.values(hooks).some((h) => h !== undefined) ? hooks : null;
  }

  /** True when any layer has hooks installed. */
  hasHooks(): boolean {
    return [...this.hookable.values()].some((l) => l.hooks !== null);
  }

  setKernels(name: KernelName): void {
    this.kernels = selectKernels(name);
  }

  /** Copies tensors into the model; every model tensor must be present with its exact length. */
  loadWeights(record: WeightRecord): void {
    for (const t of this.tensors) {
      const src = record[t.name];
      if (!src) throw new Error(`loadWeights: missing tensor "${t.name}"`);
      const dst = this.weights[t.name];
      if (src.length !== dst.length)
        throw new Error(
          `loadWeights: tensor "${t.name}" has ${src.length} values, the model needs ${dst.length} (shape [${t.shape.join(", ")}])`,
        );
      dst.set(src);
    }
  }
}

/** Builds a model from a network table with deterministic (seeded) initialisation. */
export function buildModel(spec: NetworkSpec, options: BuildModelOptions): Model {
  return new Model(spec, options);
}

/** Tensor names and shapes a spec produces (params, then buffers), without allocating a model's activations. */
export function specTensors(spec: NetworkSpec): TensorEntry[] {
  return new Model(spec, { seed: 0, kernels: "ts" }).tensors;
}
