import { LIBERTY_OSU018, missingSystemPackage, skipWithout } from "@sccnn/test-support";
import { describe, expect, it } from "vitest";
import { Rng } from "@sccnn/sc-core";
import {
  bitSerialMacName,
  bitSerialMacVerilog,
  NetlistSim,
  resolveLibrary,
  synthesizeNetlistJson,
} from "../src/index.ts";

// The bit-serial (Stripes-like) binary lane, synthesized onto OSU 0.18 µm cells and clocked at gate
// level: n cycles per product at run precision n ≤ N (x loaded MSB-aligned), exact products.
// without the Liberty file (a non-root run on a fresh machine) the synthesized-netlist tests skip, naming the package
const lib = missingSystemPackage(LIBERTY_OSU018) ? (undefined as never) : resolveLibrary({ technology: "osu018" });
const signed = (v: number, bits: number) => (v >= 2 ** (bits - 1) ? v - 2 ** bits : v);

describe("synthesized bit-serial lane", () => {
  it("netlist(N=6) accumulates exact signed products in n cycles each at run precision n = 6, 4, 2 (seeded)", async (ctx) => {
    skipWithout(ctx, LIBERTY_OSU018);
    const N = 6;
    const A = 2 * N + 4;
    const top = bitSerialMacName(N, A);
    const { json } = await synthesizeNetlistJson({ top, source: bitSerialMacVerilog(N, A) }, lib.text);
    const sim = new NetlistSim(json, top);
    const rng = new Rng(5);
    for (const n of [6, 4, 2]) {
      const max = 2 ** n - 1;
      for (let t = 0; t < 15; t++) {
        sim.set("load", 0);
        sim.set("en", 0);
        sim.set("clear", 1);
        sim.clock();
        sim.set("clear", 0);
        let want = 0;
        for (let i = 0; i < 4; i++) {
          const x = rng.between(-max, max);
          const w = rng.between(-max, max);
          want += x * w;
          sim.set("x", Math.abs(x) * 2 ** (N - n));
          sim.set("sx", x < 0 ? 1 : 0);
          sim.set("w", Math.abs(w)); // held for the step (the unit's weight register)
          sim.set("sw", w < 0 ? 1 : 0);
          // the load cycle also adds the previous product (en), then n − 1 serial cycles: n per MAC
          sim.set("load", 1);
          sim.set("en", i > 0 ? 1 : 0);
          sim.clock();
          sim.set("load", 0);
          sim.set("en", 0);
          for (let c = 1; c < n; c++) sim.clock();
        }
        sim.set("en", 1);
        sim.clock();
        sim.set("en", 0);
        expect(signed(sim.get("acc"), A), `n=${n}`).toBe(want);
      }
    }
  });
});
