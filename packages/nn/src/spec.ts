/**
 * Network specification: a network is a table of layers (data, not code), so the zoo, the cost
 * model, ONNX import/export and the engine all read the same description.
 *
 * Dimension letters (Timeloop's, spelled out once): N batch, C input channels, K output channels,
 * H,W input height/width, P,Q output height/width, R,S filter height/width. Tensors are NCHW.
 */
export type LayerSpec =
  | { type: "conv"; name: string; outChannels: number; kernel: number | [number, number]; stride?: number; padding?: number; groups?: number; bias?: boolean }
  | { type: "linear"; name: string; outFeatures: number; bias?: boolean }
  | { type: "relu" }
  | { type: "relu6" }
  | { type: "maxpool"; kernel: number; stride?: number; padding?: number }
  | { type: "avgpool"; kernel: number; stride?: number; padding?: number }
  | { type: "gap" }
  | { type: "batchnorm"; name: string }
  | { type: "flatten" }
  | { type: "dropout"; p: number }
  /** y = body(x) + shortcut(x) (identity when shortcut is absent or empty). */
  | { type: "residual"; body: LayerSpec[]; shortcut?: LayerSpec[] };

export interface PublishedCount {
  macs?: number;
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
