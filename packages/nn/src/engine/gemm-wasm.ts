/**
 * WebAssembly SIMD GEMM (asm/gemm.ts compiled by `pnpm build` into build/gemm.wasm). Operands are
 * copied into the module's linear memory, multiplied there and the result copied back; for the
 * layer sizes of small CNNs the copies cost a few percent of the multiply.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkGemmArgs, type GemmForm, type Kernels } from "./gemm.ts";

export const wasmGemmPath = fileURLToPath(new URL("../../build/gemm.wasm", import.meta.url));

/** The few WebAssembly JS-API members used here (lib "dom" is not loaded in this workspace). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface GemmExports {
  memory: WasmMemory;
  gemmNN(M: number, N: number, K: number, a: number, sai: number, sak: number, b: number, c: number, accumulate: number): void;
  gemmNT(M: number, N: number, K: number, a: number, b: number, c: number, accumulate: number): void;
}

/** First byte the kernels may use (above the module's own static data). */
const HEAP_BASE = 65536;

let instance: GemmExports | null = null;
let heap: Float32Array | null = null;

/** True when build/gemm.wasm exists (run `pnpm build` in packages/nn to create it). */
export function wasmKernelsAvailable(): boolean {
  return existsSync(wasmGemmPath);
}

function load(): GemmExports {
  if (instance) return instance;
  if (!existsSync(wasmGemmPath)) {
    throw new Error(`kernels "wasm": ${wasmGemmPath} is missing; run \`pnpm build\` in packages/nn (asc compiles asm/gemm.ts)`);
  }
  const module = new wasmApi.Module(readFileSync(wasmGemmPath));
  instance = new wasmApi.Instance(module, {}).exports as GemmExports;
  return instance;
}

function ensureHeap(ex: GemmExports, floats: number): Float32Array {
  const bytes = HEAP_BASE + floats * 4;
  const have = ex.memory.buffer.byteLength;
  if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / 65536));
  if (!heap || heap.buffer !== ex.memory.buffer) heap = new Float32Array(ex.memory.buffer);
  return heap;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

export function gemmWasm(form: GemmForm, M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array, accumulate: boolean): void {
  checkGemmArgs(form, M, N, K, A, B, C);
  const ex = load();
  const aLen = M * K, bLen = K * N, cLen = M * N;
  // Offsets in floats from HEAP_BASE, 16-byte aligned.
  const aOff = 0, bOff = align4(aLen), cOff = bOff + align4(bLen);
  const h = ensureHeap(ex, cOff + align4(cLen));
  const base = HEAP_BASE / 4;
  h.set(A.length === aLen ? A : A.subarray(0, aLen), base + aOff);
  h.set(B.length === bLen ? B : B.subarray(0, bLen), base + bOff);
  if (accumulate) h.set(C.subarray(0, cLen), base + cOff);
  const aPtr = HEAP_BASE + aOff * 4, bPtr = HEAP_BASE + bOff * 4, cPtr = HEAP_BASE + cOff * 4;
  if (form === "nt") ex.gemmNT(M, N, K, aPtr, bPtr, cPtr, accumulate ? 1 : 0);
  else if (form === "nn") ex.gemmNN(M, N, K, aPtr, K, 1, bPtr, cPtr, accumulate ? 1 : 0);
  else ex.gemmNN(M, N, K, aPtr, 1, M, bPtr, cPtr, accumulate ? 1 : 0);
  C.set(h.subarray(base + cOff, base + cOff + cLen));
}

export const wasmKernels: Kernels = { name: "wasm", gemm: gemmWasm };
