import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bytesToUnitFloats, resolveLimit, type Dataset, type LoadOptions, type Split } from "./dataset.ts";

/** Class names in label order (batches.meta.txt of the CIFAR-10 binary version). */
export const CIFAR10_CLASSES: readonly string[] = [
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
];

/** Environment variable naming the folder of the CIFAR-10 binary files when no `dir` is given. */
export const CIFAR10_DIR_ENV = "SCCNN_CIFAR10_DIR";

/** One record: 1 label byte, then 3072 pixel bytes (1024 red, 1024 green, 1024 blue, rows of 32). */
export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;

/** Files of each split in the CIFAR-10 binary version ("cifar-10-batches-bin"). */
export function cifar10Files(split: Split): string[] {
  return split === "train" ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ["test_batch.bin"];
}

/**
 * Loads CIFAR-10 from the binary version's files in `options.dir` (or $SCCNN_CIFAR10_DIR).
 * The record layout is already channel-major, so it maps to NCHW [3, 32, 32] directly.
 */
export function loadCifar10(split: Split, options: LoadOptions = {}): Dataset {
  const dir = options.dir ?? process.env[CIFAR10_DIR_ENV];
  if (dir === undefined || dir === "") {
    throw new Error(
      `cifar10: no folder given: pass { dir } or set ${CIFAR10_DIR_ENV} to the folder holding data_batch_1.bin … test_batch.bin`,
    );
  }
  const files = cifar10Files(split).map((f) => join(dir, f));
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (const file of files) {
    if (!existsSync(file))
      throw new Error(`${file}: file not found (CIFAR-10 ${split} split needs ${cifar10Files(split).join(", ")})`);
    const bytes = readFileSync(file);
    if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
      throw new Error(
        `${file}: size ${bytes.length} bytes is not a positive multiple of the ${CIFAR10_RECORD_BYTES}-byte CIFAR-10 record`,
      );
    }
    chunks.push(bytes);
    total += bytes.length / CIFAR10_RECORD_BYTES;
  }
  const count = resolveLimit(options.limit, total);
  const pixelsPerImage = CIFAR10_RECORD_BYTES - 1;
  const pixels = new Uint8Array(count * pixelsPerImage);
  const labels = new Uint8Array(count);
  let n = 0;
  for (let f = 0; f < chunks.length && n < count; f++) {
    const bytes = chunks[f];
    for (let r = 0; r * CIFAR10_RECORD_BYTES < bytes.length && n < count; r++, n++) {
      const at = r * CIFAR10_RECORD_BYTES;
      const label = bytes[at];
      if (label >= CIFAR10_CLASSES.length) {
        throw new Error(`${files[f]}: record ${r} has label ${label}, out of range 0..9`);
      }
      labels[n] = label;
      pixels.set(bytes.subarray(at + 1, at + CIFAR10_RECORD_BYTES), n * pixelsPerImage);
    }
  }
  return {
    id: "cifar10",
    split,
    images: bytesToUnitFloats(pixels, count, pixelsPerImage),
    labels,
    shape: [3, 32, 32],
    classes: CIFAR10_CLASSES,
    count,
  };
}
