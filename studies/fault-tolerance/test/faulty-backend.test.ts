import { describe, expect, it } from "vitest";
import { scCoreBackend, wasmBackend } from "@sccnn/nn";
import { Rng, simulateFaultyMacLane } from "@sccnn/sc-core";
import { faultyBackend, stuckBackend } from "../src/evaluator/faulty-backend.ts";

const g = { stride: 1, padding: 0, groups: 1 };

function operands(seed: number, bits: number, n: number): Int32Array {
  const rng = new Rng(seed);
  const max = 2 ** bits - 1;
  return Int32Array.from({ length: n }, () => rng.between(-max, max));
}

describe("faultyBackend", () => {
  it("faultyBackend(sc-stream, p = 1).gemm gives every output the exact faulty lane's value (all stream bits inverted)", () => {
    const a = operands(1, 4, 3 * 6);
    const b = operands(2, 4, 2 * 6);
    const out = faultyBackend(scCoreBackend, { site: "sc-stream", rate: 1, bits: 4 }, new Rng(1)).gemm(
      { scheme: "bisc", bits: 4 },
      a,
      b,
      3,
      6,
      2,
    );
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 2; c++) {
        const ref = simulateFaultyMacLane(
          { site: "sc-stream", rate: 1, bits: 4 },
          a.subarray(r * 6, r * 6 + 6),
          b.subarray(c * 6, c * 6 + 6),
          new Rng(0),
        ).acc;
        expect(out[r * 2 + c]).toBe(ref);
      }
  });

  it("faultyBackend with one seed reproduces the same faulty conv2d; it never mutates its inputs", () => {
    const x = operands(3, 6, 2 * 2 * 5 * 5);
    const w = operands(4, 6, 3 * 2 * 3 * 3);
    const x0 = x.slice();
    const w0 = w.slice();
    for (const [site, spec] of [
      ["sc-accumulator", { scheme: "bisc" as const, bits: 6 }],
      ["bin-product", null],
      ["memory", null],
    ] as const) {
      const run = (seed: number) =>
        faultyBackend(scCoreBackend, { site, rate: 0.01, bits: 6 }, new Rng(seed)).conv2d(
          spec,
          x,
          [2, 2, 5, 5],
          w,
          [3, 2, 3, 3],
          g,
        );
      expect(run(5)).toEqual(run(5));
      expect(run(5)).not.toEqual(scCoreBackend.conv2d(spec, x, [2, 2, 5, 5], w, [3, 2, 3, 3], g));
    }
    expect(x).toEqual(x0);
    expect(w).toEqual(w0);
  });

  it("faultyBackend and stuckBackend write the faulty result into the caller's out buffer (and return it), equal to the run without one", () => {
    const x = operands(6, 6, 2 * 2 * 5 * 5);
    const w = operands(7, 6, 3 * 2 * 3 * 3);
    const a = operands(8, 6, 4 * 18);
    const b = operands(9, 6, 3 * 18);
    const sc = { scheme: "bisc" as const, bits: 6 };
    for (const [name, make, spec] of [
      ["sc-stream", () => faultyBackend(wasmBackend, { site: "sc-stream", rate: 0.05, bits: 6 }, new Rng(3)), sc],
      ["memory", () => faultyBackend(wasmBackend, { site: "memory", rate: 0.05, bits: 6 }, new Rng(3)), null],
      [
        "stuck bin-accumulator",
        () => stuckBackend(wasmBackend, { site: "bin-accumulator", fraction: 0.3, bits: 6 }, new Rng(3)),
        null,
      ],
    ] as const) {
      const conv = new Int32Array(2 * 3 * 3 * 3).fill(7);
      const got = make().conv2d(spec, x, [2, 2, 5, 5], w, [3, 2, 3, 3], g, conv);
      expect(got, name).toBe(conv);
      expect(Array.from(conv), name).toEqual(Array.from(make().conv2d(spec, x, [2, 2, 5, 5], w, [3, 2, 3, 3], g)));
      const gemm = new Int32Array(4 * 3).fill(7);
      expect(make().gemm(spec, a, b, 4, 18, 3, gemm), name).toBe(gemm);
      expect(Array.from(gemm), name).toEqual(Array.from(make().gemm(spec, a, b, 4, 18, 3)));
    }
  });

  it("faultyBackend refuses a site of the other design, naming it", () => {
    const a = operands(1, 4, 4);
    expect(() =>
      faultyBackend(scCoreBackend, { site: "sc-stream", rate: 0.1, bits: 4 }, new Rng(1)).gemm(null, a, a, 1, 4, 1),
    ).toThrow(/sc-stream needs a BISC layer/);
    expect(() =>
      faultyBackend(scCoreBackend, { site: "bin-product", rate: 0.1, bits: 4 }, new Rng(1)).gemm(
        { scheme: "bisc", bits: 4 },
        a,
        a,
        1,
        4,
        1,
      ),
    ).toThrow(/bin-product needs a binary layer/);
  });
});
