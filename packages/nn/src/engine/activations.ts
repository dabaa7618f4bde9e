import type { BackwardContext, ForwardContext, Layer, TensorDecl } from "./layer.ts";
import { Tensor } from "./tensor.ts";

/**
 * ReLU (cap = Infinity) or ReLU6 (cap = 6): y = min(max(x, 0), cap); gradient 1 where 0 < x < cap.
 * ReLU runs on the kernels' `relu` where they have one (the WebAssembly module; the same bits) and
 * the tensor has at least its `minLength` values; otherwise these loops.
 */
export class Clamp implements Layer {
  readonly type: "relu" | "relu6";
  readonly label: string;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  private readonly cap: number;
  private x: Float32Array | null = null;

  constructor(type: "relu" | "relu6", shape: readonly number[]) {
    this.type = type;
    this.label = type;
    this.cap = type === "relu" ? Infinity : 6;
    this.inShape = [...shape];
    this.outShape = [...shape];
  }

  declare(): TensorDecl[] {
    return [];
  }
  bind(): void {}

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    this.x = x.data;
    const k = ctx.kernels.relu;
    if (this.cap === Infinity && k && x.size >= k.minLength) return new Tensor(x.shape, k.forward(x.data));
    const y = new Tensor(x.shape);
    const cap = this.cap,
      xd = x.data,
      yd = y.data,
      n = xd.length;
    if (cap === Infinity) {
      for (let i = 0; i < n; i++) {
        const v = xd[i];
        if (v > 0) yd[i] = v;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = xd[i];
        if (v > 0) yd[i] = v < cap ? v : cap;
      }
    }
    return y;
  }

  backward(dy: Tensor, ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    const x = this.x;
    if (!x) throw new Error(`${this.type}: backward called before forward`);
    const k = ctx.kernels.relu;
    if (this.cap === Infinity && k && x.length >= k.minLength) return new Tensor(dy.shape, k.backward(x, dy.data));
    const dx = new Tensor(dy.shape);
    const cap = this.cap,
      dd = dy.data,
      out = dx.data,
      n = x.length;
    if (cap === Infinity) {
      for (let i = 0; i < n; i++) if (x[i] > 0) out[i] = dd[i];
    } else {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v > 0 && v < cap) out[i] = dd[i];
      }
    }
    return dx;
  }
}

/** Sigmoid 1/(1+e^−x) or tanh, elementwise; the gradient comes from the output. */
export class Squash implements Layer {
  readonly type: "sigmoid" | "tanh";
  readonly label: string;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  private y: Float32Array | null = null;

  constructor(type: "sigmoid" | "tanh", shape: readonly number[]) {
    this.type = type;
    this.label = type;
    this.inShape = [...shape];
    this.outShape = [...shape];
  }

  declare(): TensorDecl[] {
    return [];
  }
  bind(): void {}

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    const y = new Tensor(x.shape);
    const xd = x.data,
      yd = y.data;
    if (this.type === "sigmoid") for (let i = 0; i < xd.length; i++) yd[i] = 1 / (1 + Math.exp(-xd[i]));
    else for (let i = 0; i < xd.length; i++) yd[i] = Math.tanh(xd[i]);
    this.y = yd;
    return y;
  }

  backward(dy: Tensor, _ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    const y = this.y;
    if (!y) throw new Error(`${this.type}: backward called before forward`);
    const dx = new Tensor(dy.shape);
    const dd = dy.data,
      out = dx.data;
    if (this.type === "sigmoid") for (let i = 0; i < y.length; i++) out[i] = dd[i] * y[i] * (1 - y[i]);
    else for (let i = 0; i < y.length; i++) out[i] = dd[i] * (1 - y[i] * y[i]);
    return dx;
  }
}
