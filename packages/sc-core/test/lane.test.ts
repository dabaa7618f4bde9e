import { describe, expect, it } from "vitest";
import { UpDownCounter, wrapToBits } from "../src/accumulator.ts";
import { biscStreamBit } from "../src/bisc.ts";
import { scDot } from "../src/gemm.ts";
import {
  meanStepCycles,
  resolveLaneSpec,
  simulateMacLane,
  simulateMvmUnit,
  simulateProduct,
  stepCycles,
} from "../src/lane.ts";
import { scMultiply } from "../src/multiply.ts";
import { productTable } from "../src/product-table.ts";
import { Rng } from "../src/prng.ts";
import { SCHEMES } from "../src/spec.ts";
import { gaussianSigned, randomSigned } from "./helpers.ts";

describe("cycle-level lane and MVM unit", () => {
  it("simulateMvmUnit (one lane per signed x) equals scMultiply for all signed x, w at N = 1…8, every scheme, with the right cycles", () => {
    for (const scheme of SCHEMES) {
      for (let N = 1; N <= 8; N++) {
        const max = 2 ** N - 1;
        const lanes: number[][] = [];
        for (let x = -max; x <= max; x++) lanes.push([x]);
        const spec = { scheme, bits: N };
        const lane = resolveLaneSpec(spec);
        let mismatches = 0;
        for (let w = -max; w <= max; w++) {
          const r = simulateMvmUnit(spec, lanes, [w]);
          for (let m = 0; m < lanes.length; m++) if (r.acc[m] !== scMultiply(spec, lanes[m]![0]!, w)) mismatches++;
          expect(r.cycles).toBe(stepCycles(lane, Math.abs(w)));
        }
        expect(mismatches).toBe(0);
      }
    }
  });
  it("simulateMvmUnit equals scMultiply for all signed x, w with non-default LFSR seeds (N = 6, seeds 5 / 9 and 63 / 1)", () => {
    for (const [seed, seedW] of [
      [5, 9],
      [63, 1],
    ] as const) {
      const spec = { scheme: "lfsr" as const, bits: 6, seed, seedW };
      const lanes: number[][] = [];
      for (let x = -63; x <= 63; x++) lanes.push([x]);
      let mismatches = 0;
      for (let w = -63; w <= 63; w++) {
        const r = simulateMvmUnit(spec, lanes, [w]);
        for (let m = 0; m < lanes.length; m++) if (r.acc[m] !== scMultiply(spec, lanes[m]![0]!, w)) mismatches++;
      }
      expect(mismatches).toBe(0);
    }
    // The seeds matter: the tables differ from the default-seed table.
    expect(productTable({ scheme: "lfsr", bits: 6, seed: 5, seedW: 9 }).table).not.toEqual(
      productTable({ scheme: "lfsr", bits: 6 }).table,
    );
  });
  it("simulateMacLane with countOperand 'x' equals scMultiply with countOperand 'x' for all signed x, w at N = 1…5, every scheme", () => {
    for (const scheme of SCHEMES) {
      for (let N = 1; N <= 5; N++) {
        const max = 2 ** N - 1;
        let mismatches = 0;
        for (let x = -max; x <= max; x++)
          for (let w = -max; w <= max; w++) {
            const spec = { scheme, bits: N, countOperand: "x" as const };
            if (simulateMacLane(spec, [x], [w]).acc !== scMultiply(spec, x, w)) mismatches++;
          }
        expect(mismatches).toBe(0);
      }
    }
  });
  it("simulateProduct equals scMultiply on seeded signed pairs at N = 9…12 for every scheme and both count operands", () => {
    const rng = new Rng(25);
    for (const scheme of SCHEMES) {
      for (let N = 9; N <= 12; N++) {
        const max = 2 ** N - 1;
        for (let i = 0; i < 40; i++) {
          const x = rng.between(-max, max);
          const w = rng.between(-max, max);
          const countOperand = i % 2 ? "x" : "w";
          expect(simulateProduct({ scheme, bits: N, countOperand }, x, w).count).toBe(
            scMultiply({ scheme, bits: N, countOperand }, x, w),
          );
        }
      }
    }
  });
  it("simulateProduct cycles are |w| for bisc/bitrev (1 for w = 0 by default) and 2^N for lfsr/sobol", () => {
    expect(simulateProduct({ scheme: "bisc", bits: 8 }, 100, -77)).toEqual({
      count: scMultiply({ scheme: "bisc", bits: 8 }, 100, -77),
      cycles: 77,
    });
    expect(simulateProduct({ scheme: "bitrev", bits: 8 }, 100, 0).cycles).toBe(1);
    expect(simulateProduct({ scheme: "lfsr", bits: 8 }, 100, 0).cycles).toBe(256);
    expect(simulateProduct({ scheme: "sobol", bits: 6, parallel: 16 }, 10, 3).cycles).toBe(4);
  });
  it("simulateMacLane with parallel b = 1…16 gives the b = 1 sum and Σ ⌈|w|/b⌉ cycles (seeded, N up to 12, every scheme)", () => {
    const rng = new Rng(21);
    for (const scheme of SCHEMES) {
      for (let trial = 0; trial < 6; trial++) {
        const N = rng.between(1, 12);
        const len = scheme === "lfsr" || scheme === "sobol" ? 4 : 12;
        const xs = randomSigned(rng, N, len);
        const ws = trial % 2 ? gaussianSigned(rng, N, len) : randomSigned(rng, N, len);
        const ref = scDot({ scheme, bits: N }, xs, ws);
        for (const b of [1, 2, 4, 8, 16]) {
          const r = simulateMacLane({ scheme, bits: N, parallel: b }, xs, ws);
          expect(r.acc).toBe(ref);
          const lane = resolveLaneSpec({ scheme, bits: N, parallel: b });
          expect(r.cycles).toBe(Array.from(ws).reduce((c, w) => c + stepCycles(lane, Math.abs(w)), 0));
          if (scheme === "bisc" || scheme === "bitrev") {
            expect(r.cycles).toBe(Array.from(ws).reduce((c, w) => c + (w === 0 ? 1 : Math.ceil(Math.abs(w) / b)), 0));
          } else {
            expect(r.cycles).toBe(len * Math.ceil(2 ** N / b));
          }
        }
      }
    }
  });
  it("a BISC block of b = 2^j aligned cycles holds (x >> (N − j)) or one more ones; a partial block depends only on its length and x's top j bits", () => {
    const N = 8;
    let badBlocks = 0;
    let badPartials = 0;
    for (let j = 0; j <= 4; j++) {
      const b = 2 ** j;
      for (let x = 0; x < 2 ** N; x++) {
        for (let q = 0; q < 2 ** N / b; q++) {
          let ones = 0;
          for (let u = 1; u <= b; u++) ones += biscStreamBit(x, N, q * b + u);
          if (ones - (x >>> (N - j)) !== 0 && ones - (x >>> (N - j)) !== 1) badBlocks++;
          for (let len = 1; len < b; len++) {
            let partial = 0;
            let top = 0;
            for (let u = 1; u <= len; u++) partial += biscStreamBit(x, N, q * b + u);
            for (let u = 1; u <= len; u++) top += biscStreamBit((x >>> (N - j)) << (N - j), N, u);
            if (partial !== top) badPartials++;
          }
        }
      }
    }
    expect([badBlocks, badPartials]).toEqual([0, 0]);
  });
  it("simulateMvmUnit lanes all finish together: cycles = Σ_i stepCycles(|w_i|), each lane equals its own simulateMacLane", () => {
    const rng = new Rng(22);
    for (const scheme of SCHEMES) {
      for (const b of [1, 4]) {
        for (const zeroWeightCycles of [0, 1] as const) {
          const N = 6;
          const ws = gaussianSigned(rng, N, 9);
          ws[3] = 0;
          const lanes = Array.from({ length: 5 }, () => randomSigned(rng, N, 9));
          const spec = { scheme, bits: N, parallel: b, zeroWeightCycles };
          const r = simulateMvmUnit(spec, lanes, ws);
          const lane = resolveLaneSpec(spec);
          expect(r.cycles).toBe(Array.from(ws).reduce((c, w) => c + stepCycles(lane, Math.abs(w)), 0));
          lanes.forEach((xs, m) => {
            const one = simulateMacLane(spec, xs, ws);
            expect(r.acc[m]).toBe(one.acc);
            expect(one.cycles).toBe(r.cycles);
          });
        }
      }
    }
  });
  it("meanStepCycles equals the cycle-level lane's cycles divided by the number of products", () => {
    const rng = new Rng(26);
    for (const spec of [
      { scheme: "bisc" as const, bits: 8, parallel: 4 },
      { scheme: "sobol" as const, bits: 5, parallel: 2 },
    ]) {
      const ws = gaussianSigned(rng, spec.bits, 40);
      const xs = randomSigned(rng, spec.bits, 40);
      expect(meanStepCycles(spec, ws)).toBe(simulateMacLane(spec, xs, ws).cycles / 40);
    }
    expect(meanStepCycles({ scheme: "bisc", bits: 8 }, [0, 255, 100])).toBe((1 + 255 + 100) / 3);
    expect(() => meanStepCycles({ scheme: "bisc", bits: 8 }, [])).toThrow(/^counts/);
  });
  it("zeroWeightCycles 0 vs 1 changes bisc cycles by the number of zero weights and nothing else", () => {
    const xs = [5, -7, 9, 11, 3];
    const ws = [0, 4, 0, -6, 0];
    const a = simulateMacLane({ scheme: "bisc", bits: 4, zeroWeightCycles: 0 }, xs, ws);
    const b = simulateMacLane({ scheme: "bisc", bits: 4, zeroWeightCycles: 1 }, xs, ws);
    expect(a.cycles).toBe(10);
    expect(b.cycles).toBe(13);
    expect(a.acc).toBe(b.acc);
  });
  it("simulateMacLane with countOperand 'x' equals scDot with countOperand 'x' and takes Σ ⌈|x|/b⌉ cycles", () => {
    const rng = new Rng(23);
    for (const scheme of ["bisc", "bitrev"] as const) {
      const xs = randomSigned(rng, 7, 15);
      const ws = randomSigned(rng, 7, 15);
      const r = simulateMacLane({ scheme, bits: 7, countOperand: "x", parallel: 2 }, xs, ws);
      expect(r.acc).toBe(scDot({ scheme, bits: 7, countOperand: "x" }, xs, ws));
      expect(r.cycles).toBe(Array.from(xs).reduce((c, x) => c + (x === 0 ? 1 : Math.ceil(Math.abs(x) / 2)), 0));
    }
  });
});

describe("up/down accumulator overflow", () => {
  it("UpDownCounter(4, 'wrap') wraps 7 + 1 to −8 and −8 − 1 to 7; 'saturate' sticks at 7 and −8", () => {
    const w = new UpDownCounter(4, "wrap");
    w.add(7);
    w.add(1);
    expect([w.value, w.overflowed]).toEqual([-8, true]);
    w.add(-1);
    expect(w.value).toBe(7);
    const s = new UpDownCounter(4, "saturate");
    s.add(7);
    expect(s.overflowed).toBe(false);
    s.add(1);
    expect([s.value, s.overflowed]).toEqual([7, true]);
    s.add(-20);
    expect(s.value).toBe(-8);
  });
  it("simulateMacLane with a narrow accumulator: wrap gives the sum mod 2^B, saturate clamps after each product, for every b", () => {
    const rng = new Rng(24);
    for (let trial = 0; trial < 20; trial++) {
      const N = rng.between(3, 8);
      const accBits = rng.between(3, N + 2);
      const xs = randomSigned(rng, N, 10);
      const ws = randomSigned(rng, N, 10);
      const spec = { scheme: "bisc" as const, bits: N };
      const products = Array.from(xs, (x, i) => scMultiply(spec, x, ws[i]!));
      const lo = -(2 ** (accBits - 1));
      const hi = 2 ** (accBits - 1) - 1;
      let sat = 0;
      let wrap = 0;
      let flagged = false;
      for (const p of products) {
        sat = Math.min(hi, Math.max(lo, sat + p));
        if (wrap + p < lo || wrap + p > hi) flagged = true;
        wrap = wrapToBits(wrap + p, accBits);
      }
      expect(wrap).toBe(
        wrapToBits(
          products.reduce((a, b) => a + b, 0),
          accBits,
        ),
      );
      for (const b of [1, 2, 8]) {
        const rw = simulateMacLane({ ...spec, accBits, overflow: "wrap", parallel: b }, xs, ws);
        const rs = simulateMacLane({ ...spec, accBits, overflow: "saturate", parallel: b }, xs, ws);
        expect(rw.acc).toBe(wrap);
        expect(rw.overflow).toBe(flagged);
        expect(rs.acc).toBe(sat);
        expect(rs.overflow).toBe(flagged);
      }
    }
  });
  it("an accumulator of N + ⌈log2 K⌉ + 1 bits never overflows on K worst-case products", () => {
    const N = 6;
    const K = 20;
    const xs = new Array(K).fill(63);
    const ws = new Array(K).fill(-63);
    const r = simulateMacLane({ scheme: "bisc", bits: N, accBits: N + Math.ceil(Math.log2(K)) + 1 }, xs, ws);
    expect(r.overflow).toBe(false);
    expect(r.acc).toBe(K * scMultiply({ scheme: "bisc", bits: N }, 63, -63));
  });
});

describe("lane parameter errors", () => {
  it("bad lane parameters throw errors naming the parameter", () => {
    const ok = { scheme: "bisc" as const, bits: 4 };
    expect(() => simulateMacLane({ ...ok, parallel: 3 }, [1], [1])).toThrow(
      "laneSpec.parallel (b) must be a power of two in 1…65536, got 3",
    );
    expect(() => simulateMacLane({ ...ok, parallel: 0 }, [1], [1])).toThrow(/parallel \(b\)/);
    expect(() => simulateMacLane({ ...ok, accBits: 1 }, [1], [1])).toThrow(
      /^laneSpec.accBits must be an integer in 2…48, got 1/,
    );
    expect(() => simulateMacLane({ ...ok, accBits: 8.5 }, [1], [1])).toThrow(/accBits/);
    expect(() => simulateMacLane({ ...ok, overflow: "clip" as "wrap" }, [1], [1])).toThrow(/^laneSpec.overflow/);
    expect(() => simulateMacLane({ ...ok, zeroWeightCycles: 2 as 0 }, [1], [1])).toThrow(/^laneSpec.zeroWeightCycles/);
    expect(() => simulateMacLane({ ...ok, bits: 0 }, [1], [1])).toThrow(
      "laneSpec.bits (N) must be an integer in 1…16, got 0",
    );
    expect(() => simulateMacLane(ok, [1, 2], [1])).toThrow(/^ws must have length 2/);
    expect(() => simulateMacLane(ok, [1], [16])).toThrow(/^ws\[0\] must be an integer in −15…15/);
    expect(() => simulateMacLane(ok, [-16], [1])).toThrow(/^xs\[0\]/);
    expect(() => simulateMvmUnit({ ...ok, countOperand: "x" }, [[1]], [1])).toThrow(/countOperand/);
    expect(() => simulateMvmUnit(ok, [[1], [1, 2]], [1])).toThrow(/^xsPerLane\[1\] must have length 1/);
    expect(() => simulateMvmUnit(ok, [], [1])).toThrow(/^xsPerLane/);
  });
});
