import { softmaxCrossEntropy } from "./loss.ts";
import type { Model } from "./model.ts";
import { Rng } from "./prng.ts";
import { Tensor } from "./tensor.ts";

/** One shard of a minibatch: contiguous images and labels plus the dropout stream it uses. */
export interface ShardInput {
  images: Float32Array;
  labels: Int32Array;
  /** Rng streams (seed, epoch, step, shard) for dropout masks. */
  rngSeed: number;
  rngStreams: number[];
}

export interface ShardResult {
  /** Gradient of the shard's mean loss (copy of model.gradData). */
  grad: Float32Array;
  /** Buffers (batchnorm running statistics) after the shard's forward pass. */
  buffers: Float32Array;
  count: number;
  lossSum: number;
  correct: number;
}

/**
 * Computes one shard's gradient from the given parameters and buffers. The same function runs
 * on the main thread and in workers, so a shard's result does not depend on where it runs.
 */
export function computeShard(
  model: Model,
  params: Float32Array,
  buffers: Float32Array,
  shard: ShardInput,
): ShardResult {
  model.paramData.set(params);
  model.bufferData.set(buffers);
  model.zeroGrad();
  const count = shard.labels.length;
  const x = new Tensor([count, ...model.spec.input], shard.images);
  const logits = model.forward(x, { train: true, rng: new Rng(shard.rngSeed, ...shard.rngStreams) });
  const { loss, grad, correct } = softmaxCrossEntropy(logits, shard.labels);
  model.backward(grad);
  return {
    grad: model.gradData.slice(),
    buffers: model.bufferData.slice(),
    count,
    lossSum: loss * count,
    correct,
  };
}
