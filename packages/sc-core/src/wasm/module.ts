/**
 * The compiled kernel module (asm/kernels.ts) instantiated once, synchronously, plus a bump
 * allocator over its linear memory. Kernels run synchronously on one thread, so every call lays
 * out its buffers from the start of the heap again.
 */
import { KERNELS_RELAXED_WASM_BASE64 } from "./kernels-relaxed.wasm.ts";
import { KERNELS_WASM_BASE64 } from "./kernels.wasm.ts";

/** The few WebAssembly JS-API members used here (lib "dom" is not loaded in this workspace). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The bytes of a committed module (the base64 string asm/build.ts generates). */
export function wasmBytesFromBase64(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * Instantiates a committed module synchronously (no imports). The one loader of the workspace's
 * WebAssembly policy (see asm/build.ts): the module is always present, so the only failure is a
 * JavaScript environment without WebAssembly, which is refused by name.
 */
export function instantiateWasm<T>(base64: string, what: string): T {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error(`${what}: WebAssembly is not available in this JavaScript environment`);
  return new api.Instance(new api.Module(wasmBytesFromBase64(base64)), {}).exports as T;
}

/** Exports of asm/kernels.ts; pointers are byte offsets (see the comments there). */
export interface KernelExports {
  memory: WasmMemory;
  scInputPlanes(
    src: number,
    planes: number,
    h: number,
    w: number,
    pad: number,
    shift: number,
    loMask: number,
    dst: number,
    planeBytes: number,
  ): number;
  scProgram(
    w: number,
    n: number,
    tab: number,
    negTab: number,
    stride: number,
    pos: number,
    neg: number,
    dst: number,
  ): number;
  intInputPlanes(src: number, planes: number, h: number, w: number, pad: number, dst: number): number;
  scIm2col(
    src: number,
    planeBytes: number,
    c: number,
    c0: number,
    hp: number,
    wp: number,
    p: number,
    q: number,
    stride: number,
    koff: number,
    k: number,
    m0: number,
    m1: number,
    dst: number,
    rowStride: number,
    dstPlaneBytes: number,
    signs: number,
  ): void;
  intIm2col(
    src: number,
    c: number,
    c0: number,
    hp: number,
    wp: number,
    p: number,
    q: number,
    stride: number,
    koff: number,
    k: number,
    m0: number,
    m1: number,
    dst: number,
    rowStride: number,
  ): void;
  scKernel(
    col: number,
    planeBytes: number,
    rowStride: number,
    k: number,
    t: number,
    prog: number,
    kn: number,
    out: number,
  ): void;
  scKernelUnsigned(
    col: number,
    planeBytes: number,
    rowStride: number,
    k: number,
    t: number,
    prog: number,
    kn: number,
    out: number,
  ): void;
  scKernelUnsignedDirect(
    x: number,
    planeBytes: number,
    koff: number,
    k: number,
    t: number,
    prog: number,
    kn: number,
    out: number,
  ): void;
  scTableKernel(
    col: number,
    planeBytes: number,
    rowStride: number,
    k: number,
    t: number,
    prog: number,
    kn: number,
    out: number,
    h: number,
  ): void;
  intKernel(col: number, rowStride: number, k2: number, t: number, w: number, kn: number, out: number): void;
  scatterOut(
    chunk: number,
    t: number,
    kn: number,
    m0: number,
    m1: number,
    pq: number,
    ktot: number,
    k0: number,
    out: number,
  ): void;
  scatterRows(
    chunk: number,
    t: number,
    kn: number,
    rows: number,
    wp: number,
    q: number,
    chStride: number,
    out: number,
  ): void;
}

const PAGE = 65536;
/** First heap byte: above anything the module could place in memory itself. */
const HEAP_BASE = PAGE;

/**
 * The two committed builds of asm/kernels.ts: "relaxed-simd" (nibble lookups by
 * i8x16.relaxed_swizzle, ~1.25x faster SC layers on x64) and "simd". They give the same results
 * (see lookup16 in asm/kernels.ts; every SC kernel test runs on both).
 */
export type KernelVariant = "relaxed-simd" | "simd";

/** (module (func (param v128 v128) (result v128) local.get 0 local.get 1 i8x16.relaxed_swizzle)) */
const RELAXED_PROBE = Uint8Array.from([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 123, 123, 1, 123, 3, 2, 1, 0, 10, 11, 1, 9, 0, 32, 0, 32, 1, 253, 128, 2,
  11,
]);

let relaxed: boolean | null = null;

/**
 * Whether this engine takes relaxed SIMD. Node 20 (V8 11.3) has it behind
 * --experimental-wasm-relaxed-simd (on by default from V8 11.4, Node 22, Chrome 114): this turns
 * that flag on for the process, before any relaxed module is compiled, unless the environment
 * says SCCNN_WASM=simd. Browsers without the feature, and that setting, get the "simd" build.
 */
export function relaxedSimdAvailable(): boolean {
  if (relaxed !== null) return relaxed;
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  const proc = (
    globalThis as unknown as {
      process?: {
        env?: Record<string, string | undefined>;
        getBuiltinModule?: (id: string) => { setFlagsFromString?: (flags: string) => void } | undefined;
      };
    }
  ).process;
  if (!api || proc?.env?.SCCNN_WASM === "simd") return (relaxed = false);
  if (!api.validate(RELAXED_PROBE))
    proc?.getBuiltinModule?.("node:v8")?.setFlagsFromString?.("--experimental-wasm-relaxed-simd");
  return (relaxed = api.validate(RELAXED_PROBE));
}

let forced: KernelVariant | null = null;
const exportsCache = new Map<KernelVariant, KernelExports>();

/** The build kernels run on: "relaxed-simd" where the engine takes it, else "simd" (or as forced). */
export function kernelVariant(): KernelVariant {
  return forced ?? (relaxedSimdAvailable() ? "relaxed-simd" : "simd");
}

/**
 * Runs the kernels on one build ("auto": the default choice) — for tests, which check both, and
 * benchmarks. Refuses "relaxed-simd" where the engine does not take it.
 */
export function useKernelVariant(v: KernelVariant | "auto"): void {
  if (v === "relaxed-simd" && !relaxedSimdAvailable())
    throw new Error('useKernelVariant: this JavaScript engine does not take relaxed SIMD (or SCCNN_WASM is "simd")');
  forced = v === "auto" ? null : v;
}

/** The bytes of the compiled module ("simd" build unless another is named). */
export function kernelsWasmBytes(v: KernelVariant = "simd"): Uint8Array {
  return wasmBytesFromBase64(v === "simd" ? KERNELS_WASM_BASE64 : KERNELS_RELAXED_WASM_BASE64);
}

/** The instantiated kernel module of the current variant (each compiled on first use). */
export function kernelExports(): KernelExports {
  const v = kernelVariant();
  let ex = exportsCache.get(v);
  if (!ex) {
    ex = instantiateWasm<KernelExports>(
      v === "simd" ? KERNELS_WASM_BASE64 : KERNELS_RELAXED_WASM_BASE64,
      `sc-core kernels (${v})`,
    );
    exportsCache.set(v, ex);
  }
  return ex;
}

/** Bump allocator: `alloc` hands out 16-byte-aligned byte offsets, `commit` grows the memory. */
export class Heap {
  private top = HEAP_BASE;
  constructor(readonly ex: KernelExports) {}

  alloc(bytes: number): number {
    const p = this.top;
    this.top = p + Math.ceil(bytes / 16) * 16 + 16;
    return p;
  }

  /** Grows the memory to hold every allocation so far; returns fresh views of it. */
  commit(): { u8: Uint8Array; i32: Int32Array } {
    const have = this.ex.memory.buffer.byteLength;
    if (this.top > have) this.ex.memory.grow(Math.ceil((this.top - have) / PAGE));
    const buf = this.ex.memory.buffer;
    return { u8: new Uint8Array(buf), i32: new Int32Array(buf) };
  }
}
