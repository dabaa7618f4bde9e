/**
 * IDX file parsing (the format of MNIST and Fashion-MNIST, http-free description: Y. LeCun's MNIST
 * page). Layout: magic = 0x00 0x00 <type> <dimension count>, then one big-endian uint32 per
 * dimension, then the data in row-major order. Only type 0x08 (unsigned byte) is used by the
 * datasets here, so it is the only one accepted.
 */
import { gunzipSync } from "node:zlib";
import { readFileSync, existsSync } from "node:fs";

export interface IdxArray {
  /** Dimension sizes from the header, e.g. [60000, 28, 28]. */
  dims: number[];
  /** The payload (a view into the file buffer), length = product of dims. */
  data: Uint8Array;
}

/** IDX type code for unsigned bytes. */
const IDX_UBYTE = 0x08;

/**
 * Parses an IDX buffer. `file` is only used in error messages. `expectedDims` (the number of
 * dimensions the caller needs, e.g. 3 for images, 1 for labels) is checked when given.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedDims?: number): IdxArray {
  if (bytes.length < 4) {
    throw new Error(`${file}: not an IDX file: ${bytes.length} bytes, shorter than the 4-byte magic number`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    throw new Error(`${file}: bad IDX magic number 0x${magic}: the first two bytes must be 0x0000`);
  }
  if (bytes[2] !== IDX_UBYTE) {
    throw new Error(
      `${file}: unsupported IDX data type 0x${bytes[2].toString(16).padStart(2, "0")} (only 0x08, unsigned byte, is supported)`,
    );
  }
  const nDims = bytes[3];
  if (nDims === 0) throw new Error(`${file}: IDX header declares 0 dimensions`);
  if (expectedDims !== undefined && nDims !== expectedDims) {
    throw new Error(`${file}: IDX header declares ${nDims} dimensions, expected ${expectedDims}`);
  }
  const headerBytes = 4 + 4 * nDims;
  if (bytes.length < headerBytes) {
    throw new Error(
      `${file}: truncated IDX header: ${bytes.length} bytes, the ${nDims}-dimension header needs ${headerBytes}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < nDims; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    dims.push(n);
    size *= n;
  }
  const payload = bytes.length - headerBytes;
  if (payload !== size) {
    const what = payload < size ? "truncated" : "has trailing bytes";
    throw new Error(`${file}: ${what}: header dims [${dims.join(", ")}] need ${size} data bytes, file has ${payload}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Reads and parses an IDX file; a name ending in `.gz` is gunzipped first. */
export function readIdxFile(file: string, expectedDims?: number): IdxArray {
  if (!existsSync(file)) throw new Error(`${file}: file not found`);
  let bytes: Uint8Array = readFileSync(file);
  if (file.endsWith(".gz")) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${file}: cannot gunzip: ${(e as Error).message}`);
    }
  }
  return parseIdx(bytes, file, expectedDims);
}

/**
 * Reads an IDX image file and its label file and checks they agree. Images must be
 * [N, H, W] and labels [N] with every label < `classCount`.
 */
export function readIdxPair(
  imagesFile: string,
  labelsFile: string,
  classCount: number,
): { count: number; height: number; width: number; pixels: Uint8Array; labels: Uint8Array } {
  const images = readIdxFile(imagesFile, 3);
  const labels = readIdxFile(labelsFile, 1);
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count) {
    throw new Error(`${labelsFile}: ${labels.dims[0]} labels but ${imagesFile} has ${count} images`);
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] >= classCount) {
      throw new Error(`${labelsFile}: label ${labels.data[i]} at index ${i} is out of range 0..${classCount - 1}`);
    }
  }
  return { count, height, width, pixels: images.data, labels: labels.data };
}
