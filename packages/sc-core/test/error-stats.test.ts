import { describe, expect, it } from "vitest";
import { errorStats } from "../src/error-stats.ts";
import { productTable } from "../src/product-table.ts";
import { SCHEMES } from "../src/spec.ts";

describe("errorStats", () => {
  it("errorStats({ scheme: 'bisc' }) max |error| is 1.0625 / 1.390625 / 1.72265625 LSB at N = 4 / 6 / 8 (≈ 1.06 / 1.39 / 1.72)", () => {
    expect(errorStats({ scheme: "bisc", bits: 4 }).maxAbsErrLsb).toBe(1.0625);
    expect(errorStats({ scheme: "bisc", bits: 6 }).maxAbsErrLsb).toBe(1.390625);
    expect(errorStats({ scheme: "bisc", bits: 8 }).maxAbsErrLsb).toBe(1.72265625);
  });
  it("errorStats({ scheme: 'bitrev', bits: 8 }) max |error| is about 2.8 LSB, worse than BISC's", () => {
    const e = errorStats({ scheme: "bitrev", bits: 8 });
    expect(e.maxAbsErrLsb).toBeCloseTo(2.777, 3);
    expect(e.maxAbsErrLsb).toBeGreaterThan(errorStats({ scheme: "bisc", bits: 8 }).maxAbsErrLsb);
  });
  it("errorStats equals brute-force statistics over the product table for every scheme at N = 2…7", () => {
    for (const scheme of SCHEMES) {
      for (let N = 2; N <= 7; N++) {
        const { size, table } = productTable({ scheme, bits: N });
        let s = 0,
          a = 0,
          q = 0,
          m = 0;
        for (let x = 0; x < size; x++)
          for (let w = 0; w < size; w++) {
            const e = table[x * size + w]! - (x * w) / size;
            s += e;
            a += Math.abs(e);
            q += e * e;
            m = Math.max(m, Math.abs(e));
          }
        const n = size * size;
        const st = errorStats({ scheme, bits: N });
        expect(st.products).toBe(n);
        expect(st.meanErrLsb).toBeCloseTo(s / n, 12);
        expect(st.meanAbsErrLsb).toBeCloseTo(a / n, 12);
        expect(st.rmsErrLsb).toBeCloseTo(Math.sqrt(q / n), 12);
        expect(st.maxAbsErrLsb).toBe(m);
      }
    }
  });
  it("errorStats for N = 2…12: BISC RMS stays below 0.6 LSB and its max below bitrev's for N ≥ 3", () => {
    for (let N = 2; N <= 12; N++) {
      const b = errorStats({ scheme: "bisc", bits: N });
      expect(b.rmsErrLsb).toBeLessThan(0.6);
      if (N >= 3) expect(b.maxAbsErrLsb).toBeLessThan(errorStats({ scheme: "bitrev", bits: N }).maxAbsErrLsb);
    }
  });
  it("errorStats mean error is 1/4 − 2^−(N+2) LSB for bisc (round-half-up bias) and N/8 LSB for bitrev, N = 2…12", () => {
    for (let N = 2; N <= 12; N++) {
      expect(errorStats({ scheme: "bisc", bits: N }).meanErrLsb).toBeCloseTo(0.25 - 2 ** -(N + 2), 12);
      expect(errorStats({ scheme: "bitrev", bits: N }).meanErrLsb).toBeCloseTo(N / 8, 12);
    }
  });
  it("errorStats rejects N = 15 naming bits", () => {
    expect(() => errorStats({ scheme: "bisc", bits: 15 })).toThrow(
      /^spec.bits \(N\) for errorStats must be an integer in 1…14/,
    );
  });
});
