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

/** Channel concatenation: every branch reads x; y joins their outputs on channel 0 (per image). */
export class Concat implements Layer {
  readonly type = "concat";
  readonly label = "concat";
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  /** Elements per image of each branch's output. */
  private readonly sizes: number[];

  constructor(readonly branches: Sequential[]) {
    if (branches.length < 2) throw new Error("concat: needs at least two branches");
    const rest = (s: readonly number[]) => s.slice(1).join(",");
    const first = branches[0].outShape;
    for (const [k, b] of branches.entries())
      if (b.outShape.length !== first.length || rest(b.outShape) !== rest(first))
        throw new Error(
          `concat: branch ${k} output [${b.outShape}] does not match branch 0 [${first}] beyond channel 0`,
        );
    this.inShape = [...branches[0].inShape];
    this.outShape = [branches.reduce((a, b) => a + b.outShape[0], 0), ...first.slice(1)];
    this.sizes = branches.map((b) => b.outShape.reduce((a, d) => a * d, 1));
  }

  declare(): TensorDecl[] {
    return [];
  }
  bind(): void {}

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    const outs = this.branches.map((b) => b.forward(x, ctx));
    const N = x.batch,
      total = this.sizes.reduce((a, b) => a + b, 0);
    const y = new Tensor([N, ...this.outShape]);
    for (let n = 0; n < N; n++) {
      let o = n * total;
      outs.forEach((t, k) => {
        const sz = this.sizes[k];
        y.data.set(t.data.subarray(n * sz, (n + 1) * sz), o);
        o += sz;
      });
    }
    return y;
  }

  backward(dy: Tensor, ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    const N = dy.batch,
      total = this.sizes.reduce((a, b) => a + b, 0);
    let dx: Tensor | null = null;
    let offset = 0;
    this.branches.forEach((b, k) => {
      const sz = this.sizes[k];
      const part = new Tensor([N, ...b.outShape]);
      for (let n = 0; n < N; n++) part.data.set(dy.data.subarray(n * total + offset, n * total + offset + sz), n * sz);
      offset += sz;
      const g = b.backward(part, ctx, needInputGrad);
      if (!needInputGrad || !g) return;
      if (!dx) dx = new Tensor(g.shape);
      const d = (dx as Tensor).data;
      for (let i = 0; i < d.length; i++) d[i] += g.data[i];
    });
    return needInputGrad ? dx : null;
  }
}
