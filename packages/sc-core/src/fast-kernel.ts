import { biscCountUnchecked } from "./bisc.ts";
import { biscPlaneKernel, distinctNonZero, lutKernel, ROW_LUT_BUDGET, rowLutKernel } from "./kernels.ts";
import { baseTable } from "./product-table.ts";
import type { ResolvedSpec } from "./spec.ts";

/** A stream-side/count-side kernel (see kernels.ts for the layout). */
export type ScKernel = (
  st: ArrayLike<number>,
  ms: number,
  cnt: ArrayLike<number>,
  nc: number,
  k: number,
  out: Int32Array,
) => void;

export type ScKernelName = "row-lut" | "bit-plane" | "lut";

/**
 * Unsigned count function (stream s, count c) for row building: the cached table, except for
 * bisc beyond N = 10 where the closed form avoids building a 4^N table for a few rows.
 */
function countFn(s: ResolvedSpec): (sm: number, cm: number) => number {
  if (s.scheme === "bisc" && s.bits > 10) return (sm, cm) => biscCountUnchecked(sm, cm, s.bits);
  const t = baseTable(s);
  const size = 2 ** s.bits;
  return (sm, cm) => t[sm * size + cm]!;
}

/**
 * The fastest exact plain-TS kernel for this call, measured on a LeNet-sized layer (see the
 * README): the weight-stationary row-LUT when its rows fit ROW_LUT_BUDGET (distinct count values
 * × (2^(N+1) − 1) entries), else the BISC bit-plane kernel (bisc) or the per-MAC table lookup.
 */
export function pickScKernel(s: ResolvedSpec, cnt: ArrayLike<number>): ScKernelName {
  const rowsNeeded = distinctNonZero(cnt, s.bits) * (2 ** (s.bits + 1) - 1);
  if (rowsNeeded <= ROW_LUT_BUDGET) return "row-lut";
  return s.scheme === "bisc" ? "bit-plane" : "lut";
}

export function scKernel(s: ResolvedSpec, name: ScKernelName): ScKernel {
  switch (name) {
    case "row-lut": {
      const count = countFn(s);
      return (st, ms, cnt, nc, k, out) => rowLutKernel(s.bits, count, st, ms, cnt, nc, k, out);
    }
    case "bit-plane":
      if (s.scheme !== "bisc") throw new RangeError(`kernel "bit-plane" needs scheme bisc, got ${s.scheme}`);
      return (st, ms, cnt, nc, k, out) => biscPlaneKernel(s.bits, st, ms, cnt, nc, k, out);
    case "lut": {
      const t = baseTable(s);
      return (st, ms, cnt, nc, k, out) => lutKernel(t, 2 ** s.bits, st, ms, cnt, nc, k, out);
    }
  }
}

/** Kernel chosen per call from the count side actually passed. */
export function autoScKernel(s: ResolvedSpec): ScKernel {
  return (st, ms, cnt, nc, k, out) => scKernel(s, pickScKernel(s, cnt))(st, ms, cnt, nc, k, out);
}
