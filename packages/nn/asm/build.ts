/**
 * Compiles asm/index.ts (AssemblyScript: float GEMM and convolution kernels) and writes the bytes,
 * base64-encoded, into src/engine/kernels.wasm.ts. Run with `pnpm build:wasm` after editing asm/.
 * The policy (committed module, source-match test) is sc-core's: see @sccnn/sc-core/asm/build.
 */
import { fileURLToPath } from "node:url";
import { buildWasmCli, type WasmTarget } from "@sccnn/sc-core/asm/build";

/** nn's float kernels; --initialMemory 16 pages so that small calls never grow memory. */
export const NN_WASM: WasmTarget = {
  pkg: fileURLToPath(new URL("..", import.meta.url)),
  entry: "asm/index.ts",
  flags: ["-O3", "--enable", "simd", "--runtime", "stub", "--noAssert", "--initialMemory", "16"],
  module: "src/engine/kernels.wasm.ts",
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) buildWasmCli(NN_WASM);
