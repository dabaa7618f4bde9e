/** JSON Schema (draft 2020-12) of a checkpoint header; documented in packages/nn/CHECKPOINT.md. */
const positiveInt = { type: "integer", minimum: 1 } as const;
const nonNegativeInt = { type: "integer", minimum: 0 } as const;
const name = { type: "string", minLength: 1 } as const;

export const checkpointHeaderSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "sccnn-checkpoint-header-v1",
  type: "object",
  required: ["format", "version", "spec", "seed", "tensors", "dataBytes", "training", "accuracy"],
  additionalProperties: false,
  properties: {
    format: { const: "sccnn-checkpoint" },
    version: { const: 1 },
    spec: { $ref: "#/$defs/networkSpec" },
    seed: { type: "integer", minimum: 0, maximum: 4294967295 },
    tensors: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "shape", "kind", "dtype", "offset"],
        additionalProperties: false,
        properties: {
          name,
          shape: { type: "array", items: positiveInt },
          kind: { enum: ["param", "buffer"] },
          dtype: { const: "float32" },
          offset: { type: "integer", minimum: 0, multipleOf: 4 },
        },
      },
    },
    dataBytes: { type: "integer", minimum: 0, multipleOf: 4 },
    training: { type: ["object", "null"] },
    accuracy: {
      type: ["object", "null"],
      additionalProperties: false,
      properties: {
        test: { type: "number", minimum: 0, maximum: 1 },
        train: { type: "number", minimum: 0, maximum: 1 },
        dataset: { type: "string" },
        testImages: nonNegativeInt,
      },
    },
    notes: { type: "string" },
  },
  $defs: {
    networkSpec: {
      type: "object",
      required: ["id", "title", "input", "classes", "dataset", "layers"],
      properties: {
        id: name,
        title: { type: "string" },
        input: { type: "array", items: positiveInt, minItems: 3, maxItems: 3 },
        classes: positiveInt,
        dataset: { type: "string" },
        layers: { $ref: "#/$defs/layers" },
        published: { type: "object" },
      },
    },
    layers: { type: "array", items: { $ref: "#/$defs/layer" } },
    kernel: { oneOf: [positiveInt, { type: "array", items: positiveInt, minItems: 2, maxItems: 2 }] },
    layer: {
      type: "object",
      required: ["type"],
      properties: {
        type: {
          enum: [
            "conv",
            "linear",
            "relu",
            "relu6",
            "sigmoid",
            "tanh",
            "maxpool",
            "avgpool",
            "gap",
            "batchnorm",
            "flatten",
            "dropout",
            "residual",
            "concat",
          ],
        },
      },
      allOf: [
        {
          if: { properties: { type: { const: "conv" } } },
          then: {
            required: ["name", "outChannels", "kernel"],
            properties: {
              name,
              outChannels: positiveInt,
              kernel: { $ref: "#/$defs/kernel" },
              stride: positiveInt,
              padding: nonNegativeInt,
              groups: positiveInt,
              bias: { type: "boolean" },
            },
          },
        },
        {
          if: { properties: { type: { const: "linear" } } },
          then: {
            required: ["name", "outFeatures"],
            properties: { name, outFeatures: positiveInt, bias: { type: "boolean" } },
          },
        },
        {
          if: { properties: { type: { enum: ["maxpool", "avgpool"] } } },
          then: {
            required: ["kernel"],
            properties: { kernel: positiveInt, stride: positiveInt, padding: nonNegativeInt },
          },
        },
        {
          if: { properties: { type: { const: "avgpool" } } },
          then: { properties: { countIncludePad: { type: "boolean" } } },
        },
        {
          if: { properties: { type: { const: "concat" } } },
          then: {
            required: ["branches"],
            properties: { branches: { type: "array", minItems: 2, items: { $ref: "#/$defs/layers" } } },
          },
        },
        { if: { properties: { type: { const: "batchnorm" } } }, then: { required: ["name"], properties: { name } } },
        {
          if: { properties: { type: { const: "dropout" } } },
          then: { required: ["p"], properties: { p: { type: "number", minimum: 0, exclusiveMaximum: 1 } } },
        },
        {
          if: { properties: { type: { const: "residual" } } },
          then: {
            required: ["body"],
            properties: { body: { $ref: "#/$defs/layers" }, shortcut: { $ref: "#/$defs/layers" } },
          },
        },
      ],
    },
  },
} as const;
