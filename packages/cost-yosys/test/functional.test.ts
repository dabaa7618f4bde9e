import { describe, expect, it } from "vitest";
import { networkCycles, type LayerWorkload } from "@sccnn/cost";
import { quantizeWeights } from "@sccnn/nn";
import { hardwareLayerWeights } from "@sccnn/zoo";
import { Rng, simulateMacLane } from "@sccnn/sc-core";
import { LIBERTY_OSU018, missingSystemPackage, skipWithout } from "@sccnn/test-support";
import {
  binaryMacName,
  binaryMacVerilog,
  biscMacName,
  biscMacVerilog,
  driveBiscDot,
  NetlistSim,
  resolveLibrary,
  synthesizeNetlistJson,
} from "../src/index.ts";

// The hardware we cost must compute what we simulate: the synthesized gate-level BISC lane (shared
// down counter + SNG counter + stream front + up/down counter, mapped onto OSU 0.18 µm cells and
// read back as gates) is clocked in TS and compared with sc-core's cycle-level reference.
// Needs the OSU 0.18 µm Liberty file (Debian qflow-tech-osu018): each test skips with the reason without it.
const lib = missingSystemPackage(LIBERTY_OSU018) ? { text: "" } : resolveLibrary({ technology: "osu018" });

function signed(v: number, bits: number): number {
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}

/** Runs one dot product on the netlist as the unit's sequencer does (driveBiscDot: weights overlap). */
function runDot(sim: NetlistSim, xs: number[], ws: number[], accBits: number): { acc: number; cycles: number } {
  sim.set("load", 0);
  sim.set("clear", 1);
  sim.clock();
  sim.set("clear", 0);
  const { stepCycles } = driveBiscDot(sim, xs, ws);
  return { acc: signed(sim.get("acc"), accBits), cycles: stepCycles };
}

async function biscNetlist(bits: number, parallel: number, accBits: number): Promise<NetlistSim> {
  const top = biscMacName(bits, parallel, accBits);
  const { json } = await synthesizeNetlistJson({ top, source: biscMacVerilog(bits, parallel, accBits) }, lib.text);
  return new NetlistSim(json, top);
}

describe("synthesized BISC lane vs sc-core simulateMacLane", () => {
  for (const parallel of [1, 4, 16]) {
    it(`netlist(N=4, b=${parallel}) product count and cycles equal simulateMacLane for all 4-bit x, w`, async (ctx) => {
      skipWithout(ctx, LIBERTY_OSU018);
      const A = 8;
      const sim = await biscNetlist(4, parallel, A);
      for (let x = 0; x < 16; x++) {
        for (let w = 0; w < 16; w++) {
          const ref = simulateMacLane({ scheme: "bisc", bits: 4, parallel, accBits: A, zeroWeightCycles: 1 }, [x], [w]);
          expect(runDot(sim, [x], [w], A), `x=${x} w=${w}`).toEqual({ acc: ref.acc, cycles: ref.cycles });
        }
      }
    });
  }

  for (const [bits, parallel] of [
    [6, 2],
    [8, 1],
    [8, 8],
    [7, 64],
  ] as const) {
    it(`netlist(N=${bits}, b=${parallel}) signed dot products equal simulateMacLane (seeded, 40 dot products of length 5)`, async (ctx) => {
      skipWithout(ctx, LIBERTY_OSU018);
      const A = bits + 4;
      const sim = await biscNetlist(bits, parallel, A);
      const rng = new Rng(1234 + bits * 10 + parallel);
      const max = 2 ** bits - 1;
      const draw = () => rng.between(-max, max);
      for (let t = 0; t < 40; t++) {
        const xs = Array.from({ length: 5 }, draw);
        const ws = Array.from({ length: 5 }, draw);
        const ref = simulateMacLane({ scheme: "bisc", bits, parallel, accBits: A, zeroWeightCycles: 1 }, xs, ws);
        expect(runDot(sim, xs, ws, A), `xs=${xs} ws=${ws}`).toEqual({ acc: ref.acc, cycles: ref.cycles });
      }
    });
  }
});

describe("generated BISC lane vs the latency model on real weights", () => {
  // One output channel of lenet5's trained c2 (BN folded, as the hardware runs it), quantised at
  // N = 4: 150 weight steps, zeros included. The lane, driven as the unit's sequencer drives it
  // (the next weight loads in the last stream cycle), must take the latency model's cycles.
  for (const parallel of [1, 4]) {
    it(`N=4, b=${parallel}: netlist cycles of lenet5 c2 channel 3 = networkCycles (+ 1 fill cycle), counts equal simulateMacLane`, async (ctx) => {
      skipWithout(ctx, LIBERTY_OSU018);
      const N = 4;
      const conv = hardwareLayerWeights({ network: "lenet5", path: null }).layers.find((l) => l.stats.name === "c2")!;
      const { stats: st } = conv;
      const { q } = quantizeWeights(conv.weights, st.K, N, false);
      const steps = (st.C / st.groups) * st.R * st.S;
      const ws = Array.from(q.subarray(3 * steps, 4 * steps));
      expect(ws.some((w) => w === 0)).toBe(true);
      const rng = new Rng(77);
      const xs = ws.map(() => rng.between(0, 2 ** N - 1));
      const layer: LayerWorkload = {
        name: "c2[3]",
        kind: "conv",
        dims: { N: 1, C: st.C, K: 1, R: st.R, S: st.S, P: 1, Q: 1 },
        groups: st.groups,
        weightMagnitudes: Uint16Array.from(ws, (w) => Math.abs(w)),
      };
      const model = networkCycles([layer], { units: 1, lanesPerUnit: 1, parallel, zeroWeightCycles: 1 }).scCycles;
      const A = N + 9;
      const sim = await biscNetlist(N, parallel, A);
      sim.set("load", 0);
      sim.set("clear", 1);
      sim.clock();
      sim.set("clear", 0);
      const run = driveBiscDot(sim, xs, ws);
      expect(run.stepCycles).toBe(model);
      expect(run.cycles).toBe(model + 1);
      const ref = simulateMacLane({ scheme: "bisc", bits: N, parallel, accBits: A, zeroWeightCycles: 1 }, xs, ws);
      expect({ acc: signed(sim.get("acc"), A), cycles: run.stepCycles }).toEqual({ acc: ref.acc, cycles: ref.cycles });
    });
  }
});

describe("synthesized binary lane", () => {
  it("netlist(binary N=6) accumulates exact signed products x·w (seeded)", async (ctx) => {
    skipWithout(ctx, LIBERTY_OSU018);
    const N = 6;
    const A = 2 * N + 4;
    const top = binaryMacName(N, A);
    const { json } = await synthesizeNetlistJson({ top, source: binaryMacVerilog(N, A) }, lib.text);
    const sim = new NetlistSim(json, top);
    const rng = new Rng(99);
    const max = 2 ** N - 1;
    const draw = () => rng.between(-max, max);
    for (let t = 0; t < 40; t++) {
      sim.set("en", 0);
      sim.set("clear", 1);
      sim.clock();
      sim.set("clear", 0);
      sim.set("en", 1);
      let want = 0;
      for (let i = 0; i < 4; i++) {
        const x = draw();
        const w = draw();
        want += x * w;
        sim.set("x", Math.abs(x));
        sim.set("sx", x < 0 ? 1 : 0);
        sim.set("w", Math.abs(w));
        sim.set("sw", w < 0 ? 1 : 0);
        sim.clock();
      }
      expect(signed(sim.get("acc"), A)).toBe(want);
    }
  });
});
