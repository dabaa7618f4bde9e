import { describe, expect, it } from "vitest";
import { checkCorpusFile, corpusManifest } from "./helpers/corpus.ts";

const manifest = corpusManifest();

describe("the ONNX corpus (PyTorch and onnx.helper exports) imports and matches onnxruntime", () => {
  it("the manifest lists the two files issue 17 failed on and both exporters", () => {
    const files = manifest.map((e) => e.file);
    expect(files).toContain("avg-pool2d-pad.onnx");
    expect(files).toContain("view-size0-batch1.onnx");
    expect(files).toContain("issue17-net-batch1.onnx");
    expect(new Set(manifest.map((e) => e.exporter.split(" ")[0]))).toEqual(new Set(["torch", "onnx"]));
  });

  for (const entry of manifest) {
    it(`importOnnx(${entry.file}) runs within 1e-4 of onnxruntime on 4 images (${entry.exercises})`, async () => {
      const r = await checkCorpusFile(entry, 4);
      expect(r.imported.spec.input).toEqual(entry.input);
      expect(r.maxAbsDiff).toBeLessThanOrEqual(1e-4 * Math.max(1, r.maxAbsOutput));
      expect(r.argmaxAgree).toBe(4);
    });
  }
});
