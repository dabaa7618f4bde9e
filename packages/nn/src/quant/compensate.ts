import { isScArithmetic, scSchemeOf } from "./arithmetic.ts";
import { wasmBackend, type IntegerBackend } from "./backend.ts";
import type { Act } from "./float-ops.ts";
import {
  accumulatorUnit,
  layerAccumulate,
  layerKernelWeights,
  quantizedLayerForward,
  quantizeLayerInput,
  scBitsOf,
  type ScOptions,
} from "./layer-forward.ts";
import type { QuantizedLayer, QuantizedNetwork } from "./quantized-network.ts";
import { walkLayers } from "./walk.ts";

/** Per SC layer: the accumulator preset (whole counts per output channel) that cancels the mean SC error. */
export type ScBiasPresets = Record<string, Int32Array>;

/**
 * SC bias compensation. A BISC product count overshoots x·w/2^N by about ¼ LSB on average, so a
 * dot product of K products drifts by about K/4 counts. This measures, on `images` (calibration
 * images from the validation split), each SC layer's mean accumulator error per output channel,
 * mean over images and positions of (SC count − exact x·w/2^N of the same integers), and returns a
 * network whose SC layers subtract it: an integer preset of the up/down counter per channel,
 * round(−mean error), folded into the float bias as preset · accumulator unit. Layers are measured
 * in order, each with the inputs the already-compensated layers before it produce. fixed and
 * float32 layers are unchanged. Deterministic.
 */
export function compensateScBias(
  qnet: QuantizedNetwork,
  images: Float32Array,
  opts: { backend?: IntegerBackend } = {},
): { qnet: QuantizedNetwork; presets: ScBiasPresets } {
  const backend = opts.backend ?? wasmBackend;
  const [C, H, W] = qnet.spec.input;
  const per = C * H * W;
  if (images.length === 0 || images.length % per !== 0)
    throw new RangeError(`compensateScBias: images length ${images.length} is not a positive multiple of ${per}`);
  const sc: ScOptions = { lfsrSeed: qnet.config.lfsrSeed, lfsrSeedW: qnet.config.lfsrSeedW };
  const layers: Record<string, QuantizedLayer> = { ...qnet.layers };
  const presets: ScBiasPresets = {};
  const x: Act = { data: images, shape: [images.length / per, C, H, W] };
  walkLayers(qnet.spec.layers, x, (layer, a) => {
    const q = layers[layer.name];
    if (!q) throw new RangeError(`compensateScBias: layer ${layer.name} is not in the quantised network`);
    if (!isScArithmetic(q.arithmetic)) return quantizedLayerForward(q, a, backend, sc);
    scSchemeOf(q.arithmetic); // throws for a non-SC arithmetic name
    const xInt = quantizeLayerInput(q, a.data);
    const { acc, shape } = layerAccumulate(q, xInt, a.shape, backend, sc);
    const exact = layerAccumulate({ ...q, arithmetic: "fixed", wInt: layerKernelWeights(q) }, xInt, a.shape, backend);
    const K = shape[1];
    const inner = acc.length / (shape[0] * K);
    const sum = new Float64Array(K);
    const twoN = 2 ** scBitsOf(q);
    for (let n = 0; n < shape[0]; n++)
      for (let k = 0; k < K; k++) {
        const o = (n * K + k) * inner;
        let s = 0;
        for (let i = 0; i < inner; i++) s += acc[o + i] - exact.acc[o + i] / twoN;
        sum[k] += s;
      }
    const preset = new Int32Array(K);
    const unit = accumulatorUnit(q);
    const bias = q.bias.slice();
    for (let k = 0; k < K; k++) {
      preset[k] = -Math.round(sum[k] / (shape[0] * inner));
      bias[k] += preset[k] * unit[k];
    }
    presets[layer.name] = preset;
    const comp: QuantizedLayer = { ...q, bias };
    layers[layer.name] = comp;
    return quantizedLayerForward(comp, a, backend, sc);
  });
  return { qnet: { ...qnet, layers }, presets };
}
