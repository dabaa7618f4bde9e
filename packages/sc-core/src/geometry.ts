/**
 * The one convolution geometry of the project (sc-core's kernels, nn's engine and quantised
 * runtime, cost's latency model all use it). Letters are Timeloop's:
 *
 *   N batch, C input channels, K output channels, R,S filter height/width,
 *   P,Q output height/width (and H,W input height/width).
 *
 * Weights are [K][C/groups][R][S] row-major; activations NCHW. A linear layer is the case
 * R = S = P = Q = H = W = 1.
 */

/** The loop bounds of one conv/linear layer, in Timeloop's letters. */
export interface ConvDims {
  N: number;
  C: number;
  K: number;
  R: number;
  S: number;
  P: number;
  Q: number;
}

/** A conv layer's full geometry: its dims, input size, stride, zero padding and groups. */
export interface ConvGeometry extends ConvDims {
  H: number;
  W: number;
  stride: number;
  padding: number;
  groups: number;
  /** C / groups and K / groups. */
  Cg: number;
  Kg: number;
}

/** Output size of a sliding window (conv or pool) along one axis, floor mode: ⌊(size + 2·padding − kernel) / stride⌋ + 1. */
export function convOutputSize(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}
