import { describe, expect, it } from "vitest";
import { intDot } from "../src/gemm.ts";
import { Rng } from "../src/prng.ts";
import {
  mapOperands,
  stackTruncPlanes,
  truncDot,
  truncPlanes,
  truncProduct,
  truncProductSigned,
} from "../src/truncated.ts";
import { randomSigned } from "./helpers.ts";

describe("truncated multiplier with g guard bits", () => {
  it("g ≥ N is the exact product; g = 0 is never above ⌊x·w/2^N⌋ and at most N below it", () => {
    for (let N = 1; N <= 6; N++)
      for (let x = 0; x < 2 ** N; x++)
        for (let w = 0; w < 2 ** N; w++) {
          expect(truncProduct(x, w, N, N)).toBe(x * w);
          const t = truncProduct(x, w, N, 0);
          // dropped columns lose at most Σ_{k<N} (k+1)·2^k < N·2^N, so T ≥ ⌊x·w/2^N⌋ − N
          expect(t).toBeLessThanOrEqual(Math.floor((x * w) / 2 ** N));
          expect(t).toBeGreaterThanOrEqual(Math.floor((x * w) / 2 ** N) - N);
        }
  });

  it("the plane decomposition equals the bit-level reference for every x, w at N ≤ 6, g = 0…3", () => {
    let bad = 0;
    for (let N = 1; N <= 6; N++)
      for (let g = 0; g <= 3; g++) {
        const planes = truncPlanes(N, g);
        const max = 2 ** N - 1;
        for (let x = -max; x <= max; x++)
          for (let w = -max; w <= max; w++) {
            let s = 0;
            for (const p of planes) s += p.x(x) * p.w(w);
            if (s !== truncProductSigned(x, w, N, g)) bad++;
          }
      }
    expect(bad).toBe(0);
  });

  it("dot products through exact integer dots of the planes equal truncDot (N = 8, seeded)", () => {
    const rng = new Rng(13);
    for (const g of [0, 1, 2, 5]) {
      const xs = randomSigned(rng, 8, 300);
      const ws = randomSigned(rng, 8, 300);
      let s = 0;
      for (const p of truncPlanes(8, g)) s += intDot(mapOperands(xs, p.x), mapOperands(ws, p.w));
      expect(s).toBe(truncDot(xs, ws, 8, g));
    }
  });

  it("stackTruncPlanes equals each plane's map laid out as [row][plane][inner] (both sides, N = 3…8, g = 0…N)", () => {
    for (let bits = 3; bits <= 8; bits++)
      for (let g = 0; g <= bits; g++) {
        const planes = truncPlanes(bits, g);
        const max = 2 ** bits - 1;
        const v = Int32Array.from({ length: 6 * 5 }, (_, i) => ((i * 37 + g * 11) % (2 * max + 1)) - max);
        for (const side of ["x", "w"] as const) {
          const got = stackTruncPlanes(v, 5, bits, g, side);
          expect(got.length).toBe(v.length * planes.length);
          for (let r = 0; r < 6; r++)
            for (let p = 0; p < planes.length; p++)
              for (let i = 0; i < 5; i++)
                expect(got[(r * planes.length + p) * 5 + i], `N=${bits} g=${g} ${side} r${r} p${p} i${i}`).toBe(
                  planes[p]![side](v[r * 5 + i]!) + 0,
                );
        }
      }
  });

  it("refuses operands outside N bits and negative guard bits", () => {
    expect(() => truncProduct(16, 1, 4, 0)).toThrow(/x must be/);
    expect(() => truncProduct(1, 1, 4, -1)).toThrow(/guard bits/);
  });
});
