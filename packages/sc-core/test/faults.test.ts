import { describe, expect, it } from "vitest";
import { wrapToBits } from "../src/accumulator.ts";
import { biscCount, biscStreamBit } from "../src/bisc.ts";
import { convGeometry, im2colRow, im2colT, intConv2d, scConv2d } from "../src/conv2d.ts";
import {
  STREAM_AGGREGATE_MIN_FLIPS,
  STREAM_DENSE_MIN_MEAN_FLIPS,
  BinomialSampler,
  DOWN_COUNTER_UNIT_MAP_MAX,
  binomialDraw,
  productAt,
  unitProductMap,
  fastFaultyDot,
  flipStoredOperands,
  injectConv2dFaults,
  injectGemmFaults,
} from "../src/faults-fast.ts";
import { simulateFaultyMacLane } from "../src/faults-lane.ts";
import {
  FAULT_SITES,
  FLIP_MASK_TABLE_MAX_WIDTH,
  FaultWeightMemo,
  FlipMaskSampler,
  biscPrefixOnes,
  defaultAccBits,
  flipAccBit,
  geometricGap,
  nonEmptyFlipMask,
  resolveFaultSpec,
  type FaultSite,
  type FaultSpec,
} from "../src/faults-model.ts";
import { intDot } from "../src/gemm.ts";
import { simulateMacLane } from "../src/lane.ts";
import { injectConv2dStuckAt, injectGemmStuckAt } from "../src/faults-stuck.ts";
import { Rng } from "../src/prng.ts";
import { randomSigned } from "./helpers.ts";

/** Two-sided normal quantile for the tolerances below: P(|Z| > 4.5) ≈ 7e-6 per comparison. */
const Z = 4.5;

interface Moments {
  n: number;
  mean: number;
  variance: number;
  m4: number;
}

function moments(values: number[]): Moments {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  let v2 = 0;
  let v4 = 0;
  for (const v of values) {
    const d = (v - mean) ** 2;
    v2 += d;
    v4 += d * d;
  }
  return { n, mean, variance: v2 / (n - 1), m4: v4 / n };
}

/** Standard error of the sample variance: √((μ4 − σ⁴)/n). */
function varianceSe(m: Moments): number {
  return Math.sqrt(Math.max(m.m4 - m.variance ** 2, 0) / m.n);
}

function dirOf(x: number, w: number): number {
  return x < 0 !== w < 0 ? -1 : 1;
}

describe("fault model helpers", () => {
  it("biscPrefixOnes(x, N, L) equals the count of ones of biscStreamBit over t = 1…L, L up to 3·2^N (N = 1…6)", () => {
    let mismatches = 0;
    for (let N = 1; N <= 6; N++) {
      for (let x = 0; x < 2 ** N; x++) {
        let ones = 0;
        for (let L = 1; L <= 3 * 2 ** N; L++) {
          ones += biscStreamBit(x, N, ((L - 1) % 2 ** N) + 1);
          if (biscPrefixOnes(x, N, L) !== ones) mismatches++;
          if (L < 2 ** N && biscPrefixOnes(x, N, L) !== biscCount(x, L, N)) mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
  });

  it("unitProductMap gives every down-counter unit the product productAt finds (zero-live products, b = 1, 4, 32); null above its cap", () => {
    const rng = new Rng(77);
    for (const b of [1, 4, 32]) {
      const n = 5;
      const k = 40;
      const w = randomSigned(rng, 6, n * k);
      for (let i = 0; i < w.length; i += 7) w[i] = 0;
      const cum = new Float64Array(n * (k + 1));
      const units = new Float64Array(n);
      for (let c = 0; c < n; c++) {
        for (let i = 0; i < k; i++) {
          const live = Math.max(0, Math.ceil(Math.abs(w[c * k + i]!) / b) - 1);
          cum[c * (k + 1) + i + 1] = cum[c * (k + 1) + i]! + live;
        }
        units[c] = cum[c * (k + 1) + k]!;
      }
      const map = unitProductMap(cum, units, n, k)!;
      let bad = 0;
      let checked = 0;
      for (let c = 0; c < n; c++)
        for (let u = 0; u < units[c]!; u++, checked++)
          if (map.unitProduct[map.unitStart[c]! + u] !== productAt(cum, c * (k + 1), 0, k, u)) bad++;
      expect(bad, `b = ${b}`).toBe(0);
      expect(checked).toBeGreaterThan(b === 32 ? 5 : 100);
    }
    expect(unitProductMap(new Float64Array(2), Float64Array.of(DOWN_COUNTER_UNIT_MAP_MAX + 1), 1, 1)).toBeNull();
  });

  it("flipAccBit(v, k, B) toggles bit k of the two's-complement register (MSB worth −2^(B−1))", () => {
    expect(flipAccBit(0, 3, 8)).toBe(8);
    expect(flipAccBit(8, 3, 8)).toBe(0);
    expect(flipAccBit(5, 7, 8)).toBe(5 - 128);
    expect(flipAccBit(-1, 0, 8)).toBe(-2);
    expect(flipAccBit(-128, 7, 8)).toBe(0);
  });

  it("nonEmptyFlipMask(p, width) and FlipMaskSampler have the conditional law of independent Bernoulli(p) bits given at least one flip", () => {
    const n = 40_000;
    const rng = new Rng(11);
    for (const [p, width] of [
      [0.3, 4],
      [0.05, 6],
    ] as const) {
      const sampler = new FlipMaskSampler(p, width);
      for (const draw of [() => nonEmptyFlipMask(rng, p, width), () => sampler.draw(rng)]) {
        const size = 2 ** width;
        const counts = new Array<number>(size).fill(0);
        for (let i = 0; i < n; i++) counts[draw()]++;
        expect(counts[0]).toBe(0);
        const norm = 1 - (1 - p) ** width;
        // each mask expecting ≥ 10 draws on its own, the rare ones together
        let rareP = 0;
        let rareCount = 0;
        const check = (count: number, pm: number) =>
          expect(Math.abs(count - n * pm)).toBeLessThanOrEqual(Z * Math.sqrt(n * pm * (1 - pm)));
        for (let mask = 1; mask < size; mask++) {
          let ones = 0;
          for (let b = 0; b < width; b++) ones += (mask >> b) & 1;
          const pm = (p ** ones * (1 - p) ** (width - ones)) / norm;
          if (n * pm >= 10) check(counts[mask]!, pm);
          else {
            rareP += pm;
            rareCount += counts[mask]!;
          }
        }
        if (rareP > 0) check(rareCount, rareP);
      }
    }
    // above the table's width and at p = 1 it is nonEmptyFlipMask's draw
    expect(new FlipMaskSampler(0.2, FLIP_MASK_TABLE_MAX_WIDTH + 1).draw(new Rng(3))).toBe(
      nonEmptyFlipMask(new Rng(3), 0.2, FLIP_MASK_TABLE_MAX_WIDTH + 1),
    );
    expect(new FlipMaskSampler(1, 5).draw(new Rng(3))).toBe(31);
  });

  it("resolveFaultSpec names the bad field and defaults accBits to N + ⌈log2 K⌉ + 1 (SC) / 2N + ⌈log2 K⌉ + 1 (binary)", () => {
    expect(() => resolveFaultSpec({ site: "sc-foo" as FaultSite, rate: 0.1, bits: 8 }, 4)).toThrow(/faultSpec\.site/);
    expect(() => resolveFaultSpec({ site: "sc-stream", rate: 1.5, bits: 8 }, 4)).toThrow(/faultSpec\.rate/);
    expect(() => resolveFaultSpec({ site: "sc-stream", rate: 0.1, bits: 0 }, 4)).toThrow(/faultSpec\.bits/);
    expect(() => resolveFaultSpec({ site: "sc-stream", rate: 0.1, bits: 8, accBits: 1 }, 4)).toThrow(
      /faultSpec\.accBits/,
    );
    expect(() => resolveFaultSpec({ site: "sc-stream", rate: 0.1, bits: 8, parallel: 3 }, 4)).toThrow(
      /faultSpec\.parallel/,
    );
    expect(() => resolveFaultSpec({ site: "bin-product", rate: 0.1, bits: 8, parallel: 2 }, 4)).toThrow(
      /faultSpec\.parallel .*SC sites only/,
    );
    expect(resolveFaultSpec({ site: "sc-accumulator", rate: 0, bits: 8 }, 400).accBits).toBe(8 + 9 + 1);
    expect(defaultAccBits("bin-accumulator", 8, 400)).toBe(16 + 9 + 1);
  });
});

describe("simulateFaultyMacLane (exact cycle-level reference)", () => {
  it("simulateFaultyMacLane at rate 0 equals simulateMacLane (SC sites) and intDot (binary sites), with sc-core's cycle count", () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const N = 1 + (trial % 8);
      const xs = randomSigned(rng, N, 12);
      const ws = randomSigned(rng, N, 12);
      ws[trial % 12] = 0;
      const ref = simulateMacLane({ scheme: "bisc", bits: N, accBits: 40 }, xs, ws);
      for (const site of FAULT_SITES) {
        const r = simulateFaultyMacLane({ site, rate: 0, bits: N }, xs, ws, rng);
        const expected = site.startsWith("sc-") ? ref.acc : intDot(xs, ws);
        expect(r.acc).toBe(expected);
        expect(r.cleanAcc).toBe(expected);
        expect(r.flips).toBe(0);
        expect(r.cycles).toBe(site.startsWith("sc-") ? ref.cycles : 12);
      }
    }
  });

  it("simulateFaultyMacLane with the same seed reproduces the same faulty run; another seed gives another", () => {
    const rng = new Rng(5);
    const xs = randomSigned(rng, 6, 20);
    const ws = randomSigned(rng, 6, 20);
    for (const site of FAULT_SITES) {
      const runs = [1, 1, 2].map((seed) => simulateFaultyMacLane({ site, rate: 0.05, bits: 6 }, xs, ws, new Rng(seed)));
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[0]!.flips).toBeGreaterThan(0);
      expect(runs[2]).not.toEqual(runs[0]);
    }
  });

  it("simulateFaultyMacLane with sc-stream at p = 1 counts the zeros of every product (|w| − count), signed", () => {
    const rng = new Rng(9);
    const xs = randomSigned(rng, 5, 16);
    const ws = randomSigned(rng, 5, 16);
    let expected = 0;
    for (let i = 0; i < 16; i++)
      expected += dirOf(xs[i]!, ws[i]!) * (Math.abs(ws[i]!) - biscCount(Math.abs(xs[i]!), Math.abs(ws[i]!), 5));
    expect(simulateFaultyMacLane({ site: "sc-stream", rate: 1, bits: 5 }, xs, ws, rng).acc).toBe(expected);
  });
});

/** Analytic mean and variance of the output error for the two sites whose flips do not interact. */
function analyticMoments(
  site: "sc-stream" | "bin-product",
  p: number,
  N: number,
  xs: ArrayLike<number>,
  ws: ArrayLike<number>,
): { mean: number; variance: number } {
  let mean = 0;
  let variance = 0;
  for (let i = 0; i < xs.length; i++) {
    const dir = dirOf(xs[i]!, ws[i]!);
    const xm = Math.abs(xs[i]!);
    const wm = Math.abs(ws[i]!);
    if (site === "sc-stream") {
      // Each of the |w| stream bits flips independently: a one costs −1, a zero gains +1.
      const ones = biscCount(xm, wm, N);
      mean += dir * p * (wm - 2 * ones);
      variance += p * (1 - p) * wm;
    } else {
      const mag = xm * wm;
      for (let k = 0; k < 2 * N; k++) {
        mean += dir * p * ((mag >> k) & 1 ? -(2 ** k) : 2 ** k);
        variance += p * (1 - p) * 4 ** k;
      }
    }
  }
  return { mean, variance };
}

describe("fastFaultyDot / injectGemmFaults equal the exact reference in distribution", () => {
  const N = 5;
  const K = 10;
  const setup = new Rng(7);
  const xs = randomSigned(setup, N, K);
  const ws = randomSigned(setup, N, K);
  ws[3] = 0;
  const trials = 3000;

  for (const site of FAULT_SITES) {
    for (const rate of [0.003, 0.03]) {
      // b = 16 at N = 5: products take one or two cycles, so most down-counter cycles are a last cycle
      for (const parallel of site.startsWith("sc-") ? [1, 4, 16] : [1]) {
        it(`fastFaultyDot(${site}, p = ${rate}, b = ${parallel}) has the exact lane's error mean and variance within ${Z} standard errors (${trials} seeded trials each)`, () => {
          const spec = { site, rate, bits: N, parallel };
          const exactRng = new Rng(101);
          const fastRng = new Rng(202);
          const exact: number[] = [];
          const fast: number[] = [];
          let clean = 0;
          for (let t = 0; t < trials; t++) {
            const r = simulateFaultyMacLane(spec, xs, ws, exactRng);
            clean = r.cleanAcc;
            exact.push(r.acc - r.cleanAcc);
          }
          for (let t = 0; t < trials; t++) fast.push(fastFaultyDot(spec, xs, ws, fastRng) - clean);
          const e = moments(exact);
          const f = moments(fast);
          expect(e.variance).toBeGreaterThan(0);
          const meanSe = Math.sqrt(e.variance / trials + f.variance / trials);
          expect(Math.abs(e.mean - f.mean)).toBeLessThanOrEqual(Z * meanSe);
          expect(Math.abs(e.variance - f.variance)).toBeLessThanOrEqual(Z * Math.hypot(varianceSe(e), varianceSe(f)));
          if (site === "sc-stream" || site === "bin-product") {
            const a = analyticMoments(site, rate, N, xs, ws);
            for (const m of [e, f]) {
              expect(Math.abs(m.mean - a.mean)).toBeLessThanOrEqual(Z * Math.sqrt(a.variance / trials));
              expect(Math.abs(m.variance - a.variance)).toBeLessThanOrEqual(Z * varianceSe(m));
            }
          }
        });
      }
    }
  }

  it("fastFaultyDot(sc-down-counter) at a high rate (p = 0.3: most products see a second faulty cycle) has the exact lane's error mean and variance at b = 4 and 16", () => {
    for (const parallel of [4, 16]) {
      const spec = { site: "sc-down-counter" as const, rate: 0.3, bits: N, parallel };
      const exactRng = new Rng(31);
      const fastRng = new Rng(32);
      const exact: number[] = [];
      const fast: number[] = [];
      for (let t = 0; t < trials; t++) {
        const r = simulateFaultyMacLane(spec, xs, ws, exactRng);
        exact.push(r.acc - r.cleanAcc);
        fast.push(fastFaultyDot(spec, xs, ws, fastRng) - r.cleanAcc);
      }
      const e = moments(exact);
      const f = moments(fast);
      const meanSe = Math.sqrt(e.variance / trials + f.variance / trials);
      expect(Math.abs(e.mean - f.mean), `b = ${parallel}`).toBeLessThanOrEqual(Z * meanSe);
      expect(Math.abs(e.variance - f.variance), `b = ${parallel}`).toBeLessThanOrEqual(
        Z * Math.hypot(varianceSe(e), varianceSe(f)),
      );
    }
  });

  it("simulateFaultyMacLane at b = 4 runs ⌈|w|/4⌉ cycles per product (zero weight: zeroWeightCycles) and at rate 0 gives the b = 1 sum", () => {
    const r1 = simulateFaultyMacLane({ site: "sc-accumulator", rate: 0, bits: N }, xs, ws, new Rng(1));
    const r4 = simulateFaultyMacLane({ site: "sc-accumulator", rate: 0, bits: N, parallel: 4 }, xs, ws, new Rng(1));
    const cycles = ws.reduce((s, w) => s + (w === 0 ? 1 : Math.ceil(Math.abs(w) / 4)), 0);
    expect(r4.cycles).toBe(cycles);
    expect(r4.cycles).toBeLessThan(r1.cycles);
    expect(r4.acc).toBe(r1.acc);
  });

  it("the accumulator's exposure falls with b: at b = 8 the sc-accumulator error variance is below b = 1's (same p)", () => {
    const spec = (parallel: number) => ({ site: "sc-accumulator" as const, rate: 0.003, bits: N, parallel });
    const rng = new Rng(9);
    const run = (b: number) => {
      const v: number[] = [];
      for (let t = 0; t < trials; t++) v.push(fastFaultyDot(spec(b), xs, ws, rng));
      return moments(v);
    };
    const v1 = run(1);
    const v8 = run(8);
    expect(v8.variance + Z * varianceSe(v8)).toBeLessThan(v1.variance - Z * varianceSe(v1));
  });

  it("fastFaultyDot(sc-stream) in the aggregated binomial regime (units·p ≥ 30, N = 8) has the exact lane's and the analytic error mean and variance", () => {
    const setup8 = new Rng(70);
    const x8 = randomSigned(setup8, 8, K);
    const w8 = randomSigned(setup8, 8, K);
    let units = 0;
    for (const w of w8) units += Math.abs(w);
    const rate = 0.05;
    expect(units * rate).toBeGreaterThanOrEqual(STREAM_AGGREGATE_MIN_FLIPS);
    const n = 2000;
    const exactRng = new Rng(303);
    const fastRng = new Rng(404);
    const exact: number[] = [];
    const fast: number[] = [];
    let clean = 0;
    for (let t = 0; t < n; t++) {
      const r = simulateFaultyMacLane({ site: "sc-stream", rate, bits: 8 }, x8, w8, exactRng);
      clean = r.cleanAcc;
      exact.push(r.acc - clean);
    }
    for (let t = 0; t < n; t++) fast.push(fastFaultyDot({ site: "sc-stream", rate, bits: 8 }, x8, w8, fastRng) - clean);
    const a = analyticMoments("sc-stream", rate, 8, x8, w8);
    for (const m of [moments(exact), moments(fast)]) {
      expect(Math.abs(m.mean - a.mean)).toBeLessThanOrEqual(Z * Math.sqrt(a.variance / n));
      expect(Math.abs(m.variance - a.variance)).toBeLessThanOrEqual(Z * varianceSe(m));
    }
  });

  // sc-stream lanes at N = 6 with zeros; `signed` operands have negative x (kernel I then needs Σ_{x<0} w)
  const streamLane = (signed: boolean) => {
    const setup = new Rng(808);
    const xs = randomSigned(setup, 6, 24);
    const ws = randomSigned(setup, 6, 24);
    xs[0] = 0;
    ws[1] = 0;
    if (!signed) for (let i = 0; i < xs.length; i++) xs[i] = Math.abs(xs[i]!);
    let units = 0;
    for (const w of ws) units += Math.abs(w);
    return { xs, ws, units };
  };
  const streamTrials = (spec: FaultSpec, xs: Int32Array, ws: Int32Array, n: number, seed: number) => {
    const exactRng = new Rng(11);
    const exact: number[] = [];
    let clean = 0;
    for (let t = 0; t < n; t++) {
      const r = simulateFaultyMacLane(spec, xs, ws, exactRng);
      clean = r.cleanAcc;
      exact.push(r.acc - clean);
    }
    const run = (mode: "kernel" | "loop") => {
      const rng = new Rng(seed);
      const d: number[] = [];
      for (let t = 0; t < n; t++) {
        const out = new Int32Array([clean]);
        injectGemmFaults(spec, rng, xs, ws, 1, xs.length, 1, out, { streamCounts: mode });
        d.push(out[0]! - clean);
      }
      return d;
    };
    return { exact, kernel: run("kernel"), loop: run("loop") };
  };

  it("fastFaultyDot(sc-stream) of a dense lane (1 ≤ units·p < 30, N = 6, zeros, both signs): Bin(I, p) − Bin(U − I, p) with I from the kernel count equals I counted product by product ('loop') draw for draw, with the exact lane's and the analytic error mean and variance", () => {
    const { xs, ws, units } = streamLane(true);
    const rate = 0.02;
    expect(units * rate).toBeGreaterThanOrEqual(STREAM_DENSE_MIN_MEAN_FLIPS);
    expect(units * rate).toBeLessThan(STREAM_AGGREGATE_MIN_FLIPS);
    const spec = { site: "sc-stream" as const, rate, bits: 6 };
    const n = 3000;
    const { exact, kernel, loop } = streamTrials(spec, xs, ws, n, 12);
    expect(kernel).toEqual(loop);
    // fastFaultyDot is this lane's kernel path
    const clean = fastFaultyDot({ ...spec, rate: 0 }, xs, ws, new Rng(1));
    const rng = new Rng(12);
    expect(Array.from({ length: n }, () => fastFaultyDot(spec, xs, ws, rng) - clean)).toEqual(kernel);
    const a = analyticMoments("sc-stream", rate, 6, xs, ws);
    for (const m of [moments(exact), moments(kernel)]) {
      expect(Math.abs(m.mean - a.mean)).toBeLessThanOrEqual(Z * Math.sqrt(a.variance / n));
      expect(Math.abs(m.variance - a.variance)).toBeLessThanOrEqual(Z * varianceSe(m));
    }
  });

  it("fastFaultyDot(sc-stream) of a sparse lane (units·p < 1): non-negative operands take the block timeline with kernel I at the first flip (another realisation than the walk), signed ones the walk ('loop' draw for draw); all with the exact lane's and the analytic error mean and variance", () => {
    for (const signed of [false, true]) {
      const { xs, ws, units } = streamLane(signed);
      const rate = 0.6 / units;
      expect(units * rate).toBeLessThan(STREAM_DENSE_MIN_MEAN_FLIPS);
      const spec = { site: "sc-stream" as const, rate, bits: 6 };
      const n = 6000;
      const { exact, kernel, loop } = streamTrials(spec, xs, ws, n, 13);
      if (signed) expect(kernel).toEqual(loop);
      else expect(kernel).not.toEqual(loop);
      const a = analyticMoments("sc-stream", rate, 6, xs, ws);
      for (const m of [moments(exact), moments(kernel), moments(loop)]) {
        expect(Math.abs(m.mean - a.mean)).toBeLessThanOrEqual(Z * Math.sqrt(a.variance / n));
        expect(Math.abs(m.variance - a.variance)).toBeLessThanOrEqual(Z * varianceSe(m));
      }
    }
  });

  it("binomialDraw(n, p) follows the binomial law (chi-square against the exact pmf) by inversion (n·p < 10), BTRD (n·p ≥ 10) and symmetry (p > ½)", () => {
    const rng = new Rng(5);
    const draws = 20_000;
    for (const [n, p] of [
      [1, 0.3],
      [40, 0.05],
      [5000, 0.0019],
      [60, 0.2],
      [5000, 0.02],
      [100_000, 0.3],
      [25, 0.9],
    ] as const) {
      // exact pmf by the recurrence from the mode (no underflow), normalised
      const mode = Math.floor((n + 1) * p);
      const pmf = new Float64Array(n + 1);
      pmf[mode] = 1;
      for (let x = mode + 1; x <= n; x++) pmf[x] = (pmf[x - 1]! * ((n - x + 1) * p)) / (x * (1 - p));
      for (let x = mode - 1; x >= 0; x--) pmf[x] = (pmf[x + 1]! * ((x + 1) * (1 - p))) / ((n - x) * p);
      const total = pmf.reduce((t, v) => t + v, 0);
      for (const how of ["binomialDraw", "BinomialSampler", "BinomialSampler, rows cut"] as const) {
        // the sampler also draws n − 1 in between (another CDF row of the same table); "rows cut"
        // keeps one entry of row n, so nearly every draw takes the continuation past the stored row
        const sampler = new BinomialSampler(p);
        if (how === "BinomialSampler, rows cut") {
          sampler.draw(rng, n);
          const rows = sampler as unknown as {
            start: Int32Array;
            len: Int32Array;
            lastPmf: Float64Array;
            cdf: Float64Array;
          };
          // a row of BTRD's range or p > ½ is not stored (start −1): nothing to cut
          if (n < rows.start.length && rows.start[n]! >= 0) {
            rows.len[n] = 1;
            rows.lastPmf[n] = rows.cdf[rows.start[n]!]!; // P(0), where the cut row ends
          }
        }
        const counts = new Float64Array(n + 1);
        const all: number[] = [];
        for (let t = 0; t < draws; t++) {
          if (how === "BinomialSampler" && n > 1) sampler.draw(rng, n - 1);
          const x = how === "binomialDraw" ? binomialDraw(rng, n, p) : sampler.draw(rng, n);
          expect(Number.isInteger(x) && x >= 0 && x <= n).toBe(true);
          counts[x]!++;
          all.push(x);
        }
        // a location or scale error the binned test is weak against
        const m = moments(all);
        const v = n * p * (1 - p);
        expect(Math.abs(m.mean - n * p)).toBeLessThanOrEqual(Z * Math.sqrt(v / draws));
        expect(Math.abs(m.variance - v)).toBeLessThanOrEqual(Z * varianceSe(m));
        // bins of expected count ≥ 20 (tails merged into their neighbours)
        let chi2 = 0;
        let bins = 0;
        let e = 0;
        let o = 0;
        let seen = 0;
        for (let x = 0; x <= n; x++) {
          e += (pmf[x]! / total) * draws;
          o += counts[x]!;
          seen += (pmf[x]! / total) * draws;
          if (e >= 20 && draws - seen >= 20) {
            chi2 += ((o - e) * (o - e)) / e;
            bins++;
            e = 0;
            o = 0;
          }
        }
        if (e > 0) {
          chi2 += ((o - e) * (o - e)) / e;
          bins++;
        }
        // upper 1e-4 quantile of chi-square(bins − 1) (Wilson–Hilferty, z = 3.72)
        const df = Math.max(1, bins - 1);
        const crit = df * (1 - 2 / (9 * df) + 3.72 * Math.sqrt(2 / (9 * df))) ** 3;
        expect(chi2, `${how}: n = ${n}, p = ${p}: chi-square ${chi2.toFixed(1)} on ${df} df`).toBeLessThan(crit);
      }
    }
    expect(binomialDraw(rng, 10, 0)).toBe(0);
    expect(binomialDraw(rng, 10, 1)).toBe(10);
    expect(binomialDraw(rng, 0, 0.5)).toBe(0);
  });

  it("fastFaultyDot with sc-stream at p = 1 equals the exact lane (every bit flips: deterministic)", () => {
    expect(fastFaultyDot({ site: "sc-stream", rate: 1, bits: N }, xs, ws, new Rng(1))).toBe(
      simulateFaultyMacLane({ site: "sc-stream", rate: 1, bits: N }, xs, ws, new Rng(2)).acc,
    );
    expect(fastFaultyDot({ site: "bin-product", rate: 1, bits: N }, xs, ws, new Rng(1))).toBe(
      simulateFaultyMacLane({ site: "bin-product", rate: 1, bits: N }, xs, ws, new Rng(2)).acc,
    );
  });
});

describe("injectConv2dFaults / injectGemmFaults on layers", () => {
  const N = 4;
  const setup = new Rng(21);
  const inShape = [2, 3, 6, 5] as const;
  const wShape = [4, 3, 3, 3] as const;
  const input = randomSigned(setup, N, 2 * 3 * 6 * 5);
  const weight = randomSigned(setup, N, 4 * 3 * 3 * 3);
  const opts = { stride: 1, padding: 1, groups: 1 };

  it("injectConv2dFaults at p = 1 (deterministic) gives, per output pixel, the exact faulty lane over that pixel's window (sc-stream, bin-product)", () => {
    for (const site of ["sc-stream", "bin-product"] as const) {
      const clean =
        site === "sc-stream"
          ? scConv2d({ scheme: "bisc", bits: N }, input, inShape, weight, wShape, opts).data
          : intConv2d(input, inShape, weight, wShape, opts).data;
      const out = Int32Array.from(clean);
      const hit = injectConv2dFaults({ site, rate: 1, bits: N }, new Rng(1), input, inShape, weight, wShape, opts, out);
      expect(hit).toBe(out.length);
      let mismatches = 0;
      for (let n = 0; n < 2; n++)
        for (let k = 0; k < 4; k++)
          for (let p = 0; p < 6; p++)
            for (let q = 0; q < 5; q++) {
              const xs: number[] = [];
              const ws: number[] = [];
              for (let c = 0; c < 3; c++)
                for (let r = 0; r < 3; r++)
                  for (let s = 0; s < 3; s++) {
                    const y = p - 1 + r;
                    const x = q - 1 + s;
                    xs.push(y >= 0 && y < 6 && x >= 0 && x < 5 ? input[((n * 3 + c) * 6 + y) * 5 + x]! : 0);
                    ws.push(weight[((k * 3 + c) * 3 + r) * 3 + s]!);
                  }
              const ref = simulateFaultyMacLane({ site, rate: 1, bits: N }, xs, ws, new Rng(0)).acc;
              if (out[((n * 4 + k) * 6 + p) * 5 + q] !== ref) mismatches++;
            }
      expect(mismatches).toBe(0);
    }
  });

  it("injectConv2dFaults with the same seed gives the same output; at rate 0 it changes nothing", () => {
    const clean = scConv2d({ scheme: "bisc", bits: N }, input, inShape, weight, wShape, opts).data;
    for (const site of FAULT_SITES) {
      const base = site.startsWith("sc-") ? clean : intConv2d(input, inShape, weight, wShape, opts).data;
      const a = Int32Array.from(base);
      const b = Int32Array.from(base);
      const c = Int32Array.from(base);
      injectConv2dFaults({ site, rate: 0.02, bits: N }, new Rng(8), input, inShape, weight, wShape, opts, a);
      injectConv2dFaults({ site, rate: 0.02, bits: N }, new Rng(8), input, inShape, weight, wShape, opts, b);
      expect(a).toEqual(b);
      expect(a).not.toEqual(base);
      expect(injectConv2dFaults({ site, rate: 0, bits: N }, new Rng(8), input, inShape, weight, wShape, opts, c)).toBe(
        0,
      );
      expect(c).toEqual(base);
    }
  });

  it("a FaultWeightMemo shared by successive calls (same weights, new inputs, one Rng stream; conv with groups and GEMM, every site, a rate change in between) draws exactly what calls without one draw", () => {
    const strided = { stride: 2, padding: 1, groups: 1 };
    const grouped = { stride: 1, padding: 0, groups: 3 };
    for (const site of FAULT_SITES)
      for (const [conv, o, gShape] of [
        [true, opts, wShape],
        [true, strided, wShape],
        [true, grouped, [3, 1, 3, 3]],
        [false, opts, wShape],
      ] as const) {
        const memo = new FaultWeightMemo();
        const wc = weight.subarray(
          0,
          gShape.reduce<number>((p, v) => p * v, 1),
        );
        const rngA = new Rng(31);
        const rngB = new Rng(31);
        for (const [call, rate] of [0.02, 0.02, 0.3, 0.02, 0.002].entries()) {
          const spec = { site, rate, bits: N, ...(site.startsWith("sc-") ? { parallel: 2 } : {}) };
          const x = randomSigned(new Rng(100 + call), N, input.length).map((v) => (call % 2 ? Math.abs(v) : v));
          let a: Int32Array;
          let b: Int32Array;
          if (conv) {
            const clean = site.startsWith("sc-")
              ? scConv2d({ scheme: "bisc", bits: N }, x, inShape, wc, gShape, o).data
              : intConv2d(x, inShape, wc, gShape, o).data;
            a = Int32Array.from(clean);
            b = Int32Array.from(clean);
            injectConv2dFaults(spec, rngA, x, inShape, wc, gShape, o, a, "kernel", memo);
            injectConv2dFaults(spec, rngB, x, inShape, wc, gShape, o, b);
          } else {
            const m = 6;
            const k = 27;
            const xa = x.subarray(0, m * k);
            const w = weight.subarray(0, 4 * k);
            const clean = new Int32Array(m * 4);
            for (let r = 0; r < m; r++)
              for (let c = 0; c < 4; c++) {
                let acc = 0;
                for (let i = 0; i < k; i++) {
                  const xv = xa[r * k + i]!;
                  const wv = w[c * k + i]!;
                  acc += site.startsWith("sc-")
                    ? (xv < 0 !== wv < 0 ? -1 : 1) * biscCount(Math.abs(xv), Math.abs(wv), N)
                    : xv * wv;
                }
                clean[r * 4 + c] = acc;
              }
            a = Int32Array.from(clean);
            b = Int32Array.from(clean);
            injectGemmFaults(spec, rngA, xa, w, m, k, 4, a, { memo });
            injectGemmFaults(spec, rngB, xa, w, m, k, 4, b);
          }
          expect(Array.from(a), `${site}, ${conv ? `conv ${JSON.stringify(o)}` : "gemm"}, call ${call}`).toEqual(
            Array.from(b),
          );
        }
      }
  });

  it("sc-stream with kernel I (the fault-free count and one integer convolution) draws what I counted product by product ('loop') draws wherever both take the blocks: dense layers, and a sparse layer's outputs of ≥ 30 expected flips; conv and GEMM visit the outputs alike (stride, padding, groups, zeros, signed and non-negative inputs)", () => {
    const cases = [
      { N: 3, inShape: [2, 8, 6, 5], wShape: [5, 8, 3, 3], opts: { stride: 1, padding: 1, groups: 1 } },
      { N: 6, inShape: [2, 4, 7, 6], wShape: [6, 2, 3, 3], opts: { stride: 2, padding: 2, groups: 2 } },
      { N: 8, inShape: [1, 3, 5, 5], wShape: [4, 3, 3, 3], opts: { stride: 1, padding: 0, groups: 1 } },
    ];
    const rng = new Rng(71);
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    let gemmSeen = 0;
    for (const { N, inShape, wShape, opts } of cases)
      for (const signed of [true, false]) {
        const x = randomSigned(rng, N, size(inShape));
        if (!signed) for (let i = 0; i < x.length; i++) x[i] = Math.abs(x[i]!);
        const w = randomSigned(rng, N, size(wShape));
        for (let i = 0; i < x.length; i += 5) x[i] = 0;
        for (let i = 0; i < w.length; i += 7) w[i] = 0;
        const g = convGeometry(inShape, wShape, opts);
        const Kg = g.Cg * g.R * g.S;
        const rowAbs = Array.from({ length: g.K }, (_, j) => {
          let s = 0;
          for (let i = 0; i < Kg; i++) s += Math.abs(w[j * Kg + i]!);
          return s;
        });
        const meanRow = rowAbs.reduce((t, u) => t + u, 0) / rowAbs.length;
        const clean = scConv2d({ scheme: "bisc", bits: N }, x, inShape, w, wShape, opts).data;
        // dense: mean 3 flips per output, and every output at ≥ 30; sparse: mean 0.5
        const minRow = Math.min(...rowAbs);
        for (const rate of [3 / meanRow, Math.min(1, (1.2 * STREAM_AGGREGATE_MIN_FLIPS) / minRow), 0.5 / meanRow]) {
          const dense = meanRow * rate >= STREAM_DENSE_MIN_MEAN_FLIPS;
          const spec = { site: "sc-stream" as const, rate, bits: N, parallel: 2 };
          const fast = Int32Array.from(clean);
          const slow = Int32Array.from(clean);
          const hitFast = injectConv2dFaults(spec, new Rng(9), x, inShape, w, wShape, opts, fast);
          const hitSlow = injectConv2dFaults(spec, new Rng(9), x, inShape, w, wShape, opts, slow, "loop");
          expect(hitFast).toBeGreaterThan(0);
          // a sparse layer with non-negative inputs takes the blocks at every hit (kernel I), the loop walks
          if (dense || signed) {
            expect(hitFast).toBe(hitSlow);
            expect(fast).toEqual(slow);
          } else expect(fast).not.toEqual(slow);
          if (g.groups !== 1) continue;
          // the GEMM over the im2col rows (row-major, default output layout M×K)
          const M = g.N * g.P * g.Q;
          const PQ = g.P * g.Q;
          const colT = im2colT(x, g, 0);
          const rows = new Int32Array(M * Kg);
          for (let i = 0; i < Kg; i++) for (let r = 0; r < M; r++) rows[r * Kg + i] = colT[i * M + r]!;
          const gClean = new Int32Array(M * g.K);
          for (let r = 0; r < M; r++)
            for (let c = 0; c < g.K; c++) gClean[r * g.K + c] = clean[(Math.floor(r / PQ) * g.K + c) * PQ + (r % PQ)]!;
          const gemm = Int32Array.from(gClean);
          injectGemmFaults(spec, new Rng(9), rows, w, M, Kg, g.K, gemm);
          const gemmLoop = Int32Array.from(gClean);
          injectGemmFaults(spec, new Rng(9), rows, w, M, Kg, g.K, gemmLoop, { streamCounts: "loop" });
          const convAsGemm = new Int32Array(M * g.K);
          for (let r = 0; r < M; r++)
            for (let c = 0; c < g.K; c++)
              convAsGemm[r * g.K + c] = fast[(Math.floor(r / PQ) * g.K + c) * PQ + (r % PQ)]!;
          expect(gemm).toEqual(convAsGemm);
          if (dense || signed) expect(gemmLoop).toEqual(gemm);
          expect(gemm).not.toEqual(gClean);
          gemmSeen++;
        }
      }
    expect(gemmSeen).toBe(12);
  });

  it("a sparse sc-stream layer's heavy output (≥ 30 expected flips among zero-weight rows) takes the two blocks after its first flip: kernel I and loop I draw alike, with the analytic error mean and variance", () => {
    const N = 5;
    const k = 4;
    const n = 80;
    const units = 124;
    const rate = 0.5;
    expect(units * rate).toBeGreaterThanOrEqual(STREAM_AGGREGATE_MIN_FLIPS);
    expect((units * rate) / n).toBeLessThan(STREAM_DENSE_MIN_MEAN_FLIPS);
    const spec = { site: "sc-stream" as const, rate, bits: N };
    // x = 0 (a stream of zeros) with w = +31 (counted up): every bit raises the count, I = U (every
    // first flip is in the first block); w = −31: none does, I = 0 (the second block); so a block
    // off by one bit (p = ½ in the mean, ~12 standard errors) shows. x = 1 mixes the blocks.
    for (const x of [new Int32Array([0, 0, 0, 0]), new Int32Array([0, 1, 0, 1])])
      for (const wv of [31, -31]) {
        const w = new Int32Array(n * k);
        w.set([wv, wv, wv, wv]);
        let clean = 0;
        for (let i = 0; i < k; i++) clean += Math.sign(wv) * biscCount(x[i]!, 31, N);
        const run = (mode: "kernel" | "loop") => {
          const rng = new Rng(21);
          return Array.from({ length: 20_000 }, () => {
            const out = new Int32Array(n);
            out[0] = clean;
            injectGemmFaults(spec, rng, x, w, 1, k, n, out, { streamCounts: mode });
            return out[0]! - clean;
          });
        };
        const kernel = run("kernel");
        expect(run("loop")).toEqual(kernel);
        const a = analyticMoments("sc-stream", rate, N, x, w.subarray(0, k));
        const m = moments(kernel);
        expect(Math.abs(m.mean - a.mean), `x = ${x}, w = ${wv}`).toBeLessThanOrEqual(Z * Math.sqrt(a.variance / m.n));
        expect(Math.abs(m.variance - a.variance), `x = ${x}, w = ${wv}`).toBeLessThanOrEqual(Z * varianceSe(m));
      }
  });

  it("sc-stream refuses an `out` that does not hold the BISC counts (I outside 0…U), dense and sparse, naming the output", () => {
    // 500 rows of the same operands: at 0.13 expected flips per output some are hit (the check runs at a hit)
    const m = 500;
    const x = new Int32Array(m * 4);
    for (let r = 0; r < m; r++) x.set([3, 0, 7, 5], r * 4);
    const w = new Int32Array([2, -6, 4, 1]);
    for (const rate of [0.5, 0.01]) {
      const out = new Int32Array(m).fill(1000);
      expect(() => injectGemmFaults({ site: "sc-stream", rate, bits: 3 }, new Rng(1), x, w, m, 4, 1, out)).toThrow(
        /out\[\d+\] = 1000 is not a BISC count/,
      );
    }
  });

  it("where one gap passes over many rows (whole rows skipped at once) the hit outputs are those of a walk output by output with the same draws (bin-product)", () => {
    // the reference: the gap walked output by output; a hit output's later flips drawn as
    // faultyDot's bin-product loop draws them (pos += 1 + gap until past the output's units)
    const m = 3000;
    const n = 3;
    const k = 6;
    const rate = 2e-5;
    const units = k * 2 * N;
    const lp = Math.log1p(-rate);
    const a = randomSigned(new Rng(71), N, m * k);
    const b = randomSigned(new Rng(72), N, n * k);
    let total = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const ref = new Rng(seed);
      const expected: number[] = [];
      let gap = geometricGap(ref, rate, lp);
      for (let o = 0; o < m * n; o++) {
        if (gap >= units) {
          gap -= units;
          continue;
        }
        expected.push(o);
        for (let pos = gap; pos < units; ) pos += 1 + geometricGap(ref, rate, lp);
        gap = geometricGap(ref, rate, lp);
      }
      const out = new Int32Array(m * n);
      const hits = injectGemmFaults({ site: "bin-product", rate, bits: N }, new Rng(seed), a, b, m, k, n, out);
      // one flip changes a product by ±2^j; two flips cancelling in one output are rare enough at this rate
      const changed = [...out.keys()].filter((o) => out[o] !== 0);
      expect(hits).toBe(expected.length);
      expect(changed).toEqual(expected);
      total += hits;
    }
    // hundreds of rows between hits: the skip is exercised (3000 × 3 outputs × 48 units × 2e-5 ≈ 8.6 per seed)
    expect(total).toBeGreaterThan(100);
  });

  it("im2colRow gives each row of im2colT (stride, padding, groups), and the conv injectors, which gather only hit rows, equal the GEMM injectors over the whole im2col with the same seed", () => {
    const cases = [
      { inShape: [2, 3, 6, 5], wShape: [4, 3, 3, 3], opts: { stride: 1, padding: 1, groups: 1 } },
      { inShape: [2, 4, 7, 6], wShape: [6, 2, 3, 2], opts: { stride: 2, padding: 2, groups: 2 } },
      { inShape: [1, 2, 5, 5], wShape: [3, 2, 5, 5], opts: { stride: 1, padding: 0, groups: 1 } },
    ];
    const rng = new Rng(33);
    for (const { inShape, wShape, opts } of cases) {
      const x = randomSigned(
        rng,
        N,
        inShape.reduce((a, b) => a * b, 1),
      );
      const w = randomSigned(
        rng,
        N,
        wShape.reduce((a, b) => a * b, 1),
      );
      const g = convGeometry(inShape, wShape, opts);
      const M = g.N * g.P * g.Q;
      const Kg = g.Cg * g.R * g.S;
      const PQ = g.P * g.Q;
      const full = Array.from({ length: g.groups }, (_, grp) => {
        const colT = im2colT(x, g, grp);
        const rows = new Int32Array(M * Kg);
        for (let i = 0; i < Kg; i++) for (let r = 0; r < M; r++) rows[r * Kg + i] = colT[i * M + r]!;
        return { colT, rows };
      });
      const dst = new Int32Array(Kg);
      for (let grp = 0; grp < g.groups; grp++)
        for (let r = 0; r < M; r++) {
          im2colRow(x, g, grp, r, dst);
          expect(dst).toEqual(full[grp]!.rows.subarray(r * Kg, (r + 1) * Kg));
        }
      const outIndex = (grp: number) => (r: number, c: number) => {
        const img = Math.floor(r / PQ);
        return (img * g.K + grp * g.Kg + c) * PQ + (r - img * PQ);
      };
      const wOf = (grp: number) => w.slice(grp * g.Kg * Kg, (grp + 1) * g.Kg * Kg);
      for (const site of FAULT_SITES) {
        const clean = site.startsWith("sc-")
          ? scConv2d({ scheme: "bisc", bits: N }, x, inShape, w, wShape, opts).data
          : intConv2d(x, inShape, w, wShape, opts).data;
        for (const rate of [0.003, 0.05]) {
          const spec = { site, rate, bits: N, ...(site.startsWith("sc-") ? { parallel: 2 } : {}) };
          const conv = Int32Array.from(clean);
          injectConv2dFaults(spec, new Rng(5), x, inShape, w, wShape, opts, conv, "loop");
          const gemm = Int32Array.from(clean);
          const gemmCol = Int32Array.from(clean);
          const r1 = new Rng(5);
          const r2 = new Rng(5);
          for (let grp = 0; grp < g.groups; grp++) {
            injectGemmFaults(spec, r1, full[grp]!.rows, wOf(grp), M, Kg, g.Kg, gemm, { outIndex: outIndex(grp) });
            injectGemmFaults(spec, r2, full[grp]!.colT, wOf(grp), M, Kg, g.Kg, gemmCol, {
              aLayout: "col",
              outIndex: outIndex(grp),
            });
          }
          expect(conv).toEqual(gemm);
          expect(gemmCol).toEqual(gemm);
          expect(conv).not.toEqual(clean);
        }
        if (site === "sc-down-counter") continue;
        const stuck = { site, bits: N, fraction: 0.2 };
        const conv = Int32Array.from(clean);
        injectConv2dStuckAt(stuck, new Rng(6), x, inShape, w, wShape, opts, conv);
        const gemm = Int32Array.from(clean);
        const r3 = new Rng(6);
        for (let grp = 0; grp < g.groups; grp++)
          injectGemmStuckAt(stuck, r3, full[grp]!.rows, wOf(grp), M, Kg, g.Kg, gemm, outIndex(grp));
        expect(conv).toEqual(gemm);
      }
    }
  });

  it("injectGemmFaults(sc-stream) over many outputs has the analytic total error mean and variance", () => {
    const m = 60;
    const k = 12;
    const n = 7;
    const a = randomSigned(setup, N, m * k);
    const b = randomSigned(setup, N, n * k);
    const p = 0.01;
    let mean = 0;
    let variance = 0;
    for (let r = 0; r < m; r++)
      for (let c = 0; c < n; c++) {
        const am = analyticMoments("sc-stream", p, N, a.subarray(r * k, (r + 1) * k), b.subarray(c * k, (c + 1) * k));
        mean += am.mean;
        variance += am.variance;
      }
    const rng = new Rng(44);
    const totals: number[] = [];
    const clean = new Int32Array(m * n);
    for (let r = 0; r < m; r++)
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let i = 0; i < k; i++)
          s += dirOf(a[r * k + i]!, b[c * k + i]!) * biscCount(Math.abs(a[r * k + i]!), Math.abs(b[c * k + i]!), N);
        clean[r * n + c] = wrapToBits(s, defaultAccBits("sc-stream", N, k));
      }
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const out = Int32Array.from(clean);
      injectGemmFaults({ site: "sc-stream", rate: p, bits: N }, rng, a, b, m, k, n, out);
      let d = 0;
      for (let i = 0; i < out.length; i++) d += out[i]! - clean[i]!;
      totals.push(d);
    }
    const mt = moments(totals);
    expect(Math.abs(mt.mean - mean)).toBeLessThanOrEqual(Z * Math.sqrt(variance / trials));
    expect(Math.abs(mt.variance - variance)).toBeLessThanOrEqual(Z * varianceSe(mt));
  });

  it("injectGemmFaults names the bad parameter", () => {
    const out = new Int32Array(4);
    expect(() =>
      injectGemmFaults({ site: "sc-stream", rate: 0.1, bits: 4 }, new Rng(1), [1, 2], [1, 2], 2, 2, 2, out),
    ).toThrow(/a must have length 4/);
    expect(() =>
      injectGemmFaults(
        { site: "sc-stream", rate: 0.1, bits: 4 },
        new Rng(1),
        [1, 2, 3, 99],
        [1, 2, 3, 4],
        2,
        2,
        2,
        out,
      ),
    ).toThrow(/a\[3\]/);
  });
});

describe("flipStoredOperands (memory faults)", () => {
  it("flipStoredOperands at p = 1 negates and complements every magnitude; at p = 0 changes nothing", () => {
    const v = Int32Array.from([0, 5, -7, 15, -1]);
    expect(flipStoredOperands(v, 4, 0, new Rng(1))).toBe(0);
    expect(Array.from(v)).toEqual([0, 5, -7, 15, -1]);
    expect(flipStoredOperands(v, 4, 1, new Rng(1))).toBe(25);
    expect(Array.from(v)).toEqual([-15, -10, 8, 0, 14]);
  });

  it("flipStoredOperands flips Binomial(words·(N+1), p) bits: mean within the analytic standard error", () => {
    const rng = new Rng(77);
    const words = 500;
    const N = 8;
    const p = 0.01;
    const counts: number[] = [];
    for (let t = 0; t < 200; t++) counts.push(flipStoredOperands(new Int32Array(words), N, p, rng));
    const units = words * (N + 1);
    const m = moments(counts);
    expect(Math.abs(m.mean - units * p)).toBeLessThanOrEqual(Z * Math.sqrt((units * p * (1 - p)) / counts.length));
  });
});
