import {
  deliverInto,
  intConv2d,
  intGemm,
  scConv2d,
  scGemm,
  simulateMacLane,
  wasmIntConv2d,
  wasmIntGemm,
  wasmScConv2d,
  wasmScGemm,
  wasmTruncConv2d,
  wasmTruncGemm,
  type ScSpec,
} from "@sccnn/sc-core";
import { convOutputSize } from "@sccnn/sc-core";
import { im2col, type ConvOptions } from "./float-ops.ts";

/**
 * Integer kernels for fixed/SC layers. `spec === null` means exact products x·w (`fixed`),
 * otherwise summed SC product counts of sc-core's scheme. Layouts: conv [N, K, P, Q],
 * gemm M×N with a = M×K stream operands (activations), b = N×K count operands (weights).
 */
export interface IntegerBackend {
  name: string;
  /** `out` (optional, N·K·P·Q) receives the result, which is then `out`: no allocation per call. */
  conv2d(
    spec: ScSpec | null,
    x: Int32Array,
    xShape: number[],
    w: Int32Array,
    wShape: number[],
    g: ConvOptions,
    out?: Int32Array,
  ): Int32Array;
  /** `out` (optional, m·n) receives the result. */
  gemm(
    spec: ScSpec | null,
    a: Int32Array,
    b: Int32Array,
    m: number,
    k: number,
    n: number,
    out?: Int32Array,
  ): Int32Array;
  /**
   * Optional: a truncated-multiplier layer (N bits, g guard bits; one sc-core `truncProductSigned`
   * per MAC) on a table kernel, or null where the backend has none for this (N, g). Without it the
   * caller runs `conv2d` / `gemm` (spec null) over sc-core's `stackTruncPlanes`.
   */
  truncConv2d?(
    bits: number,
    guard: number,
    x: Int32Array,
    xShape: number[],
    w: Int32Array,
    wShape: number[],
    g: ConvOptions,
    out?: Int32Array,
  ): Int32Array | null;
  truncGemm?(
    bits: number,
    guard: number,
    a: Int32Array,
    b: Int32Array,
    m: number,
    k: number,
    n: number,
    out?: Int32Array,
  ): Int32Array | null;
}

function shape4(s: number[], name: string): [number, number, number, number] {
  if (s.length !== 4) throw new RangeError(`${name} must be 4-D, got [${s}]`);
  return [s[0], s[1], s[2], s[3]];
}

/**
 * The four sc-core kernels an integer backend dispatches to (exact products or SC counts); the
 * WebAssembly ones also take an output buffer (`out` option / last argument), the others ignore it.
 */
interface CoreKernels {
  intConv2d: typeof wasmIntConv2d;
  scConv2d: typeof wasmScConv2d;
  intGemm: typeof wasmIntGemm;
  scGemm: typeof wasmScGemm;
}

/** A backend over one set of sc-core kernels: `spec === null` takes the exact-product kernel. */
function coreBackend(name: string, kernels: CoreKernels): IntegerBackend {
  return {
    name,
    conv2d(spec, x, xShape, w, wShape, g, out) {
      const xs = shape4(xShape, "input shape"),
        ws = shape4(wShape, "weight shape");
      const o = { ...g, out };
      const r = spec === null ? kernels.intConv2d(x, xs, w, ws, o) : kernels.scConv2d(spec, x, xs, w, ws, o);
      return deliverInto(r.data instanceof Int32Array ? r.data : Int32Array.from(r.data), out);
    },
    gemm(spec, a, b, m, k, n, out) {
      return deliverInto(
        spec === null ? kernels.intGemm(a, b, m, k, n, out) : kernels.scGemm(spec, a, b, m, k, n, out),
        out,
      );
    },
  };
}

/** sc-core's TypeScript kernels (lookup-table / bit-plane GEMM): the fast reference. */
export const scCoreBackend: IntegerBackend = coreBackend("sc-core", { intConv2d, scConv2d, intGemm, scGemm });

/**
 * sc-core's WebAssembly SIMD kernels (BISC at N ≤ 8 and exact integer products; sc-core falls back
 * to its TypeScript kernels for what the SIMD kernel cannot take). The default backend.
 */
export const wasmBackend: IntegerBackend = {
  ...coreBackend("sc-core-wasm", {
    intConv2d: wasmIntConv2d,
    scConv2d: wasmScConv2d,
    intGemm: wasmIntGemm,
    scGemm: wasmScGemm,
  }),
  truncConv2d(bits, guard, x, xShape, w, wShape, g, out) {
    const r = wasmTruncConv2d(bits, guard, x, shape4(xShape, "input shape"), w, shape4(wShape, "weight shape"), {
      ...g,
      out,
    });
    return r ? deliverInto(r.data, out) : null;
  },
  truncGemm: (bits, guard, a, b, m, k, n, out) => {
    const r = wasmTruncGemm(bits, guard, a, b, m, k, n, out);
    return r ? deliverInto(r, out) : null;
  },
};

/**
 * The reference: every output is one SC-MAC lane simulated cycle by cycle over its whole dot
 * product (sc-core `simulateMacLane`, wide accumulator, no overflow). `fixed` layers use a plain
 * per-MAC loop of exact products. Slow: for tests and for the bench's sample.
 */
export const cycleLevelBackend: IntegerBackend = {
  name: "cycle-level",
  conv2d(spec, x, xShape, w, wShape, g, into) {
    const [N, C, H, W] = shape4(xShape, "input shape");
    const [K, Cg, R, S] = shape4(wShape, "weight shape");
    const { stride, padding, groups } = g;
    if (Cg * groups !== C)
      throw new RangeError(`conv2d: weight has ${Cg} input channels per group × ${groups} groups, input has ${C}`);
    const P = convOutputSize(H, R, stride, padding);
    const Q = convOutputSize(W, S, stride, padding);
    const PQ = P * Q;
    const CRS = Cg * R * S;
    const Kg = K / groups;
    const col = new Int32Array(CRS * PQ);
    const out = new Int32Array(N * K * PQ);
    const xs = new Array<number>(CRS);
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < groups; gi++) {
        im2col(x, n * C * H * W, gi * Cg, Cg, H, W, R, S, stride, padding, P, Q, col);
        for (let kk = 0; kk < Kg; kk++) {
          const k = gi * Kg + kk;
          const ws = Array.from(w.subarray(k * CRS, (k + 1) * CRS));
          for (let j = 0; j < PQ; j++) {
            for (let i = 0; i < CRS; i++) xs[i] = col[i * PQ + j];
            out[(n * K + k) * PQ + j] = referenceDot(spec, xs, ws);
          }
        }
      }
    }
    return deliverInto(out, into);
  },
  gemm(spec, a, b, m, k, n, into) {
    const out = new Int32Array(m * n);
    for (let i = 0; i < m; i++) {
      const xs = Array.from(a.subarray(i * k, (i + 1) * k));
      for (let j = 0; j < n; j++) out[i * n + j] = referenceDot(spec, xs, Array.from(b.subarray(j * k, (j + 1) * k)));
    }
    return deliverInto(out, into);
  },
};

/** One dot product on the cycle-level lane (SC) or by exact products (fixed). */
export function referenceDot(spec: ScSpec | null, xs: number[], ws: number[]): number {
  if (spec === null) {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[i] * ws[i];
    return s;
  }
  const r = simulateMacLane({ ...spec, accBits: 40, overflow: "wrap" }, xs, ws);
  if (r.overflow) throw new RangeError("cycle-level reference: accumulator overflow (accBits 40)");
  return r.acc;
}

/** The integer backends by name (nn's policy: kernels are chosen by name, no silent fall-back). */
export const INTEGER_BACKENDS = {
  "sc-core-wasm": wasmBackend,
  "sc-core": scCoreBackend,
  "cycle-level": cycleLevelBackend,
} as const satisfies Record<string, IntegerBackend>;
export type IntegerBackendName = keyof typeof INTEGER_BACKENDS;

export function integerBackendByName(name: string): IntegerBackend {
  const b = (INTEGER_BACKENDS as Record<string, IntegerBackend>)[name];
  if (!b)
    throw new RangeError(
      `integer backend ${JSON.stringify(name)} is unknown (have ${Object.keys(INTEGER_BACKENDS).join(", ")})`,
    );
  return b;
}
