export { wasmScConv2d, wasmScGemm, wasmTruncConv2d, wasmTruncGemm, type WasmConv2dOptions } from "./sc.ts";
export { wasmIntConv2d, wasmIntGemm } from "./int.ts";
export { nibbleTables, nibbleTablesOf, NIBBLE_KERNEL_MAX_BITS, type NibbleTables } from "./nibble-tables.ts";
export {
  instantiateWasm,
  kernelsWasmBytes,
  kernelVariant,
  relaxedSimdAvailable,
  useKernelVariant,
  wasmBytesFromBase64,
  type KernelVariant,
  type WasmMemory,
} from "./module.ts";
export { deliverInto } from "./layout.ts";
