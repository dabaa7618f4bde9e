export { onnx, floatTensor, int64Tensor, readFloatTensor, readInt64Tensor, type FloatTensor } from "./proto.ts";
export { canonicalSpec } from "./canonical-spec.ts";
export {
  exportOnnx,
  exportOnnxModel,
  EXPORT_OPSET,
  EXPORT_IR_VERSION,
  SPEC_METADATA_KEY,
  INPUT_NAME,
  OUTPUT_NAME,
  type ExportOnnxOptions,
} from "./export-onnx.ts";
export {
  importOnnx,
  importOnnxFile,
  OnnxImportError,
  SUPPORTED_OPERATORS,
  type ImportOnnxOptions,
  type ImportedNetwork,
} from "./import-onnx.ts";
