import { describe, expect, it } from "vitest";
import { biscCount } from "../src/bisc.ts";
import { errorStats } from "../src/error-stats.ts";
import { scMultiply } from "../src/multiply.ts";
import { productTable } from "../src/product-table.ts";
import { sobolSequence } from "../src/sobol.ts";
import { resolveSpec } from "../src/spec.ts";
import { scDot } from "../src/gemm.ts";

describe("parameter validation", () => {
  it("bits = 0, 17 or 2.5 throws 'bits (N) must be an integer in 1…16'", () => {
    expect(() => biscCount(0, 0, 0)).toThrow("bits (N) must be an integer in 1…16, got 0");
    expect(() => scMultiply({ scheme: "bisc", bits: 17 }, 0, 0)).toThrow(
      "spec.bits (N) must be an integer in 1…16, got 17",
    );
    expect(() => productTable({ scheme: "sobol", bits: 2.5 })).toThrow(
      "spec.bits (N) must be an integer in 1…16, got 2.5",
    );
  });
  it("scMultiply with w or x out of range throws naming w or x", () => {
    expect(() => scMultiply({ scheme: "bisc", bits: 8 }, 3, 256)).toThrow(
      "w must be an integer in −255…255 (N = 8, sign-magnitude), got 256",
    );
    expect(() => scMultiply({ scheme: "bitrev", bits: 8 }, -256, 3)).toThrow(/^x must be an integer in −255…255/);
    expect(() => scMultiply({ scheme: "bisc", bits: 8 }, 1.5, 3)).toThrow(/^x must be/);
    expect(() => scDot({ scheme: "bisc", bits: 4 }, [1, 2], [3, 99])).toThrow(/^ws\[1\] must be/);
  });
  it("resolveSpec rejects an unknown scheme, a bad countOperand and LFSR seeds 0 or ≥ 2^N naming the field", () => {
    expect(() => resolveSpec({ scheme: "random" as "bisc", bits: 4 })).toThrow(
      /^spec.scheme must be one of bisc, bitrev, lfsr, sobol/,
    );
    expect(() => resolveSpec({ scheme: "bisc", bits: 4, countOperand: "y" as "x" })).toThrow(/^spec.countOperand/);
    expect(() => resolveSpec({ scheme: "lfsr", bits: 4, seed: 0 })).toThrow(
      /^spec.seed \(LFSR start state; 0 locks the LFSR\) must be an integer in 1…15, got 0/,
    );
    expect(() => resolveSpec({ scheme: "lfsr", bits: 4, seedW: 16 })).toThrow(/^spec.seedW/);
    expect(resolveSpec({ scheme: "sobol", bits: 4, seed: 0 }).seed).toBe(0); // seeds only matter for lfsr
  });
  it("productTable and errorStats refuse N beyond their exhaustive limits naming bits", () => {
    expect(() => productTable({ scheme: "bitrev", bits: 13 })).toThrow(
      /^bits \(N\) for a product table must be an integer in 1…12, got 13/,
    );
    expect(() => errorStats({ scheme: "lfsr", bits: 16 })).toThrow(/^spec.bits \(N\) for errorStats/);
  });
  it("sobolSequence rejects a dimension outside 1…8 naming dimension", () => {
    expect(() => sobolSequence(4, 9)).toThrow(/^dimension \(Sobol, 1-based\) must be an integer in 1…8, got 9/);
    expect(() => sobolSequence(4, 0)).toThrow(/^dimension/);
  });
});
