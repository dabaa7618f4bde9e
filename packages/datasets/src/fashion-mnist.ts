import { existsSync } from "node:fs";
import { join } from "node:path";
import { readIdxPair } from "./idx.ts";
import { idxFileNames } from "./mnist.ts";
import { bytesToUnitFloats, resolveLimit, type Dataset, type LoadOptions, type Split } from "./dataset.ts";

/** Class names in label order (Xiao, Rasul & Vollgraf 2017, Fashion-MNIST README). */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/** Where the Debian package `dataset-fashion-mnist` installs the gzipped IDX files. */
export const FASHION_MNIST_DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

/** Loads Fashion-MNIST (60 000 train / 10 000 test, 1×28×28) from gzipped IDX files. */
export function loadFashionMnist(split: Split, options: LoadOptions = {}): Dataset {
  const dir = options.dir ?? FASHION_MNIST_DEBIAN_DIR;
  const names = idxFileNames(split, ".gz");
  const imagesFile = join(dir, names.images);
  if (!existsSync(imagesFile)) {
    throw new Error(
      `Fashion-MNIST not found at ${imagesFile}: install it with \`apt-get install dataset-fashion-mnist\``,
    );
  }
  const raw = readIdxPair(imagesFile, join(dir, names.labels), FASHION_MNIST_CLASSES.length);
  const count = resolveLimit(options.limit, raw.count);
  return {
    id: "fashion-mnist",
    split,
    images: bytesToUnitFloats(raw.pixels, count, raw.height * raw.width),
    labels: raw.labels.slice(0, count),
    shape: [1, raw.height, raw.width],
    classes: FASHION_MNIST_CLASSES,
    count,
  };
}
