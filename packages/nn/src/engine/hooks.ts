/**
 * Layer hooks: how quantisation-aware and SC-aware training plug into conv and linear layers.
 * Set them with `model.setLayerHooks(name, hooks)` (null clears them). All three are optional and
 * act only in conv and linear layers; the contract below is stable.
 *
 * Forward pass of a hooked layer (x = layer input, w = float weight):
 *
 *     xq = inputTransform ? inputTransform(x, info) : x        // e.g. activation fake-quant
 *     wq = weightTransform ? weightTransform(w, info) : w      // e.g. weight fake-quant
 *     y  = forwardOverride ? forwardOverride(xq, wq, info)     // e.g. SC (BISC) products
 *                          : conv/linear(xq, wq) + bias
 *
 * Backward pass (straight-through estimators):
 * - The layer's float gradients are computed from the transformed operands: dL/dwq = f(dy, xq),
 *   dL/dxq = g(dy, wq), dL/dbias = Σ dy — also when forwardOverride replaced the value of y
 *   (STE for SC products: the override's output is treated as if it were conv/linear(xq, wq)+bias).
 * - weightTransform is straight-through: dL/dw := dL/dwq.
 * - inputTransform is straight-through: dL/dx := dL/dxq, except that when it returns
 *   `{ value, clipLo, clipHi }` the gradient is zeroed where x < clipLo or x > clipHi (the clipped
 *   STE of fake quantisation).
 *
 * Rules for hook functions:
 * - Return a new array (or the same one unchanged); never modify `w` in place — it is the trained
 *   parameter. `x` may not be modified either.
 * - weightTransform returns an array of w's length (shape conv [K, C/groups, R, S], linear
 *   [out, in]); inputTransform one of x's length; forwardOverride one of the layer output's length
 *   (N·K·P·Q for conv in NCHW, N·out for linear), bias included.
 * - A hook may be used as an observer (e.g. collect activation ranges for calibration) by
 *   returning its input unchanged.
 * - Data-parallel training (train.ts) runs shards in worker threads, which cannot receive
 *   functions. With hooks set on the model, `train` computes all shards on the main thread unless
 *   `config.hooksModule` names a module whose export installs the same hooks in each worker; since
 *   results depend only on the shard count (not on the thread count), both give identical weights
 *   as long as the hooks are pure functions of their arguments.
 */
import type { Tensor } from "./tensor.ts";

export interface LayerInfo {
  /** Layer name from the spec (the weight keys are `${name}.weight`, `${name}.bias`). */
  name: string;
  type: "conv" | "linear";
  /** Per-image input and output shapes: conv [C, H, W] → [K, P, Q]; linear [in] → [out]. */
  inShape: readonly number[];
  outShape: readonly number[];
  /** Weight shape: conv [K, C/groups, R, S]; linear [out, in]. */
  weightShape: readonly number[];
  /** Conv only (linear: kernel [1, 1], stride 1, padding 0, groups 1). */
  kernel: readonly [number, number];
  stride: number;
  padding: number;
  groups: number;
  /** The layer's bias (float, not transformed), or null when the layer has none. */
  bias: Float32Array | null;
  /** Whether the current forward pass is a training pass. */
  train: boolean;
}

export type InputTransformResult = Float32Array | { value: Float32Array; clipLo: number; clipHi: number };

export interface LayerHooks {
  weightTransform?: (w: Float32Array, info: LayerInfo) => Float32Array;
  inputTransform?: (x: Float32Array, info: LayerInfo) => InputTransformResult;
  /** xq: the (transformed) input batch, NCHW [N, C, H, W] for conv, [N, in] for linear. */
  forwardOverride?: (xq: Tensor, wq: Float32Array, info: LayerInfo) => Float32Array;
}
