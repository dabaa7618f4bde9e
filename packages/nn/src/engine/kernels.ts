import { tsKernels, type KernelName, type Kernels } from "./gemm.ts";
import { wasmKernels, wasmKernelsAvailable } from "./wasm-kernels.ts";

/**
 * Picks GEMM kernels: "wasm" (WebAssembly SIMD; throws if build/gemm.wasm is missing), "ts" (the
 * plain TypeScript reference) or "auto" (wasm when built, else ts).
 */
export function selectKernels(name: KernelName | "auto" = "auto"): Kernels {
  if (name === "ts") return tsKernels;
  if (name === "wasm") {
    if (!wasmKernelsAvailable())
      wasmKernels.gemm("nn", 0, 0, 0, new Float32Array(0), new Float32Array(0), new Float32Array(0), false); // throws the "run pnpm build" error
    return wasmKernels;
  }
  if (name === "auto") return wasmKernelsAvailable() ? wasmKernels : tsKernels;
  throw new Error(`kernels: expected "ts", "wasm" or "auto", got ${JSON.stringify(name)}`);
}
