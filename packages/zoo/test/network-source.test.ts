import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildModel, modelCheckpoint, saveCheckpoint } from "@sccnn/nn";
import { canonicalSpec, exportOnnx } from "@sccnn/onnx";
import { getNetwork, loadNetworkSource, loadTrainedWeights } from "../src/index.ts";

describe("loadNetworkSource", () => {
  it("loadNetworkSource(zoo id with a trained checkpoint) gives its real weights, synthetic false", () => {
    const s = loadNetworkSource("lenet5");
    expect(s).toMatchObject({ kind: "zoo", synthetic: false });
    expect(s.spec).toEqual(getNetwork("lenet5"));
    expect(s.weights!["c1.weight"]).toEqual(loadTrainedWeights("lenet5").weights["c1.weight"]);
  });

  it("loadNetworkSource(zoo id without weights) gives the table only, synthetic true", () => {
    const s = loadNetworkSource("resnet18");
    expect(s).toMatchObject({ kind: "zoo", synthetic: true });
    expect(s.weights).toBeUndefined();
    expect(s.source).toMatch(/synthetic/);
    expect(s.spec).toEqual(getNetwork("resnet18"));
  });

  it("loadNetworkSource(path.onnx) imports the file with its weights, synthetic false", () => {
    const spec = getNetwork("fashion-cnn");
    const m = buildModel(spec, { seed: 2, kernels: "ts" });
    const path = join(mkdtempSync(join(tmpdir(), "onnx-src-")), "my-net.onnx");
    writeFileSync(path, exportOnnx(spec, m.weights));
    const s = loadNetworkSource(path);
    expect(s).toMatchObject({ kind: "onnx", synthetic: false, source: `ONNX file ${path}` });
    expect(s.spec).toEqual(canonicalSpec(spec));
    for (const [k, w] of Object.entries(m.weights)) expect(s.weights![k], k).toEqual(w);
    expect(Object.keys(s.weights!).sort()).toEqual(Object.keys(m.weights).sort());
  });

  it("loadNetworkSource(path.ckpt) reads an engine checkpoint", () => {
    const spec = getNetwork("lenet5");
    const m = buildModel(spec, { seed: 3, kernels: "ts" });
    const path = join(mkdtempSync(join(tmpdir(), "onnx-src-")), "n.ckpt");
    saveCheckpoint(path, modelCheckpoint(m));
    expect(loadNetworkSource(path)).toMatchObject({ kind: "checkpoint", synthetic: false, spec });
  });

  it("loadNetworkSource names the reference and lists the zoo ids when it is neither an id nor a file", () => {
    expect(() => loadNetworkSource("lenet-6")).toThrow(
      /^network "lenet-6": not a zoo id \(known: lenet5, .*\) and not a path ending in \.onnx or \.ckpt/,
    );
    expect(() => loadNetworkSource("/nope/x.onnx")).toThrow("/nope/x.onnx: cannot read (ENOENT)");
  });
});
