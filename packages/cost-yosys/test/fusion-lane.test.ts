import { LIBERTY_OSU018, missingSystemPackage, skipWithout } from "@sccnn/test-support";
import { describe, expect, it } from "vitest";
import { intDot, Rng } from "@sccnn/sc-core";
import {
  fusionBusBits,
  fusionGroups,
  fusionMacName,
  fusionMacVerilog,
  fusionMode,
  fusionModes,
  fusionSumBits,
  NetlistSim,
  resolveLibrary,
  synthesizeNetlistJson,
} from "../src/index.ts";

// The precision-scalable (Bit Fusion-like) lane synthesized onto OSU 0.18 µm cells, read back as
// gates and clocked in TS: in every mode, each cycle adds the exact signed dot product of its
// ⌊B/s⌋² operand pairs (the runtime's `fixed` arithmetic at the run precision) to the accumulator.
// without the Liberty file (a non-root run on a fresh machine) the synthesized-netlist tests skip, naming the package
const lib = missingSystemPackage(LIBERTY_OSU018) ? (undefined as never) : resolveLibrary({ technology: "osu018" });

function signed(v: number, bits: number): number {
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}

describe("fusion lane modes", () => {
  it("an 8-bit lane: 16 MACs per cycle at 2 bits, 4 at 3–4 bits, 1 at 5–8 bits", () => {
    expect(fusionModes(8)).toEqual([1, 2, 4]);
    expect([1, 2, 3, 4, 5, 8].map((n) => fusionMode(8, n).macsPerCycle)).toEqual([16, 16, 4, 4, 1, 1]);
    expect(fusionModes(6)).toEqual([1, 2, 3]);
    expect([2, 4, 6].map((n) => fusionMode(6, n).macsPerCycle)).toEqual([9, 1, 1]);
    expect(() => fusionMode(8, 9)).toThrow(/run precision/);
  });
});

describe("synthesized fusion lane vs exact signed dot products, every mode", () => {
  for (const N of [2, 3, 4, 5, 6, 8]) {
    it(`netlist(N=${N}): each cycle adds Σ_g ±x_g·w_g of its groups in every mode${N <= 6 ? " (full mode: every x, w)" : ""}`, async (ctx) => {
      skipWithout(ctx, LIBERTY_OSU018);
      const W = fusionSumBits(N);
      const A = W + 10;
      const X = fusionBusBits(N);
      const G = fusionGroups(N);
      const top = fusionMacName(N, A);
      const { json } = await synthesizeNetlistJson({ top, source: fusionMacVerilog(N, A) }, lib.text);
      const sim = new NetlistSim(json, top);
      const rng = new Rng(1300 + N);
      const B = Math.ceil(N / 2);
      const modes = fusionModes(N);
      let mismatches = 0;
      let cycles = 0;
      const step = (mode: number, s: number, xs: number[], ws: number[]) => {
        // pack the groups' magnitudes; bus bits of unused groups carry noise the lane must ignore
        let xb = rng.between(0, 2 ** X - 1);
        let wb = rng.between(0, 2 ** X - 1);
        let sxb = 0;
        let swb = 0;
        const lo = 2 * s * xs.length;
        xb = (xb - (xb % 2 ** lo)) / 1;
        wb = (wb - (wb % 2 ** lo)) / 1;
        xs.forEach((x, g) => {
          xb += Math.abs(x) * 2 ** (2 * s * g);
          wb += Math.abs(ws[g]!) * 2 ** (2 * s * g);
          if (x < 0) sxb += 2 ** g;
          if (ws[g]! < 0) swb += 2 ** g;
        });
        sim.set("mode", mode);
        sim.set("x", xb);
        sim.set("w", wb);
        sim.set("sx", sxb);
        sim.set("sw", swb);
        const before = signed(sim.get("acc"), A);
        sim.clock();
        cycles++;
        if (signed(sim.get("acc"), A) - before !== intDot(xs, ws)) mismatches++;
      };
      sim.set("en", 0);
      sim.set("clear", 1);
      sim.clock();
      sim.set("clear", 0);
      sim.set("en", 1);
      let want = 0;
      modes.forEach((s, mode) => {
        const groups = Math.floor(B / s) ** 2;
        const max = 2 ** Math.min(2 * s, N) - 1;
        const full = s === B;
        if (full && N <= 6) {
          for (let x = -max; x <= max; x++)
            for (let w = -max; w <= max; w++) {
              step(mode, s, [x], [w]);
              want += x * w;
            }
        } else {
          for (let t = 0; t < 400; t++) {
            const xs = Array.from({ length: groups }, () => rng.between(-max, max));
            const ws = Array.from({ length: groups }, () => rng.between(-max, max));
            step(mode, s, xs, ws);
            want += intDot(xs, ws);
          }
        }
      });
      expect(G).toBe(B * B);
      expect(cycles).toBeGreaterThan(0);
      expect(mismatches).toBe(0);
      expect(signed(sim.get("acc"), A)).toBe(signed(((want % 2 ** A) + 2 ** A) % 2 ** A, A));
    });
  }
});
