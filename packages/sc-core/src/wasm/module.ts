/**
 * The compiled kernel module (asm/kernels.ts) instantiated once, synchronously, plus a bump
 * allocator over its linear memory. Kernels run synchronously on one thread, so every call lays
 * out its buffers from the start of the heap again.
 */
import { KERNELS_WASM_BASE64 } from "./kernels.wasm.ts";

/** The few WebAssembly JS-API members used here (lib "dom" is not loaded in this workspace). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
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
  return Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
}

/** The instantiated kernel module (compiled on first use). */
export function kernelExports(): KernelExports {
  if (exportsCache) return exportsCache;
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error("WebAssembly is not available in this JavaScript environment");
  const module = new api.Module(kernelsWasmBytes());
  exportsCache = new api.Instance(module, {}).exports as KernelExports;
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
