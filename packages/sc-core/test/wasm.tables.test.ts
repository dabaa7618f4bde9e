import { describe, expect, it } from "vitest";
import { forEachKernelVariant } from "./helpers.ts";
import { productTable, scMultiply, type CountOperand, type Scheme } from "../src/index.ts";
import { biscCount, Rng } from "../src/index.ts";
import { nibbleTables, wasmScGemm } from "../src/wasm/index.ts";
import { wideSplit } from "../src/wasm/sc.ts";

/** Own direct simulation of the BISC lane: ones among the first c bits of s's ctz-order stream. */
function streamCount(s: number, c: number, bits: number): number {
  let ones = 0;
  for (let t = 1; t <= c; t++) {
    const k = 31 - Math.clz32(t & -t);
    if (k < bits) ones += (s >>> (bits - 1 - k)) & 1;
  }
  return ones;
}

/** Every signed N-bit sign-magnitude value, −(2^N − 1)…2^N − 1. */
function allSigned(bits: number): Int32Array {
  const max = 2 ** bits - 1;
  return Int32Array.from({ length: 2 * max + 1 }, (_, i) => i - max);
}

describe("nibble tables of the SIMD SC kernel", () => {
  it("nibbleTables(bisc, N) splits every product of productTable into hi[|x| >> L] + lo[|x| & mask] for N = 1…8, both count operands", () => {
    for (const countOperand of ["w", "x"] as CountOperand[]) {
      for (let bits = 1; bits <= 8; bits++) {
        const spec = { scheme: "bisc" as Scheme, bits, countOperand };
        const t = nibbleTables(spec);
        expect(t, `N = ${bits}`).not.toBeNull();
        const { table, size } = productTable(spec);
        for (let x = 0; x < size; x++) {
          for (let w = 0; w < size; w++) {
            const got = t!.bytes[w * 32 + (x >> t!.shift)]! + t!.bytes[w * 32 + 16 + (x & t!.loMask)]!;
            if (got !== table[x * size + w]) expect(got, `N = ${bits}, x = ${x}, w = ${w}`).toBe(table[x * size + w]);
          }
        }
      }
    }
  });

  it("nibbleTables returns null for N > 8 and for the non-separable schemes bitrev, lfsr, sobol", () => {
    expect(nibbleTables({ scheme: "bisc", bits: 9 })).toBeNull();
    for (const scheme of ["bitrev", "lfsr", "sobol"] as Scheme[])
      expect(nibbleTables({ scheme, bits: 6 }), scheme).toBeNull();
  });

  it("nibble tables equal a direct ctz-order stream simulation for all 8-bit magnitudes", () => {
    const t = nibbleTables({ scheme: "bisc", bits: 8 })!;
    for (let x = 0; x < 256; x++) {
      for (let w = 0; w < 256; w++) {
        const got = t.bytes[w * 32 + (x >> 4)]! + t.bytes[w * 32 + 16 + (x & 15)]!;
        if (got !== streamCount(x, w, 8)) expect(got, `x = ${x}, w = ${w}`).toBe(streamCount(x, w, 8));
      }
    }
  });
});

forEachKernelVariant("wasmScGemm on every operand pair", () => {
  it("wasmScGemm(all signed x as rows, all signed w as rows, k = 1) equals scMultiply for every (x, w) at N = 1…8, both count operands", () => {
    for (const countOperand of ["w", "x"] as CountOperand[]) {
      for (let bits = 1; bits <= 8; bits++) {
        const spec = { scheme: "bisc" as Scheme, bits, countOperand };
        const xs = allSigned(bits);
        const out = wasmScGemm(spec, xs, xs, xs.length, 1, xs.length);
        for (let i = 0; i < xs.length; i++) {
          for (let j = 0; j < xs.length; j++) {
            const want = scMultiply(spec, xs[i]!, xs[j]!);
            if (out[i * xs.length + j] !== want)
              expect(out[i * xs.length + j], `N = ${bits}, x = ${xs[i]}, w = ${xs[j]}`).toBe(want);
          }
        }
      }
    }
  });
});

forEachKernelVariant("N > 8 split", () => {
  it("wideSplit: count_N(s, c) = count_8(sTop, cLo) + sTop·cHi + count_(N−8)(sLow, cHi) for every 9- and 10-bit pair and 20 000 seeded pairs at N = 11…16", () => {
    const check = (bits: number, s: number, c: number) => {
      const [sTop, sLow, cLo, cHi] = wideSplit(bits, s, c);
      const got = biscCount(sTop, cLo, 8) + sTop * cHi + biscCount(sLow, cHi, bits - 8);
      if (got !== biscCount(s, c, bits)) expect(got, `N = ${bits}, s = ${s}, c = ${c}`).toBe(biscCount(s, c, bits));
    };
    for (const bits of [9, 10])
      for (let s = 0; s < 2 ** bits; s++) for (let c = 0; c < 2 ** bits; c++) check(bits, s, c);
    const rng = new Rng(1116);
    for (let bits = 11; bits <= 16; bits++)
      for (let i = 0; i < 20000; i++) check(bits, rng.between(0, 2 ** bits - 1), rng.between(0, 2 ** bits - 1));
  });

  it("wasmScGemm equals scMultiply on 4000 seeded signed pairs at N = 9…16, both count operands", () => {
    const rng = new Rng(99);
    for (let bits = 9; bits <= 16; bits++) {
      for (const countOperand of ["w", "x"] as CountOperand[]) {
        const spec = { scheme: "bisc" as Scheme, bits, countOperand };
        const max = 2 ** bits - 1;
        const xs = Int32Array.from({ length: 63 }, () => rng.between(-max, max));
        const ws = Int32Array.from({ length: 63 }, () => rng.between(-max, max));
        xs[0] = max;
        ws[0] = -max;
        xs[1] = 0;
        const out = wasmScGemm(spec, xs, ws, 63, 1, 63);
        for (let i = 0; i < 63; i++)
          for (let j = 0; j < 63; j++) {
            const want = scMultiply(spec, xs[i]!, ws[j]!);
            if (out[i * 63 + j] !== want)
              expect(out[i * 63 + j], `N = ${bits}, ${countOperand}, x = ${xs[i]}, w = ${ws[j]}`).toBe(want);
          }
      }
    }
  });
});
