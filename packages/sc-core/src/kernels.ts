/**
 * Inner kernels shared by the GEMM and convolution entry points. Inputs are already validated.
 * Layout: the "stream side" comes transposed, st[kk * ms + s] (column kk of all ms stream rows is
 * contiguous), the "count side" row-major, cnt[c * k + kk]; results are count-row-major,
 * out[c * ms + s] = Σ_kk f(st[kk][s], cnt[c][kk]).
 */

/** Rows of the stream side processed per block (keeps the transformed planes cache-resident). */
const BLOCK = 256;

/**
 * BISC bit-plane kernel: count(x, w) = Σ_j w_j·G_j(x) with G_j(x) = (x >> (N−j)) + ((x >> (N−1−j)) & 1)
 * (see biscPlaneGain). Per block the stream side is expanded into N planes of signed gains
 * sign(x)·G_j(|x|); each count row then adds, for every set bit j of |w|, the plane (j, kk) with
 * sign(w) — zero bits and zero weights cost nothing (sparse shift-add). Eight, then four, then one
 * plane per pass.
 */
export function biscPlaneKernel(
  bits: number,
  st: ArrayLike<number>,
  ms: number,
  cnt: ArrayLike<number>,
  nc: number,
  k: number,
  out: Int32Array,
): void {
  // Stream rows per block: at most 256, and planes capped near 2^20 entries (4 MB) for wide layers.
  const block = Math.max(16, Math.min(BLOCK, 2 ** Math.floor(Math.log2(2 ** 20 / (bits * k)))));
  // Term lists per count row: plane offsets (j * k + kk) * block, split by sign.
  const posStart = new Int32Array(nc + 1);
  const negStart = new Int32Array(nc + 1);
  let nPos = 0;
  let nNeg = 0;
  for (let c = 0; c < nc; c++) {
    for (let kk = 0; kk < k; kk++) {
      const w = cnt[c * k + kk]!;
      let m = w < 0 ? -w : w;
      let pc = 0;
      while (m) {
        m &= m - 1;
        pc++;
      }
      if (w > 0) nPos += pc;
      else nNeg += pc;
    }
  }
  const pos = new Int32Array(nPos);
  const neg = new Int32Array(nNeg);
  nPos = 0;
  nNeg = 0;
  for (let c = 0; c < nc; c++) {
    posStart[c] = nPos;
    negStart[c] = nNeg;
    for (let kk = 0; kk < k; kk++) {
      const w = cnt[c * k + kk]!;
      const m = w < 0 ? -w : w;
      for (let j = 0; j < bits; j++) {
        if ((m >>> j) & 1) {
          const off = (j * k + kk) * block;
          if (w > 0) pos[nPos++] = off;
          else neg[nNeg++] = off;
        }
      }
    }
  }
  posStart[nc] = nPos;
  negStart[nc] = nNeg;

  const planes = new Int32Array(bits * k * block);
  const acc = new Int32Array(block);
  for (let s0 = 0; s0 < ms; s0 += block) {
    const bm = Math.min(block, ms - s0);
    for (let kk = 0; kk < k; kk++) {
      const col = kk * ms + s0;
      for (let ii = 0; ii < bm; ii++) {
        const x = st[col + ii]!;
        const xm = x < 0 ? -x : x;
        for (let j = 0; j < bits; j++) {
          const g = (j === 0 ? 0 : xm >>> (bits - j)) + ((xm >>> (bits - 1 - j)) & 1);
          planes[(j * k + kk) * block + ii] = x < 0 ? -g : g;
        }
      }
    }
    for (let c = 0; c < nc; c++) {
      acc.fill(0, 0, bm);
      accumulate(planes, acc, bm, pos, posStart[c]!, posStart[c + 1]!, 1);
      accumulate(planes, acc, bm, neg, negStart[c]!, negStart[c + 1]!, -1);
      out.set(acc.subarray(0, bm), c * ms + s0);
    }
  }
}

function accumulate(
  planes: Int32Array,
  acc: Int32Array,
  bm: number,
  terms: Int32Array,
  from: number,
  to: number,
  sign: 1 | -1,
): void {
  let p = from;
  if (sign > 0) {
    for (; p + 8 <= to; p += 8) {
      const o0 = terms[p]!,
        o1 = terms[p + 1]!,
        o2 = terms[p + 2]!,
        o3 = terms[p + 3]!;
      const o4 = terms[p + 4]!,
        o5 = terms[p + 5]!,
        o6 = terms[p + 6]!,
        o7 = terms[p + 7]!;
      for (let i = 0; i < bm; i++) {
        acc[i] =
          acc[i]! +
          planes[o0 + i]! +
          planes[o1 + i]! +
          planes[o2 + i]! +
          planes[o3 + i]! +
          planes[o4 + i]! +
          planes[o5 + i]! +
          planes[o6 + i]! +
          planes[o7 + i]!;
      }
    }
    for (; p + 4 <= to; p += 4) {
      const o0 = terms[p]!,
        o1 = terms[p + 1]!,
        o2 = terms[p + 2]!,
        o3 = terms[p + 3]!;
      for (let i = 0; i < bm; i++)
        acc[i] = acc[i]! + planes[o0 + i]! + planes[o1 + i]! + planes[o2 + i]! + planes[o3 + i]!;
    }
    for (; p < to; p++) {
      const o0 = terms[p]!;
      for (let i = 0; i < bm; i++) acc[i] = acc[i]! + planes[o0 + i]!;
    }
  } else {
    for (; p + 8 <= to; p += 8) {
      const o0 = terms[p]!,
        o1 = terms[p + 1]!,
        o2 = terms[p + 2]!,
        o3 = terms[p + 3]!;
      const o4 = terms[p + 4]!,
        o5 = terms[p + 5]!,
        o6 = terms[p + 6]!,
        o7 = terms[p + 7]!;
      for (let i = 0; i < bm; i++) {
        acc[i] =
          acc[i]! -
          planes[o0 + i]! -
          planes[o1 + i]! -
          planes[o2 + i]! -
          planes[o3 + i]! -
          planes[o4 + i]! -
          planes[o5 + i]! -
          planes[o6 + i]! -
          planes[o7 + i]!;
      }
    }
    for (; p + 4 <= to; p += 4) {
      const o0 = terms[p]!,
        o1 = terms[p + 1]!,
        o2 = terms[p + 2]!,
        o3 = terms[p + 3]!;
      for (let i = 0; i < bm; i++)
        acc[i] = acc[i]! - planes[o0 + i]! - planes[o1 + i]! - planes[o2 + i]! - planes[o3 + i]!;
    }
    for (; p < to; p++) {
      const o0 = terms[p]!;
      for (let i = 0; i < bm; i++) acc[i] = acc[i]! - planes[o0 + i]!;
    }
  }
}

/** Entry budget of the signed row tables of the row-LUT kernel (Int32 entries, 16 MB). */
export const ROW_LUT_BUDGET = 2 ** 22;

/** Number of distinct non-zero values of the count side (how many signed rows the row-LUT kernel needs). */
export function distinctNonZero(cnt: ArrayLike<number>, bits: number): number {
  const S = 2 ** bits;
  const seen = new Uint8Array(2 * S - 1);
  let n = 0;
  for (let i = 0; i < cnt.length; i++) {
    const v = cnt[i]!;
    if (v !== 0 && !seen[v + S - 1]) {
      seen[v + S - 1] = 1;
      n++;
    }
  }
  return n;
}

/**
 * Weight-stationary row-LUT kernel (any scheme): for every distinct count value c a signed row
 * R_c[x + 2^N − 1] = sign(x)·sign(c)·count(|x|, |c|) over all signed stream values x is built once
 * per call (the software twin of loading c into the down counter); then each count row adds
 * R_c[x] over the stream block, eight (then four, then one) count values per pass, zeros skipped. One gather and one add
 * per MAC, no per-MAC sign logic. `count(s, c)` is the unsigned product count (stream s, count c).
 */
export function rowLutKernel(
  bits: number,
  count: (s: number, c: number) => number,
  st: ArrayLike<number>,
  ms: number,
  cnt: ArrayLike<number>,
  nc: number,
  k: number,
  out: Int32Array,
): void {
  const S = 2 ** bits;
  const W = 2 * S - 1;
  const rowOf = new Int32Array(W).fill(-1);
  let nrows = 0;
  for (let i = 0; i < nc * k; i++) {
    const v = cnt[i]!;
    if (v !== 0 && rowOf[v + S - 1]! < 0) rowOf[v + S - 1] = nrows++;
  }
  const rows = new Int32Array(nrows * W);
  for (let v = 1 - S; v < S; v++) {
    const r = rowOf[v + S - 1]!;
    if (r < 0) continue;
    const cm = v < 0 ? -v : v;
    const base = r * W + S - 1;
    for (let xm = 0; xm < S; xm++) {
      const c = count(xm, cm);
      rows[base + xm] = v < 0 ? -c : c;
      rows[base - xm] = v < 0 ? c : -c;
    }
    rows[base] = 0;
  }
  const xi = new Int32Array(k * BLOCK);
  const acc = new Int32Array(BLOCK);
  const tCol = new Int32Array(k);
  const tRow = new Int32Array(k);
  for (let s0 = 0; s0 < ms; s0 += BLOCK) {
    const bm = Math.min(BLOCK, ms - s0);
    for (let kk = 0; kk < k; kk++) {
      const src = kk * ms + s0;
      const dst = kk * BLOCK;
      for (let ii = 0; ii < bm; ii++) xi[dst + ii] = st[src + ii]! + S - 1;
    }
    for (let c = 0; c < nc; c++) {
      let nt = 0;
      for (let kk = 0; kk < k; kk++) {
        const v = cnt[c * k + kk]!;
        if (v !== 0) {
          tCol[nt] = kk * BLOCK;
          tRow[nt] = rowOf[v + S - 1]! * W;
          nt++;
        }
      }
      acc.fill(0, 0, bm);
      let p = 0;
      for (; p + 8 <= nt; p += 8) {
        const a0 = tCol[p]!,
          a1 = tCol[p + 1]!,
          a2 = tCol[p + 2]!,
          a3 = tCol[p + 3]!;
        const a4 = tCol[p + 4]!,
          a5 = tCol[p + 5]!,
          a6 = tCol[p + 6]!,
          a7 = tCol[p + 7]!;
        const r0 = tRow[p]!,
          r1 = tRow[p + 1]!,
          r2 = tRow[p + 2]!,
          r3 = tRow[p + 3]!;
        const r4 = tRow[p + 4]!,
          r5 = tRow[p + 5]!,
          r6 = tRow[p + 6]!,
          r7 = tRow[p + 7]!;
        for (let i = 0; i < bm; i++) {
          acc[i] =
            acc[i]! +
            rows[r0 + xi[a0 + i]!]! +
            rows[r1 + xi[a1 + i]!]! +
            rows[r2 + xi[a2 + i]!]! +
            rows[r3 + xi[a3 + i]!]! +
            rows[r4 + xi[a4 + i]!]! +
            rows[r5 + xi[a5 + i]!]! +
            rows[r6 + xi[a6 + i]!]! +
            rows[r7 + xi[a7 + i]!]!;
        }
      }
      for (; p + 4 <= nt; p += 4) {
        const a0 = tCol[p]!,
          a1 = tCol[p + 1]!,
          a2 = tCol[p + 2]!,
          a3 = tCol[p + 3]!;
        const r0 = tRow[p]!,
          r1 = tRow[p + 1]!,
          r2 = tRow[p + 2]!,
          r3 = tRow[p + 3]!;
        for (let i = 0; i < bm; i++) {
          acc[i] =
            acc[i]! +
            rows[r0 + xi[a0 + i]!]! +
            rows[r1 + xi[a1 + i]!]! +
            rows[r2 + xi[a2 + i]!]! +
            rows[r3 + xi[a3 + i]!]!;
        }
      }
      for (; p < nt; p++) {
        const a0 = tCol[p]!,
          r0 = tRow[p]!;
        for (let i = 0; i < bm; i++) acc[i] = acc[i]! + rows[r0 + xi[a0 + i]!]!;
      }
      out.set(acc.subarray(0, bm), c * ms + s0);
    }
  }
}

/**
 * Exact integer kernel (products x·w): for each count row, axpy over the stream columns,
 * eight (then four, then one) columns per pass, zero count values skipped.
 */
export function intKernel(
  st: ArrayLike<number>,
  ms: number,
  cnt: ArrayLike<number>,
  nc: number,
  k: number,
  out: Int32Array,
): void {
  const colT = st instanceof Int32Array ? st : Int32Array.from(st);
  const acc = new Int32Array(BLOCK);
  const idx = new Int32Array(k);
  const val = new Int32Array(k);
  for (let s0 = 0; s0 < ms; s0 += BLOCK) {
    const bm = Math.min(BLOCK, ms - s0);
    for (let c = 0; c < nc; c++) {
      let nz = 0;
      for (let kk = 0; kk < k; kk++) {
        const w = cnt[c * k + kk]!;
        if (w !== 0) {
          idx[nz] = kk * ms + s0;
          val[nz] = w;
          nz++;
        }
      }
      acc.fill(0, 0, bm);
      let p = 0;
      for (; p + 8 <= nz; p += 8) {
        const o0 = idx[p]!,
          o1 = idx[p + 1]!,
          o2 = idx[p + 2]!,
          o3 = idx[p + 3]!;
        const o4 = idx[p + 4]!,
          o5 = idx[p + 5]!,
          o6 = idx[p + 6]!,
          o7 = idx[p + 7]!;
        const w0 = val[p]!,
          w1 = val[p + 1]!,
          w2 = val[p + 2]!,
          w3 = val[p + 3]!;
        const w4 = val[p + 4]!,
          w5 = val[p + 5]!,
          w6 = val[p + 6]!,
          w7 = val[p + 7]!;
        for (let i = 0; i < bm; i++) {
          acc[i] =
            acc[i]! +
            w0 * colT[o0 + i]! +
            w1 * colT[o1 + i]! +
            w2 * colT[o2 + i]! +
            w3 * colT[o3 + i]! +
            w4 * colT[o4 + i]! +
            w5 * colT[o5 + i]! +
            w6 * colT[o6 + i]! +
            w7 * colT[o7 + i]!;
        }
      }
      for (; p + 4 <= nz; p += 4) {
        const o0 = idx[p]!,
          o1 = idx[p + 1]!,
          o2 = idx[p + 2]!,
          o3 = idx[p + 3]!;
        const w0 = val[p]!,
          w1 = val[p + 1]!,
          w2 = val[p + 2]!,
          w3 = val[p + 3]!;
        for (let i = 0; i < bm; i++) {
          acc[i] = acc[i]! + w0 * colT[o0 + i]! + w1 * colT[o1 + i]! + w2 * colT[o2 + i]! + w3 * colT[o3 + i]!;
        }
      }
      for (; p < nz; p++) {
        const o0 = idx[p]!,
          w0 = val[p]!;
        for (let i = 0; i < bm; i++) acc[i] = acc[i]! + w0 * colT[o0 + i]!;
      }
      out.set(acc.subarray(0, bm), c * ms + s0);
    }
  }
}

/**
 * Lookup-table kernel (the reference fast path, any scheme): out += sign · T[|s| * size + |c|],
 * with T the base (stream-major) table.
 */
export function lutKernel(
  table: Int32Array,
  size: number,
  st: ArrayLike<number>,
  ms: number,
  cnt: ArrayLike<number>,
  nc: number,
  k: number,
  out: Int32Array,
): void {
  const sIdx = new Int32Array(ms * k); // row-major over stream rows: |s| * size, sign in a side array
  const sSign = new Int8Array(ms * k);
  for (let kk = 0; kk < k; kk++) {
    for (let s = 0; s < ms; s++) {
      const v = st[kk * ms + s]!;
      sIdx[s * k + kk] = (v < 0 ? -v : v) * size;
      sSign[s * k + kk] = v < 0 ? -1 : 1;
    }
  }
  const cIdx = new Int32Array(nc * k);
  const cSign = new Int8Array(nc * k);
  for (let i = 0; i < nc * k; i++) {
    const v = cnt[i]!;
    cIdx[i] = v < 0 ? -v : v;
    cSign[i] = v < 0 ? -1 : 1;
  }
  for (let c = 0; c < nc; c++) {
    const co = c * k;
    for (let s = 0; s < ms; s++) {
      const so = s * k;
      let sum = 0;
      for (let kk = 0; kk < k; kk++) {
        sum += sSign[so + kk]! * cSign[co + kk]! * table[sIdx[so + kk]! + cIdx[co + kk]!]!;
      }
      out[c * ms + s] = sum;
    }
  }
}

export function transpose(src: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c]!;
  return out;
}
