import { convOutputSize } from "@sccnn/sc-core";
import type { BackwardContext, ForwardContext, Layer, TensorDecl } from "./layer.ts";
import { Tensor } from "./tensor.ts";

function poolShape(
  type: string,
  inShape: readonly number[],
  kernel: number,
  stride: number,
  padding: number,
): number[] {
  if (inShape.length !== 3) throw new Error(`${type}: input must be [C, H, W], got [${inShape.join(", ")}]`);
  if (!Number.isInteger(kernel) || kernel < 1)
    throw new Error(`${type}: kernel must be a positive integer, got ${kernel}`);
  if (!Number.isInteger(stride) || stride < 1)
    throw new Error(`${type}: stride must be a positive integer, got ${stride}`);
  if (!Number.isInteger(padding) || padding < 0 || 2 * padding > kernel)
    throw new Error(`${type}: padding must be an integer in [0, kernel/2], got ${padding}`);
  const [C, H, W] = inShape;
  const P = convOutputSize(H, kernel, stride, padding),
    Q = convOutputSize(W, kernel, stride, padding);
  if (P < 1 || Q < 1) throw new Error(`${type}: kernel ${kernel} with padding ${padding} does not fit input ${H}x${W}`);
  return [C, P, Q];
}

/**
 * Max pooling (floor mode; padded positions never win). Stride defaults to the kernel. The 2×2/2
 * case and the backward run on the kernels' `maxPool` where they have one (the WebAssembly module;
 * the same outputs and argmax) and the tensor is large enough; otherwise these loops.
 */
export class MaxPool implements Layer {
  readonly type = "maxpool";
  readonly label = "maxpool";
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  private argmax: Int32Array = new Int32Array(0);
  private batch = 0;

  constructor(
    inShape: readonly number[],
    readonly kernel: number,
    readonly stride: number,
    readonly padding: number,
  ) {
    this.inShape = [...inShape];
    this.outShape = poolShape("maxpool", inShape, kernel, stride, padding);
  }

  declare(): TensorDecl[] {
    return [];
  }
  bind(): void {}

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    const [C, H, W] = this.inShape,
      [, P, Q] = this.outShape;
    const N = x.batch,
      k = this.kernel,
      st = this.stride,
      pad = this.padding;
    if (x.itemSize !== C * H * W)
      throw new Error(`maxpool: expected input [N, ${C}, ${H}, ${W}], got [${x.shape.join(", ")}]`);
    const y = new Tensor([N, C, P, Q]);
    if (this.argmax.length !== y.size) this.argmax = new Int32Array(y.size);
    const xd = x.data,
      yd = y.data,
      am = this.argmax;
    if (k === 2 && st === 2 && pad === 0) {
      const kern = ctx.kernels.maxPool;
      if (kern && xd.length >= kern.minLength) kern.forward2x2(xd, N * C, H, W, P, Q, yd, am);
      else this.forward2x2(xd, yd, am, N * C, H, W, P, Q);
      this.batch = N;
      return y;
    }
    let o = 0;
    for (let nc = 0; nc < N * C; nc++) {
      const base = nc * H * W;
      for (let p = 0; p < P; p++) {
        const h0 = p * st - pad,
          hLo = Math.max(0, h0),
          hHi = Math.min(H, h0 + k);
        for (let q = 0; q < Q; q++, o++) {
          const w0 = q * st - pad,
            wLo = Math.max(0, w0),
            wHi = Math.min(W, w0 + k);
          let best = -Infinity,
            bi = base + hLo * W + wLo;
          for (let h = hLo; h < hHi; h++) {
            const row = base + h * W;
            for (let w = wLo; w < wHi; w++) {
              const v = xd[row + w];
              if (v > best) {
                best = v;
                bi = row + w;
              }
            }
          }
          yd[o] = best;
          am[o] = bi;
        }
      }
    }
    this.batch = N;
    return y;
  }

  /** Same result as the general loop (first maximum in row-major window order wins). */
  private forward2x2(
    xd: Float32Array,
    yd: Float32Array,
    am: Int32Array,
    NC: number,
    H: number,
    W: number,
    P: number,
    Q: number,
  ): void {
    let o = 0;
    for (let nc = 0; nc < NC; nc++) {
      const base = nc * H * W;
      for (let p = 0; p < P; p++) {
        let i0 = base + 2 * p * W;
        for (let q = 0; q < Q; q++, o++, i0 += 2) {
          let best = xd[i0],
            bi = i0;
          if (xd[i0 + 1] > best) {
            best = xd[i0 + 1];
            bi = i0 + 1;
          }
          if (xd[i0 + W] > best) {
            best = xd[i0 + W];
            bi = i0 + W;
          }
          if (xd[i0 + W + 1] > best) {
            best = xd[i0 + W + 1];
            bi = i0 + W + 1;
          }
          yd[o] = best;
          am[o] = bi;
        }
      }
    }
  }

  backward(dy: Tensor, ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    const shape = [this.batch, ...this.inShape];
    const kern = ctx.kernels.maxPool;
    if (kern && dy.size >= kern.minLength)
      return new Tensor(
        shape,
        kern.backward(
          this.argmax,
          dy.data,
          shape.reduce((a, b) => a * b, 1),
        ),
      );
    const dx = new Tensor(shape);
    const am = this.argmax,
      dd = dy.data,
      out = dx.data;
    for (let i = 0; i < dd.length; i++) out[am[i]] += dd[i];
    return dx;
  }
}

/**
 * Average pooling (floor mode). Padded zeros count in the divisor (divisor = kernel², PyTorch's
 * count_include_pad = true). Stride defaults to the kernel.
 */
export class AvgPool implements Layer {
  readonly type = "avgpool";
  readonly label = "avgpool";
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  private batch = 0;

  constructor(
    inShape: readonly number[],
    readonly kernel: number,
    readonly stride: number,
    readonly padding: number,
    /** Divide by the whole kernel area (padding counted, ONNX count_include_pad 1), else by the cells inside. */
    readonly countIncludePad = true,
  ) {
    this.inShape = [...inShape];
    this.outShape = poolShape("avgpool", inShape, kernel, stride, padding);
  }

  declare(): TensorDecl[] {
    return [];
  }
  bind(): void {}

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    const [C, H, W] = this.inShape,
      [, P, Q] = this.outShape;
    const N = x.batch,
      k = this.kernel,
      st = this.stride,
      pad = this.padding;
    if (x.itemSize !== C * H * W)
      throw new Error(`avgpool: expected input [N, ${C}, ${H}, ${W}], got [${x.shape.join(", ")}]`);
    const y = new Tensor([N, C, P, Q]);
    const inv = 1 / (k * k),
      xd = x.data,
      yd = y.data;
    let o = 0;
    for (let nc = 0; nc < N * C; nc++) {
      const base = nc * H * W;
      for (let p = 0; p < P; p++) {
        const h0 = p * st - pad,
          hLo = Math.max(0, h0),
          hHi = Math.min(H, h0 + k);
        for (let q = 0; q < Q; q++, o++) {
          const w0 = q * st - pad,
            wLo = Math.max(0, w0),
            wHi = Math.min(W, w0 + k);
          let s = 0;
          for (let h = hLo; h < hHi; h++) for (let w = wLo; w < wHi; w++) s += xd[base + h * W + w];
          yd[o] = this.countIncludePad ? s * inv : s / ((hHi - hLo) * (wHi - wLo));
        }
      }
    }
    this.batch = N;
    return y;
  }

  backward(dy: Tensor, _ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    const [C, H, W] = this.inShape,
      [, P, Q] = this.outShape;
    const k = this.kernel,
      st = this.stride,
      pad = this.padding;
    const dx = new Tensor([this.batch, ...this.inShape]);
    const inv = 1 / (k * k),
      dd = dy.data,
      out = dx.data;
    let o = 0;
    for (let nc = 0; nc < this.batch * C; nc++) {
      const base = nc * H * W;
      for (let p = 0; p < P; p++) {
        const h0 = p * st - pad,
          hLo = Math.max(0, h0),
          hHi = Math.min(H, h0 + k);
        for (let q = 0; q < Q; q++, o++) {
          const w0 = q * st - pad,
            wLo = Math.max(0, w0),
            wHi = Math.min(W, w0 + k);
          const g = this.countIncludePad ? dd[o] * inv : dd[o] / ((hHi - hLo) * (wHi - wLo));
          for (let h = hLo; h < hHi; h++) for (let w = wLo; w < wHi; w++) out[base + h * W + w] += g;
        }
      }
    }
    return dx;
  }
}

/** Global average pooling: [C, H, W] → [C, 1, 1] (as ONNX GlobalAveragePool). */
export class GlobalAvgPool implements Layer {
  readonly type = "gap";
  readonly label = "gap";
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  private batch = 0;

  constructor(inShape: readonly number[]) {
    if (inShape.length !== 3) throw new Error(`gap: input must be [C, H, W], got [${inShape.join(", ")}]`);
    this.inShape = [...inShape];
    this.outShape = [inShape[0], 1, 1];
  }

  declare(): TensorDecl[] {
    return [];
  }
  bind(): void {}

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    const [C, H, W] = this.inShape,
      HW = H * W,
      N = x.batch;
    if (x.itemSize !== C * HW)
      throw new Error(`gap: expected input [N, ${C}, ${H}, ${W}], got [${x.shape.join(", ")}]`);
    const y = new Tensor([N, C, 1, 1]);
    for (let nc = 0; nc < N * C; nc++) {
      let s = 0;
      for (let i = 0; i < HW; i++) s += x.data[nc * HW + i];
      y.data[nc] = s / HW;
    }
    this.batch = N;
    return y;
  }

  backward(dy: Tensor, _ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    const [C, H, W] = this.inShape,
      HW = H * W;
    const dx = new Tensor([this.batch, C, H, W]);
    for (let nc = 0; nc < this.batch * C; nc++) dx.data.fill(dy.data[nc] / HW, nc * HW, (nc + 1) * HW);
    return dx;
  }
}
