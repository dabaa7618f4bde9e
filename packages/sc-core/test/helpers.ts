import { afterAll, beforeAll, describe } from "vitest";
import { useKernelVariant } from "../src/wasm/index.ts";
import type { Rng } from "../src/prng.ts";

/** Uniform signed N-bit sign-magnitude operands. */
export function randomSigned(rng: Rng, bits: number, length: number): Int32Array {
  const max = 2 ** bits - 1;
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.between(-max, max);
  return out;
}

/** Gaussian-like weights: N(0, (max/4)^2) rounded and clipped, so many small magnitudes. */
export function gaussianSigned(rng: Rng, bits: number, length: number): Int32Array {
  const max = 2 ** bits - 1;
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.max(-max, Math.min(max, Math.round((rng.normal() * max) / 4)));
  return out;
}

export function naiveGemm(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  mul: (x: number, w: number) => number,
): Int32Array {
  const out = new Int32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += mul(a[i * k + q]!, b[j * k + q]!);
      out[i * n + j] = s;
    }
  return out;
}

/**
 * Declares `body` once per build of the WASM kernels ("simd" and "relaxed-simd", see
 * src/wasm/module.ts), each in its own describe block that runs the kernels on that build. Node 20
 * takes relaxed SIMD (sc-core turns its flag on), so neither is ever left out here.
 */
export function forEachKernelVariant(name: string, body: () => void): void {
  for (const variant of ["simd", "relaxed-simd"] as const)
    describe(`${name} [${variant} build]`, () => {
      beforeAll(() => useKernelVariant(variant));
      afterAll(() => useKernelVariant("auto"));
      body();
    });
}
