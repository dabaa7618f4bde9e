import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCheckpoint, modelCheckpoint, saveCheckpoint } from "@sccnn/nn";
import { engineConfigOf, getZooEntry, trainNetwork } from "../src/index.ts";

describe("trainNetwork (subset smoke test; full runs are scripts/train.ts)", () => {
  it("engineConfigOf(lenet5 recipe) maps optimiser, schedule and seed to the engine's config", () => {
    const recipe = getZooEntry("lenet5").training!;
    const c = engineConfigOf(recipe);
    expect(c.optimizer).toEqual({
      type: "sgd",
      lr: recipe.learningRate,
      momentum: recipe.momentum,
      weightDecay: recipe.weightDecay,
    });
    expect(c.schedule).toEqual({ type: "cosine" });
    expect(c).toMatchObject({ epochs: recipe.epochs, batchSize: recipe.batchSize, seed: recipe.seed, shards: 2 });
    expect(engineConfigOf({ ...recipe, optimizer: "adam", schedule: "constant" }).optimizer.type).toBe("adam");
  });

  it("trainNetwork('lenet5') on 1 024 images learns (test accuracy well above chance) and is reproducible", async () => {
    const run = () => trainNetwork("lenet5", { override: { epochs: 1, trainLimit: 1024 }, testLimit: 500, threads: 1 });
    const a = await run();
    expect(a.trainImages).toBe(1024);
    expect(a.testImages).toBe(500);
    expect(a.recipe.epochs).toBe(1);
    expect(a.history.epochs).toHaveLength(1);
    expect(a.testAccuracy).toBeGreaterThan(0.5);
    const b = await run();
    expect(b.model.weights["c1.weight"]).toEqual(a.model.weights["c1.weight"]);
    expect(b.testAccuracy).toBe(a.testAccuracy);
    // The checkpoint round trip keeps every tensor.
    const path = join(mkdtempSync(join(tmpdir(), "sccnn-zoo-")), "lenet5.ckpt");
    saveCheckpoint(path, modelCheckpoint(a.model, { accuracy: { test: a.testAccuracy } }));
    expect(loadCheckpoint(path, { spec: getZooEntry("lenet5").spec }).weights["f3.bias"]).toEqual(
      a.model.weights["f3.bias"],
    );
  });

  it("trainNetwork(vgg16) refuses: no training recipe", async () => {
    await expect(trainNetwork("vgg16")).rejects.toThrow(/vgg16: no training recipe/);
  });
});

describe("trainNetwork on CIFAR-10 binary files", () => {
  it("trainNetwork('vgg-small-cifar', { dataDir }) trains and evaluates on a generated CIFAR-10 folder", async () => {
    const { writeFileSync } = await import("node:fs");
    const dir = mkdtempSync(join(tmpdir(), "sccnn-zoo-cifar-"));
    // Two separable classes: class 0 dark images, class 1 bright images, 8 records per batch file.
    const record = (label: number, i: number) => {
      const r = new Uint8Array(3073);
      r[0] = label;
      for (let k = 1; k < 3073; k++) r[k] = label === 0 ? (k * 7 + i) % 60 : 195 + ((k * 7 + i) % 60);
      return r;
    };
    const batch = (offset: number, n: number) => {
      const out = new Uint8Array(n * 3073);
      for (let i = 0; i < n; i++) out.set(record((offset + i) % 2, offset + i), i * 3073);
      return out;
    };
    for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), batch(b * 8, 8));
    writeFileSync(join(dir, "test_batch.bin"), batch(100, 16));
    const r = await trainNetwork("vgg-small-cifar", {
      dataDir: dir,
      override: { epochs: 3, batchSize: 8 },
      threads: 1,
    });
    expect(r.trainImages).toBe(40);
    expect(r.testImages).toBe(16);
    expect(r.history.epochs).toHaveLength(3);
    // Dark vs bright images are separable at a glance: the trained net must beat chance clearly.
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.75);
    expect(Number.isFinite(r.testLoss)).toBe(true);
  });
});
