// The int-chain runtime's one-pass 2×2/2 max pooling + requantisation (src/quant/int-chain.ts,
// poolRequant2x2Wasm): for each channel k of acc i32 [N][K][H][W], the max of every 2×2 window
// (rows 2p, 2p+1, columns 2q, 2q+1; an odd last row/column is dropped, as maxPoolInt does), then
// table[off[k] + clamp(m − base[k], 0, len[k] − 1)] into out i32 [N][K][H/2][W/2]. The clamp is
// computed as min(max(m, base), base + len − 1) − base, so no i32 subtraction can wrap (base and
// base + len − 1 are int32 by construction, see requantTable). Tested equal to maxPoolInt followed
// by requantize (the TS reference), extremes ±2^31 included.

@inline function at(base: usize, i: i32): usize {
  return base + ((<usize>i) << 2);
}

/** out[0..3] = table tk at clamp(m − lo, 0, hi − lo) for the four lanes of m (lo, hi splatted). */
@inline function lookup4(o: usize, tk: usize, m: v128, vlo: v128, vhi: v128): void {
  const d = i32x4.sub(i32x4.min_s(i32x4.max_s(m, vlo), vhi), vlo);
  store<i32>(o, load<i32>(tk + ((<usize>i32x4.extract_lane(d, 0)) << 2)));
  store<i32>(o, load<i32>(tk + ((<usize>i32x4.extract_lane(d, 1)) << 2)), 4);
  store<i32>(o, load<i32>(tk + ((<usize>i32x4.extract_lane(d, 2)) << 2)), 8);
  store<i32>(o, load<i32>(tk + ((<usize>i32x4.extract_lane(d, 3)) << 2)), 12);
}

export function poolRequant2x2(
  acc: usize, N: i32, K: i32, H: i32, W: i32, base: usize, len: usize, off: usize, table: usize, out: usize,
): void {
  const P = H >> 1;
  const Q = W >> 1;
  let o = out;
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const lo = load<i32>(at(base, k));
      const hi = lo + (load<i32>(at(len, k)) - 1);
      const tk = at(table, load<i32>(at(off, k)));
      const vlo = i32x4.splat(lo);
      const vhi = i32x4.splat(hi);
      const plane = at(acc, (n * K + k) * H * W);
      for (let p = 0; p < P; p++) {
        const r0 = at(plane, 2 * p * W);
        const r1 = at(plane, (2 * p + 1) * W);
        let q = 0;
        for (; q + 4 <= Q; q += 4) {
          const c = (<usize>q) << 3; // column 2q, bytes
          const m0 = i32x4.max_s(v128.load(r0 + c), v128.load(r1 + c));
          const m1 = i32x4.max_s(v128.load(r0 + c, 16), v128.load(r1 + c, 16));
          const even = v128.shuffle<i32>(m0, m1, 0, 2, 4, 6);
          const odd = v128.shuffle<i32>(m0, m1, 1, 3, 5, 7);
          lookup4(o, tk, i32x4.max_s(even, odd), vlo, vhi);
          o += 16;
        }
        for (; q < Q; q++) {
          const a = load<i32>(at(r0, 2 * q));
          const b = load<i32>(at(r0, 2 * q + 1));
          const c = load<i32>(at(r1, 2 * q));
          const e = load<i32>(at(r1, 2 * q + 1));
          let m = a > b ? a : b;
          const m2 = c > e ? c : e;
          if (m2 > m) m = m2;
          if (m < lo) m = lo;
          if (m > hi) m = hi;
          store<i32>(o, load<i32>(tk + ((<usize>(m - lo)) << 2)));
          o += 4;
        }
      }
    }
  }
}

/**
 * requantize's dense-table case (src/quant/int-chain.ts) without pooling: for each channel k of
 * acc i32 [N][K][inner], table[off[k] + clamp(a − base[k], 0, len[k] − 1)] into out (same shape),
 * the clamp as in poolRequant2x2. Tested equal to the TS loop.
 */
export function requant(
  acc: usize, N: i32, K: i32, inner: i32, base: usize, len: usize, off: usize, table: usize, out: usize,
): void {
  let a = acc;
  let o = out;
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const lo = load<i32>(at(base, k));
      const hi = lo + (load<i32>(at(len, k)) - 1);
      const tk = at(table, load<i32>(at(off, k)));
      const vlo = i32x4.splat(lo);
      const vhi = i32x4.splat(hi);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        lookup4(o, tk, v128.load(a), vlo, vhi);
        a += 16;
        o += 16;
      }
      for (; i < inner; i++) {
        let m = load<i32>(a);
        if (m < lo) m = lo;
        if (m > hi) m = hi;
        store<i32>(o, load<i32>(tk + ((<usize>(m - lo)) << 2)));
        a += 4;
        o += 4;
      }
    }
  }
}

/**
 * quantizeTensor (src/quant/quantize.ts) of n float32 values times mul (the layer's input shift
 * 2^s): r = x·inv in float64, clamped to [lo, m] (NaN stays NaN), rounded half away from zero as
 * trunc(|r| + 0.5) with r's sign (NaN → 0), the same float64 operations as the TS loop, so the
 * same integers (tested, with halves, ±0, NaN and out-of-range values). JavaScript's float→int
 * conversion cost ~4 ns per value; the input layer of a LeNet-5 batch is 78 400 of them.
 */
export function quantizeInput(src: usize, n: i32, inv: f64, m: f64, lo: f64, mul: i32, dst: usize): void {
  const vinv = f64x2.splat(inv);
  const vm = f64x2.splat(m);
  const vlo = f64x2.splat(lo);
  const half = f64x2.splat(0.5);
  const zero = f64x2.splat(0);
  const vmul = i32x4.splat(mul);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = quantizeQuad(v128.load(src + ((<usize>i) << 2)), vinv, vm, vlo, half, zero);
    v128.store(dst + ((<usize>i) << 2), i32x4.mul(q, vmul));
  }
  for (; i < n; i++) {
    const q = quantizePair(f64x2.splat(<f64>load<f32>(src + ((<usize>i) << 2))), vinv, vm, vlo, half, zero);
    store<i32>(dst + ((<usize>i) << 2), i32x4.extract_lane(q, 0) * mul);
  }
}

/** Four float32 values (an f32x4) of quantizeInput, as an i32x4 (mul 1). */
@inline function quantizeQuad(x: v128, inv: v128, m: v128, lo: v128, half: v128, zero: v128): v128 {
  const q0 = quantizePair(f64x2.promote_low_f32x4(x), inv, m, lo, half, zero);
  const q1 = quantizePair(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)), inv, m, lo, half, zero);
  return i32x4.shuffle(q0, q1, 0, 1, 4, 5);
}

/** Two values of quantizeInput, in lanes 0 and 1 of an i32x4. */
@inline function quantizePair(x: v128, inv: v128, m: v128, lo: v128, half: v128, zero: v128): v128 {
  let r = f64x2.mul(x, inv);
  // if (r > m) r = m; else if (r < lo) r = lo; (NaN compares false: kept)
  r = v128.bitselect(m, r, f64x2.gt(r, m));
  r = v128.bitselect(lo, r, f64x2.lt(r, lo));
  const t = f64x2.add(f64x2.abs(r), half);
  return i32x4.trunc_sat_f64x2_s_zero(v128.bitselect(f64x2.neg(t), t, f64x2.lt(r, zero)));
}

/**
 * fakeQuantizeTensor (src/quant/quantize.ts): quantizeInput's integers q (mul 1), then q·scale in
 * float64 rounded to float32, as the TS loop computes them, so the same floats (tested bit for bit,
 * with halves, ±0, NaN and out-of-range values).
 */
export function fakeQuantize(src: usize, n: i32, inv: f64, m: f64, lo: f64, scale: f64, dst: usize): void {
  const vinv = f64x2.splat(inv);
  const vm = f64x2.splat(m);
  const vlo = f64x2.splat(lo);
  const half = f64x2.splat(0.5);
  const zero = f64x2.splat(0);
  const vs = f64x2.splat(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = quantizeQuad(v128.load(src + ((<usize>i) << 2)), vinv, vm, vlo, half, zero);
    const y0 = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.convert_low_i32x4_s(q), vs));
    const y1 = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shuffle(q, q, 2, 3, 0, 1)), vs));
    v128.store(dst + ((<usize>i) << 2), i32x4.shuffle(y0, y1, 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    const q = quantizePair(f64x2.splat(<f64>load<f32>(src + ((<usize>i) << 2))), vinv, vm, vlo, half, zero);
    store<f32>(dst + ((<usize>i) << 2), <f32>(<f64>i32x4.extract_lane(q, 0) * scale));
  }
}

/**
 * rescale (src/quant/layer-forward.ts): y = acc·unit[k] + bias[k] in float64 (acc int32, unit
 * float64, bias float32), rounded to float32; channel k = dim 1 of acc [N, K, inner]. The same
 * float64 operations (no fused multiply-add), so the same floats (tested bit for bit).
 */
export function rescale(acc: usize, N: i32, K: i32, inner: i32, unit: usize, bias: usize, dst: usize): void {
  let o: usize = 0;
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const u = load<f64>(unit + ((<usize>k) << 3));
      const b = <f64>load<f32>(bias + ((<usize>k) << 2));
      const vu = f64x2.splat(u);
      const vb = f64x2.splat(b);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const a = v128.load(acc + ((o + <usize>i) << 2));
        const y0 = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(a), vu), vb));
        const y1 = f32x4.demote_f64x2_zero(
          f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shuffle(a, a, 2, 3, 0, 1)), vu), vb),
        );
        v128.store(dst + ((o + <usize>i) << 2), i32x4.shuffle(y0, y1, 0, 1, 4, 5));
      }
      for (; i < inner; i++) {
        const p = (o + <usize>i) << 2;
        store<f32>(dst + p, <f32>(<f64>load<i32>(acc + p) * u + b));
      }
      o += <usize>inner;
    }
  }
}
