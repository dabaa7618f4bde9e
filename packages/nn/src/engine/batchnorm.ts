import type { BackwardContext, ForwardContext, Layer, TensorDecl } from "./layer.ts";
import { Tensor, shapeSize } from "./tensor.ts";

/** PyTorch defaults: running = (1 − momentum)·running + momentum·batch; eps inside the sqrt. */
export const BATCHNORM_MOMENTUM = 0.1;
export const BATCHNORM_EPS = 1e-5;

/**
 * Batch normalisation over channel 0 of the per-image shape ([C, H, W] per channel over N·H·W,
 * or [F] per feature over N). Train mode normalises with the batch mean and biased variance and
 * updates the running statistics (running variance with the unbiased batch variance); eval mode
 * uses the running statistics. Tensors: gamma, beta (params), runningMean, runningVar (buffers).
 */
export class BatchNorm implements Layer {
  readonly type = "batchnorm";
  readonly label: string;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  gamma!: Float32Array;
  beta!: Float32Array;
  runningMean!: Float32Array;
  runningVar!: Float32Array;
  private gammaGrad!: Float32Array;
  private betaGrad!: Float32Array;
  private xhat: Float32Array = new Float32Array(0);
  private invStd: Float64Array;
  private batch = 0;
  private trained = false;

  constructor(name: string, inShape: readonly number[]) {
    if (inShape.length < 1) throw new Error(`batchnorm ${name}: input needs a channel dimension`);
    this.label = name;
    this.inShape = [...inShape];
    this.outShape = [...inShape];
    this.invStd = new Float64Array(inShape[0]);
  }

  declare(): TensorDecl[] {
    const C = this.inShape[0],
      n = this.label;
    return [
      { name: `${n}.gamma`, shape: [C], kind: "param", init: (o) => o.fill(1) },
      { name: `${n}.beta`, shape: [C], kind: "param", init: (o) => o.fill(0) },
      { name: `${n}.runningMean`, shape: [C], kind: "buffer", init: (o) => o.fill(0) },
      { name: `${n}.runningVar`, shape: [C], kind: "buffer", init: (o) => o.fill(1) },
    ];
  }

  bind(values: Float32Array[], grads: (Float32Array | null)[]): void {
    [this.gamma, this.beta, this.runningMean, this.runningVar] = values;
    this.gammaGrad = grads[0]!;
    this.betaGrad = grads[1]!;
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    const C = this.inShape[0],
      HW = shapeSize(this.inShape) / C,
      N = x.batch;
    if (x.itemSize !== C * HW)
      throw new Error(
        `batchnorm ${this.label}: expected input [N, ${this.inShape.join(", ")}], got [${x.shape.join(", ")}]`,
      );
    const y = new Tensor(x.shape);
    if (this.xhat.length !== x.size) this.xhat = new Float32Array(x.size);
    const xd = x.data,
      yd = y.data,
      xh = this.xhat,
      m = N * HW;
    for (let c = 0; c < C; c++) {
      let mean: number, invStd: number;
      if (ctx.train) {
        let s = 0;
        for (let n = 0; n < N; n++) for (let i = 0, o = (n * C + c) * HW; i < HW; i++) s += xd[o + i];
        mean = s / m;
        let v = 0;
        for (let n = 0; n < N; n++)
          for (let i = 0, o = (n * C + c) * HW; i < HW; i++) {
            const d = xd[o + i] - mean;
            v += d * d;
          }
        const varBiased = v / m;
        invStd = 1 / Math.sqrt(varBiased + BATCHNORM_EPS);
        const unbiased = m > 1 ? v / (m - 1) : varBiased;
        this.runningMean[c] = (1 - BATCHNORM_MOMENTUM) * this.runningMean[c] + BATCHNORM_MOMENTUM * mean;
        this.runningVar[c] = (1 - BATCHNORM_MOMENTUM) * this.runningVar[c] + BATCHNORM_MOMENTUM * unbiased;
      } else {
        mean = this.runningMean[c];
        invStd = 1 / Math.sqrt(this.runningVar[c] + BATCHNORM_EPS);
      }
      this.invStd[c] = invStd;
      const g = this.gamma[c],
        b = this.beta[c];
      for (let n = 0; n < N; n++) {
        for (let i = 0, o = (n * C + c) * HW; i < HW; i++) {
          const h = (xd[o + i] - mean) * invStd;
          xh[o + i] = h;
          yd[o + i] = g * h + b;
        }
      }
    }
    this.batch = N;
    this.trained = ctx.train;
    return y;
  }

  backward(dy: Tensor, _ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    const C = this.inShape[0],
      HW = shapeSize(this.inShape) / C,
      N = this.batch,
      m = N * HW;
    const dd = dy.data,
      xh = this.xhat;
    const dx = needInputGrad ? new Tensor(dy.shape) : null;
    for (let c = 0; c < C; c++) {
      let sdy = 0,
        sdyx = 0;
      for (let n = 0; n < N; n++) {
        for (let i = 0, o = (n * C + c) * HW; i < HW; i++) {
          sdy += dd[o + i];
          sdyx += dd[o + i] * xh[o + i];
        }
      }
      this.gammaGrad[c] += sdyx;
      this.betaGrad[c] += sdy;
      if (!dx) continue;
      const k = this.gamma[c] * this.invStd[c];
      for (let n = 0; n < N; n++) {
        for (let i = 0, o = (n * C + c) * HW; i < HW; i++) {
          // train: dx = γ·invStd·(dy − mean(dy) − x̂·mean(dy·x̂)); eval: statistics are constants.
          dx.data[o + i] = this.trained ? k * (dd[o + i] - sdy / m - xh[o + i] * (sdyx / m)) : k * dd[o + i];
        }
      }
    }
    return dx;
  }
}
