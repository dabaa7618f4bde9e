import type { BackwardContext, ForwardContext, Layer, TensorDecl } from "./layer.ts";
import { Tensor } from "./tensor.ts";

/** Layers applied in order; an empty sequence is the identity. */
export class Sequential implements Layer {
  readonly type = "sequential";
  readonly label = "sequential";
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];

  constructor(
    readonly layers: Layer[],
    inShape: readonly number[],
  ) {
    this.inShape = [...inShape];
    this.outShape = layers.length ? [...layers[layers.length - 1].outShape] : [...inShape];
  }

  declare(): TensorDecl[] {
    return [];
  }
  bind(): void {}

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    let h = x;
    for (const l of this.layers) h = l.forward(h, ctx);
    return h;
  }

  backward(dy: Tensor, ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    let g: Tensor | null = dy;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const need = i > 0 || needInputGrad;
      g = this.layers[i].backward(g!, ctx, need);
      if (!need) return null;
    }
    return g;
  }
}

/** y = body(x) + shortcut(x); the shortcut is the identity when empty. */
export class Residual implements Layer {
  readonly type = "residual";
  readonly label = "residual";
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];

  constructor(
    readonly body: Sequential,
    readonly shortcut: Sequential,
  ) {
    const a = body.outShape.join(","),
      b = shortcut.outShape.join(",");
    if (a !== b) throw new Error(`residual: body output [${a}] and shortcut output [${b}] differ`);
    this.inShape = [...body.inShape];
    this.outShape = [...body.outShape];
  }

  declare(): TensorDecl[] {
    return [];
  }
  bind(): void {}

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    const a = this.body.forward(x, ctx);
    const b = this.shortcut.forward(x, ctx);
    // A fresh output: a or b may share storage with x (identity shortcut, flatten, eval dropout).
    const y = new Tensor(a.shape);
    const ad = a.data,
      bd = b.data,
      yd = y.data;
    for (let i = 0; i < yd.length; i++) yd[i] = ad[i] + bd[i];
    return y;
  }

  backward(dy: Tensor, ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    const gb = this.body.backward(dy, ctx, needInputGrad);
    const gs = this.shortcut.backward(dy, ctx, needInputGrad);
    if (!needInputGrad || !gb || !gs) return null;
    const dx = new Tensor(gb.shape);
    const a = gb.data,
      b = gs.data,
      d = dx.data;
    for (let i = 0; i < d.length; i++) d[i] = a[i] + b[i];
    return dx;
  }
}
