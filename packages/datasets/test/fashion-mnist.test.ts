import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FASHION_MNIST, skipWithout } from "@sccnn/test-support";
import { FASHION_MNIST_CLASSES, loadDataset, type Dataset } from "../src/index.ts";

describe("Fashion-MNIST (Debian dataset-fashion-mnist)", () => {
  const loaded = new Map<string, Dataset>();
  const split = (name: "train" | "test") => {
    if (!loaded.has(name)) loaded.set(name, loadDataset("fashion-mnist", name));
    return loaded.get(name)!;
  };

  it("loadDataset('fashion-mnist', split) returns 60 000 / 10 000 images of shape [1, 28, 28]", (ctx) => {
    skipWithout(ctx, FASHION_MNIST);
    const [train, test] = [split("train"), split("test")];
    expect(train.count).toBe(60000);
    expect(test.count).toBe(10000);
    expect(test.shape).toEqual([1, 28, 28]);
    expect(test.images.length).toBe(10000 * 784);
    expect(test.classes).toEqual(FASHION_MNIST_CLASSES);
  });

  it("loadDataset('fashion-mnist', split) has the balanced histogram of Fashion-MNIST (6 000 / 1 000 per class)", (ctx) => {
    skipWithout(ctx, FASHION_MNIST);
    const [train, test] = [split("train"), split("test")];
    const h = (labels: Uint8Array) => {
      const c = new Array<number>(10).fill(0);
      for (const l of labels) c[l]++;
      return c;
    };
    expect(h(train.labels)).toEqual(new Array(10).fill(6000));
    expect(h(test.labels)).toEqual(new Array(10).fill(1000));
  });

  it("loadDataset('fashion-mnist', 'test') starts with the published first labels (ankle boot, pullover, trouser)", (ctx) => {
    skipWithout(ctx, FASHION_MNIST);
    expect(Array.from(split("test").labels.subarray(0, 3))).toEqual([9, 2, 1]);
  });

  it("loadDataset('fashion-mnist') in a folder without the files says how to install them, on one line", () => {
    const dir = mkdtempSync(join(tmpdir(), "sccnn-fashion-"));
    let message = "";
    try {
      loadDataset("fashion-mnist", "test", { dir });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /Fashion-MNIST not found at .*t10k-images-idx3-ubyte\.gz: install it with `apt-get install dataset-fashion-mnist`/,
    );
    expect(message).not.toContain("\n");
  });
});
