import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildModel, saveCheckpoint, type NetworkSpec } from "@sccnn/nn";
import { fineTunedName, loadFineTuned, saveFineTuned, type FineTunedTraining } from "../src/finetuned.ts";

const tmp = mkdtempSync(join(tmpdir(), "finetuned-store-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const spec: NetworkSpec = {
  id: "tiny",
  title: "tiny",
  input: [1, 4, 4],
  classes: 3,
  dataset: "mnist",
  layers: [
    { type: "conv", name: "c", outChannels: 2, kernel: 3 },
    { type: "relu" },
    { type: "flatten" },
    { type: "linear", name: "f", outFeatures: 3 },
  ],
};
const training: FineTunedTraining = {
  kind: "sc-aware-fine-tuning",
  network: "tiny",
  arithmetic: "sc-bisc",
  bitsW: 4,
  bitsA: 4,
  quantConfig: { arithmetic: "sc-bisc", bitsW: 4, bitsA: 4, layers: { c: { aClip: 1.5 }, f: { aClip: 2.5 } } },
  recipe: { epochs: 1 },
  log: [],
  command: "test",
};

describe("fine-tuned weights store", () => {
  it("saveFineTuned then loadFineTuned returns the weights and the pinned activation clips", () => {
    const model = buildModel(spec, { seed: 3 });
    const name = fineTunedName("tiny", "sc-bisc", 4, 4);
    expect(name).toBe("tiny-sc-bisc-w4a4");
    saveFineTuned(tmp, name, spec, 3, training, model.weights, null);
    const back = loadFineTuned(tmp, name)!;
    expect(back.training.quantConfig.layers?.f?.aClip).toBe(2.5);
    for (const [k, v] of Object.entries(model.weights)) expect(Array.from(back.weights[k]!)).toEqual(Array.from(v));
  });

  it("loadFineTuned returns null for a missing file and names a checkpoint without quantConfig", () => {
    expect(loadFineTuned(tmp, "absent")).toBeNull();
    const model = buildModel(spec, { seed: 3 });
    saveCheckpoint(join(tmp, "plain.ckpt"), { spec, seed: 3, weights: model.weights, training: null });
    expect(() => loadFineTuned(tmp, "plain")).toThrow(/plain\.ckpt: header \/training has no quantConfig/);
    writeFileSync(join(tmp, "broken.ckpt"), "SCCNN-CK");
    expect(() => loadFineTuned(tmp, "broken")).toThrow(/broken\.ckpt/);
  });
});
