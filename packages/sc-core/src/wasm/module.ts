/**
 * The compiled kernel module (asm/kernels.ts) instantiated once, synchronously, plus a bump
 * allocator over its linear memory. Kernels run synchronously on one thread, so every call lays
 * out its buffers from the start of the heap again.
 */
import { KERNELS_WASM_BASE64 } from "./kernels.wasm.ts";

/** The few WebAssembly JS-API members used here (lib "dom" is not loaded in this workspace). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
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
}

const PAGE = 65536;
/** First heap byte: above anything the module could place in memory itself. */
const HEAP_BASE = PAGE;

let exportsCache: KernelExports | null = null;

/** The bytes of the compiled module. */
export function kernelsWasmBytes(): Uint8Array {
  return wasmBytesFromBase64(KERNELS_WASM_BASE64);
}

/** The instantiated kernel module (compiled on first use). */
export function kernelExports(): KernelExports {
  exportsCache ??= instantiateWasm<KernelExports>(KERNELS_WASM_BASE64, "sc-core kernels");
  return exportsCache;
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
