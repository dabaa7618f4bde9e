import type { LayerInfo } from "./hooks.ts";
import type { TensorDecl } from "./layer.ts";

/**
 * Parameters of a conv or linear layer: `${name}.weight` of `weightShape`, Kaiming/He uniform
 * (bound sqrt(6 / fanIn)), and when `bias` a zero-initialised `${name}.bias` of [weightShape[0]].
 */
export function weightBiasDecls(name: string, weightShape: number[], fanIn: number, bias: boolean): TensorDecl[] {
  const bound = Math.sqrt(6 / fanIn);
  const decls: TensorDecl[] = [
    {
      name: `${name}.weight`,
      shape: weightShape,
      kind: "param",
      init: (out, rng) => {
        for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-bound, bound);
      },
    },
  ];
  if (bias) decls.push({ name: `${name}.bias`, shape: [weightShape[0]], kind: "param", init: (out) => out.fill(0) });
  return decls;
}

/** The fields a conv or linear layer's bind() fills. */
export interface WeightBiasFields {
  weight: Float32Array;
  weightGrad: Float32Array;
  bias: Float32Array | null;
  biasGrad: Float32Array | null;
  readonly info: LayerInfo;
}

/** bind() for tensors declared by weightBiasDecls (values and grads in declaration order). */
export function bindWeightBias(
  layer: WeightBiasFields,
  values: Float32Array[],
  grads: (Float32Array | null)[],
  bias: boolean,
): void {
  layer.weight = values[0];
  layer.weightGrad = grads[0]!;
  if (bias) {
    layer.bias = values[1];
    layer.biasGrad = grads[1];
  }
  layer.info.bias = layer.bias;
}
