// WebAssembly SIMD (f32x4) GEMM kernels, compiled with AssemblyScript into build/gemm.wasm.
// Pointers are byte offsets into this module's memory; the JS side (src/engine/gemm-wasm.ts)
// copies operands in and results out. All matrices are row-major float32.
//
// gemmNN: C[M,N] (+)= A(M,K) * B[K,N], where A(i,k) = a[i*sai + k*sak] (element strides), so the
//         same kernel serves A and A transposed. Vectorised over N, 4x8 register blocks (2x8 for
//         two rows left over).
// gemmNT: C[M,N] (+)= A[M,K] * B[N,K]^T: dot products vectorised over K, 2x2 blocks.
// Summation order: gemmNN adds the K products in order k = 0..K-1 per output but rounds each
// product to f32 (JS rounds only the sum), gemmNT sums 4 interleaved partial sums; both therefore
// equal the plain TS reference (src/engine/gemm.ts) within float tolerance, not bit for bit.

@inline function ldA(a: usize, idx: i32): f32 {
  return load<f32>(a + ((<usize>idx) << 2));
}

export function gemmNN(M: i32, N: i32, K: i32, a: usize, sai: i32, sak: i32, b: usize, c: usize, accumulate: i32): void {
  const N8 = N & ~7;
  const N4 = N & ~3;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    let j = 0;
    for (; j < N8; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let ai = i * sai;
      let bp = b + ((<usize>j) << 2);
      const bStride = (<usize>N) << 2;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const a0 = f32x4.splat(ldA(a, ai));
        const a1 = f32x4.splat(ldA(a, ai + sai));
        const a2 = f32x4.splat(ldA(a, ai + 2 * sai));
        const a3 = f32x4.splat(ldA(a, ai + 3 * sai));
        c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
        c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
        c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
        c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
        ai += sak;
        bp += bStride;
      }
      const cp0 = c + ((<usize>(i * N + j)) << 2);
      const cp1 = cp0 + bStride, cp2 = cp1 + bStride, cp3 = cp2 + bStride;
      if (accumulate) {
        c00 = f32x4.add(v128.load(cp0), c00); c01 = f32x4.add(v128.load(cp0, 16), c01);
        c10 = f32x4.add(v128.load(cp1), c10); c11 = f32x4.add(v128.load(cp1, 16), c11);
        c20 = f32x4.add(v128.load(cp2), c20); c21 = f32x4.add(v128.load(cp2, 16), c21);
        c30 = f32x4.add(v128.load(cp3), c30); c31 = f32x4.add(v128.load(cp3, 16), c31);
      }
      v128.store(cp0, c00); v128.store(cp0, c01, 16);
      v128.store(cp1, c10); v128.store(cp1, c11, 16);
      v128.store(cp2, c20); v128.store(cp2, c21, 16);
      v128.store(cp3, c30); v128.store(cp3, c31, 16);
    }
    for (let r = i; r < i + 4; r++) rowTail(r, j, N, K, a, sai, sak, b, c, accumulate);
  }
  for (; i + 2 <= M; i += 2) {
    // Two rows left (e.g. rows 4 and 5 of a 6-channel conv): 2x8 blocks share each B load.
    let j = 0;
    for (; j < N8; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let ai = i * sai;
      let bp = b + ((<usize>j) << 2);
      const bStride = (<usize>N) << 2;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const a0 = f32x4.splat(ldA(a, ai));
        const a1 = f32x4.splat(ldA(a, ai + sai));
        c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
        c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
        ai += sak;
        bp += bStride;
      }
      const cp0 = c + ((<usize>(i * N + j)) << 2);
      const cp1 = cp0 + bStride;
      if (accumulate) {
        c00 = f32x4.add(v128.load(cp0), c00); c01 = f32x4.add(v128.load(cp0, 16), c01);
        c10 = f32x4.add(v128.load(cp1), c10); c11 = f32x4.add(v128.load(cp1, 16), c11);
      }
      v128.store(cp0, c00); v128.store(cp0, c01, 16);
      v128.store(cp1, c10); v128.store(cp1, c11, 16);
    }
    for (let r = i; r < i + 2; r++) rowTail(r, j, N, K, a, sai, sak, b, c, accumulate);
  }
  for (; i < M; i++) {
    // One row: vectorised over N in blocks of 4, then scalar tail.
    let j = 0;
    for (; j < N4; j += 4) {
      let acc = f32x4.splat(0);
      let ai = i * sai;
      let bp = b + ((<usize>j) << 2);
      const bStride = (<usize>N) << 2;
      for (let k = 0; k < K; k++) {
        acc = f32x4.add(acc, f32x4.mul(f32x4.splat(ldA(a, ai)), v128.load(bp)));
        ai += sak;
        bp += bStride;
      }
      const cp = c + ((<usize>(i * N + j)) << 2);
      if (accumulate) acc = f32x4.add(v128.load(cp), acc);
      v128.store(cp, acc);
    }
    rowTail(i, j, N, K, a, sai, sak, b, c, accumulate);
  }
}

@inline function rowTail(i: i32, j0: i32, N: i32, K: i32, a: usize, sai: i32, sak: i32, b: usize, c: usize, accumulate: i32): void {
  for (let j = j0; j < N; j++) {
    let s: f32 = 0;
    let ai = i * sai;
    for (let k = 0; k < K; k++) {
      s += ldA(a, ai) * load<f32>(b + ((<usize>(k * N + j)) << 2));
      ai += sak;
    }
    const cp = c + ((<usize>(i * N + j)) << 2);
    if (accumulate) s = load<f32>(cp) + s;
    store<f32>(cp, s);
  }
}

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

function dot(x: usize, y: usize, K: i32): f32 {
  const K4 = K & ~3;
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k < K4; k += 4) {
    const off = (<usize>k) << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(x + off), v128.load(y + off)));
  }
  let s = hsum(acc);
  for (; k < K; k++) s += load<f32>(x + ((<usize>k) << 2)) * load<f32>(y + ((<usize>k) << 2));
  return s;
}

export function gemmNT(M: i32, N: i32, K: i32, a: usize, b: usize, c: usize, accumulate: i32): void {
  const K4 = K & ~3;
  const rowBytes = (<usize>K) << 2;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0p = a + (<usize>i) * rowBytes;
    const a1p = a0p + rowBytes;
    let j = 0;
    for (; j + 2 <= N; j += 2) {
      const b0p = b + (<usize>j) * rowBytes;
      const b1p = b0p + rowBytes;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let k = 0;
      for (; k < K4; k += 4) {
        const off = (<usize>k) << 2;
        const x0 = v128.load(a0p + off), x1 = v128.load(a1p + off);
        const y0 = v128.load(b0p + off), y1 = v128.load(b1p + off);
        s00 = f32x4.add(s00, f32x4.mul(x0, y0)); s01 = f32x4.add(s01, f32x4.mul(x0, y1));
        s10 = f32x4.add(s10, f32x4.mul(x1, y0)); s11 = f32x4.add(s11, f32x4.mul(x1, y1));
      }
      let t00 = hsum(s00), t01 = hsum(s01), t10 = hsum(s10), t11 = hsum(s11);
      for (; k < K; k++) {
        const off = (<usize>k) << 2;
        const x0 = load<f32>(a0p + off), x1 = load<f32>(a1p + off);
        const y0 = load<f32>(b0p + off), y1 = load<f32>(b1p + off);
        t00 += x0 * y0; t01 += x0 * y1; t10 += x1 * y0; t11 += x1 * y1;
      }
      const cp0 = c + ((<usize>(i * N + j)) << 2);
      const cp1 = cp0 + ((<usize>N) << 2);
      if (accumulate) {
        t00 = load<f32>(cp0) + t00; t01 = load<f32>(cp0, 4) + t01;
        t10 = load<f32>(cp1) + t10; t11 = load<f32>(cp1, 4) + t11;
      }
      store<f32>(cp0, t00); store<f32>(cp0, t01, 4);
      store<f32>(cp1, t10); store<f32>(cp1, t11, 4);
    }
    for (; j < N; j++) {
      const bp = b + (<usize>j) * rowBytes;
      let t0 = dot(a0p, bp, K), t1 = dot(a1p, bp, K);
      const cp0 = c + ((<usize>(i * N + j)) << 2);
      const cp1 = cp0 + ((<usize>N) << 2);
      if (accumulate) { t0 = load<f32>(cp0) + t0; t1 = load<f32>(cp1) + t1; }
      store<f32>(cp0, t0); store<f32>(cp1, t1);
    }
  }
  for (; i < M; i++) {
    const ap = a + (<usize>i) * rowBytes;
    for (let j = 0; j < N; j++) {
      let t = dot(ap, b + (<usize>j) * rowBytes, K);
      const cp = c + ((<usize>(i * N + j)) << 2);
      if (accumulate) t = load<f32>(cp) + t;
      store<f32>(cp, t);
    }
  }
}
