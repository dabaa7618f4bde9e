import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Each test spawns tsx processes that load data sets: minutes on a busy 2-core machine.
import { loadDataset } from "@sccnn/datasets";
import { accuracyOf, buildModel } from "@sccnn/nn";
import { loadTrainedWeights } from "../src/index.ts";

const script = fileURLToPath(new URL("../scripts/eval.ts", import.meta.url));
const corpus = (f: string) => fileURLToPath(new URL(`../../onnx/corpus/${f}`, import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8" });

describe("scripts/eval.ts (pnpm eval)", () => {
  it("eval lenet5 --limit 300 --json counts what the engine counts on the first 300 MNIST test images, with a Wilson interval and progress on stderr", () => {
    const r = run(["lenet5", "--limit", "300", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const { spec, weights } = loadTrainedWeights("lenet5");
    const model = buildModel(spec, { seed: 0 });
    model.loadWeights(weights);
    const test = loadDataset("mnist", "test", { limit: 300 });
    const ref = accuracyOf(model.forward(test.images).data, test.labels, 10);
    expect(out).toMatchObject({ network: "lenet5", dataset: "mnist", images: 300, arithmetic: "float32" });
    expect(out.correct).toBe(ref.correct);
    expect(out.interval95Pct[0]).toBeLessThan(out.accuracyPct);
    expect(out.interval95Pct[1]).toBeGreaterThan(out.accuracyPct);
    expect(r.stderr).toMatch(/eval lenet5: 300\/300 \(100 %\), [\d.]+ images\/s, ETA 0 s/);
  }, 240_000);

  it("eval <file.onnx> --dataset mnist --arithmetic sc-bisc warns that sigmoid and tanh run in float", () => {
    const r = run([
      corpus("sigmoid-tanh.onnx"),
      "--dataset",
      "mnist",
      "--arithmetic",
      "sc-bisc",
      "--bits",
      "4",
      "--limit",
      "20",
      "--calibration",
      "20",
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: sigmoid-tanh has sigmoid and tanh layers; sc-bisc evaluates them in float/);
    expect(r.stdout).toMatch(/^sigmoid-tanh on mnist test \(20 images\), sc-bisc N=4: accuracy/);
  }, 240_000);

  it("eval refuses a file network without a data set, a bad arithmetic and a data set of the wrong shape in one line, exit 2", () => {
    const noSet = run([corpus("view-size0-batch1.onnx")]);
    expect(noSet.status).toBe(2);
    expect(noSet.stderr).toMatch(/records no data set we can load \("unknown"\); pass --dataset/);
    const bad = run(["lenet5", "--arithmetic", "sc-foo"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^eval: --arithmetic: "sc-foo" is not one of float32, fixed/);
    const shape = run([corpus("bn-positions.onnx"), "--dataset", "mnist"]);
    expect(shape.status).toBe(2);
    expect(shape.stderr).toMatch(/--dataset mnist: its images have 784 values, bn-positions takes \[3, 11, 11\]/);
  }, 240_000);
});

describe("scripts/check-onnxruntime.ts (pnpm onnx:check)", () => {
  const check = fileURLToPath(new URL("../scripts/check-onnxruntime.ts", import.meta.url));
  const runCheck = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", check, ...args], { encoding: "utf8" });

  it("onnx:check compares on real test images by default, on noise only with --random or without a data set, and says which", () => {
    const real = runCheck(["lenet5", "--images", "16"]);
    expect(real.status, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/on our export\): the first 16 mnist test images: .* argmax agree 16\/16/);
    const noise = runCheck(["lenet5", "--images", "4", "--random"]);
    expect(noise.stdout).toContain("4 seeded uniform-noise images (--random)");
    const file = runCheck([corpus("view-size0-batch1.onnx"), "--images", "3"]);
    expect(file.status, file.stderr).toBe(0);
    expect(file.stdout).toMatch(
      /on the file itself\): 3 seeded uniform-noise images \(data set "unknown" not loadable.*pass --dataset\)/,
    );
  }, 240_000);
});
