import { describe, expect, it } from "vitest";
import { configFields, formatConfigFields, schemaType } from "../src/config-help.ts";

describe("configFields", () => {
  it("configFields(schema, config) lists nested fields dotted, follows $defs, takes defaults from the config", () => {
    const schema = {
      type: "object",
      $defs: { bits: { type: "integer", minimum: 2, maximum: 12 } },
      properties: {
        $schema: { type: "string" },
        bits: { type: "array", items: { $ref: "#/$defs/bits" }, description: "Precision N." },
        cost: {
          type: "object",
          properties: { clockHz: { type: "number", description: "Clock", default: 1e8 } },
        },
        networks: { type: "array", items: { anyOf: [{ enum: ["lenet5"] }, { type: "string", pattern: "\\.onnx$" }] } },
      },
    };
    const fields = configFields(schema, { bits: [4, 8], cost: {} });
    expect(fields).toEqual([
      { path: "bits", type: "(integer (2…12))[]", default: "[4,8]", description: "Precision N." },
      { path: "cost.clockHz", type: "number", default: "100000000", description: "Clock" },
      { path: "networks", type: "(lenet5 | string matching \\.onnx$)[]", default: "", description: "" },
    ]);
    expect(formatConfigFields(fields.slice(1, 2))).toBe("  --cost.clock-hz  number  (default 100000000)\n      Clock");
    expect(schemaType({ enum: ["a", 1] })).toBe("a | 1");
  });
});
