// im2col / col2im and the NCHW <-> [K, N·P·Q] reshuffles of a convolution, in WebAssembly, so the
// whole conv forward/backward runs inside the module's memory (src/engine/conv-wasm.ts). Same
// meaning as src/engine/im2col.ts and the loops in src/engine/conv2d.ts (the TS reference).

@inline function f32at(base: usize, i: i32): usize {
  return base + ((<usize>i) << 2);
}

/** n float zeros from p (short runs: stores beat a memory.fill call). */
@inline function zeroFloats(p: usize, n: i32): void {
  const end = p + ((<usize>n) << 2);
  const z = f32x4.splat(0);
  for (; p + 16 <= end; p += 16) v128.store(p, z);
  for (; p < end; p += 4) store<f32>(p, 0);
}

function qLo(pad: i32, s: i32, stride: i32): i32 {
  const d = pad - s;
  if (d <= 0) return 0;
  return (d + stride - 1) / stride;
}

function qHi(W: i32, pad: i32, s: i32, stride: i32, Q: i32): i32 {
  const num = W - 1 + pad - s;
  if (num < 0) return 0;
  const h = num / stride + 1;
  return h < Q ? h : Q;
}

/** col[(c·R + r)·S + s][n·P·Q + p·Q + q] = x[n, c0 + c, p·stride − pad + r, q·stride − pad + s] or 0. */
export function im2col(x: usize, N: i32, C: i32, H: i32, W: i32, c0: i32, Cg: i32, R: i32, S: i32, P: i32, Q: i32, stride: i32, pad: i32, col: usize): void {
  const PQ = P * Q, NPQ = N * PQ, HW = H * W;
  for (let c = 0; c < Cg; c++) {
    for (let r = 0; r < R; r++) {
      for (let s = 0; s < S; s++) {
        const row = ((c * R + r) * S + s) * NPQ;
        const lo = qLo(pad, s, stride);
        let hi = qHi(W, pad, s, stride, Q);
        if (hi < lo) hi = lo;
        for (let n = 0; n < N; n++) {
          const xc = (n * C + c0 + c) * HW;
          let o = row + n * PQ;
          for (let p = 0; p < P; p++, o += Q) {
            const ih = p * stride - pad + r;
            if (ih < 0 || ih >= H) {
              zeroFloats(f32at(col, o), Q);
              continue;
            }
            if (lo > 0) zeroFloats(f32at(col, o), lo);
            const xi = xc + ih * W + lo * stride - pad + s;
            if (stride == 1) {
              // a row of Q ≤ a few dozen values: v128 moves beat a memory.copy call
              let dst = f32at(col, o + lo);
              let src = f32at(x, xi);
              const end = dst + ((<usize>(hi - lo)) << 2);
              for (; dst + 16 <= end; dst += 16, src += 16) v128.store(dst, v128.load(src));
              for (; dst < end; dst += 4, src += 4) store<f32>(dst, load<f32>(src));
            } else {
              let src = f32at(x, xi);
              const step = (<usize>stride) << 2;
              for (let q = lo; q < hi; q++, src += step) store<f32>(f32at(col, o + q), load<f32>(src));
            }
            if (hi < Q) zeroFloats(f32at(col, o + hi), Q - hi);
          }
        }
      }
    }
  }
}

/** dx[n, c0 + c, ih, iw] += col[…] (adjoint of im2col). */
export function col2im(col: usize, N: i32, C: i32, H: i32, W: i32, c0: i32, Cg: i32, R: i32, S: i32, P: i32, Q: i32, stride: i32, pad: i32, dx: usize): void {
  const PQ = P * Q, NPQ = N * PQ, HW = H * W;
  for (let c = 0; c < Cg; c++) {
    for (let r = 0; r < R; r++) {
      for (let s = 0; s < S; s++) {
        const row = ((c * R + r) * S + s) * NPQ;
        const lo = qLo(pad, s, stride);
        let hi = qHi(W, pad, s, stride, Q);
        if (hi < lo) hi = lo;
        for (let n = 0; n < N; n++) {
          const xc = (n * C + c0 + c) * HW;
          let o = row + n * PQ;
          for (let p = 0; p < P; p++, o += Q) {
            const ih = p * stride - pad + r;
            if (ih < 0 || ih >= H) continue;
            let d = f32at(dx, xc + ih * W + lo * stride - pad + s);
            let src = f32at(col, o + lo);
            const step = (<usize>stride) << 2;
            let q = lo;
            if (stride == 1) {
              for (; q + 4 <= hi; q += 4, d += 16, src += 16) v128.store(d, f32x4.add(v128.load(d), v128.load(src)));
            }
            for (; q < hi; q++, d += step, src += 4) store<f32>(d, load<f32>(d) + load<f32>(src));
          }
        }
      }
    }
  }
}

/** y[n, g·Kg + k, i] = out[k, n·PQ + i] + bias[g·Kg + k] (bias = 0: no bias). */
export function scatterBias(out: usize, y: usize, bias: usize, N: i32, K: i32, Kg: i32, g: i32, PQ: i32): void {
  const NPQ = N * PQ;
  for (let k = 0; k < Kg; k++) {
    const kk = g * Kg + k;
    const b: f32 = bias ? load<f32>(f32at(bias, kk)) : 0;
    const bv = f32x4.splat(b);
    for (let n = 0; n < N; n++) {
      let src = f32at(out, k * NPQ + n * PQ), dst = f32at(y, (n * K + kk) * PQ);
      let i = 0;
      for (; i + 4 <= PQ; i += 4, src += 16, dst += 16) v128.store(dst, f32x4.add(v128.load(src), bv));
      for (; i < PQ; i++, src += 4, dst += 4) store<f32>(dst, load<f32>(src) + b);
    }
  }
}

/** dyg[k, n·PQ + i] = dy[n, g·Kg + k, i]; biasGrad[g·Kg + k] += Σ (when biasGrad ≠ 0). */
export function gatherGrad(dy: usize, dyg: usize, biasGrad: usize, N: i32, K: i32, Kg: i32, g: i32, PQ: i32): void {
  const NPQ = N * PQ;
  for (let k = 0; k < Kg; k++) {
    const kk = g * Kg + k;
    let sum: f64 = 0;
    for (let n = 0; n < N; n++) {
      const src = f32at(dy, (n * K + kk) * PQ), dst = f32at(dyg, k * NPQ + n * PQ);
      memory.copy(dst, src, (<usize>PQ) << 2);
      for (let i = 0; i < PQ; i++) sum += <f64>load<f32>(f32at(src, i));
    }
    if (biasGrad) store<f32>(f32at(biasGrad, kk), <f32>(<f64>load<f32>(f32at(biasGrad, kk)) + sum));
  }
}
