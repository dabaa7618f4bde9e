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
          const d = i32x4.sub(i32x4.min_s(i32x4.max_s(i32x4.max_s(even, odd), vlo), vhi), vlo);
          store<i32>(o, load<i32>(tk + ((<usize>i32x4.extract_lane(d, 0)) << 2)));
          store<i32>(o, load<i32>(tk + ((<usize>i32x4.extract_lane(d, 1)) << 2)), 4);
          store<i32>(o, load<i32>(tk + ((<usize>i32x4.extract_lane(d, 2)) << 2)), 8);
          store<i32>(o, load<i32>(tk + ((<usize>i32x4.extract_lane(d, 3)) << 2)), 12);
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
