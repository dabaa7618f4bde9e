import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadDataset } from "@sccnn/datasets";
import { loadCheckpoint, modelCheckpoint, saveCheckpoint } from "@sccnn/nn";
import {
  evaluateCifar10,
  getNetwork,
  resolveCifar10Dir,
  trainCifar10,
  writeCifar10Binary,
  type Cifar10Evaluation,
} from "../src/index.ts";

const fixture = () =>
  writeCifar10Binary(mkdtempSync(join(tmpdir(), "cifar10-bin-")), { trainPerFile: 8, test: 20, seed: 5 });

describe("CIFAR-10 on the binary files", () => {
  it("writeCifar10Binary writes files that loadDataset('cifar10') reads back byte for byte", () => {
    const dir = fixture();
    const train = loadDataset("cifar10", "train", { dir }),
      test = loadDataset("cifar10", "test", { dir });
    expect([train.count, test.count]).toEqual([40, 20]);
    expect(Array.from(train.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    const raw = readFileSync(join(dir, "data_batch_2.bin"));
    // record 0 of file 2 is image 8: label 8, then the red plane's first pixel.
    expect(raw[0]).toBe(8);
    expect(train.images[8 * 3072]).toBe(Math.fround(raw[1] / 255));
    expect(train.images[8 * 3072 + 3071]).toBe(Math.fround(raw[3072] / 255));
  });

  it("resolveCifar10Dir takes --cifar-dir, then CIFAR10_DIR, then SCCNN_CIFAR10_DIR, and says how to give one", () => {
    expect(resolveCifar10Dir("/a", { CIFAR10_DIR: "/b" })).toBe("/a");
    expect(resolveCifar10Dir(undefined, { CIFAR10_DIR: "/b", SCCNN_CIFAR10_DIR: "/c" })).toBe("/b");
    expect(resolveCifar10Dir(undefined, { SCCNN_CIFAR10_DIR: "/c" })).toBe("/c");
    expect(() => resolveCifar10Dir(undefined, {})).toThrow(/pass --cifar-dir .* or set CIFAR10_DIR/);
  });

  it("trainCifar10('resnet20-cifar') runs a training epoch with a finite loss; the checkpoint and evaluateCifar10 agree with the engine", async () => {
    const dir = fixture();
    const r = await trainCifar10("resnet20-cifar", { dir, override: { epochs: 1, batchSize: 8 }, threads: 1 });
    expect(r.trainImages).toBe(40);
    expect(r.history.epochs).toHaveLength(1);
    expect(Number.isFinite(r.history.epochs[0].loss)).toBe(true);
    expect(Number.isFinite(r.testLoss)).toBe(true);
    const path = join(dir, "resnet20.ckpt");
    saveCheckpoint(
      path,
      modelCheckpoint(r.model, { accuracy: { test: r.testAccuracy, dataset: "cifar10", testImages: r.testImages } }),
    );
    const ckpt = loadCheckpoint(path, { spec: getNetwork("resnet20-cifar") });
    const e = evaluateCifar10(ckpt.spec, ckpt.weights, { dir });
    expect(e.images).toBe(20);
    expect(e.perClass.map((c) => c.images)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(e.perClass.reduce((a, c) => a + c.correct, 0)).toBe(e.correct);
    expect(e.correct).toBe(Math.round(r.testAccuracy * 20));
    expect(e.loss).toBeCloseTo(r.testLoss, 10);
  });

  it("trainCifar10 refuses a network that is not a CIFAR-10 network", async () => {
    await expect(trainCifar10("lenet5", { dir: "/nowhere" })).rejects.toThrow(
      /lenet5: dataset is "mnist", not cifar10/,
    );
  });

  it("cifar.ts train vgg-small-cifar (folder from $CIFAR10_DIR) writes a checkpoint that cifar.ts eval --json counts", () => {
    const dir = fixture();
    const script = fileURLToPath(new URL("../scripts/cifar.ts", import.meta.url));
    const ckpt = join(dir, "out", "vgg.ckpt");
    const env = { ...process.env, CIFAR10_DIR: dir, SCCNN_CIFAR10_DIR: "" };
    const log = execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        script,
        "train",
        "vgg-small-cifar",
        "--epochs",
        "1",
        "--batch-size",
        "8",
        "--threads",
        "1",
        "--out",
        ckpt,
      ],
      { encoding: "utf8", env },
    );
    expect(log).toMatch(/^epoch 1: train loss \d+\.\d{4} /);
    expect(log).toMatch(/vgg-small-cifar: 40 training images, float32 test accuracy \d+\.\d\d % \(\d+\/20\)/);
    expect(loadCheckpoint(ckpt).header.accuracy).toMatchObject({ dataset: "cifar10", testImages: 20 });
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", script, "eval", ckpt, "--cifar-dir", dir, "--limit", "15", "--json"],
      { encoding: "utf8", env: { ...process.env, CIFAR10_DIR: "" } },
    );
    const e = JSON.parse(out) as Cifar10Evaluation;
    expect(e).toMatchObject({ network: "vgg-small-cifar", images: 15 });
    expect(e.perClass.reduce((a, c) => a + c.images, 0)).toBe(15);
  });
});
