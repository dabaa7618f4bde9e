import type { LayerHooks, LayerInfo } from "../engine/hooks.ts";
import type { Tensor } from "../engine/tensor.ts";
import { wasmBackend, type IntegerBackend } from "./backend.ts";
import { layerAccumulate, quantizeLayerInput, rescale, accumulatorUnit, type ScOptions } from "./layer-forward.ts";
import type { QuantizedLayer, QuantizedNetwork } from "./quantized-network.ts";
import { fakeQuantizeTensor, fakeQuantizeWeights, quantizeWeights } from "./quantize.ts";

/**
 * Fine-tuning hooks for one conv/linear layer of a (batch-norm-folded) model, built from the
 * layer's quantisation settings (arithmetic, bitsW, bitsA, aScale, aSigned):
 *
 * - inputTransform: fake-quantise the input at the fixed activation scale, clipped STE
 *   (gradient zero outside [−clip, clip], or [0, clip] for unsigned inputs);
 * - weightTransform: fake-quantise the current float weights (max-abs scale recomputed every
 *   step, per layer or per channel), STE;
 * - forwardOverride (SC arithmetics only): the layer output computed with the SC kernel on the
 *   integers behind xq and wq, rescaled to float, bias added — the backward pass then uses the
 *   float gradients of the fake-quantised layer (STE for SC products).
 *
 * `fixed` gets no override: fake-quantised float products equal exact integer products up to
 * float rounding (quantisation-aware training). `float32` layers get no hooks.
 */
export function fineTuneHooks(
  layer: QuantizedLayer,
  opts: { perChannel?: boolean; backend?: IntegerBackend; sc?: ScOptions } = {},
): LayerHooks | null {
  if (layer.arithmetic === "float32") return null;
  const perChannel = opts.perChannel ?? false;
  const backend = opts.backend ?? wasmBackend;
  const clip = layer.aScale * (2 ** layer.bitsA - 1);
  const K = layer.wShape[0];
  const hooks: LayerHooks = {
    inputTransform: (x) => ({
      value: fakeQuantizeTensor(x, layer.aScale, layer.bitsA, layer.aSigned),
      clipLo: layer.aSigned ? -clip : 0,
      clipHi: clip,
    }),
    weightTransform: (w) => fakeQuantizeWeights(w, K, layer.bitsW, perChannel),
  };
  if (layer.arithmetic !== "fixed") {
    hooks.forwardOverride = (xq: Tensor, wq: Float32Array, info: LayerInfo): Float32Array => {
      // Recover the integers behind the fake-quantised operands: the weight scales are those
      // weightTransform used (max |wq| of a channel is exactly (2^bitsW − 1)·scale).
      const { q: wInt, scales: wScale } = quantizeWeights(wq, K, layer.bitsW, perChannel);
      const step: QuantizedLayer = { ...layer, wInt, wScale, bias: info.bias ?? new Float32Array(K) };
      const xShape = Array.from(xq.shape);
      const xInt = quantizeLayerInput(step, xq.data);
      const { acc, shape } = layerAccumulate(step, xInt, xShape, backend, opts.sc);
      return rescale(acc, shape, accumulatorUnit(step), step.bias);
    };
  }
  return hooks;
}

/** Hooks for every quantised layer of a network, keyed by layer name (float32 layers omitted). */
export function fineTuneHooksFor(
  qnet: QuantizedNetwork,
  opts: { backend?: IntegerBackend } = {},
): Record<string, LayerHooks> {
  const out: Record<string, LayerHooks> = {};
  const sc = { lfsrSeed: qnet.config.lfsrSeed, lfsrSeedW: qnet.config.lfsrSeedW };
  for (const layer of Object.values(qnet.layers)) {
    const perChannel = qnet.config.layers?.[layer.name]?.perChannel ?? qnet.config.perChannel ?? false;
    const h = fineTuneHooks(layer, { perChannel, backend: opts.backend, sc });
    if (h) out[layer.name] = h;
  }
  return out;
}
