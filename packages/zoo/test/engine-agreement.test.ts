import { describe, expect, it } from "vitest";
import { countParams, layerStats, specTensors } from "@sccnn/nn";
import { registry } from "../src/index.ts";

// The engine builds its tensors independently of shapes.ts; both must agree on every table.
// Networks above 15 M parameters are skipped here only to keep memory and time small
// (specTensors allocates the weights); their counts are checked against published numbers.
const small = registry.filter((e) => countParams(e.spec) <= 15e6);

describe("zoo tables vs the engine's model builder", () => {
  it("covers the trained and CIFAR networks", () => {
    expect(small.map((e) => e.spec.id)).toEqual(
      expect.arrayContaining([
        "lenet5",
        "fashion-cnn",
        "resnet20-cifar",
        "vgg-small-cifar",
        "mobilenet-v1",
        "resnet18",
      ]),
    );
  });

  for (const entry of small) {
    it(`${entry.spec.id}: specTensors' parameter sizes sum to countParams and conv/linear weight shapes match layerStats`, () => {
      const tensors = specTensors(entry.spec);
      const params = tensors.filter((t) => t.kind === "param");
      const total = params.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
      expect(total).toBe(countParams(entry.spec));
      for (const l of layerStats(entry.spec)) {
        const w = tensors.find((t) => t.name === `${l.name}.weight`);
        expect(w, `${l.name}.weight`).toBeDefined();
        expect(w!.shape.reduce((a, b) => a * b, 1)).toBe(l.weights);
      }
    });
  }
});
