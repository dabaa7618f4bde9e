/**
 * Network specification: a network is a table of layers (data, not code), so the zoo, the cost
 * model, ONNX import/export and the engine all read the same description.
 *
 * Dimension letters (Timeloop's, spelled out once): N batch, C input channels, K output channels,
 * H,W input height/width, P,Q output height/width, R,S filter height/width. Tensors are NCHW.
 *
 * Shape rules (implemented and tested in shapes.ts, which the engine, quant and cost model share):
 * - conv/pool output P = floor((H + 2·padding − R) / stride) + 1 (floor mode); pool stride
 *   defaults to its kernel, conv stride to 1, padding to 0, groups to 1, bias to true.
 * - gap: [C, H, W] → [C, 1, 1]; flatten: any → [product]; linear reads any input as a flat
 *   vector (C, H, W order), so a flatten before it is optional.
 * - avgpool divides by the whole kernel area (padding counted, ONNX count_include_pad 1) unless
 *   countIncludePad is false (then by the window's cells inside the input).
 * - concat: every branch reads the same input; outputs are joined on channel 0 (their other
 *   dimensions must agree); an empty branch is the input itself.
 * - sigmoid and tanh are float-only: fixed-point and SC inference evaluate them in float.
 * - Names of conv, linear and batchnorm layers are unique in a network: weights are keyed
 *   `${name}.weight`, `${name}.bias`, and for batchnorm `${name}.gamma|beta|runningMean|runningVar`.
 */
export type LayerSpec =
  | {
      type: "conv";
      name: string;
      outChannels: number;
      kernel: number | [number, number];
      stride?: number;
      padding?: number;
      groups?: number;
      bias?: boolean;
    }
  | { type: "linear"; name: string; outFeatures: number; bias?: boolean }
  | { type: "relu" }
  | { type: "relu6" }
  | { type: "sigmoid" }
  | { type: "tanh" }
  | { type: "maxpool"; kernel: number; stride?: number; padding?: number }
  | { type: "avgpool"; kernel: number; stride?: number; padding?: number; countIncludePad?: boolean }
  | { type: "gap" }
  | { type: "batchnorm"; name: string }
  | { type: "flatten" }
  | { type: "dropout"; p: number }
  /** y = body(x) + shortcut(x) (identity when shortcut is absent or empty). */
  | { type: "residual"; body: LayerSpec[]; shortcut?: LayerSpec[] }
  /** y = the branches' outputs joined on channel 0 (channel concatenation, Inception-style). */
  | { type: "concat"; branches: LayerSpec[][] };

export interface PublishedCount {
  /** Multiply-accumulates per image of conv and linear layers (see shapes.ts countMacs). */
  macs?: number;
  /** Learnable parameters: weights, biases, batchnorm gamma and beta (see shapes.ts countParams). */
  params?: number;
  /** Where the published number comes from (paper, table, model card). */
  source: string;
}

export interface NetworkSpec {
  /** Registry id, e.g. "lenet5". */
  id: string;
  title: string;
  /** Input shape without the batch dimension: [C, H, W]. */
  input: [number, number, number];
  classes: number;
  /** Dataset id this network is trained on ("mnist", "fashion-mnist", "cifar10", "imagenet"). */
  dataset: string;
  layers: LayerSpec[];
  published?: PublishedCount;
}
