import { tsKernels, type KernelName, type Kernels } from "./gemm.ts";
import { wasmKernels } from "./wasm-kernels.ts";

/** The kernels a model gets when none are named: the committed WebAssembly SIMD module. */
export const DEFAULT_KERNELS: KernelName = "wasm";

/**
 * Picks GEMM kernels by name: "wasm" (WebAssembly SIMD, the committed module; the default) or "ts"
 * (the plain TypeScript reference). There is no fall-back: the module is committed, so "wasm" is
 * always what runs unless "ts" is asked for, and a model's `kernels.name` says which.
 */
export function selectKernels(name: KernelName = DEFAULT_KERNELS): Kernels {
  if (name === "ts") return tsKernels;
  if (name === "wasm") return wasmKernels;
  throw new Error(`kernels: expected "ts" or "wasm", got ${JSON.stringify(name)}`);
}
