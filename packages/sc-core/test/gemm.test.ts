import { describe, expect, it } from "vitest";
import { intDot, intGemm, scDot, scGemm, scGemmBitplane, scGemmLut, scGemmWith } from "../src/gemm.ts";
import { pickScKernel } from "../src/fast-kernel.ts";
import { resolveSpec } from "../src/spec.ts";
import { scMultiply } from "../src/multiply.ts";
import { productTable } from "../src/product-table.ts";
import { Rng } from "../src/prng.ts";
import { SCHEMES } from "../src/spec.ts";
import { biscCount } from "../src/bisc.ts";
import { gaussianSigned, naiveGemm, randomSigned } from "./helpers.ts";

describe("product table and scMultiply", () => {
  it("productTable({ scheme: 'bisc', bits }) equals biscCount for all magnitudes at N = 1…8", () => {
    let mismatches = 0;
    for (let N = 1; N <= 8; N++) {
      const { size, table } = productTable({ scheme: "bisc", bits: N });
      for (let x = 0; x < size; x++)
        for (let w = 0; w < size; w++) if (table[x * size + w] !== biscCount(x, w, N)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
  it("productTable with countOperand 'x' is the transpose of the countOperand 'w' table", () => {
    for (const scheme of SCHEMES) {
      const a = productTable({ scheme, bits: 5 });
      const b = productTable({ scheme, bits: 5, countOperand: "x" });
      for (let x = 0; x < 32; x++) for (let w = 0; w < 32; w++) expect(b.table[x * 32 + w]).toBe(a.table[w * 32 + x]);
    }
  });
  it("scMultiply(spec, x, w) is sign(x)·sign(w)·table[|x|][|w|] for all signed x, w at N = 4, every scheme", () => {
    for (const scheme of SCHEMES) {
      const { table } = productTable({ scheme, bits: 4 });
      for (let x = -15; x <= 15; x++)
        for (let w = -15; w <= 15; w++) {
          const c = table[Math.abs(x) * 16 + Math.abs(w)]!;
          expect(scMultiply({ scheme, bits: 4 }, x, w)).toBe(Math.sign(x) * Math.sign(w) < 0 ? 0 - c : c);
        }
    }
  });
  it("scMultiply for N = 13…16 (no table) agrees with the table path's definition on sampled values", () => {
    // bisc uses the closed form at any N; other schemes clock their SNGs beyond N = 12.
    expect(scMultiply({ scheme: "bisc", bits: 16 }, 65535, -65535)).toBe(-65535);
    expect(scMultiply({ scheme: "bitrev", bits: 13 }, 8191, 8191)).toBe(8191); // r(1…8191) = all of 0…8190 except none ≥ 8191
    expect(scMultiply({ scheme: "sobol", bits: 13 }, 8191, 8191)).toBeGreaterThan(8180);
    expect(scMultiply({ scheme: "lfsr", bits: 13 }, 0, 8191)).toBe(0);
  });
});

describe("GEMM kernels", () => {
  it("every GEMM kernel over all signed x (rows) × all signed w (columns), K = 1, equals scMultiply at N = 1…8, every scheme", () => {
    for (const scheme of SCHEMES) {
      for (let N = 1; N <= 8; N++) {
        const max = 2 ** N - 1;
        const vals = Int32Array.from({ length: 2 * max + 1 }, (_, i) => i - max);
        const n = vals.length;
        const spec = { scheme, bits: N };
        const ref = new Int32Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ref[i * n + j] = scMultiply(spec, vals[i]!, vals[j]!);
        const kernels = scheme === "bisc" ? (["lut", "row-lut", "bit-plane"] as const) : (["lut", "row-lut"] as const);
        for (const kernel of kernels) {
          const got = scGemmWith(kernel, spec, vals, vals, n, 1, n);
          let mismatches = 0;
          for (let i = 0; i < n * n; i++) if (got[i] !== ref[i]) mismatches++;
          expect(mismatches).toBe(0);
        }
      }
    }
  });
  it("scGemm equals scGemmLut and the per-MAC scMultiply loop for every scheme, both count operands, N = 2…8", () => {
    const rng = new Rng(1);
    for (const scheme of SCHEMES) {
      for (const countOperand of ["w", "x"] as const) {
        for (let N = 2; N <= 8; N += 3) {
          const [m, k, n] = [rng.between(1, 23), rng.between(1, 40), rng.between(1, 9)];
          const a = randomSigned(rng, N, m * k);
          const b = gaussianSigned(rng, N, n * k);
          const spec = { scheme, bits: N, countOperand };
          const ref = naiveGemm(a, b, m, k, n, (x, w) => scMultiply(spec, x, w));
          expect(scGemmLut(spec, a, b, m, k, n)).toEqual(ref);
          expect(scGemmWith("row-lut", spec, a, b, m, k, n)).toEqual(ref);
          expect(scGemm(spec, a, b, m, k, n)).toEqual(ref);
          if (scheme === "bisc") expect(scGemmBitplane(spec, a, b, m, k, n)).toEqual(ref);
        }
      }
    }
  });
  it("scGemmBitplane and the row-LUT kernel equal scGemmLut on 300 rows (crossing the 256-row block) at N = 10 and 12", () => {
    const rng = new Rng(2);
    const [m, k, n] = [300, 17, 5];
    for (const N of [10, 12]) {
      const a = randomSigned(rng, N, m * k);
      const b = randomSigned(rng, N, n * k);
      const spec = { scheme: "bisc" as const, bits: N };
      const ref = scGemmLut(spec, a, b, m, k, n);
      expect(scGemmBitplane(spec, a, b, m, k, n)).toEqual(ref);
      expect(scGemmWith("row-lut", spec, a, b, m, k, n)).toEqual(ref);
      expect(scGemm(spec, a, b, m, k, n)).toEqual(ref);
    }
  });
  it("scGemmBitplane with a wide inner dimension (k = 600: 128-row blocks) equals scGemmLut", () => {
    const rng = new Rng(7);
    const [m, k, n] = [300, 600, 3];
    const a = randomSigned(rng, 8, m * k);
    const b = gaussianSigned(rng, 8, n * k);
    const spec = { scheme: "bisc" as const, bits: 8 };
    expect(scGemmBitplane(spec, a, b, m, k, n)).toEqual(scGemmLut(spec, a, b, m, k, n));
  });
  it("pickScKernel picks the row-LUT for 8-bit weights and the bit-plane kernel when N = 16 rows would exceed the budget", () => {
    const rng = new Rng(6);
    expect(pickScKernel(resolveSpec({ scheme: "bisc", bits: 8 }), randomSigned(rng, 8, 2400))).toBe("row-lut");
    expect(pickScKernel(resolveSpec({ scheme: "bisc", bits: 16 }), randomSigned(rng, 16, 64))).toBe("bit-plane");
    expect(pickScKernel(resolveSpec({ scheme: "bisc", bits: 16 }), [5, -5, 0, 7])).toBe("row-lut");
  });
  it("scGemm (bisc) at N = 16 equals the per-MAC closed form with both the row-LUT and the bit-plane kernel", () => {
    const rng = new Rng(3);
    const [m, k, n] = [7, 9, 3];
    const a = randomSigned(rng, 16, m * k);
    const b = randomSigned(rng, 16, n * k);
    const spec = { scheme: "bisc" as const, bits: 16 };
    const ref = naiveGemm(a, b, m, k, n, (x, w) => scMultiply(spec, x, w));
    expect(scGemm(spec, a, b, m, k, n)).toEqual(ref);
    expect(scGemmBitplane(spec, a, b, m, k, n)).toEqual(ref);
    expect(scGemmWith("row-lut", spec, a, b.subarray(0, k), m, k, 1)).toEqual(
      naiveGemm(a, b.subarray(0, k), m, k, 1, (x, w) => scMultiply(spec, x, w)),
    );
  });
  it("scDot equals the sum of scMultiply", () => {
    const rng = new Rng(4);
    for (const scheme of SCHEMES) {
      const xs = randomSigned(rng, 6, 50);
      const ws = randomSigned(rng, 6, 50);
      let s = 0;
      for (let i = 0; i < 50; i++) s += scMultiply({ scheme, bits: 6 }, xs[i]!, ws[i]!);
      expect(scDot({ scheme, bits: 6 }, xs, ws)).toBe(s);
    }
  });
  it("intGemm equals the naive integer triple loop and intDot", () => {
    const rng = new Rng(5);
    const [m, k, n] = [261, 37, 6];
    const a = randomSigned(rng, 8, m * k);
    const b = randomSigned(rng, 8, n * k);
    const ref = naiveGemm(a, b, m, k, n, (x, w) => x * w);
    expect(intGemm(a, b, m, k, n)).toEqual(ref);
    expect(intDot(a.subarray(0, k), b.subarray(0, k))).toBe(ref[0]);
  });
  it("scGemm rejects bad shapes and values naming the parameter", () => {
    const spec = { scheme: "bisc" as const, bits: 4 };
    expect(() => scGemm(spec, [1, 2], [1, 2], 1, 2, 1)).not.toThrow();
    expect(() => scGemm(spec, [1, 2, 3], [1, 2], 1, 2, 1)).toThrow(/^a \(m×k\) must have length 2/);
    expect(() => scGemm(spec, [1, 16], [1, 2], 1, 2, 1)).toThrow(/^a\[1\] must be an integer in −15…15/);
    expect(() => scGemm(spec, [1, 2], [1, -16], 1, 2, 1)).toThrow(/^b\[1\]/);
    expect(() => scGemm(spec, [], [], 0, 2, 1)).toThrow(/^m \(rows of a\)/);
    expect(() => scGemm({ scheme: "bisc", bits: 0 }, [1], [1], 1, 1, 1)).toThrow(
      "spec.bits (N) must be an integer in 1…16, got 0",
    );
    expect(() => scGemm({ scheme: "nope" as "bisc", bits: 4 }, [1], [1], 1, 1, 1)).toThrow(/^spec.scheme/);
    expect(() => scGemmLut({ scheme: "lfsr", bits: 13 }, [1], [1], 1, 1, 1)).toThrow(/bits \(N\) for a product table/);
    expect(() => intGemm([40000], [60000], 1, 1, 1)).toThrow(/k \(inner dimension\)/);
    expect(() => scGemmBitplane({ scheme: "sobol", bits: 4 }, [1], [1], 1, 1, 1)).toThrow(/bit-plane.*bisc/);
  });
});
