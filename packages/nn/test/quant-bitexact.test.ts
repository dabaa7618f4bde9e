import { describe, expect, it } from "vitest";
import {
  calibrateNetwork,
  cycleLevelBackend,
  quantizeCalibrated,
  runQuantized,
  scCoreBackend,
  wasmBackend,
  type Arithmetic,
} from "../src/quant/index.ts";
import type { ScSpec } from "@sccnn/sc-core";
import { lenetShaped, lenetShapedWeights, seededFloats } from "./quant-helpers.ts";

function seededInts(n: number, seed: number, bits: number, signed: boolean): Int32Array {
  const m = 2 ** bits - 1;
  return Int32Array.from(seededFloats(n, seed, signed ? -m - 0.49 : -0.49, m + 0.49), (v) => Math.round(v) + 0);
}

const specs: (ScSpec | null)[] = [
  null,
  { scheme: "bisc", bits: 6 },
  { scheme: "bitrev", bits: 6 },
  { scheme: "lfsr", bits: 6, seed: 5, seedW: 17 },
  { scheme: "sobol", bits: 6 },
];

describe("SC layers are bit-exact with sc-core's cycle-level lane", () => {
  for (const [spec, backend] of specs.flatMap((s) => [scCoreBackend, wasmBackend].map((b) => [s, b] as const))) {
    const label = spec ? `${spec.scheme}/${spec.bits}` : "fixed";
    it(`${backend.name}.conv2d(${label}) equals one simulateMacLane run per output on a whole grouped, strided, padded conv layer`, () => {
      const xShape = [2, 4, 7, 7];
      const wShape = [6, 2, 3, 3];
      const x = seededInts(2 * 4 * 49, 11, 6, true);
      const w = seededInts(6 * 2 * 9, 12, 6, true);
      const g = { stride: 2, padding: 1, groups: 2 };
      const fast = backend.conv2d(spec, x, xShape, w, wShape, g);
      const ref = cycleLevelBackend.conv2d(spec, x, xShape, w, wShape, g);
      expect(fast.length).toBe(2 * 6 * 4 * 4);
      expect(Array.from(fast)).toEqual(Array.from(ref));
    });

    it(`${backend.name}.gemm(${label}) equals one simulateMacLane run per output on a whole linear layer`, () => {
      const a = seededInts(3 * 50, 21, 6, false);
      const b = seededInts(7 * 50, 22, 6, true);
      expect(Array.from(backend.gemm(spec, a, b, 3, 50, 7))).toEqual(
        Array.from(cycleLevelBackend.gemm(spec, a, b, 3, 50, 7)),
      );
    });
  }

  const cases: [Arithmetic, number, number][] = [
    ["sc-bisc", 8, 1],
    ["sc-bitrev", 5, 1],
    ["sc-lfsr", 5, 1],
    ["sc-sobol", 5, 1],
    ["fixed", 8, 1],
  ];
  for (const [arithmetic, bits, images] of cases) {
    it(`runQuantized(LeNet-5-shaped, ${arithmetic} ${bits}/${bits}) gives the same logits with sc-core's WASM kernels as with the cycle-level lane on ${images} whole image(s)`, () => {
      const net = calibrateNetwork(lenetShaped, lenetShapedWeights(3), seededFloats(8 * 784, 4, 0, 1));
      const q = quantizeCalibrated(net, { arithmetic, bitsW: bits, bitsA: bits, lfsrSeed: 3, lfsrSeedW: 9 });
      const x = seededFloats(images * 784, 5, 0, 1);
      const fast = runQuantized(q, x);
      const ref = runQuantized(q, x, { backend: cycleLevelBackend });
      expect(Array.from(fast)).toEqual(Array.from(ref));
      // the network is not degenerate: logits differ between classes
      expect(new Set(Array.from(fast.subarray(0, 10))).size).toBeGreaterThan(5);
    });
  }
});
