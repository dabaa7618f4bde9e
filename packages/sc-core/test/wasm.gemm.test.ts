import { expect, it } from "vitest";
import { intGemm, scGemmLut, Rng, type CountOperand, type Scheme } from "../src/index.ts";
import { wasmIntGemm, wasmScGemm } from "../src/wasm/index.ts";
import { naiveGemm, randomSigned, forEachKernelVariant } from "./helpers.ts";

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 3, 2],
  [33, 17, 9],
  [64, 150, 16],
  [3, 129, 4],
  [200, 7, 1],
  [2, 300, 33],
];

forEachKernelVariant("wasmScGemm", () => {
  it("wasmScGemm equals scGemmLut on seeded shapes (m, k, n incl. 1, k > 128) at N = 2, 4, 8, both count operands", () => {
    const rng = new Rng(5);
    for (const [m, k, n] of SHAPES) {
      for (const bits of [2, 4, 8]) {
        for (const countOperand of ["w", "x"] as CountOperand[]) {
          const spec = { scheme: "bisc" as Scheme, bits, countOperand };
          const a = randomSigned(rng, bits, m * k);
          const b = randomSigned(rng, bits, n * k);
          const got = wasmScGemm(spec, a, b, m, k, n);
          const want = scGemmLut(spec, a, b, m, k, n);
          for (let i = 0; i < want.length; i++)
            if (got[i] !== want[i])
              expect(got[i], `${m}×${k}×${n}, N = ${bits}, ${countOperand}, at ${i}`).toBe(want[i]);
        }
      }
    }
  });

  it("wasmScGemm rejects bad dimensions and out-of-range operands naming the parameter", () => {
    const a = new Int32Array(6).fill(1);
    expect(() => wasmScGemm({ scheme: "bisc", bits: 4 }, a, a, 2, 3, 0)).toThrow(/n \(rows of b\)/);
    expect(() => wasmScGemm({ scheme: "bisc", bits: 4 }, a, a, 2, 2, 2)).toThrow(/a \(m×k\)/);
    const bad = Int32Array.from([1, 2, 3, 4, 16, 0]);
    expect(() => wasmScGemm({ scheme: "bisc", bits: 4 }, bad, a, 2, 3, 2)).toThrow(/a\[4\]/);
    expect(() => wasmScGemm({ scheme: "bisc", bits: 4 }, a, bad, 2, 3, 2)).toThrow(/b\[4\]/);
  });
});

forEachKernelVariant("wasmIntGemm", () => {
  it("wasmIntGemm equals a naive loop and intGemm on seeded shapes with int8 operands", () => {
    const rng = new Rng(11);
    for (const [m, k, n] of SHAPES) {
      const a = Int32Array.from({ length: m * k }, () => rng.between(-128, 127));
      const b = Int32Array.from({ length: n * k }, () => rng.between(-128, 127));
      const got = wasmIntGemm(a, b, m, k, n);
      const want = naiveGemm(a, b, m, k, n, (x, w) => x * w);
      for (let i = 0; i < want.length; i++)
        if (got[i] !== want[i]) expect(got[i], `${m}×${k}×${n} at ${i}`).toBe(want[i]);
      expect(Array.from(got)).toEqual(Array.from(intGemm(a, b, m, k, n)));
    }
  });
});
