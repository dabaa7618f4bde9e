import { describe, expect, it } from "vitest";
import { intConv2d, scConv2d } from "../src/conv2d.ts";
import { FaultWeightMemo, defaultAccBits } from "../src/faults-model.ts";
import {
  STUCK_SITES,
  forceAccBit,
  injectConv2dStuckAt,
  injectGemmStuckAt,
  simulateStuckMacLane,
  stuckDot,
  stuckSiteWidth,
} from "../src/faults-stuck.ts";
import { biscCount } from "../src/bisc.ts";
import { Rng } from "../src/prng.ts";
import { randomSigned } from "./helpers.ts";

describe("stuck-at faults", () => {
  it("stuckDot equals the cycle-level simulateStuckMacLane for every site, stuck bit and value (seeded operands, N = 3…6, the default register and a 3-bit one)", () => {
    const rng = new Rng(12);
    let mismatches = 0;
    let checked = 0;
    for (let N = 3; N <= 6; N++) {
      for (let trial = 0; trial < 4; trial++) {
        const xs = randomSigned(rng, N, 9);
        const ws = randomSigned(rng, N, 9);
        ws[trial] = 0;
        // the default (narrowest sufficient) register, and a 3-bit one that wraps all the time
        for (const site of STUCK_SITES)
          for (const accBits of [defaultAccBits(site, N, 9), 3]) {
            const width = stuckSiteWidth({ site, bits: N, accBits });
            for (let bit = 0; bit < width; bit++) {
              for (const value of [0, 1] as const) {
                checked++;
                if (
                  stuckDot({ site, bits: N, bit, value, accBits }, xs, ws) !==
                  simulateStuckMacLane({ site, bits: N, bit, value, accBits }, xs, ws).acc
                )
                  mismatches++;
              }
            }
          }
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(mismatches).toBe(0);
  });

  it("simulateStuckMacLane(sc-stream stuck at 1) counts |w| per product, stuck at 0 counts nothing", () => {
    const xs = [5, -3, 7, 0];
    const ws = [4, 6, -2, 3];
    expect(simulateStuckMacLane({ site: "sc-stream", bits: 3, bit: 0, value: 1 }, xs, ws).acc).toBe(4 - 6 - 2 + 3);
    expect(simulateStuckMacLane({ site: "sc-stream", bits: 3, bit: 0, value: 0 }, xs, ws).acc).toBe(0);
    // a bit that no fault-free partial sum sets (non-negative sums < 2^(B−2)) changes nothing when stuck at 0
    const pos = [5, 3, 7, 0];
    const wpos = [4, 6, 2, 3];
    let clean = 0;
    for (let i = 0; i < 4; i++) clean += biscCount(pos[i]!, wpos[i]!, 3);
    const B = defaultAccBits("sc-accumulator", 3, 4);
    expect(clean).toBeLessThan(2 ** (B - 2));
    expect(simulateStuckMacLane({ site: "sc-accumulator", bits: 3, bit: B - 2, value: 0 }, pos, wpos).acc).toBe(clean);
    expect(simulateStuckMacLane({ site: "sc-accumulator", bits: 3, bit: B - 2, value: 1 }, pos, wpos).acc).toBe(
      clean + 2 ** (B - 2),
    );
  });

  it("forceAccBit(v, k, value, B) sets bit k of the two's-complement register", () => {
    expect(forceAccBit(0, 2, 1, 8)).toBe(4);
    expect(forceAccBit(4, 2, 1, 8)).toBe(4);
    expect(forceAccBit(5, 7, 1, 8)).toBe(5 - 128);
    expect(forceAccBit(-1, 0, 0, 8)).toBe(-2);
  });

  it("injectConv2dStuckAt: fraction 1 replaces every output by its stuck lane's stuckDot, fraction 0 changes nothing, a seed reproduces the lanes", () => {
    const setup = new Rng(3);
    const N = 4;
    const signed = randomSigned(setup, N, 2 * 2 * 5 * 4);
    const weight = randomSigned(setup, N, 3 * 2 * 3 * 3);
    const inShape = [2, 2, 5, 4];
    const wShape = [3, 2, 3, 3];
    const opts = { stride: 1, padding: 1, groups: 1 };
    // non-negative inputs too (after a ReLU): an sc-stream lane then needs no operand row
    for (const input of [signed, signed.map((v) => Math.abs(v))])
      for (const site of STUCK_SITES) {
        const clean = site.startsWith("sc-")
          ? scConv2d({ scheme: "bisc", bits: N }, input, inShape, weight, wShape, opts).data
          : intConv2d(input, inShape, weight, wShape, opts).data;
        const none = Int32Array.from(clean);
        expect(
          injectConv2dStuckAt({ site, bits: N, fraction: 0 }, new Rng(1), input, inShape, weight, wShape, opts, none),
        ).toEqual([]);
        expect(none).toEqual(clean);
        // every output a stuck lane, seed 1
        const allStuck = (out: Int32Array) =>
          injectConv2dStuckAt({ site, bits: N, fraction: 1 }, new Rng(1), input, inShape, weight, wShape, opts, out);
        const all = Int32Array.from(clean);
        const lanes = allStuck(all);
        expect(lanes.length).toBe(clean.length);
        expect(allStuck(Int32Array.from(clean))).toEqual(lanes);
        let mismatches = 0;
        for (const lane of lanes) {
          const q = lane.index % 4;
          const p = Math.floor(lane.index / 4) % 5;
          const k = Math.floor(lane.index / 20) % 3;
          const n = Math.floor(lane.index / 60);
          const xs: number[] = [];
          const ws: number[] = [];
          for (let c = 0; c < 2; c++)
            for (let r = 0; r < 3; r++)
              for (let s = 0; s < 3; s++) {
                const y = p - 1 + r;
                const x = q - 1 + s;
                xs.push(y >= 0 && y < 5 && x >= 0 && x < 4 ? input[((n * 2 + c) * 5 + y) * 4 + x]! : 0);
                ws.push(weight[((k * 2 + c) * 3 + r) * 3 + s]!);
              }
          if (all[lane.index] !== simulateStuckMacLane({ site, bits: N, bit: lane.bit, value: lane.value }, xs, ws).acc)
            mismatches++;
        }
        expect(mismatches).toBe(0);
      }
  });

  it("each output is a stuck lane independently with probability `fraction` (lane count, spread over the outputs, gaps), its bit and value uniform", () => {
    const m = 4000;
    const k = 3;
    const n = 25;
    const a = new Int32Array(m * k).fill(1);
    const b = new Int32Array(n * k).fill(1);
    const total = m * n;
    for (const fraction of [0.002, 0.05, 0.5]) {
      const lanes = injectGemmStuckAt(
        { site: "bin-accumulator", bits: 3, fraction },
        new Rng(8),
        a,
        b,
        m,
        k,
        n,
        new Int32Array(total),
      );
      const near = (count: number, trials: number, p: number) =>
        expect(Math.abs(count - trials * p), `fraction ${fraction}`).toBeLessThanOrEqual(
          4.5 * Math.sqrt(trials * p * (1 - p)),
        );
      near(lanes.length, total, fraction);
      // each quarter of the outputs holds its share
      for (let q = 0; q < 4; q++)
        near(lanes.filter((l) => Math.floor((4 * l.index) / total) === q).length, total / 4, fraction);
      // the output after a lane is a lane with probability `fraction` (no gap left out or doubled)
      const at = new Set(lanes.map((l) => l.index));
      near(lanes.filter((l) => at.has(l.index + 1)).length, lanes.length, fraction);
      near(lanes.filter((l) => l.value === 1).length, lanes.length, 0.5);
      const width = 2 * 3 + Math.ceil(Math.log2(k)) + 1;
      expect(lanes.every((l) => l.bit >= 0 && l.bit < width)).toBe(true);
      near(lanes.filter((l) => l.bit === 0).length, lanes.length, 1 / width);
    }
  });

  it("injectConv2dStuckAt returns every stuck lane of a layer with more lanes than a call's arguments fit on the stack", () => {
    // 200 000 outputs at fraction 1: the lanes were once gathered with push(...lanes), which
    // overflows the stack at this size (a batch of 100 Fashion-MNIST images at fraction 0.1)
    const inShape = [2000, 1, 10, 10];
    const wShape = [1, 1, 1, 1];
    const input = new Int32Array(2000 * 100).fill(3);
    const out = new Int32Array(2000 * 100);
    const lanes = injectConv2dStuckAt(
      { site: "bin-product", bits: 4, fraction: 1 },
      new Rng(5),
      input,
      inShape,
      [2],
      wShape,
      { stride: 1, padding: 0, groups: 1 },
      out,
    );
    expect(lanes.length).toBe(200_000);
  });

  it("a FaultWeightMemo shared by successive calls (same weights, new inputs, one Rng stream; conv with groups and GEMM, every site) draws the lanes and values of calls without one", () => {
    const N = 4;
    const inShape = [2, 4, 6, 5] as const;
    for (const site of STUCK_SITES)
      for (const [conv, wShape, opts] of [
        [true, [6, 4, 3, 3], { padding: 1 }],
        [true, [6, 2, 3, 3], { groups: 2, stride: 2 }],
        [false, [6, 4, 3, 3], {}],
      ] as const) {
        const memo = new FaultWeightMemo();
        const w = randomSigned(
          new Rng(5),
          N,
          wShape.reduce<number>((p, v) => p * v, 1),
        );
        const rngA = new Rng(9);
        const rngB = new Rng(9);
        for (let call = 0; call < 4; call++) {
          const x = randomSigned(new Rng(50 + call), N, 2 * 4 * 6 * 5).map((v) => (call % 2 ? Math.abs(v) : v));
          const spec = { site, bits: N, fraction: 0.2 };
          const sc = site.startsWith("sc-");
          let a: Int32Array;
          let b: Int32Array;
          if (conv) {
            const clean = sc
              ? scConv2d({ scheme: "bisc", bits: N }, x, inShape, w, wShape, opts).data
              : intConv2d(x, inShape, w, wShape, opts).data;
            a = Int32Array.from(clean);
            b = Int32Array.from(clean);
            injectConv2dStuckAt(spec, rngA, x, inShape, w, wShape, opts, a, memo);
            injectConv2dStuckAt(spec, rngB, x, inShape, w, wShape, opts, b);
          } else {
            const [m, k, n] = [6, 36, 6];
            a = new Int32Array(m * n);
            b = new Int32Array(m * n);
            injectGemmStuckAt(spec, rngA, x.subarray(0, m * k), w, m, k, n, a, undefined, memo);
            injectGemmStuckAt(spec, rngB, x.subarray(0, m * k), w, m, k, n, b);
          }
          expect(Array.from(a), `${site}, ${conv ? JSON.stringify(opts) : "gemm"}, call ${call}`).toEqual(
            Array.from(b),
          );
        }
      }
  });

  it("stuck-at specs name the bad field", () => {
    expect(() => stuckDot({ site: "sc-down-counter" as never, bits: 4, bit: 0, value: 1 }, [1], [1])).toThrow(
      /stuckAt\.site/,
    );
    expect(() => stuckDot({ site: "sc-stream", bits: 4, bit: 1, value: 1 }, [1], [1])).toThrow(/stuckAt\.bit/);
    expect(() => stuckDot({ site: "bin-product", bits: 4, bit: 0, value: 2 as never }, [1], [1])).toThrow(
      /stuckAt\.value/,
    );
  });
});
