import type { ConvGeometry } from "../conv2d.ts";

/** Output pixels per im2col chunk (a multiple of both kernels' pixel blocks). */
export const CHUNK_PIXELS = 192;
/** Padded pixels per chunk of the direct SC kernel (whole padded rows, at least one). */
export const DIRECT_CHUNK_PIXELS = 1024;

/** Output rows per chunk of the direct SC kernel: whole padded rows, about DIRECT_CHUNK_PIXELS. */
export function directRows(g: ConvGeometry): number {
  return Math.min(g.P, Math.max(1, Math.floor(DIRECT_CHUNK_PIXELS / (g.W + 2 * g.padding))));
}

/**
 * Whether an SC convolution with non-negative inputs runs on the direct kernel
 * (scKernelUnsignedDirect), which reads the padded input planes in place instead of an im2col copy:
 * stride 1, and at most 5/4 of the output pixels computed, since the kernel computes every column
 * of a padded row (Wp for Q) and whole 32-pixel blocks per chunk, against the copy it saves.
 */
export function directSc(g: ConvGeometry): boolean {
  if (g.stride !== 1) return false;
  const wp = g.W + 2 * g.padding;
  const rows = directRows(g);
  const full = Math.floor(g.P / rows);
  const last = g.P - full * rows;
  const computed = full * chunkWidth(rows * wp, SC_BLOCK) + (last > 0 ? chunkWidth(last * wp, SC_BLOCK) : 0);
  return 4 * computed <= 5 * g.P * g.Q;
}

/** Pixels per register block: SC kernel (two i8x16 groups), int kernel (two i32x4). */
export const SC_BLOCK = 32;
/** scKernelUnsigned's block: it ends on a half block of 16 pixels where a chunk needs it. */
export const SC_UNSIGNED_BLOCK = 16;
export const INT_BLOCK = 8;

/** Pixels computed for a chunk of `valid` pixels: rounded up to the kernel's block. */
export function chunkWidth(valid: number, block: number): number {
  return Math.ceil(valid / block) * block;
}

/**
 * Arguments (planes, H, W) for the input-plane converters: with no padding the planes are
 * contiguous, so they are converted as one long row (vectorised even when W < 16).
 */
export function planeRows(planes: number, h: number, w: number, padding: number): [number, number, number] {
  return padding === 0 ? [1, 1, planes * h * w] : [planes, h, w];
}

/**
 * Offsets (in elements) of every filter tap k = (c·R + r)·S + s of one group inside a zero-padded
 * image plane stack [C][Hp][Wp]: (c·Hp + r)·Wp + s.
 */
export function tapOffsets(g: ConvGeometry): Int32Array {
  const hp = g.H + 2 * g.padding;
  const wp = g.W + 2 * g.padding;
  const koff = new Int32Array(g.Cg * g.R * g.S);
  for (let c = 0; c < g.Cg; c++) {
    for (let r = 0; r < g.R; r++) for (let s = 0; s < g.S; s++) koff[(c * g.R + r) * g.S + s] = (c * hp + r) * wp + s;
  }
  return koff;
}

/** An Int32Array view of `values`, converted (after the caller validated it) when needed. */
export function asInt32(values: ArrayLike<number>): Int32Array {
  return values instanceof Int32Array ? values : Int32Array.from(values);
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (a > m) m = a;
  }
  return m;
}

/**
 * The kernel's result at byte offset `at` of the module memory: copied into `into` when given
 * (its length must be `n`), else into a new array.
 */
export function resultArray(buffer: ArrayBuffer, at: number, n: number, into?: Int32Array): Int32Array {
  const view = new Int32Array(buffer, at, n);
  if (!into) return view.slice();
  into.set(view);
  return into;
}

/** Checks a caller's output buffer (`out` option) against the result length; returns it. */
export function checkOut(out: Int32Array | undefined, n: number, what: string): Int32Array | undefined {
  if (out === undefined) return undefined;
  if (!(out instanceof Int32Array)) throw new TypeError(`out must be an Int32Array`);
  if (out.length !== n) throw new RangeError(`out has ${out.length} elements; the ${what} has ${n}`);
  return out;
}

/**
 * `data` delivered in the caller's output buffer when one is given (a TypeScript fallback's
 * result, or a backend's): returned as is when `into` is absent or is `data`, else copied into
 * `into`, whose length must match.
 */
export function deliverInto(data: Int32Array, into?: Int32Array): Int32Array {
  if (!into || into === data) return data;
  if (into.length !== data.length)
    throw new RangeError(`out has ${into.length} elements; the result has ${data.length}`);
  into.set(data);
  return into;
}
