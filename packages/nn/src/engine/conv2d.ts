import type { LayerHooks, LayerInfo } from "./hooks.ts";
import {
  applyInputTransform,
  applyWeightTransform,
  checkOverrideOutput,
  maskClippedGradient,
  type InputTransformState,
} from "./hook-apply.ts";
import { convOutputSize, type ConvGeometry } from "@sccnn/sc-core";
import { col2im, im2col } from "./im2col.ts";
import type { BackwardContext, ForwardContext, Layer, TensorDecl } from "./layer.ts";
import { Tensor } from "./tensor.ts";
import { bindWeightBias, weightBiasDecls } from "./weight-params.ts";

export interface Conv2dOptions {
  name: string;
  inShape: readonly number[];
  outChannels: number;
  kernel: [number, number];
  stride: number;
  padding: number;
  groups: number;
  bias: boolean;
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch/ONNX) with stride, zero padding and groups,
 * computed as im2col + GEMM per group over the whole batch. Weight [K, C/groups, R, S], bias [K].
 * Init: Kaiming/He uniform, bound = sqrt(6 / fanIn) with fanIn = C/groups·R·S; bias 0.
 */
export class Conv2d implements Layer {
  readonly type = "conv";
  readonly label: string;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  readonly info: LayerInfo;
  hooks: LayerHooks | null = null;
  weight!: Float32Array;
  bias: Float32Array | null = null;
  weightGrad!: Float32Array;
  biasGrad: Float32Array | null = null;
  private readonly opts: Conv2dOptions;
  private cols: Float32Array[] = [];
  private colsValid = false;
  private geom: ConvGeometry | null = null;
  private wUsed: Float32Array | null = null;
  private inputState: InputTransformState | null = null;

  constructor(opts: Conv2dOptions) {
    const [C, H, W] = opts.inShape;
    const {
      name,
      outChannels: K,
      kernel: [R, S],
      stride,
      padding,
      groups,
    } = opts;
    if (opts.inShape.length !== 3)
      throw new Error(`conv ${name}: input must be [C, H, W], got [${opts.inShape.join(", ")}]`);
    for (const [k, v] of [
      ["outChannels", K],
      ["kernel", R],
      ["kernel", S],
      ["stride", stride],
      ["groups", groups],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`conv ${name}: ${k} must be a positive integer, got ${v}`);
    }
    if (!Number.isInteger(padding) || padding < 0)
      throw new Error(`conv ${name}: padding must be a non-negative integer, got ${padding}`);
    if (C % groups !== 0 || K % groups !== 0)
      throw new Error(`conv ${name}: groups ${groups} must divide input channels ${C} and outChannels ${K}`);
    const P = convOutputSize(H, R, stride, padding),
      Q = convOutputSize(W, S, stride, padding);
    if (P < 1 || Q < 1)
      throw new Error(`conv ${name}: kernel ${R}x${S} with padding ${padding} does not fit input ${H}x${W}`);
    this.opts = opts;
    this.label = name;
    this.inShape = [...opts.inShape];
    this.outShape = [K, P, Q];
    this.info = {
      name,
      type: "conv",
      inShape: this.inShape,
      outShape: this.outShape,
      weightShape: [K, C / groups, R, S],
      kernel: [R, S],
      stride,
      padding,
      groups,
      bias: null,
      train: false,
    };
  }

  declare(): TensorDecl[] {
    const {
      name,
      outChannels: K,
      groups,
      kernel: [R, S],
      bias,
    } = this.opts;
    const Cg = this.inShape[0] / groups;
    return weightBiasDecls(name, [K, Cg, R, S], Cg * R * S, bias);
  }

  bind(values: Float32Array[], grads: (Float32Array | null)[]): void {
    bindWeightBias(this, values, grads, this.opts.bias);
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    const [C, H, W] = this.inShape;
    const [K, P, Q] = this.outShape;
    const N = x.batch;
    if (x.itemSize !== C * H * W)
      throw new Error(`conv ${this.label}: expected input [N, ${C}, ${H}, ${W}], got [${x.shape.join(", ")}]`);
    const {
      groups,
      kernel: [R, S],
      stride,
      padding,
    } = this.opts;
    this.info.train = ctx.train;
    const xin = applyInputTransform(this.hooks, x.data, this.info);
    this.inputState = xin;
    const w = applyWeightTransform(this.hooks, this.weight, this.info);
    this.wUsed = w;
    const g: ConvGeometry = { N, C, H, W, K, R, S, P, Q, stride, padding, groups, Cg: C / groups, Kg: K / groups };
    this.geom = g;
    this.colsValid = false;
    if (this.hooks?.forwardOverride) {
      const v = this.hooks.forwardOverride(new Tensor(x.shape, xin.value), w, this.info);
      checkOverrideOutput(this.label, v, N * K * P * Q);
      return new Tensor([N, K, P, Q], Float32Array.from(v));
    }
    if (ctx.kernels.conv)
      return new Tensor([N, K, P, Q], ctx.kernels.conv.forward(xin.value, w, this.bias, g, groups, K));
    // Reference path: im2col of each group over the whole batch, GEMM, scatter to NCHW + bias.
    const Cg = C / groups,
      Kg = K / groups,
      CRS = Cg * R * S,
      PQ = P * Q,
      NPQ = N * PQ;
    const y = new Tensor([N, K, P, Q]);
    const out = new Float32Array(Kg * NPQ);
    this.fillCols(xin.value);
    for (let gi = 0; gi < groups; gi++) {
      ctx.kernels.gemm("nn", Kg, NPQ, CRS, w.subarray(gi * Kg * CRS, (gi + 1) * Kg * CRS), this.cols[gi], out, false);
      for (let k = 0; k < Kg; k++) {
        const kk = gi * Kg + k;
        const b = this.bias ? this.bias[kk] : 0;
        for (let n = 0; n < N; n++) {
          const src = k * NPQ + n * PQ,
            dst = (n * K + kk) * PQ;
          for (let i = 0; i < PQ; i++) y.data[dst + i] = out[src + i] + b;
        }
      }
    }
    return y;
  }

  /** im2col of every group of the last forward input into this.cols (kept for backward). */
  private fillCols(x: Float32Array): void {
    const g = this.geom!;
    const {
      groups,
      kernel: [R, S],
    } = this.opts;
    const Cg = g.C / groups,
      size = Cg * R * S * g.N * g.P * g.Q;
    if (this.cols.length !== groups || this.cols[0].length !== size)
      this.cols = Array.from({ length: groups }, () => new Float32Array(size));
    for (let gi = 0; gi < groups; gi++) im2col(x, g, gi * Cg, Cg, this.cols[gi]);
    this.colsValid = true;
  }

  backward(dy: Tensor, ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    const g = this.geom;
    const w = this.wUsed;
    if (!g || !w) throw new Error(`conv ${this.label}: backward called before forward`);
    const { N, C, P, Q, R, S } = g;
    const K = this.outShape[0];
    const { groups } = this.opts;
    const Cg = C / groups,
      Kg = K / groups,
      CRS = Cg * R * S,
      PQ = P * Q,
      NPQ = N * PQ;
    if (dy.size !== N * K * PQ)
      throw new Error(`conv ${this.label}: gradient has ${dy.size} elements, expected ${N * K * PQ}`);
    const xin = this.inputState!.value;
    if (ctx.kernels.conv) {
      const dxData = ctx.kernels.conv.backward(
        xin,
        w,
        dy.data,
        g,
        groups,
        K,
        this.weightGrad,
        this.biasGrad,
        needInputGrad,
      );
      const dxT = dxData ? new Tensor([N, ...this.inShape], dxData) : null;
      if (dxT) maskClippedGradient(this.inputState, dxT.data);
      return dxT;
    }
    if (!this.colsValid) this.fillCols(xin);
    const dyg = new Float32Array(Kg * NPQ);
    const dx = needInputGrad ? new Tensor([N, ...this.inShape]) : null;
    const dcol = needInputGrad ? new Float32Array(CRS * NPQ) : null;
    for (let gi = 0; gi < groups; gi++) {
      for (let k = 0; k < Kg; k++) {
        const kk = gi * Kg + k;
        let bsum = 0;
        for (let n = 0; n < N; n++) {
          const src = (n * K + kk) * PQ,
            dst = k * NPQ + n * PQ;
          for (let i = 0; i < PQ; i++) {
            const v = dy.data[src + i];
            dyg[dst + i] = v;
            bsum += v;
          }
        }
        if (this.biasGrad) this.biasGrad[kk] += bsum;
      }
      ctx.kernels.gemm(
        "nt",
        Kg,
        CRS,
        NPQ,
        dyg,
        this.cols[gi],
        this.weightGrad.subarray(gi * Kg * CRS, (gi + 1) * Kg * CRS),
        true,
      );
      if (dx && dcol) {
        ctx.kernels.gemm("tn", CRS, NPQ, Kg, w.subarray(gi * Kg * CRS, (gi + 1) * Kg * CRS), dyg, dcol, false);
        col2im(dcol, g, gi * Cg, Cg, dx.data);
      }
    }
    if (dx) maskClippedGradient(this.inputState, dx.data);
    return dx;
  }
}
