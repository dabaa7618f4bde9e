/**
 * The latency model's view of a network: per conv/linear layer its Timeloop dimensions and the
 * magnitudes of the integer weights the quantised runtime uses (nn quantizeWeights: symmetric
 * max-abs, per layer or per channel; the sign is carried separately and does not affect BISC
 * latency). Fed with the batch-norm-folded layers of hardwareLayerWeights / networkLayerWeights,
 * this is the one place an SC workload is built from weights (issue 13).
 */
import type { LayerWorkload } from "@sccnn/cost";
import { quantizeWeights } from "@sccnn/nn";
import type { HardwareLayer } from "./hardware-weights.ts";

/** One layer's precision in a workload. */
export interface LayerBits {
  /** Magnitude bits the layer's weights are quantised to. */
  bitsW: number;
  /**
   * SC stream width the layer runs at (≥ bitsW; default bitsW): the runtime shifts the weight
   * magnitudes by 2^(runBits − bitsW) so the count operand has that length.
   */
  runBits?: number;
}

export interface HardwareWorkloadOptions {
  /** Max-abs scale per output channel (true) or one per layer (false). */
  perChannel: boolean;
  /** Images per pass (Timeloop dimension N; default 1). */
  batch?: number;
}

/**
 * The workload of `layers` at `bits` (one N for every layer, or one LayerBits per layer, in order).
 */
export function hardwareWorkload(
  layers: readonly HardwareLayer[],
  bits: number | readonly LayerBits[],
  options: HardwareWorkloadOptions,
): LayerWorkload[] {
  if (typeof bits !== "number" && bits.length !== layers.length)
    throw new RangeError(`hardwareWorkload: ${bits.length} layer precisions for ${layers.length} layers`);
  const batch = options.batch ?? 1;
  return layers.map(({ stats: s, weights: w }, i) => {
    const p: LayerBits = typeof bits === "number" ? { bitsW: bits } : bits[i]!;
    const runBits = p.runBits ?? p.bitsW;
    if (!Number.isInteger(runBits) || runBits < p.bitsW)
      throw new RangeError(`hardwareWorkload: layer ${s.name} runs at ${runBits} bits, below its bitsW ${p.bitsW}`);
    const { q } = quantizeWeights(w, s.K, p.bitsW, options.perChannel);
    const shift = 2 ** (runBits - p.bitsW);
    const magnitudes = new Uint16Array(q.length);
    for (let k = 0; k < q.length; k++) magnitudes[k] = Math.abs(q[k]!) * shift;
    return {
      name: s.name,
      kind: s.type,
      dims: { N: batch, C: s.C, K: s.K, R: s.R, S: s.S, P: s.P, Q: s.Q },
      groups: s.groups,
      weightMagnitudes: magnitudes,
    };
  });
}
