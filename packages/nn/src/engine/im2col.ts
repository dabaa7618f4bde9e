import type { ConvGeometry } from "@sccnn/sc-core";

/**
 * im2col / col2im for one channel group of a batch. The column matrix is [Cg·R·S, N·P·Q]:
 * row (c, r, s), column n·P·Q + p·Q + q holds x[n, c0 + c, p·stride − pad + r, q·stride − pad + s]
 * (0 outside the image). col2im adds a column matrix back into an input-shaped gradient.
 */
/** Valid q range [lo, hi) for filter column s: 0 ≤ q·stride − pad + s < W. */
function qRange(g: ConvGeometry, s: number): [number, number] {
  const lo = Math.max(0, Math.ceil((g.padding - s) / g.stride));
  const hi = Math.min(g.Q, Math.floor((g.W - 1 + g.padding - s) / g.stride) + 1);
  return [lo, Math.max(lo, hi)];
}

export function im2col(x: Float32Array, g: ConvGeometry, c0: number, Cg: number, col: Float32Array): void {
  const { N, C, H, W, R, S, P, Q, stride, padding: pad } = g;
  const PQ = P * Q,
    NPQ = N * PQ,
    HW = H * W;
  for (let c = 0; c < Cg; c++) {
    for (let r = 0; r < R; r++) {
      for (let s = 0; s < S; s++) {
        const row = ((c * R + r) * S + s) * NPQ;
        const [qlo, qhi] = qRange(g, s);
        for (let n = 0; n < N; n++) {
          const xc = (n * C + c0 + c) * HW;
          let o = row + n * PQ;
          for (let p = 0; p < P; p++, o += Q) {
            const ih = p * stride - pad + r;
            if (ih < 0 || ih >= H) {
              col.fill(0, o, o + Q);
              continue;
            }
            for (let q = 0; q < qlo; q++) col[o + q] = 0;
            let xi = xc + ih * W + qlo * stride - pad + s;
            if (stride === 1) {
              for (let q = qlo; q < qhi; q++) col[o + q] = x[xi++];
            } else {
              for (let q = qlo; q < qhi; q++, xi += stride) col[o + q] = x[xi];
            }
            for (let q = qhi; q < Q; q++) col[o + q] = 0;
          }
        }
      }
    }
  }
}

export function col2im(col: Float32Array, g: ConvGeometry, c0: number, Cg: number, dx: Float32Array): void {
  const { N, C, H, W, R, S, P, Q, stride, padding: pad } = g;
  const PQ = P * Q,
    NPQ = N * PQ,
    HW = H * W;
  for (let c = 0; c < Cg; c++) {
    for (let r = 0; r < R; r++) {
      for (let s = 0; s < S; s++) {
        const row = ((c * R + r) * S + s) * NPQ;
        const [qlo, qhi] = qRange(g, s);
        for (let n = 0; n < N; n++) {
          const xc = (n * C + c0 + c) * HW;
          let o = row + n * PQ;
          for (let p = 0; p < P; p++, o += Q) {
            const ih = p * stride - pad + r;
            if (ih < 0 || ih >= H) continue;
            let xi = xc + ih * W + qlo * stride - pad + s;
            for (let q = qlo; q < qhi; q++, xi += stride) dx[xi] += col[o + q];
          }
        }
      }
    }
  }
}
