import type { LayerSpec, NetworkSpec } from "../spec.ts";

export interface FoldedNetwork {
  /** The spec with each batch norm that directly follows a conv/linear removed (its layer gets a bias). */
  spec: NetworkSpec;
  weights: Record<string, Float32Array>;
}

function outCount(layer: Extract<LayerSpec, { type: "conv" } | { type: "linear" }>): number {
  return layer.type === "conv" ? layer.outChannels : layer.outFeatures;
}

/**
 * Folds every batch norm that directly follows a conv or linear layer into that layer:
 * w' = w·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β. A batch norm anywhere else
 * stays (the runtime applies it in float). The input weights are not modified.
 */
export function foldBatchNorm(spec: NetworkSpec, weights: Record<string, Float32Array>, eps = 1e-5): FoldedNetwork {
  const out: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(weights)) out[k] = v;
  const foldList = (layers: LayerSpec[], path: string): LayerSpec[] => {
    const result: LayerSpec[] = [];
    layers.forEach((layer, i) => {
      const prev = result[result.length - 1];
      if (layer.type === "batchnorm" && prev && (prev.type === "conv" || prev.type === "linear")) {
        const K = outCount(prev);
        const get = (key: string): Float32Array => {
          const t = weights[`${layer.name}.${key}`];
          if (!t)
            throw new RangeError(
              `foldBatchNorm: ${path}[${i}] (batchnorm ${layer.name}) has no weight ${layer.name}.${key}`,
            );
          if (t.length !== K)
            throw new RangeError(
              `foldBatchNorm: ${layer.name}.${key} has length ${t.length}, ${prev.name} has ${K} outputs`,
            );
          return t;
        };
        const gamma = get("gamma"),
          beta = get("beta"),
          mean = get("runningMean"),
          variance = get("runningVar");
        const w = weights[`${prev.name}.weight`];
        if (!w) throw new RangeError(`foldBatchNorm: weight ${prev.name}.weight is missing`);
        const per = w.length / K;
        const b = prev.bias === false ? undefined : weights[`${prev.name}.bias`];
        const w2 = new Float32Array(w.length);
        const b2 = new Float32Array(K);
        for (let k = 0; k < K; k++) {
          const a = gamma[k] / Math.sqrt(variance[k] + eps);
          for (let j = k * per; j < (k + 1) * per; j++) w2[j] = w[j] * a;
          b2[k] = ((b ? b[k] : 0) - mean[k]) * a + beta[k];
        }
        out[`${prev.name}.weight`] = w2;
        out[`${prev.name}.bias`] = b2;
        for (const key of ["gamma", "beta", "runningMean", "runningVar"]) delete out[`${layer.name}.${key}`];
        result[result.length - 1] = { ...prev, bias: true };
        return;
      }
      if (layer.type === "residual") {
        result.push({
          ...layer,
          body: foldList(layer.body, `${path}[${i}].body`),
          ...(layer.shortcut ? { shortcut: foldList(layer.shortcut, `${path}[${i}].shortcut`) } : {}),
        });
        return;
      }
      if (layer.type === "concat") {
        result.push({ ...layer, branches: layer.branches.map((b, k) => foldList(b, `${path}[${i}].branches[${k}]`)) });
        return;
      }
      result.push(layer);
    });
    return result;
  };
  return { spec: { ...spec, layers: foldList(spec.layers, "layers") }, weights: out };
}
