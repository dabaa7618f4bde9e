import type { LayerHooks, LayerInfo } from "./hooks.ts";
import {
  applyInputTransform,
  applyWeightTransform,
  checkOverrideOutput,
  maskClippedGradient,
  type InputTransformState,
} from "./hook-apply.ts";
import type { BackwardContext, ForwardContext, Layer, TensorDecl } from "./layer.ts";
import { Tensor, shapeSize } from "./tensor.ts";
import { bindWeightBias, weightBiasDecls } from "./weight-params.ts";

/**
 * Fully connected layer y = x·Wᵀ + b. Any per-image input shape is read as a flat vector of
 * product(dims) features (as in shapes.ts). Weight [out, in], bias [out].
 * Init: Kaiming/He uniform, bound = sqrt(6 / in); bias 0.
 */
export class Linear implements Layer {
  readonly type = "linear";
  readonly label: string;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  readonly info: LayerInfo;
  hooks: LayerHooks | null = null;
  weight!: Float32Array;
  bias: Float32Array | null = null;
  weightGrad!: Float32Array;
  biasGrad: Float32Array | null = null;
  private readonly hasBias: boolean;
  private x: Float32Array | null = null;
  private wUsed: Float32Array | null = null;
  private inputState: InputTransformState | null = null;
  private batch = 0;

  constructor(name: string, inShape: readonly number[], outFeatures: number, bias: boolean) {
    if (!Number.isInteger(outFeatures) || outFeatures < 1)
      throw new Error(`linear ${name}: outFeatures must be a positive integer, got ${outFeatures}`);
    this.label = name;
    this.inShape = [...inShape];
    this.outShape = [outFeatures];
    this.hasBias = bias;
    const inF = shapeSize(inShape);
    this.info = {
      name,
      type: "linear",
      inShape: [inF],
      outShape: this.outShape,
      weightShape: [outFeatures, inF],
      kernel: [1, 1],
      stride: 1,
      padding: 0,
      groups: 1,
      bias: null,
      train: false,
    };
  }

  get inFeatures(): number {
    return this.info.inShape[0];
  }

  declare(): TensorDecl[] {
    const inF = this.inFeatures,
      outF = this.outShape[0];
    return weightBiasDecls(this.label, [outF, inF], inF, this.hasBias);
  }

  bind(values: Float32Array[], grads: (Float32Array | null)[]): void {
    bindWeightBias(this, values, grads, this.hasBias);
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    const inF = this.inFeatures,
      outF = this.outShape[0];
    const N = x.batch;
    if (x.itemSize !== inF)
      throw new Error(`linear ${this.label}: expected ${inF} input features, got input [${x.shape.join(", ")}]`);
    this.info.train = ctx.train;
    const xin = applyInputTransform(this.hooks, x.data, this.info);
    this.inputState = xin;
    const w = applyWeightTransform(this.hooks, this.weight, this.info);
    this.wUsed = w;
    this.x = xin.value;
    this.batch = N;
    const y = new Tensor([N, outF]);
    if (this.hooks?.forwardOverride) {
      const v = this.hooks.forwardOverride(new Tensor([N, inF], xin.value), w, this.info);
      checkOverrideOutput(this.label, v, y.size);
      y.data.set(v);
      return y;
    }
    ctx.kernels.gemm("nt", N, outF, inF, xin.value, w, y.data, false);
    if (this.bias) {
      for (let n = 0; n < N; n++) for (let o = 0; o < outF; o++) y.data[n * outF + o] += this.bias[o];
    }
    return y;
  }

  backward(dy: Tensor, ctx: BackwardContext, needInputGrad: boolean): Tensor | null {
    const x = this.x,
      w = this.wUsed;
    if (!x || !w) throw new Error(`linear ${this.label}: backward called before forward`);
    const N = this.batch,
      inF = this.inFeatures,
      outF = this.outShape[0];
    if (dy.size !== N * outF)
      throw new Error(`linear ${this.label}: gradient has ${dy.size} elements, expected ${N * outF}`);
    ctx.kernels.gemm("tn", outF, inF, N, dy.data, x, this.weightGrad, true);
    if (this.biasGrad) {
      for (let n = 0; n < N; n++) for (let o = 0; o < outF; o++) this.biasGrad[o] += dy.data[n * outF + o];
    }
    if (!needInputGrad) return null;
    const dx = new Tensor([N, ...this.inShape]);
    ctx.kernels.gemm("nn", N, inF, outF, dy.data, w, dx.data, false);
    maskClippedGradient(this.inputState, dx.data);
    return dx;
  }
}
