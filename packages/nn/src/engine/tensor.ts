/** A dense float32 tensor, row-major. Feature maps are NCHW; a batch of vectors is [N, F]. */
export class Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;

  constructor(shape: readonly number[], data?: Float32Array) {
    for (const [i, d] of shape.entries()) {
      if (!Number.isInteger(d) || d < 0)
        throw new Error(`Tensor shape[${i}]: expected a non-negative integer, got ${d}`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (data && data.length !== size) {
      throw new Error(`Tensor: data has ${data.length} elements but shape [${shape.join(", ")}] needs ${size}`);
    }
    this.shape = [...shape];
    this.data = data ?? new Float32Array(size);
  }

  get size(): number {
    return this.data.length;
  }

  /** Batch size (first dimension). */
  get batch(): number {
    return this.shape[0];
  }

  /** Elements per batch item. */
  get itemSize(): number {
    return this.shape[0] === 0 ? 0 : this.data.length / this.shape[0];
  }
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
