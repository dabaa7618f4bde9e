// Elementwise layers in WebAssembly SIMD: the ReLU forward and backward of src/engine/activations.ts
// without the branch per value (~50 % mispredicted on real activations in the TypeScript loop).

/** y[i] = x[i] > 0 ? x[i] : +0 (NaN and −0 give +0), as Clamp's ReLU loop. */
export function relu(x: usize, n: i32, y: usize): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    const v = v128.load(x + off);
    v128.store(y + off, v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    const v = load<f32>(x + off);
    store<f32>(y + off, v > 0 ? v : 0);
  }
}

/** dx[i] = x[i] > 0 ? dy[i] : +0, as Clamp's ReLU backward loop. */
export function reluBackward(x: usize, dy: usize, n: i32, dx: usize): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(dx + off, v128.and(v128.load(dy + off), f32x4.gt(v128.load(x + off), zero)));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    store<f32>(dx + off, load<f32>(x + off) > 0 ? load<f32>(dy + off) : 0);
  }
}

/**
 * 2×2/2 max pooling of NC planes H×W into P×Q (P = ⌊H/2⌋, Q = ⌊W/2⌋) with the argmax (index into x)
 * of every output, as MaxPool's forward2x2: per window the first maximum in row-major order wins
 * (a later value replaces it only when greater, so NaN never replaces and a leading NaN stays).
 * Four windows at a time: the even and odd columns of two 8-value loads per row.
 */
export function maxPool2x2(x: usize, NC: i32, H: i32, W: i32, P: i32, Q: i32, y: usize, am: usize): void {
  const lane = i32x4(0, 2, 4, 6);
  let o: usize = 0;
  for (let nc = 0; nc < NC; nc++) {
    const base = nc * H * W;
    for (let p = 0; p < P; p++) {
      const row = base + 2 * p * W;
      let q = 0;
      for (; q + 4 <= Q; q += 4) {
        const i0 = row + 2 * q;
        const t0 = v128.load(x + ((<usize>i0) << 2));
        const t1 = v128.load(x + ((<usize>i0) << 2), 16);
        const b0 = v128.load(x + ((<usize>(i0 + W)) << 2));
        const b1 = v128.load(x + ((<usize>(i0 + W)) << 2), 16);
        const ia = i32x4.add(i32x4.splat(i0), lane);
        let best = i32x4.shuffle(t0, t1, 0, 2, 4, 6);
        let bi = ia;
        let v = i32x4.shuffle(t0, t1, 1, 3, 5, 7);
        let gt = f32x4.gt(v, best);
        best = v128.bitselect(v, best, gt);
        bi = v128.bitselect(i32x4.add(ia, i32x4.splat(1)), bi, gt);
        v = i32x4.shuffle(b0, b1, 0, 2, 4, 6);
        gt = f32x4.gt(v, best);
        best = v128.bitselect(v, best, gt);
        bi = v128.bitselect(i32x4.add(ia, i32x4.splat(W)), bi, gt);
        v = i32x4.shuffle(b0, b1, 1, 3, 5, 7);
        gt = f32x4.gt(v, best);
        best = v128.bitselect(v, best, gt);
        bi = v128.bitselect(i32x4.add(ia, i32x4.splat(W + 1)), bi, gt);
        v128.store(y + (o << 2), best);
        v128.store(am + (o << 2), bi);
        o += 4;
      }
      for (; q < Q; q++) {
        const i0 = row + 2 * q;
        let best = load<f32>(x + ((<usize>i0) << 2));
        let bi = i0;
        let v = load<f32>(x + ((<usize>(i0 + 1)) << 2));
        if (v > best) {
          best = v;
          bi = i0 + 1;
        }
        v = load<f32>(x + ((<usize>(i0 + W)) << 2));
        if (v > best) {
          best = v;
          bi = i0 + W;
        }
        v = load<f32>(x + ((<usize>(i0 + W + 1)) << 2));
        if (v > best) {
          best = v;
          bi = i0 + W + 1;
        }
        store<f32>(y + (o << 2), best);
        store<i32>(am + (o << 2), bi);
        o++;
      }
    }
  }
}

/**
 * Max pooling's backward, as MaxPool's loop: dx = 0, then dx[am[i]] += dy[i] for i in order.
 * Returns −1, or (writing nothing) the first i whose am[i] lies outside 0…dxLength − 1.
 */
export function maxPoolBackward(am: usize, dy: usize, n: i32, dx: usize, dxLength: i32): i32 {
  for (let i = 0; i < n; i++) if (<u32>load<i32>(am + ((<usize>i) << 2)) >= <u32>dxLength) return i;
  memory.fill(dx, 0, (<usize>dxLength) << 2);
  for (let i = 0; i < n; i++) {
    const at = dx + ((<usize>load<i32>(am + ((<usize>i) << 2))) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(dy + ((<usize>i) << 2)));
  }
  return -1;
}
