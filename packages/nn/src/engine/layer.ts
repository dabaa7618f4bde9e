import type { Kernels } from "./gemm.ts";
import type { Rng } from "./prng.ts";
import type { Tensor } from "./tensor.ts";

/** A trainable tensor: a view into the model's flat parameter array and its gradient. */
export interface Param {
  /** Key in the weight record, e.g. "c1.weight", "bn1.gamma". */
  name: string;
  shape: number[];
  value: Float32Array;
  grad: Float32Array;
}

/** A non-trained state tensor (batchnorm running statistics). */
export interface Buffer {
  name: string;
  shape: number[];
  value: Float32Array;
}

/** Storage request of a layer: the model allocates all of them in one flat array. */
export interface TensorDecl {
  name: string;
  shape: number[];
  kind: "param" | "buffer";
  /** Initial values (filled in spec order from the model's seeded Rng). */
  init: (out: Float32Array, rng: Rng) => void;
}

export interface ForwardContext {
  train: boolean;
  kernels: Kernels;
  /** Source of dropout masks. */
  rng: Rng;
}

export interface BackwardContext {
  kernels: Kernels;
}

export interface Layer {
  readonly type: string;
  /** Spec name for conv, linear and batchnorm; otherwise the type. */
  readonly label: string;
  /** Per-image shapes (no batch dimension). */
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  /** Tensors this layer owns (empty for parameter-free layers). */
  declare(): TensorDecl[];
  /** Receives views into the model's flat arrays, in declare() order. */
  bind(values: Float32Array[], grads: (Float32Array | null)[]): void;
  forward(x: Tensor, ctx: ForwardContext): Tensor;
  /**
   * Accumulates parameter gradients and returns dL/dx, or null when `needInputGrad` is false
   * (the first layer of a model does not need it).
   */
  backward(dy: Tensor, ctx: BackwardContext, needInputGrad: boolean): Tensor | null;
}
