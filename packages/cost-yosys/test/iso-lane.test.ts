import { LIBERTY_OSU018, missingSystemPackage, skipWithout } from "@sccnn/test-support";
import { describe, expect, it } from "vitest";
import { scMultiply } from "@sccnn/sc-core";
import { isoMacName, isoMacVerilog, NetlistSim, resolveLibrary, synthesizeNetlistJson } from "../src/index.ts";

// The iso-arithmetic binary lane (one-cycle MAC, products = BISC counts) synthesized onto OSU 0.18 µm
// cells, read back as gates and clocked in TS: every signed product equals sc-core's BISC product.
// without the Liberty file (a non-root run on a fresh machine) the synthesized-netlist tests skip, naming the package
const lib = missingSystemPackage(LIBERTY_OSU018) ? (undefined as never) : resolveLibrary({ technology: "osu018" });

function signed(v: number, bits: number): number {
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}

describe("synthesized iso-arithmetic lane vs sc-core BISC products", () => {
  for (const N of [2, 3, 4, 5, 6]) {
    it(`netlist(N=${N}) product = scMultiply(bisc) for every x, w in ±(2^N − 1), and accumulates them`, async (ctx) => {
      skipWithout(ctx, LIBERTY_OSU018);
      const A = N + 2 * N + 1; // room for the running sum over one row of w below
      const top = isoMacName(N, A);
      const { json } = await synthesizeNetlistJson({ top, source: isoMacVerilog(N, A) }, lib.text);
      const sim = new NetlistSim(json, top);
      const max = 2 ** N - 1;
      let mismatches = 0;
      for (let x = -max; x <= max; x++) {
        // one dot product per x: clear, then accumulate x·w over every w
        sim.set("en", 0);
        sim.set("clear", 1);
        sim.clock();
        sim.set("clear", 0);
        sim.set("en", 1);
        let want = 0;
        for (let w = -max; w <= max; w++) {
          sim.set("x", Math.abs(x));
          sim.set("sx", x < 0 ? 1 : 0);
          sim.set("w", Math.abs(w));
          sim.set("sw", w < 0 ? 1 : 0);
          const before = signed(sim.get("acc"), A);
          sim.clock();
          const product = signed(sim.get("acc"), A) - before;
          const ref = scMultiply({ scheme: "bisc", bits: N }, x, w);
          if (product !== ref) mismatches++;
          want += ref;
        }
        expect(signed(sim.get("acc"), A), `sum over w at x=${x}`).toBe(want);
      }
      expect(mismatches).toBe(0);
    });
  }
});
