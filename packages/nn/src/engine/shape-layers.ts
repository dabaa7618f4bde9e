import type { BackwardContext, ForwardContext, Layer, TensorDecl } from "./layer.ts";
import type { Rng } from "./prng.ts";
import { Tensor, shapeSize } from "./tensor.ts";

/** Flatten: any per-image shape → [product of dims] (data unchanged). */
export class Flatten implements Layer {
  readonly type = "flatten";
  readonly label = "flatten";
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];

  constructor(inShape: readonly number[]) {
    this.inShape = [...inShape];
    this.outShape = [shapeSize(inShape)];
  }

  declare(): TensorDecl[] {
    return [];
  }
  bind(): void {}

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return new Tensor([x.batch, this.outShape[0]], x.data);
  }

  backward(dy: Tensor, _ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    return needInputGrad ? new Tensor([dy.batch, ...this.inShape], dy.data) : null;
  }
}

/**
 * Inverted dropout: in training, each element is zeroed with probability p and the rest scaled by
 * 1/(1 − p); identity in eval. Masks are drawn from the forward context's seeded Rng.
 */
export class Dropout implements Layer {
  readonly type = "dropout";
  readonly label = "dropout";
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  private mask: Float32Array | null = null;

  constructor(
    inShape: readonly number[],
    readonly p: number,
  ) {
    if (!(p >= 0 && p < 1)) throw new Error(`dropout: p must be in [0, 1), got ${p}`);
    this.inShape = [...inShape];
    this.outShape = [...inShape];
  }

  declare(): TensorDecl[] {
    return [];
  }
  bind(): void {}

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    if (!ctx.train || this.p === 0) {
      this.mask = null;
      return x;
    }
    const mask = new Float32Array(x.size);
    const scale = 1 / (1 - this.p);
    const rng: Rng = ctx.rng;
    for (let i = 0; i < mask.length; i++) mask[i] = rng.float() < this.p ? 0 : scale;
    this.mask = mask;
    const y = new Tensor(x.shape);
    for (let i = 0; i < mask.length; i++) y.data[i] = x.data[i] * mask[i];
    return y;
  }

  backward(dy: Tensor, _ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    if (!this.mask) return dy;
    const dx = new Tensor(dy.shape);
    for (let i = 0; i < dx.size; i++) dx.data[i] = dy.data[i] * this.mask[i];
    return dx;
  }
}
