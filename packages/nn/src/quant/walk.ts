import type { ConvGeometry } from "@sccnn/sc-core";
import type { LayerSpec } from "../spec.ts";
import {
  addActs,
  batchNormInference,
  concatChannels,
  globalAvgPool,
  pool2d,
  relu,
  squash,
  type Act,
} from "./float-ops.ts";

export type ParamLayerSpec = Extract<LayerSpec, { type: "conv" } | { type: "linear" }>;

/** Computes a conv or linear layer (float, fixed or SC); the walker does everything else. */
export type ParamLayerForward = (layer: ParamLayerSpec, x: Act) => Act;

export interface WalkOptions {
  /** Weights for unfolded batch-norm layers (`${name}.gamma`, …). */
  weights?: Record<string, Float32Array>;
  /** Batch-norm epsilon (the engine's default 1e-5). */
  bnEps?: number;
}

/**
 * Runs a layer table at inference time: conv/linear through `forward`, the rest in float
 * (ReLU, sigmoid, tanh, pooling, flatten, dropout = identity, residual add, channel concat,
 * batch norm with running stats).
 */
export function walkLayers(
  layers: LayerSpec[],
  x: Act,
  forward: ParamLayerForward,
  opts: WalkOptions = {},
  path = "layers",
): Act {
  let a = x;
  // whether a.data was made inside this list (then ReLU may overwrite it; the input may be shared)
  let owned = false;
  layers.forEach((layer, i) => {
    const before = a.data;
    const where = `${path}[${i}]`;
    switch (layer.type) {
      case "conv":
        if (a.shape.length !== 4)
          throw new RangeError(`${where} (conv ${layer.name}): needs a 4-D input, got [${a.shape}]`);
        a = forward(layer, a);
        break;
      case "linear":
        if (a.shape.length !== 2) a = { data: a.data, shape: [a.shape[0], a.data.length / a.shape[0]] };
        a = forward(layer, a);
        break;
      case "relu":
        a = relu(a, Infinity, owned);
        break;
      case "relu6":
        a = relu(a, 6, owned);
        break;
      case "sigmoid":
      case "tanh":
        a = squash(a, layer.type);
        break;
      case "maxpool":
      case "avgpool":
        a = pool2d(
          a,
          layer.type === "maxpool" ? "max" : "avg",
          layer.kernel,
          layer.stride ?? layer.kernel,
          layer.padding ?? 0,
          layer.type === "avgpool" ? (layer.countIncludePad ?? true) : true,
        );
        break;
      case "gap":
        a = globalAvgPool(a);
        break;
      case "flatten":
        a = { data: a.data, shape: [a.shape[0], a.data.length / a.shape[0]] };
        break;
      case "dropout":
        break;
      case "batchnorm": {
        const w = opts.weights ?? {};
        const get = (k: string): Float32Array => {
          const t = w[`${layer.name}.${k}`];
          if (!t) throw new RangeError(`${where} (batchnorm ${layer.name}): weight ${layer.name}.${k} is missing`);
          return t;
        };
        a = batchNormInference(a, get("gamma"), get("beta"), get("runningMean"), get("runningVar"), opts.bnEps ?? 1e-5);
        break;
      }
      case "residual": {
        const body = walkLayers(layer.body, a, forward, opts, `${where}.body`);
        const short =
          layer.shortcut && layer.shortcut.length > 0
            ? walkLayers(layer.shortcut, a, forward, opts, `${where}.shortcut`)
            : a;
        a = addActs(body, short);
        break;
      }
      case "concat":
        a = concatChannels(
          layer.branches.map((b, k) => (b.length ? walkLayers(b, a, forward, opts, `${where}.branches[${k}]`) : a)),
        );
        break;
      default: {
        const never: never = layer;
        throw new RangeError(`${where}: unknown layer type ${JSON.stringify((never as { type: string }).type)}`);
      }
    }
    if (a.data !== before) owned = true;
  });
  return a;
}

/** All conv/linear layers of a table, in execution order (residual bodies before shortcuts). */
export function paramLayers(layers: LayerSpec[]): ParamLayerSpec[] {
  const out: ParamLayerSpec[] = [];
  for (const l of layers) {
    if (l.type === "conv" || l.type === "linear") out.push(l);
    else if (l.type === "residual") out.push(...paramLayers(l.body), ...paramLayers(l.shortcut ?? []));
    else if (l.type === "concat") for (const b of l.branches) out.push(...paramLayers(b));
  }
  return out;
}

/** A conv layer's stride, padding, groups and filter size R×S (letters of sc-core's ConvGeometry). */
export function convGeometry(
  layer: Extract<LayerSpec, { type: "conv" }>,
): Pick<ConvGeometry, "stride" | "padding" | "groups" | "R" | "S"> {
  const [R, S] = Array.isArray(layer.kernel) ? layer.kernel : [layer.kernel, layer.kernel];
  return { stride: layer.stride ?? 1, padding: layer.padding ?? 0, groups: layer.groups ?? 1, R, S };
}

/** The float-only layer types in a table (sigmoid, tanh): fixed-point and SC runs evaluate them in float. */
export function floatOnlyLayers(layers: LayerSpec[]): string[] {
  const found = new Set<string>();
  const visit = (ls: LayerSpec[]) => {
    for (const l of ls) {
      if (l.type === "sigmoid" || l.type === "tanh") found.add(l.type);
      else if (l.type === "residual") {
        visit(l.body);
        visit(l.shortcut ?? []);
      } else if (l.type === "concat") for (const b of l.branches) visit(b);
    }
  };
  visit(layers);
  return [...found].sort();
}
