import { Tensor } from "./tensor.ts";

export interface LossResult {
  /** Mean cross-entropy over the batch (natural log). */
  loss: number;
  /** dL/dlogits of the mean loss, shape [N, classes]. */
  grad: Tensor;
  /** Number of rows whose arg-max equals the label (ties: first index). */
  correct: number;
}

/** Softmax cross-entropy of logits [N, classes] against integer labels, computed in float64 per row. */
export function softmaxCrossEntropy(logits: Tensor, labels: ArrayLike<number>): LossResult {
  const N = logits.batch,
    K = logits.itemSize;
  if (labels.length !== N) throw new Error(`softmaxCrossEntropy: ${labels.length} labels for a batch of ${N}`);
  const grad = new Tensor([N, K]);
  const z = logits.data,
    g = grad.data;
  let total = 0,
    correct = 0;
  const p = new Float64Array(K);
  for (let n = 0; n < N; n++) {
    const y = labels[n];
    if (!Number.isInteger(y) || y < 0 || y >= K)
      throw new Error(`softmaxCrossEntropy: label[${n}] = ${y} is outside [0, ${K})`);
    const o = n * K;
    let max = -Infinity,
      arg = 0;
    for (let k = 0; k < K; k++)
      if (z[o + k] > max) {
        max = z[o + k];
        arg = k;
      }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      p[k] = Math.exp(z[o + k] - max);
      sum += p[k];
    }
    total += Math.log(sum) - (z[o + y] - max);
    if (arg === y) correct++;
    for (let k = 0; k < K; k++) g[o + k] = (p[k] / sum - (k === y ? 1 : 0)) / N;
  }
  return { loss: N ? total / N : 0, grad, correct };
}
