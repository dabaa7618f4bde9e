import { describe, expect, it } from "vitest";
import { buildModel } from "@sccnn/nn";
import { canonicalSpec, exportOnnx } from "../src/index.ts";
import { kitchenSink } from "./helpers/kitchen-sink.ts";
import { bytesOf, roundTrip } from "./helpers/round-trip.ts";

describe("exportOnnx → importOnnx round trip", () => {
  it("importOnnx(exportOnnx(a table using every layer type and option)) gives its canonical table and byte-identical outputs", () => {
    const { imported, y, yImported } = roundTrip(kitchenSink, 3);
    expect(imported.spec).toEqual(canonicalSpec(kitchenSink));
    expect(imported.spec.layers.filter((l) => l.type === "flatten")).toHaveLength(1);
    expect(bytesOf(yImported).equals(bytesOf(y))).toBe(true);
  });

  it("exportOnnx(spec, weights) is deterministic: the same bytes on every call", () => {
    const spec = kitchenSink;
    const w = buildModel(spec, { seed: 1, kernels: "ts" }).weights;
    expect(Buffer.from(exportOnnx(spec, w)).equals(Buffer.from(exportOnnx(spec, w)))).toBe(true);
  });

  it("exportOnnx names the missing tensor when a weight is absent", () => {
    const spec = kitchenSink;
    const model = buildModel(spec, { seed: 1, kernels: "ts" });
    const { "fc2.bias": _, ...rest } = model.weights;
    expect(() => exportOnnx(spec, rest)).toThrow(/weights\["fc2\.bias"\] is missing/);
  });
});
