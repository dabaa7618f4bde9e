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
    expect(c.optimizer).toEqual({ type: "sgd", lr: recipe.learningRate, momentum: recipe.momentum, weightDecay: recipe.weightDecay });
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
    expect(loadCheckpoint(path, { spec: getZooEntry("lenet5").spec }).weights["f3.bias"]).toEqual(a.model.weights["f3.bias"]);
  });

  it("trainNetwork(vgg16) refuses: no training recipe", async () => {
    await expect(trainNetwork("vgg16")).rejects.toThrow(/vgg16: no training recipe/);
  });
});
