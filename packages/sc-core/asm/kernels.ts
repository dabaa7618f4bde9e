// WebAssembly SIMD kernels for exact BISC SC convolution / GEMM and exact integer convolution /
// GEMM (AssemblyScript; compiled by `pnpm build:wasm` into src/wasm/kernels.wasm.ts, see
// asm/build.ts). The JS side (src/wasm/*.ts) owns the memory layout: every pointer here is a byte
// offset it computed, and it grows the memory before calling. Nothing here allocates.
//
// Data flow of one convolution (per group, per chunk of T output pixels):
//   *InputPlanes   raw i32 NCHW input -> zero-padded planes (SC: 4 u8 planes, int: one i16 plane)
//   scProgram      SC weights -> the kernel's per-weight program (table address, sign word)
//   *Im2col        padded planes -> transposed im2col of the chunk, pixels contiguous per tap k
//                  (SC: two planes when no input is negative, see scKernelUnsigned)
//   *Kernel        im2col x weights -> chunk result [outChannel][T] i32
//   scatterOut     chunk result -> NCHW output
// Stride-1 convolutions with inputs >= 0 whose padded rows are not much longer than the output's
// (LeNet-5's conv1: 32 for 28) skip the im2col: scKernelUnsignedDirect reads the padded planes in
// place, pixels in the padded image's coordinates, and scatterRows keeps the valid columns.
//
// SC kernel (N <= 8). For a fixed count operand w, the BISC product count is linear in the bits of
// the stream operand x, count(x, w) = sum_k x[N-1-k] * C_k(w) (and, with the roles swapped, the
// product is linear in the bits of the count operand), so p(x, w) = TH_w[x >> L] + TL_w[x & (2^L-1)]
// with L = max(N-4, 0): two 16-entry byte tables per weight, looked up for 16 pixels at once with
// i8x16.swizzle. p <= 2^N - 1 <= 255, so the byte sum is exact. Signs: d = p ^ M with M = 0xFF
// when sign(x) != sign(w) (then d = 255 - p), and the true term is d - 255*[M]. Terms are summed in
// i16 lanes: a1 += d (as i16: d_even + 256 d_odd, mod 2^16), a2 += d >> 8 (d_odd), am -= M (mismatch
// count per byte). At most 128 taps per round, so every partial sum is below 2^15 and the flush
// recovers the exact even/odd sums (see scFlush).
//
// Int kernel: i32x4.dot_i16x8_s on taps interleaved in pairs, [k/2][pixel][2] i16, against a
// splatted (w_k, w_k+1) pair: 8 MACs per instruction, 4 output channels x 8 pixels per block.

// ---------------------------------------------------------------------------------------------
// Input planes

/**
 * SC input planes. src: i32 [planes][H][W]. dst: four u8 planes of [planes][Hp][Wp], Hp = H+2pad,
 * Wp = W+2pad, at dst + i*planeBytes: XH = |x| >> shift, XL = |x| & loMask, SX = 0xFF if x < 0,
 * NSX = ~SX. Borders must be pre-filled by the caller (0, 0, 0, 0xFF). Returns max |x| over the
 * input, saturated at 32767 (the caller rejects anything above 2^N - 1), plus 0x10000 when some x
 * is negative (the caller then needs the sign planes: scKernel rather than scKernelUnsigned).
 */
export function scInputPlanes(
  src: usize, planes: i32, H: i32, W: i32, pad: i32, shift: i32, loMask: i32, dst: usize, planeBytes: usize,
): i32 {
  const Hp = H + 2 * pad;
  const Wp = W + 2 * pad;
  const W16 = W & ~15;
  const vmask = i16x8.splat(<i16>loMask);
  const zero = i16x8.splat(0);
  let vmax = i16x8.splat(0);
  let vneg = i16x8.splat(0);
  let smax: i32 = 0;
  let sneg: i32 = 0;
  for (let pl = 0; pl < planes; pl++) {
    for (let y = 0; y < H; y++) {
      const s = src + ((<usize>((pl * H + y) * W)) << 2);
      const d = dst + <usize>((pl * Hp + y + pad) * Wp + pad);
      let x = 0;
      for (; x < W16; x += 16) {
        const sp = s + ((<usize>x) << 2);
        const v0 = i16x8.narrow_i32x4_s(v128.load(sp), v128.load(sp, 16));
        const v1 = i16x8.narrow_i32x4_s(v128.load(sp, 32), v128.load(sp, 48));
        const m0 = i16x8.abs(v0);
        const m1 = i16x8.abs(v1);
        vmax = i16x8.max_u(vmax, i16x8.max_u(m0, m1));
        const dp = d + <usize>x;
        v128.store(dp, i8x16.narrow_i16x8_u(i16x8.shr_u(m0, shift), i16x8.shr_u(m1, shift)));
        v128.store(dp + planeBytes, i8x16.narrow_i16x8_u(v128.and(m0, vmask), v128.and(m1, vmask)));
        const sx = i8x16.narrow_i16x8_s(i16x8.lt_s(v0, zero), i16x8.lt_s(v1, zero));
        vneg = v128.or(vneg, sx);
        v128.store(dp + 2 * planeBytes, sx);
        v128.store(dp + 3 * planeBytes, v128.not(sx));
      }
      if (x + 8 <= W) {
        const sp = s + ((<usize>x) << 2);
        const v0 = i16x8.narrow_i32x4_s(v128.load(sp), v128.load(sp, 16));
        const m0 = i16x8.abs(v0);
        vmax = i16x8.max_u(vmax, m0);
        const dp = d + <usize>x;
        v128.store64_lane(dp, i8x16.narrow_i16x8_u(i16x8.shr_u(m0, shift), zero), 0);
        v128.store64_lane(dp + planeBytes, i8x16.narrow_i16x8_u(v128.and(m0, vmask), zero), 0);
        const sx = i8x16.narrow_i16x8_s(i16x8.lt_s(v0, zero), zero);
        vneg = v128.or(vneg, sx);
        v128.store64_lane(dp + 2 * planeBytes, sx, 0);
        v128.store64_lane(dp + 3 * planeBytes, v128.not(sx), 0);
        x += 8;
      }
      for (; x < W; x++) {
        const v = load<i32>(s + ((<usize>x) << 2));
        let m = v < 0 ? -v : v;
        if (m < 0 || m > 32767) m = 32767;
        if (m > smax) smax = m;
        if (v < 0) sneg = 1;
        const dp = d + <usize>x;
        store<u8>(dp, <u8>(m >> shift));
        store<u8>(dp + planeBytes, <u8>(m & loMask));
        store<u8>(dp + 2 * planeBytes, v < 0 ? 0xff : 0);
        store<u8>(dp + 3 * planeBytes, v < 0 ? 0 : 0xff);
      }
    }
  }
  // i16x8.abs(-32768) = 0x8000, which max_u reads as 32768: still reported as too large.
  const v = i16x8.max_u(vmax, i16x8.shuffle(vmax, vmax, 4, 5, 6, 7, 0, 1, 2, 3));
  const v2 = i16x8.max_u(v, i16x8.shuffle(v, v, 2, 3, 0, 1, 4, 5, 6, 7));
  const v3 = i16x8.max_u(v2, i16x8.shuffle(v2, v2, 1, 0, 2, 3, 4, 5, 6, 7));
  const vm = <i32>i16x8.extract_lane_u(v3, 0);
  if (vm > smax) smax = vm;
  if (v128.any_true(vneg)) sneg = 1;
  return (smax > 32767 ? 32767 : smax) | (sneg << 16);
}

/**
 * Int input plane: i32 [planes][H][W] -> i16 [planes][Hp][Wp] (borders pre-zeroed by the caller).
 * Returns max |x| saturated at 32768 (the caller uses the kernel only when it is <= 32767).
 */
export function intInputPlanes(src: usize, planes: i32, H: i32, W: i32, pad: i32, dst: usize): i32 {
  const Hp = H + 2 * pad;
  const Wp = W + 2 * pad;
  const W8 = W & ~7;
  let vmax = i32x4.splat(0);
  let smax: u32 = 0;
  for (let pl = 0; pl < planes; pl++) {
    for (let y = 0; y < H; y++) {
      const s = src + ((<usize>((pl * H + y) * W)) << 2);
      const d = dst + ((<usize>((pl * Hp + y + pad) * Wp + pad)) << 1);
      let x = 0;
      for (; x < W8; x += 8) {
        const sp = s + ((<usize>x) << 2);
        const a = v128.load(sp);
        const b = v128.load(sp, 16);
        vmax = i32x4.max_u(vmax, i32x4.max_u(i32x4.abs(a), i32x4.abs(b)));
        v128.store(d + ((<usize>x) << 1), i16x8.narrow_i32x4_s(a, b));
      }
      for (; x < W; x++) {
        const v = load<i32>(s + ((<usize>x) << 2));
        const m = <u32>(v < 0 ? -v : v);
        if (m > smax) smax = m;
        store<i16>(d + ((<usize>x) << 1), <i16>v);
      }
    }
  }
  const v = i32x4.max_u(vmax, i32x4.shuffle(vmax, vmax, 2, 3, 0, 1));
  const v2 = i32x4.max_u(v, i32x4.shuffle(v, v, 1, 0, 2, 3));
  const vm = <u32>i32x4.extract_lane(v2, 0);
  if (vm > smax) smax = vm;
  return smax > 32768 ? 32768 : <i32>smax;
}

/**
 * The SC kernels' program from n weights (i32 at w): per weight a pair of u32, the address of its
 * tables (tab + stride*w for w >= 0, negTab + stride*|w| for w < 0) and pos (w >= 0) or neg
 * (w < 0): scKernel's sign-plane offset, or scKernelUnsigned's negative-weight count. Branch-free
 * (trained weights' signs are random: a branch per weight in JavaScript cost ~5 ns). Returns max
 * |w| saturated at 2^31 - 1 (the caller rejects anything above 2^N - 1 before running a kernel).
 */
export function scProgram(w: usize, n: i32, tab: i32, negTab: i32, stride: i32, pos: i32, neg: i32, dst: usize): i32 {
  const vtab = i32x4.splat(tab);
  const vdt = i32x4.splat(negTab - tab);
  const vst = i32x4.splat(stride);
  const vpos = i32x4.splat(pos);
  const vds = i32x4.splat(neg - pos);
  let vmax = i32x4.splat(0);
  let smax: u32 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(w + ((<usize>i) << 2));
    const s = i32x4.shr_s(v, 31);
    const m = i32x4.abs(v);
    vmax = i32x4.max_u(vmax, m);
    const a = i32x4.add(i32x4.add(vtab, v128.and(vdt, s)), i32x4.mul(vst, m));
    const b = i32x4.add(vpos, v128.and(vds, s));
    const d = dst + ((<usize>i) << 3);
    v128.store(d, i32x4.shuffle(a, b, 0, 4, 1, 5));
    v128.store(d, i32x4.shuffle(a, b, 2, 6, 3, 7), 16);
  }
  for (; i < n; i++) {
    const x = load<i32>(w + ((<usize>i) << 2));
    const m = <u32>(x < 0 ? -x : x);
    if (m > smax) smax = m;
    const d = dst + ((<usize>i) << 3);
    store<i32>(d, x < 0 ? negTab - stride * x : tab + stride * x);
    store<i32>(d, x < 0 ? neg : pos, 4);
  }
  // |-2^31| is 2^31 as unsigned: still reported as too large
  const v = i32x4.max_u(vmax, i32x4.shuffle(vmax, vmax, 2, 3, 0, 1));
  const v2 = i32x4.max_u(v, i32x4.shuffle(v, v, 1, 0, 2, 3));
  const vm = <u32>i32x4.extract_lane(v2, 0);
  if (vm > smax) smax = vm;
  return smax > 0x7fffffff ? 0x7fffffff : <i32>smax;
}

// ---------------------------------------------------------------------------------------------
// im2col (transposed: one row of T pixels per filter tap k)

/**
 * SC im2col of output pixels m0..m1 (flattened (n, p, q)) into u8 planes dst + i*dstPlaneBytes,
 * row k at k*rowStride: all four when signs != 0, else only XH and XL (scKernelUnsigned). koff[k] is the tap's offset inside one padded
 * image: (c*Hp + r)*Wp + s for the group's channels. With stride 1 a run of a pixel row is copied
 * 16 bytes at a time: the overshoot lands on pixels a later run (or the row slack) rewrites.
 */
export function scIm2col(
  src: usize, planeBytes: usize, C: i32, c0: i32, Hp: i32, Wp: i32, P: i32, Q: i32, stride: i32,
  koff: usize, K: i32, m0: i32, m1: i32, dst: usize, rowStride: i32, dstPlaneBytes: usize, signs: i32,
): void {
  const PQ = P * Q;
  let m = m0;
  while (m < m1) {
    const b = m / PQ;
    const rem = m - b * PQ;
    const p = rem / Q;
    const q0 = rem - p * Q;
    let L = Q - q0;
    if (L > m1 - m) L = m1 - m;
    const base = src + <usize>(((b * C + c0) * Hp + p * stride) * Wp + q0 * stride);
    const dbase = dst + <usize>(m - m0);
    if (stride == 1 && L <= 16 && m + L < m1) {
      // Two short runs per pass over the taps (one tap offset load and loop step for both)
      const mb = m + L;
      const b2 = mb / PQ;
      const rem2 = mb - b2 * PQ;
      const p2 = rem2 / Q;
      const q2 = rem2 - p2 * Q;
      let L2 = Q - q2;
      if (L2 > m1 - mb) L2 = m1 - mb;
      const base2 = src + <usize>(((b2 * C + c0) * Hp + p2) * Wp + q2);
      if (L == 8 && L2 <= 8) {
        // e.g. whole 8-pixel output rows: both fill one 16-byte row segment
        for (let k = 0; k < K; k++) {
          const ko = <usize>load<i32>(koff + ((<usize>k) << 2));
          const s1 = base + ko;
          const s2 = base2 + ko;
          const dp = dbase + <usize>(k * rowStride);
          v128.store(dp, v128.load64_lane(s2, v128.load64_zero(s1), 1));
          v128.store(dp + dstPlaneBytes, v128.load64_lane(s2 + planeBytes, v128.load64_zero(s1 + planeBytes), 1));
          if (!signs) continue;
          v128.store(dp + 2 * dstPlaneBytes, v128.load64_lane(s2 + 2 * planeBytes, v128.load64_zero(s1 + 2 * planeBytes), 1));
          v128.store(dp + 3 * dstPlaneBytes, v128.load64_lane(s2 + 3 * planeBytes, v128.load64_zero(s1 + 3 * planeBytes), 1));
        }
        m += 8 + L2;
        continue;
      }
      if (L2 <= 16) {
        // e.g. LeNet-5 conv2's 10-pixel rows: the first run's 16-byte copy overshoots onto the
        // second's start, which its own copy then rewrites
        const d2 = <usize>L;
        for (let k = 0; k < K; k++) {
          const ko = <usize>load<i32>(koff + ((<usize>k) << 2));
          const s1 = base + ko;
          const s2 = base2 + ko;
          const dp = dbase + <usize>(k * rowStride);
          v128.store(dp, v128.load(s1));
          v128.store(dp + d2, v128.load(s2));
          v128.store(dp + dstPlaneBytes, v128.load(s1 + planeBytes));
          v128.store(dp + d2 + dstPlaneBytes, v128.load(s2 + planeBytes));
          if (!signs) continue;
          v128.store(dp + 2 * dstPlaneBytes, v128.load(s1 + 2 * planeBytes));
          v128.store(dp + d2 + 2 * dstPlaneBytes, v128.load(s2 + 2 * planeBytes));
          v128.store(dp + 3 * dstPlaneBytes, v128.load(s1 + 3 * planeBytes));
          v128.store(dp + d2 + 3 * dstPlaneBytes, v128.load(s2 + 3 * planeBytes));
        }
        m += L + L2;
        continue;
      }
    }
    for (let k = 0; k < K; k++) {
      const sp = base + <usize>load<i32>(koff + ((<usize>k) << 2));
      const dp = dbase + <usize>(k * rowStride);
      if (stride == 1) {
        for (let t = 0; t < L; t += 16) {
          const o = <usize>t;
          v128.store(dp + o, v128.load(sp + o));
          v128.store(dp + o + dstPlaneBytes, v128.load(sp + o + planeBytes));
          if (!signs) continue;
          v128.store(dp + o + 2 * dstPlaneBytes, v128.load(sp + o + 2 * planeBytes));
          v128.store(dp + o + 3 * dstPlaneBytes, v128.load(sp + o + 3 * planeBytes));
        }
      } else {
        for (let t = 0; t < L; t++) {
          const so = sp + <usize>(t * stride);
          const o = dp + <usize>t;
          store<u8>(o, load<u8>(so));
          store<u8>(o + dstPlaneBytes, load<u8>(so + planeBytes));
          if (!signs) continue;
          store<u8>(o + 2 * dstPlaneBytes, load<u8>(so + 2 * planeBytes));
          store<u8>(o + 3 * dstPlaneBytes, load<u8>(so + 3 * planeBytes));
        }
      }
    }
    m += L;
  }
}

/**
 * Int im2col with taps interleaved in pairs: dst[((k/2)*rowStride + pixel)*2 + (k&1)] (i16). For
 * odd K the last pair's second tap is 0. koff[k] in elements (see scIm2col).
 */
export function intIm2col(
  src: usize, C: i32, c0: i32, Hp: i32, Wp: i32, P: i32, Q: i32, stride: i32,
  koff: usize, K: i32, m0: i32, m1: i32, dst: usize, rowStride: i32,
): void {
  const PQ = P * Q;
  const K2 = (K + 1) >> 1;
  let m = m0;
  while (m < m1) {
    const b = m / PQ;
    const rem = m - b * PQ;
    const p = rem / Q;
    const q0 = rem - p * Q;
    let L = Q - q0;
    if (L > m1 - m) L = m1 - m;
    const base = src + ((<usize>(((b * C + c0) * Hp + p * stride) * Wp + q0 * stride)) << 1);
    const dbase = dst + ((<usize>(m - m0)) << 2);
    for (let k2 = 0; k2 < K2; k2++) {
      const k = k2 << 1;
      const spa = base + ((<usize>load<i32>(koff + ((<usize>k) << 2))) << 1);
      const hasB = k + 1 < K;
      const spb = hasB ? base + ((<usize>load<i32>(koff + ((<usize>(k + 1)) << 2))) << 1) : spa;
      const dp = dbase + ((<usize>(k2 * rowStride)) << 2);
      if (stride == 1) {
        for (let t = 0; t < L; t += 8) {
          const a = v128.load(spa + ((<usize>t) << 1));
          const bv = hasB ? v128.load(spb + ((<usize>t) << 1)) : i16x8.splat(0);
          const o = dp + ((<usize>t) << 2);
          v128.store(o, i16x8.shuffle(a, bv, 0, 8, 1, 9, 2, 10, 3, 11));
          v128.store(o, i16x8.shuffle(a, bv, 4, 12, 5, 13, 6, 14, 7, 15), 16);
        }
      } else {
        for (let t = 0; t < L; t++) {
          const so = <usize>(t * stride) << 1;
          const o = dp + ((<usize>t) << 2);
          store<i16>(o, load<i16>(spa + so));
          store<i16>(o, hasB ? load<i16>(spb + so) : 0, 2);
        }
      }
    }
    m += L;
  }
}

// ---------------------------------------------------------------------------------------------
// SC kernel

/**
 * A nibble-table lookup of 16 pixels: i8x16.swizzle, or with the relaxed-simd feature (the second
 * build, src/wasm/kernels-relaxed.wasm.ts) i8x16.relaxed_swizzle, which skips swizzle's clamp of
 * indices >= 16 (x64: a saturating add of a constant loaded from memory per lookup; ~20 % of the
 * kernel). The two agree on indices < 16, and every index a kernel here looks up in a valid pixel
 * is: XH = |x| >> (N - 4) and XL = |x| & 15 with |x| <= 2^N - 1 (checked before the kernel runs),
 * zero padding, and the lanes of pixels past a chunk's end are discarded whole (lanes are
 * independent, and the flush decodes each byte exactly). scTableKernel relies on swizzle's zero
 * for indices >= 16 and does not use this.
 */
@inline function lookup16(table: v128, index: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i8x16.relaxed_swizzle(table, index);
  return i8x16.swizzle(table, index);
}

/**
 * Adds one round's i16 partial sums of 16 pixels to the i32 results at out (16 x i32).
 * a1 lane i = sum(d_2i + 256 d_2i+1) mod 2^16, a2 lane i = sum d_2i+1, am byte j = mismatches of
 * pixel j. Both byte sums are <= 255*128 < 2^15, so sum d_2i = a1 - 256 a2 (mod 2^16) is exact.
 */
@inline function scFlush(a1: v128, a2: v128, am: v128, out: usize): void {
  const lo = i16x8.splat(0xff);
  const k255 = i16x8.splat(255);
  const me = v128.and(am, lo);
  const mo = i16x8.shr_u(am, 8);
  const se = i16x8.sub(a1, i16x8.shl(a2, 8));
  const te = i16x8.sub(se, i16x8.mul(me, k255));
  const to = i16x8.sub(a2, i16x8.mul(mo, k255));
  const p0 = i16x8.shuffle(te, to, 0, 8, 1, 9, 2, 10, 3, 11);
  const p1 = i16x8.shuffle(te, to, 4, 12, 5, 13, 6, 14, 7, 15);
  v128.store(out, i32x4.add(v128.load(out), i32x4.extend_low_i16x8_s(p0)));
  v128.store(out, i32x4.add(v128.load(out, 16), i32x4.extend_high_i16x8_s(p0)), 16);
  v128.store(out, i32x4.add(v128.load(out, 32), i32x4.extend_low_i16x8_s(p1)), 32);
  v128.store(out, i32x4.add(v128.load(out, 48), i32x4.extend_high_i16x8_s(p1)), 48);
}

/**
 * SC kernel over one im2col chunk. col: planes XH, XL, SX, NSX at col + i*planeBytes, row k at
 * k*rowStride, T pixels (a multiple of 32). prog[n*K + k] is a pair of u32: the address of the
 * weight's table pair (tab + 32*|w|) and the offset of its mismatch plane (2*planeBytes for
 * SX when w >= 0, 3*planeBytes for NSX when w < 0). out: i32 [Kn][T] (overwritten).
 */
export function scKernel(col: usize, planeBytes: usize, rowStride: i32, K: i32, T: i32, prog: usize, Kn: i32, out: usize): void {
  const rs = <usize>rowStride;
  // Pixel blocks of 32 (two i8x16 groups: a third group spills registers in V8 and halves the
  // speed), channels inner: one block's taps (K rows x 32 px x 3 planes) stay in L1.
  memory.fill(out, 0, (<usize>(Kn * T)) << 2);
  for (let g0 = 0; g0 < T; g0 += 32) {
    for (let n = 0; n < Kn; n++) {
      const pn = prog + ((<usize>(n * K)) << 3);
      const og = out + ((<usize>(n * T + g0)) << 2);
      for (let kc = 0; kc < K; kc += 128) {
        const ke = kc + 128 < K ? kc + 128 : K;
        let a10 = i16x8.splat(0), a20 = i16x8.splat(0), am0 = i16x8.splat(0);
        let a11 = i16x8.splat(0), a21 = i16x8.splat(0), am1 = i16x8.splat(0);
        let xp = col + <usize>(kc * rowStride + g0);
        let pe = pn + ((<usize>kc) << 3);
        const pend = pn + ((<usize>ke) << 3);
        while (pe < pend) {
          const tp = <usize>load<u32>(pe);
          const mp = xp + <usize>load<u32>(pe, 4);
          const th = v128.load(tp);
          const tl = v128.load(tp, 16);
          let m = v128.load(mp);
          let d = v128.xor(i8x16.add(lookup16(th, v128.load(xp)), lookup16(tl, v128.load(xp + planeBytes))), m);
          a10 = i16x8.add(a10, d);
          a20 = i16x8.add(a20, i16x8.shr_u(d, 8));
          am0 = i8x16.sub(am0, m);
          m = v128.load(mp, 16);
          d = v128.xor(i8x16.add(lookup16(th, v128.load(xp, 16)), lookup16(tl, v128.load(xp + planeBytes, 16))), m);
          a11 = i16x8.add(a11, d);
          a21 = i16x8.add(a21, i16x8.shr_u(d, 8));
          am1 = i8x16.sub(am1, m);
          xp += rs;
          pe += 8;
        }
        scFlush(a10, a20, am0, og);
        scFlush(a11, a21, am1, og + 64);
      }
    }
  }
}

/**
 * scKernel for inputs that are all >= 0 (after a ReLU: every layer but possibly the first), on
 * the XH and XL planes only. The product's sign is then the weight's: for w < 0 the program points
 * at negated tables (255 - TH, -TL mod 256), whose lookups sum to d = 255 - p as scKernel's XOR
 * gives, and its second word is 1 (0 for w >= 0): the round's count of those weights is the
 * mismatch count of every pixel, so scFlush recovers the same exact sums. No sign loads, XOR or
 * mismatch sums, and im2col copies two planes instead of four. T is a multiple of 16 (not 32):
 * a last half block runs as one i8x16 group.
 */
export function scKernelUnsigned(col: usize, planeBytes: usize, rowStride: i32, K: i32, T: i32, prog: usize, Kn: i32, out: usize): void {
  const rs = <usize>rowStride;
  memory.fill(out, 0, (<usize>(Kn * T)) << 2);
  let g0 = 0;
  for (; g0 + 32 <= T; g0 += 32) {
    for (let n = 0; n < Kn; n++) {
      const pn = prog + ((<usize>(n * K)) << 3);
      const og = out + ((<usize>(n * T + g0)) << 2);
      for (let kc = 0; kc < K; kc += 128) {
        const ke = kc + 128 < K ? kc + 128 : K;
        let a10 = i16x8.splat(0), a20 = i16x8.splat(0);
        let a11 = i16x8.splat(0), a21 = i16x8.splat(0);
        let neg: u32 = 0;
        let xp = col + <usize>(kc * rowStride + g0);
        let pe = pn + ((<usize>kc) << 3);
        const pend = pn + ((<usize>ke) << 3);
        while (pe < pend) {
          const tp = <usize>load<u32>(pe);
          neg += load<u32>(pe, 4);
          const th = v128.load(tp);
          const tl = v128.load(tp, 16);
          let d = i8x16.add(lookup16(th, v128.load(xp)), lookup16(tl, v128.load(xp + planeBytes)));
          a10 = i16x8.add(a10, d);
          a20 = i16x8.add(a20, i16x8.shr_u(d, 8));
          d = i8x16.add(lookup16(th, v128.load(xp, 16)), lookup16(tl, v128.load(xp + planeBytes, 16)));
          a11 = i16x8.add(a11, d);
          a21 = i16x8.add(a21, i16x8.shr_u(d, 8));
          xp += rs;
          pe += 8;
        }
        const am = i16x8.splat(<i16>(neg * 257));
        scFlush(a10, a20, am, og);
        scFlush(a11, a21, am, og + 64);
      }
    }
  }
  if (g0 >= T) return;
  // T = 32j + 16: the last 16 pixels as one i8x16 group (a GEMM of batch 100 computes 112, not 128)
  for (let n = 0; n < Kn; n++) {
    const pn = prog + ((<usize>(n * K)) << 3);
    const og = out + ((<usize>(n * T + g0)) << 2);
    for (let kc = 0; kc < K; kc += 128) {
      const ke = kc + 128 < K ? kc + 128 : K;
      let a1 = i16x8.splat(0), a2 = i16x8.splat(0);
      let neg: u32 = 0;
      let xp = col + <usize>(kc * rowStride + g0);
      let pe = pn + ((<usize>kc) << 3);
      const pend = pn + ((<usize>ke) << 3);
      while (pe < pend) {
        const tp = <usize>load<u32>(pe);
        neg += load<u32>(pe, 4);
        const d = i8x16.add(lookup16(v128.load(tp), v128.load(xp)), lookup16(v128.load(tp, 16), v128.load(xp + planeBytes)));
        a1 = i16x8.add(a1, d);
        a2 = i16x8.add(a2, i16x8.shr_u(d, 8));
        xp += rs;
        pe += 8;
      }
      scFlush(a1, a2, i16x8.splat(<i16>(neg * 257)), og);
    }
  }
}

/**
 * scKernelUnsigned without im2col, for stride-1 convolutions ("direct"): the chunk's output pixels
 * are taken in the padded input's own coordinates, pixel t at row t / Wp, column t % Wp of the
 * padded image, so tap k of pixel t is the byte at x + koff[k] + t of the XH plane (XL one
 * planeBytes on), contiguous in t: the kernel loads straight from the input planes and no im2col
 * is written. The pixels of columns q >= Q (and past the chunk's last row) are computed too and
 * dropped by scatterRows; their lanes read the next row, the next image or the planes' slack, and
 * lanes are independent (an index >= 16 in such a lane changes only that lane; the flush decodes
 * each byte exactly), so valid pixels are those of scKernelUnsigned. koff[k]: tap k's byte offset
 * inside one padded image stack (c*Hp + r)*Wp + s. prog, out, T as scKernelUnsigned.
 */
export function scKernelUnsignedDirect(x: usize, planeBytes: usize, koff: usize, K: i32, T: i32, prog: usize, Kn: i32, out: usize): void {
  memory.fill(out, 0, (<usize>(Kn * T)) << 2);
  for (let g0 = 0; g0 < T; g0 += 32) {
    const xg = x + <usize>g0;
    for (let n = 0; n < Kn; n++) {
      const pn = prog + ((<usize>(n * K)) << 3);
      const og = out + ((<usize>(n * T + g0)) << 2);
      for (let kc = 0; kc < K; kc += 128) {
        const ke = kc + 128 < K ? kc + 128 : K;
        let a10 = i16x8.splat(0), a20 = i16x8.splat(0);
        let a11 = i16x8.splat(0), a21 = i16x8.splat(0);
        let neg: u32 = 0;
        let kp = koff + ((<usize>kc) << 2);
        let pe = pn + ((<usize>kc) << 3);
        const pend = pn + ((<usize>ke) << 3);
        while (pe < pend) {
          const tp = <usize>load<u32>(pe);
          neg += load<u32>(pe, 4);
          const xp = xg + <usize>load<u32>(kp);
          const th = v128.load(tp);
          const tl = v128.load(tp, 16);
          let d = i8x16.add(lookup16(th, v128.load(xp)), lookup16(tl, v128.load(xp + planeBytes)));
          a10 = i16x8.add(a10, d);
          a20 = i16x8.add(a20, i16x8.shr_u(d, 8));
          d = i8x16.add(lookup16(th, v128.load(xp, 16)), lookup16(tl, v128.load(xp + planeBytes, 16)));
          a11 = i16x8.add(a11, d);
          a21 = i16x8.add(a21, i16x8.shr_u(d, 8));
          kp += 4;
          pe += 8;
        }
        const am = i16x8.splat(<i16>(neg * 257));
        scFlush(a10, a20, am, og);
        scFlush(a11, a21, am, og + 64);
      }
    }
  }
}

/**
 * SC kernel for a product table that is not separable in the nibbles of |x| (lfsr, sobol, bitrev;
 * N <= 8): per weight a byte table of its counts over every |x|, 16*H bytes (H = 2^N / 16 rows of
 * 16). col's first plane holds |x| (scInputPlanes with shift 0); row h of the table is looked up
 * with index |x| ^ (h << 4), which is < 16 exactly when |x| >> 4 == h (else the swizzle gives 0),
 * so the sum over h is the one entry T_w[|x|]. Signs, sums and flushes as scKernel; prog as scKernel
 * with the table address tab + 16*H*|w|.
 */
export function scTableKernel(
  col: usize, planeBytes: usize, rowStride: i32, K: i32, T: i32, prog: usize, Kn: i32, out: usize, H: i32,
): void {
  const rs = <usize>rowStride;
  memory.fill(out, 0, (<usize>(Kn * T)) << 2);
  for (let g0 = 0; g0 < T; g0 += 32) {
    for (let n = 0; n < Kn; n++) {
      const pn = prog + ((<usize>(n * K)) << 3);
      const og = out + ((<usize>(n * T + g0)) << 2);
      for (let kc = 0; kc < K; kc += 128) {
        const ke = kc + 128 < K ? kc + 128 : K;
        let a10 = i16x8.splat(0), a20 = i16x8.splat(0), am0 = i16x8.splat(0);
        let a11 = i16x8.splat(0), a21 = i16x8.splat(0), am1 = i16x8.splat(0);
        let xp = col + <usize>(kc * rowStride + g0);
        let pe = pn + ((<usize>kc) << 3);
        const pend = pn + ((<usize>ke) << 3);
        while (pe < pend) {
          const tp = <usize>load<u32>(pe);
          const mp = xp + <usize>load<u32>(pe, 4);
          const x0 = v128.load(xp);
          const x1 = v128.load(xp, 16);
          let p0 = i8x16.swizzle(v128.load(tp), x0);
          let p1 = i8x16.swizzle(v128.load(tp), x1);
          for (let h = 1; h < H; h++) {
            const row = v128.load(tp + (<usize>h << 4));
            const sel = i8x16.splat(<i8>(h << 4));
            p0 = i8x16.add(p0, i8x16.swizzle(row, v128.xor(x0, sel)));
            p1 = i8x16.add(p1, i8x16.swizzle(row, v128.xor(x1, sel)));
          }
          let m = v128.load(mp);
          let d = v128.xor(p0, m);
          a10 = i16x8.add(a10, d);
          a20 = i16x8.add(a20, i16x8.shr_u(d, 8));
          am0 = i8x16.sub(am0, m);
          m = v128.load(mp, 16);
          d = v128.xor(p1, m);
          a11 = i16x8.add(a11, d);
          a21 = i16x8.add(a21, i16x8.shr_u(d, 8));
          am1 = i8x16.sub(am1, m);
          xp += rs;
          pe += 8;
        }
        scFlush(a10, a20, am0, og);
        scFlush(a11, a21, am1, og + 64);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Int kernel

/**
 * Int kernel over one paired im2col chunk: col [K2][rowStride][2] i16, T pixels (a multiple of
 * 8); w [Kn][K2] i32 (a (w_2k, w_2k+1) i16 pair each). out: i32 [Kn][T] (overwritten).
 * Register block: 4 output channels x 8 pixels (8 accumulators). A 4 x 12 block (12 accumulators)
 * spills in V8 (16 xmm registers, one reserved) and measured 35% slower.
 */
export function intKernel(col: usize, rowStride: i32, K2: i32, T: i32, w: usize, Kn: i32, out: usize): void {
  const rs = (<usize>rowStride) << 2;
  const wStride = (<usize>K2) << 2;
  for (let t = 0; t < T; t += 8) {
    let n = 0;
    for (; n + 4 <= Kn; n += 4) {
      let c00 = i32x4.splat(0), c01 = i32x4.splat(0);
      let c10 = i32x4.splat(0), c11 = i32x4.splat(0);
      let c20 = i32x4.splat(0), c21 = i32x4.splat(0);
      let c30 = i32x4.splat(0), c31 = i32x4.splat(0);
      let ap = col + ((<usize>t) << 2);
      let wp = w + ((<usize>(n * K2)) << 2);
      const wend = wp + wStride;
      while (wp < wend) {
        const a0 = v128.load(ap);
        const a1 = v128.load(ap, 16);
        let b = v128.load32_splat(wp);
        c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a0, b));
        c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a1, b));
        b = v128.load32_splat(wp + wStride);
        c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a0, b));
        c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a1, b));
        b = v128.load32_splat(wp + 2 * wStride);
        c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a0, b));
        c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a1, b));
        b = v128.load32_splat(wp + 3 * wStride);
        c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a0, b));
        c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a1, b));
        ap += rs;
        wp += 4;
      }
      const o0 = out + ((<usize>(n * T + t)) << 2);
      const oT = (<usize>T) << 2;
      v128.store(o0, c00); v128.store(o0, c01, 16);
      v128.store(o0 + oT, c10); v128.store(o0 + oT, c11, 16);
      v128.store(o0 + 2 * oT, c20); v128.store(o0 + 2 * oT, c21, 16);
      v128.store(o0 + 3 * oT, c30); v128.store(o0 + 3 * oT, c31, 16);
    }
    for (; n < Kn; n++) {
      let c00 = i32x4.splat(0), c01 = i32x4.splat(0);
      let ap = col + ((<usize>t) << 2);
      let wp = w + ((<usize>(n * K2)) << 2);
      const wend = wp + wStride;
      while (wp < wend) {
        const b = v128.load32_splat(wp);
        c00 = i32x4.add(c00, i32x4.dot_i16x8_s(v128.load(ap), b));
        c01 = i32x4.add(c01, i32x4.dot_i16x8_s(v128.load(ap, 16), b));
        ap += rs;
        wp += 4;
      }
      const o0 = out + ((<usize>(n * T + t)) << 2);
      v128.store(o0, c00); v128.store(o0, c01, 16);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Output

/** Copies n i32 from s to d, exactly (no overshoot: the neighbours are final data). */
@inline function copyI32(d: usize, s: usize, n: i32): void {
  let t = 0;
  for (; t + 4 <= n; t += 4) v128.store(d + ((<usize>t) << 2), v128.load(s + ((<usize>t) << 2)));
  for (; t < n; t++) store<i32>(d + ((<usize>t) << 2), load<i32>(s + ((<usize>t) << 2)));
}

/**
 * Copies chunk results (i32 [Kn][T], pixels m0..m1) into the NCHW output i32 [B][Ktot][P*Q] at
 * output channels k0..k0+Kn. Exact-length copies (no overshoot: neighbours are final data).
 */
export function scatterOut(chunk: usize, T: i32, Kn: i32, m0: i32, m1: i32, PQ: i32, Ktot: i32, k0: i32, out: usize): void {
  let m = m0;
  while (m < m1) {
    const b = m / PQ;
    const pq0 = m - b * PQ;
    let L = PQ - pq0;
    if (L > m1 - m) L = m1 - m;
    for (let n = 0; n < Kn; n++) {
      const s = chunk + ((<usize>(n * T + m - m0)) << 2);
      const d = out + ((<usize>((b * Ktot + k0 + n) * PQ + pq0)) << 2);
      copyI32(d, s, L);
    }
    m += L;
  }
}

/**
 * Copies a direct-kernel chunk (i32 [Kn][T], padded-image coordinates: row r of the chunk at
 * r*Wp) into the output: for each channel n and row r < rows, its first Q values go to
 * out + (n*chStride + r*Q)*4 (out points at the chunk's first row of its first channel).
 */
export function scatterRows(chunk: usize, T: i32, Kn: i32, rows: i32, Wp: i32, Q: i32, chStride: i32, out: usize): void {
  for (let n = 0; n < Kn; n++) {
    for (let r = 0; r < rows; r++) {
      const s = chunk + ((<usize>(n * T + r * Wp)) << 2);
      const d = out + ((<usize>(n * chStride + r * Q)) << 2);
      copyI32(d, s, Q);
    }
  }
}
