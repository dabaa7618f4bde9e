import { LIBERTY_OSU018, missingSystemPackage, skipWithout } from "@sccnn/test-support";
import { describe, expect, it } from "vitest";
import { Rng, scMultiply, simulateMacLane, truncProductSigned } from "@sccnn/sc-core";
import {
  driveBiscDot,
  loadTimingTable,
  NetlistSim,
  resolveLibrary,
  synthesizeNetlistJson,
  targetAbcScript,
  timedAccBits,
  timedLaneVerilog,
  timingQueries,
  DEFAULT_TIMING_GRID,
  fusionModes,
} from "../src/index.ts";

// without the Liberty file (a non-root run on a fresh machine) the synthesized-netlist tests skip, naming the package
const lib = missingSystemPackage(LIBERTY_OSU018) ? (undefined as never) : resolveLibrary({ technology: "osu018" });
const signed = (v: number, bits: number) => (v >= 2 ** (bits - 1) ? v - 2 ** bits : v);

describe("timed lanes compute what they are costed for (gate level, synthesized at the delay target)", () => {
  for (const [design, pipelined] of [
    ["exact", true],
    ["iso-bisc", true],
    ["iso-bisc", false],
    ["trunc-g1", false],
    ["bit-fusion", true],
  ] as const) {
    const what =
      design === "exact"
        ? "Σ x·w"
        : design === "bit-fusion"
          ? "Σ x·w in its full-precision mode"
          : design === "iso-bisc"
            ? "Σ BISC products"
            : "Σ truncated products";
    it(`${design} lane N=6${pipelined ? " pipelined" : ""}: seeded signed dot products equal ${what}`, async (ctx) => {
      skipWithout(ctx, LIBERTY_OSU018);
      const N = 6;
      const A = timedAccBits(design, N);
      const d = timedLaneVerilog({ design, bits: N, pipelined });
      const { json } = await synthesizeNetlistJson(d, lib.text, targetAbcScript(5000));
      const sim = new NetlistSim(json, d.top);
      if (design === "bit-fusion") sim.set("mode", fusionModes(N).length - 1);
      const rng = new Rng(7);
      const max = 2 ** N - 1;
      for (let t = 0; t < 30; t++) {
        sim.set("en", 0);
        sim.set("clear", 1);
        sim.clock();
        sim.set("clear", 0);
        sim.set("en", 1);
        let want = 0;
        for (let i = 0; i < 5; i++) {
          const x = rng.between(-max, max);
          const w = rng.between(-max, max);
          want +=
            design === "exact" || design === "bit-fusion"
              ? x * w
              : design === "iso-bisc"
                ? scMultiply({ scheme: "bisc", bits: N }, x, w)
                : truncProductSigned(x, w, N, 1);
          sim.set("x", Math.abs(x));
          sim.set("sx", x < 0 ? 1 : 0);
          sim.set("w", Math.abs(w));
          sim.set("sw", w < 0 ? 1 : 0);
          sim.clock();
        }
        sim.set("en", 0);
        if (pipelined) sim.clock(); // drain the pipeline stage
        expect(signed(sim.get("acc"), A)).toBe(want);
      }
    });
  }

  it("sc lane N=6, b=4 pipelined: dot products and cycles equal simulateMacLane (one drain cycle at the end)", async (ctx) => {
    skipWithout(ctx, LIBERTY_OSU018);
    const N = 6;
    const A = timedAccBits("sc", N);
    const d = timedLaneVerilog({ design: "sc", bits: N, parallel: 4, pipelined: true });
    const { json } = await synthesizeNetlistJson(d, lib.text, targetAbcScript(5000));
    const sim = new NetlistSim(json, d.top);
    const rng = new Rng(11);
    const max = 2 ** N - 1;
    for (let t = 0; t < 20; t++) {
      const xs = Array.from({ length: 5 }, () => rng.between(-max, max));
      const ws = Array.from({ length: 5 }, () => rng.between(-max, max));
      sim.set("load", 0);
      sim.set("clear", 1);
      sim.clock();
      sim.set("clear", 0);
      const { stepCycles: cycles } = driveBiscDot(sim, xs, ws);
      sim.clock(); // drain
      const ref = simulateMacLane({ scheme: "bisc", bits: N, parallel: 4, accBits: A, zeroWeightCycles: 1 }, xs, ws);
      expect({ acc: signed(sim.get("acc"), A), cycles }).toEqual({ acc: ref.acc, cycles: ref.cycles });
    }
  });
});

describe("committed timing table", () => {
  const table = loadTimingTable("osu018");
  it("holds every lane of the default grid once, slack = target − delay, a pipelined row for every miss", () => {
    const plain = table.entries.filter((e) => !e.pipelined);
    expect(plain.map((e) => [e.design, e.bits, e.parallel ?? null])).toEqual(
      timingQueries(DEFAULT_TIMING_GRID).map((q) => [q.design, q.bits, q.parallel ?? null]),
    );
    for (const e of table.entries) expect(e.slackPs).toBeCloseTo(table.targetPs - e.delayPs, 1);
    for (const e of plain.filter((x) => x.slackPs < 0 && x.design !== "bit-serial"))
      expect(
        table.entries.some(
          (p) => p.pipelined && p.design === e.design && p.bits === e.bits && p.parallel === e.parallel,
        ),
      ).toBe(true);
    expect(table.provenance.abcScript).toBe(targetAbcScript(table.targetPs));
  });
});
