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
