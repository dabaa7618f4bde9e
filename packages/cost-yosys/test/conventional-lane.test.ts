import { Rng, simulateMacLane } from "@sccnn/sc-core";
import { LIBERTY_OSU018, missingSystemPackage, skipWithout } from "@sccnn/test-support";
import { describe, expect, it } from "vitest";
import {
  convMacName,
  convMacVerilog,
  driveBiscDot,
  NetlistSim,
  resolveLibrary,
  synthesizeNetlistJson,
  type ConventionalSng,
} from "../src/index.ts";

// The conventional SC lane (comparator SNGs, AND, up/down counter, 2^N cycles per product),
// synthesized onto OSU 0.18 µm cells and clocked at gate level, must compute what sc-core's lfsr /
// sobol schemes compute (the reference streams the accuracy studies use), in the same cycles.
const lib = missingSystemPackage(LIBERTY_OSU018) ? { text: "" } : resolveLibrary({ technology: "osu018" });
const signed = (v: number, bits: number) => (v >= 2 ** (bits - 1) ? v - 2 ** bits : v);

async function lane(bits: number, sng: ConventionalSng, accBits: number): Promise<NetlistSim> {
  const top = convMacName(bits, sng, accBits);
  const { json } = await synthesizeNetlistJson({ top, source: convMacVerilog(bits, sng, accBits) }, lib.text);
  return new NetlistSim(json, top);
}

function run(sim: NetlistSim, xs: number[], ws: number[], accBits: number) {
  sim.set("load", 0);
  sim.set("clear", 1);
  sim.clock();
  sim.set("clear", 0);
  const { stepCycles } = driveBiscDot(sim, xs, ws);
  return { acc: signed(sim.get("acc"), accBits), cycles: stepCycles };
}

describe("synthesized conventional SC lane vs sc-core (lfsr, sobol)", () => {
  for (const sng of ["lfsr", "sobol"] as const) {
    it(`${sng} N=4: every product count of 4-bit x, w and its 16 cycles equal simulateMacLane`, async (ctx) => {
      skipWithout(ctx, LIBERTY_OSU018);
      const A = 10;
      const sim = await lane(4, sng, A);
      for (let x = 0; x < 16; x++)
        for (let w = 0; w < 16; w++) {
          const ref = simulateMacLane({ scheme: sng, bits: 4, accBits: A }, [x], [w]);
          expect(run(sim, [x], [w], A), `x=${x} w=${w}`).toEqual({ acc: ref.acc, cycles: ref.cycles });
        }
    });

    it(`${sng} N=6: seeded signed dot products (30 of length 5) equal simulateMacLane`, async (ctx) => {
      skipWithout(ctx, LIBERTY_OSU018);
      const N = 6;
      const A = N + 5;
      const sim = await lane(N, sng, A);
      const rng = new Rng(sng === "lfsr" ? 41 : 42);
      const max = 2 ** N - 1;
      for (let t = 0; t < 30; t++) {
        const xs = Array.from({ length: 5 }, () => rng.between(-max, max));
        const ws = Array.from({ length: 5 }, () => rng.between(-max, max));
        const ref = simulateMacLane({ scheme: sng, bits: N, accBits: A }, xs, ws);
        expect(run(sim, xs, ws, A), `xs=${xs} ws=${ws}`).toEqual({ acc: ref.acc, cycles: ref.cycles });
        expect(ref.cycles).toBe(5 * 2 ** N);
      }
    });
  }
});
