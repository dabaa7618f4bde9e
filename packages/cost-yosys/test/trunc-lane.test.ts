import { LIBERTY_OSU018, missingSystemPackage, skipWithout } from "@sccnn/test-support";
import { describe, expect, it } from "vitest";
import { truncProductSigned } from "@sccnn/sc-core";
import { NetlistSim, resolveLibrary, synthesizeNetlistJson, truncMacName, truncMacVerilog } from "../src/index.ts";

// The truncated-multiplier lane (partial products below column N − g dropped, no correction)
// synthesized onto OSU 0.18 µm cells, read back as gates and clocked in TS: every signed product
// equals sc-core's truncProductSigned, which the runtime's fixed-trunc-g<g> arithmetic runs.
// without the Liberty file (a non-root run on a fresh machine) the synthesized-netlist tests skip, naming the package
const lib = missingSystemPackage(LIBERTY_OSU018) ? (undefined as never) : resolveLibrary({ technology: "osu018" });

function signed(v: number, bits: number): number {
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}

describe("synthesized truncated-multiplier lane vs the runtime's truncated products", () => {
  for (const N of [2, 3, 4, 5, 6])
    for (const g of [0, 1, 2].filter((v) => v < N)) {
      it(`netlist(N=${N}, g=${g}) product = truncProductSigned for every x, w in ±(2^N − 1), and accumulates them`, async (ctx) => {
        skipWithout(ctx, LIBERTY_OSU018);
        const A = N + g + N + 2;
        const top = truncMacName(N, g, A);
        const { json } = await synthesizeNetlistJson({ top, source: truncMacVerilog(N, g, A) }, lib.text);
        const sim = new NetlistSim(json, top);
        const max = 2 ** N - 1;
        let mismatches = 0;
        let dropped = 0;
        for (let x = -max; x <= max; x++) {
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
            const ref = truncProductSigned(x, w, N, g);
            if (product !== ref) mismatches++;
            if (Math.abs(ref) * 2 ** (N - g) !== Math.abs(x * w)) dropped++;
            want += ref;
          }
          expect(signed(sim.get("acc"), A), `sum over w at x=${x}`).toBe(want);
        }
        expect(mismatches).toBe(0);
        // the check can fail: some products do lose their low columns
        expect(dropped).toBeGreaterThan(0);
      });
    }
});
