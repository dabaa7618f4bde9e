/** What every loader returns. */
export interface Dataset {
  /** Dataset id ("mnist", "fashion-mnist", "cifar10"). */
  id: DatasetId;
  split: Split;
  /** Pixels, N×C×H×W row-major (NCHW), each byte divided by 255 so values lie in [0, 1]. */
  images: Float32Array;
  /** Class index per image, length N. */
  labels: Uint8Array;
  /** Image shape without the batch dimension: [C, H, W]. */
  shape: [number, number, number];
  /** Class names, indexed by label. */
  classes: readonly string[];
  /** Number of images N. */
  count: number;
}

export type DatasetId = "mnist" | "fashion-mnist" | "cifar10";
export type Split = "train" | "test";

export interface LoadOptions {
  /** Keep only the first `limit` images of the split (file order). */
  limit?: number;
  /** Folder holding the data files; overrides the default location (required for cifar10 unless SCCNN_CIFAR10_DIR is set). */
  dir?: string;
}

/** Converts `count` images of `pixelsPerImage` bytes to floats in [0, 1]. */
export function bytesToUnitFloats(bytes: Uint8Array, count: number, pixelsPerImage: number): Float32Array {
  const n = count * pixelsPerImage;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = bytes[i] / 255;
  return out;
}

/** Validates `limit` and returns how many images to keep out of `available`. */
export function resolveLimit(limit: number | undefined, available: number): number {
  if (limit === undefined) return available;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new Error(`limit: expected a non-negative integer, got ${limit}`);
  }
  return Math.min(limit, available);
}
