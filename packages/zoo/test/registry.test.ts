import { describe, expect, it } from "vitest";
import { countMacs, countParams, inferShapes, outputShape, parameterLayerNames } from "@sccnn/nn";
import { getNetwork, getZooEntry, networkIds, registry } from "../src/index.ts";

describe("zoo registry", () => {
  it("registry ids are unique and include the issue's networks", () => {
    const ids = networkIds();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      "lenet5",
      "fashion-cnn",
      "alexnet",
      "vgg16",
      "resnet18",
      "mobilenet-v1",
      "vgg-small-cifar",
      "resnet20-cifar",
    ]) {
      expect(ids).toContain(id);
    }
  });

  for (const entry of registry) {
    const spec = entry.spec;
    const published = spec.published!;

    it(`${spec.id}: inferShapes fits every layer and the output is [classes]`, () => {
      expect(inferShapes(spec).length).toBeGreaterThan(0);
      expect(outputShape(spec)).toEqual([spec.classes]);
      expect(new Set(parameterLayerNames(spec)).size).toBe(parameterLayerNames(spec).length);
    });

    it(`${spec.id}: published counts carry a source and at least one number`, () => {
      expect(published.source.length).toBeGreaterThan(10);
      expect(published.macs !== undefined || published.params !== undefined).toBe(true);
    });

    if (entry.countCheck === "exact") {
      it(`${spec.id}: countMacs and countParams equal the declared counts exactly`, () => {
        expect(countMacs(spec)).toBe(published.macs);
        expect(countParams(spec)).toBe(published.params);
      });
    } else {
      it(`${spec.id}: countMacs and countParams are within 1 % of the published counts`, () => {
        if (published.macs !== undefined) expect(Math.abs(countMacs(spec) / published.macs - 1)).toBeLessThan(0.01);
        if (published.params !== undefined)
          expect(Math.abs(countParams(spec) / published.params - 1)).toBeLessThan(0.01);
      });
    }
  }

  it("recomputed counts of the torchvision networks equal torchvision's exact parameter counts", () => {
    // torchvision's num_params are exact integers, so these must match to the unit.
    expect(countParams(getNetwork("alexnet"))).toBe(61_100_840);
    expect(countParams(getNetwork("vgg16"))).toBe(138_357_544);
    expect(countParams(getNetwork("resnet18"))).toBe(11_689_512);
    expect(countParams(getNetwork("vgg-small-cifar"))).toBe(1_250_858);
  });

  it("a 2 % error in a table would fail the 1 % check (the check can fail)", () => {
    const spec = structuredClone(getNetwork("resnet18"));
    const fc = spec.layers[spec.layers.length - 1];
    if (fc.type !== "linear") throw new Error("expected resnet18 to end with fc");
    fc.outFeatures = 1250; // +256 k params ≈ +2.2 %
    expect(Math.abs(countParams(spec) / spec.published!.params! - 1)).toBeGreaterThan(0.01);
  });

  it("getNetwork(unknown) lists the known ids", () => {
    expect(() => getNetwork("resnet50")).toThrow(`network id: unknown "resnet50"; known: ${networkIds().join(", ")}`);
    expect(getZooEntry("lenet5").spec.dataset).toBe("mnist");
  });

  it("networks with data here (MNIST, Fashion-MNIST, CIFAR-10 from a folder) have a recipe with a seed; ImageNet ones have none", () => {
    for (const id of ["lenet5", "fashion-cnn", "vgg-small-cifar", "resnet20-cifar"])
      expect(getZooEntry(id).training?.seed).toBeTypeOf("number");
    for (const e of registry.filter((x) => x.spec.dataset === "imagenet")) expect(e.training).toBeUndefined();
  });
});
