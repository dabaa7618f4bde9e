import { describe, expect, it } from "vitest";
import {
  pipelineStageBits,
  binaryAccumulatorBits,
  baselineArithmetic,
  binaryArrayArea,
  binaryMacsPerCycle,
  checkBaseline,
  fusionModes,
  CostRegistry,
  designPoint,
  evaluateScenario,
  scAccumulatorBits,
  scArrayArea,
  type LaneTimingSource,
  type LayerWorkload,
} from "../src/index.ts";
import { fakeModel } from "./fake-model.ts";

const costs = new CostRegistry().register(fakeModel("fake", 1, "t1"));

describe("array composition", () => {
  it("scAccumulatorBits(8, 150) = 8 + 8 + 1 and binaryAccumulatorBits(8, 150) = 16 + 8 + 1", () => {
    expect(scAccumulatorBits(8, 150)).toBe(17);
    expect(binaryAccumulatorBits(8, 150)).toBe(25);
    expect(scAccumulatorBits(4, 1)).toBe(5);
    expect(scAccumulatorBits(4, 256)).toBe(13);
  });

  it("scArrayArea(P=2, M=3, N=4, b=2, fanIn=16) sums shared, lane and register parts", () => {
    const a = scArrayArea(costs, { units: 2, lanesPerUnit: 3, bits: 4, parallel: 2, maxFanIn: 16, technology: "t1" });
    const acc = 4 + 4 + 1;
    const lane = 10 * 4 + 20 * 2 + (30 * acc + 2) + 8 * 5;
    const shared = 100 * 4 + 8 * 5;
    expect(a.accBits).toBe(acc);
    expect(a.laneAreaUm2).toBe(lane);
    expect(a.unitSharedAreaUm2).toBe(shared);
    expect(a.areaUm2).toBe(2 * shared + 6 * lane);
    expect(a.lanes).toBe(6);
  });

  it("binaryArrayArea(P=2, M=3, N=4, registers none) is P·M x (multiplier + accumulator)", () => {
    const a = binaryArrayArea(costs, {
      units: 2,
      lanesPerUnit: 3,
      bits: 4,
      maxFanIn: 16,
      registers: "none",
      technology: "t1",
    });
    expect(a.areaUm2).toBe(6 * (50 * 16 + 40 * (8 + 4 + 1)));
    expect(a.parts.map((p) => p.part)).toEqual(["lane: multiplier", "lane: accumulator (add/sub + register)"]);
  });

  it("scArrayArea rejects a non-integer unit count naming array.units", () => {
    expect(() => scArrayArea(costs, { units: 1.5, lanesPerUnit: 1, bits: 4, maxFanIn: 4 })).toThrow(/array.units/);
  });
});

const layer: LayerWorkload = {
  name: "c",
  kind: "conv",
  dims: { N: 1, C: 2, K: 4, R: 2, S: 2, P: 4, Q: 4 },
  groups: 1,
  weightMagnitudes: Uint16Array.from({ length: 32 }, (_, i) => (i * 7) % 16),
};

describe("evaluateScenario", () => {
  const base = { costs, layers: [layer], bits: 4, units: 2, lanesPerUnit: 4, clockHz: 1e8, technology: "t1" } as const;

  it("evaluateScenario(fixed-precision) computes ops per area = 2·MACs/cycles·f/area for both designs", () => {
    const r = evaluateScenario({ ...base, scenario: "fixed-precision" });
    const macs = 4 * 8 * 16;
    expect(r.binary.macs).toBe(macs);
    expect(r.binary.cycles).toBe(4 * 2 * 8);
    expect(r.binary.gopsPerMm2).toBeCloseTo((((2 * macs) / r.binary.cycles) * 0.1) / (r.binary.areaUm2 / 1e6), 9);
    expect(r.improvement).toBeCloseTo(r.sc.gopsPerMm2 / r.binary.gopsPerMm2 - 1, 12);
  });

  it("evaluateScenario(precision-flexible) builds both arrays for maxBits and costs more binary area than fixed", () => {
    const fixed = evaluateScenario({ ...base, scenario: "fixed-precision" });
    const flex = evaluateScenario({ ...base, scenario: "precision-flexible", maxBits: 8 });
    expect(flex.binary.builtBits).toBe(8);
    expect(flex.binary.areaUm2).toBeGreaterThan(fixed.binary.areaUm2);
    expect(flex.sc.cycles).toBe(fixed.sc.cycles);
    expect(flex.improvement).toBeGreaterThan(fixed.improvement);
  });

  it("evaluateScenario(iso-area) gives SC the most lanes that fit the binary area", () => {
    const r = evaluateScenario({ ...base, scenario: "iso-area" });
    expect(r.sc.areaUm2).toBeLessThanOrEqual(r.binary.areaUm2);
    const bigger = scArrayArea(costs, {
      units: 2,
      lanesPerUnit: r.sc.lanesPerUnit + 1,
      bits: 4,
      maxFanIn: 8,
      technology: "t1",
    });
    expect(bigger.areaUm2).toBeGreaterThan(r.binary.areaUm2);
  });

  it("evaluateScenario(iso-throughput) picks the least-area design (shape x copies) on both sides at the reference throughput", () => {
    const r = evaluateScenario({ ...base, scenario: "iso-throughput" });
    const ref = evaluateScenario({ ...base, scenario: "fixed-precision" });
    expect(r.sc.cycles).toBeLessThanOrEqual(ref.binary.cycles);
    expect(r.binary.cycles).toBeLessThanOrEqual(ref.binary.cycles);
    // Brute force over the same candidates: powers of two for P (4 channels → up to 4) and M (16 pixels → up to 16).
    const best = { sc: Infinity, binary: Infinity };
    for (const P of [1, 2, 4]) {
      for (const M of [1, 2, 4, 8, 16]) {
        const f = evaluateScenario({ ...base, scenario: "fixed-precision", units: P, lanesPerUnit: M });
        best.sc = Math.min(best.sc, f.sc.areaUm2 * Math.max(1, Math.ceil(f.sc.cycles / ref.binary.cycles)));
        best.binary = Math.min(
          best.binary,
          f.binary.areaUm2 * Math.max(1, Math.ceil(f.binary.cycles / ref.binary.cycles)),
        );
      }
    }
    expect(r.sc.areaUm2).toBeCloseTo(best.sc, 6);
    expect(r.binary.areaUm2).toBeCloseTo(best.binary, 6);
    expect(r.binary.areaUm2).toBeLessThanOrEqual(ref.binary.areaUm2);
    expect(r.improvement).toBeCloseTo(r.sc.gopsPerMm2 / r.binary.gopsPerMm2 - 1, 12);
    expect(r.sc.utilisation).toBeCloseTo(r.sc.macs / (r.sc.cycles * r.sc.units * r.sc.lanesPerUnit * r.sc.copies), 12);
  });
});

describe("designPoint", () => {
  it("designPoint(area, run, macs, cycles, f, copies) divides by the area of all copies", () => {
    const area = scArrayArea(costs, { units: 1, lanesPerUnit: 2, bits: 4, maxFanIn: 8, technology: "t1" });
    const one = designPoint(
      area,
      { builtBits: 4, runBits: 4, units: 1, lanesPerUnit: 2, parallel: 1 },
      1000,
      400,
      1e8,
      1,
    );
    const four = designPoint(
      area,
      { builtBits: 4, runBits: 4, units: 1, lanesPerUnit: 2, parallel: 1 },
      1000,
      400,
      1e8,
      4,
    );
    expect(four.areaUm2).toBe(4 * one.areaUm2);
    expect(four.cycles).toBe(100);
    expect(four.gops).toBeCloseTo(4 * one.gops, 12);
    expect(four.gopsPerMm2).toBeCloseTo(one.gopsPerMm2, 12);
    expect(one.gopsPerMm2).toBeCloseTo((((2 * 1000) / 400) * 0.1) / (area.areaUm2 / 1e6), 12);
  });
});

describe("clock from library timing", () => {
  const timed = new CostRegistry().register(fakeModel("timed", 1, "t1", 1, true));
  const base = {
    costs: timed,
    layers: [layer],
    bits: 4,
    units: 2,
    lanesPerUnit: 4,
    clockHz: 1e8,
    technology: "t1",
    clock: "library",
  } as const;

  it("scArrayArea / binaryArrayArea criticalPathS sum the lane path parts (registers excluded)", () => {
    expect(
      scArrayArea(timed, { units: 1, lanesPerUnit: 1, bits: 4, maxFanIn: 8, technology: "t1" }).criticalPathS,
    ).toBeCloseTo(0.5e-9 + 0.2e-9 + 1e-9, 20);
    expect(
      binaryArrayArea(timed, { units: 1, lanesPerUnit: 1, bits: 4, maxFanIn: 8, technology: "t1" }).criticalPathS,
    ).toBeCloseTo(1.2e-9 + 1.2e-9, 20);
    expect(
      scArrayArea(costs, { units: 1, lanesPerUnit: 1, bits: 4, maxFanIn: 8, technology: "t1" }).criticalPathS,
    ).toBeUndefined();
  });

  it("evaluateScenario(clock: library) runs each design at 1 / its lane path", () => {
    const r = evaluateScenario({ ...base, scenario: "fixed-precision" });
    expect(r.sc.clockHz).toBeCloseTo(1 / 1.7e-9, 0);
    expect(r.binary.clockHz).toBeCloseTo(1 / 2.4e-9, 0);
    const same = evaluateScenario({ ...base, scenario: "fixed-precision", clock: "parameter" });
    expect(r.improvement + 1).toBeCloseTo(((same.improvement + 1) * 2.4) / 1.7, 9);
  });

  it("evaluateScenario(iso-throughput, clock: library) meets the reference time on both sides", () => {
    const r = evaluateScenario({ ...base, scenario: "iso-throughput" });
    const ref = evaluateScenario({ ...base, scenario: "fixed-precision" });
    const refS = ref.binary.cycles / ref.binary.clockHz;
    expect(r.sc.cycles / r.sc.clockHz).toBeLessThanOrEqual(refS * (1 + 1e-9));
    expect(r.binary.cycles / r.binary.clockHz).toBeLessThanOrEqual(refS * (1 + 1e-9));
  });

  it("evaluateScenario(clock: library) with a model without timing names the clock option", () => {
    expect(() => evaluateScenario({ ...base, costs, scenario: "fixed-precision" })).toThrow(
      /clock "library" needs timing/,
    );
  });
});

describe("on-chip memory", () => {
  it("scArrayArea / binaryArrayArea with memoryBits add one memory part of that size to both designs", () => {
    const spec = { units: 2, lanesPerUnit: 3, bits: 4, maxFanIn: 16, technology: "t1" };
    const sc0 = scArrayArea(costs, spec);
    const sc1 = scArrayArea(costs, { ...spec, memoryBits: 1000 });
    const bin0 = binaryArrayArea(costs, spec);
    const bin1 = binaryArrayArea(costs, { ...spec, memoryBits: 1000 });
    expect(sc1.areaUm2 - sc0.areaUm2).toBe(2000);
    expect(bin1.areaUm2 - bin0.areaUm2).toBe(2000);
    expect(sc1.parts.find((p) => p.part === "array: on-chip memory")!.count).toBe(1);
    expect(sc1.laneAreaUm2).toBe(sc0.laneAreaUm2);
    expect(() => scArrayArea(costs, { ...spec, memoryBits: -1 })).toThrow(/array.memoryBits/);
  });

  it("evaluateScenario(memoryBits) moves the improvement toward the pure throughput ratio as equal memory dominates both areas", () => {
    const base = {
      costs,
      layers: [layer],
      bits: 4,
      units: 2,
      lanesPerUnit: 4,
      clockHz: 1e8,
      technology: "t1",
      scenario: "fixed-precision",
    } as const;
    const r0 = evaluateScenario(base);
    const limit = r0.binary.cycles / r0.sc.cycles - 1;
    const some = evaluateScenario({ ...base, memoryBits: 10_000 }).improvement;
    const huge = evaluateScenario({ ...base, memoryBits: 100_000_000 }).improvement;
    expect(Math.abs(some - limit)).toBeLessThan(Math.abs(r0.improvement - limit));
    expect(Math.abs(huge - limit)).toBeLessThan(1e-3);
  });
});

describe("binary baselines", () => {
  it("accumulators are sized to what the lane produces: exact 2N + ⌈log2 K⌉ + 1, iso-bisc N + ⌈log2 K⌉ + 1 (= SC)", () => {
    expect(binaryAccumulatorBits(8, 400, "exact")).toBe(16 + 9 + 1);
    expect(binaryAccumulatorBits(8, 400, "iso-bisc")).toBe(8 + 9 + 1);
    expect(binaryAccumulatorBits(8, 400, "iso-bisc")).toBe(scAccumulatorBits(8, 400));
  });

  it("binaryArrayArea(iso-bisc, P=2, M=3, N=4) = P x (weight register + recoder) + P·M x (product array + N-bit accumulator + activation register)", () => {
    const a = binaryArrayArea(
      costs,
      { units: 2, lanesPerUnit: 3, bits: 4, maxFanIn: 16, technology: "t1" },
      "iso-bisc",
    );
    const acc = 4 + 4 + 1;
    const shared = 8 * 5 + 60 * 4;
    const lane = 20 * 16 + (40 * acc + 3 * 4) + 8 * 5;
    expect(a.baseline).toBe("iso-bisc");
    expect(a.accBits).toBe(acc);
    expect(a.unitSharedAreaUm2).toBe(shared);
    expect(a.laneAreaUm2).toBe(lane);
    expect(a.areaUm2).toBe(2 * shared + 6 * lane);
  });

  it("evaluateScenario names the baseline on the binary point and rejects an unknown one naming baseline", () => {
    const base = {
      scenario: "fixed-precision" as const,
      costs,
      layers: [layer],
      bits: 4,
      units: 2,
      lanesPerUnit: 4,
      technology: "t1",
      clockHz: 1e8,
    };
    const exact = evaluateScenario(base);
    const iso = evaluateScenario({ ...base, baseline: "iso-bisc" });
    expect(exact.binary.baseline).toBe("exact");
    expect(iso.binary.baseline).toBe("iso-bisc");
    // same SC point, a different binary area: the improvement moves by the area ratio only
    expect(iso.sc).toEqual(exact.sc);
    expect((1 + exact.improvement) / (1 + iso.improvement)).toBeCloseTo(exact.binary.areaUm2 / iso.binary.areaUm2, 9);
    expect(() => evaluateScenario({ ...base, baseline: "nope" as never })).toThrow(/baseline/);
  });
});

describe("bit-serial baseline", () => {
  it("binaryArrayArea(bit-serial) has no separate activation register (its x shift register is one) and an exact 2N-bit accumulator", () => {
    const a = binaryArrayArea(
      costs,
      { units: 2, lanesPerUnit: 3, bits: 4, maxFanIn: 16, technology: "t1" },
      "bit-serial",
    );
    expect(a.accBits).toBe(2 * 4 + 4 + 1);
    expect(a.laneAreaUm2).toBe(70 * 4 + 40 * 13);
    expect(a.parts.map((p) => p.part)).toEqual([
      "unit: weight register",
      "lane: bit-serial shift-add multiplier (x shift register = activation register)",
      "lane: accumulator (add/sub + register)",
    ]);
  });

  it("a bit-serial lane takes run-precision N cycles per MAC: N x the one-cycle lane's cycles, also when built for more bits", () => {
    const base = {
      costs,
      layers: [layer],
      bits: 4,
      maxBits: 8,
      units: 2,
      lanesPerUnit: 4,
      technology: "t1",
      clockHz: 1e8,
    };
    for (const scenario of ["fixed-precision", "precision-flexible"] as const) {
      const exact = evaluateScenario({ ...base, scenario });
      const serial = evaluateScenario({ ...base, scenario, baseline: "bit-serial" });
      expect(serial.binary.cycles).toBe(4 * exact.binary.cycles);
      expect(serial.binary.baseline).toBe("bit-serial");
    }
  });
});

describe("truncated-multiplier baselines (trunc-g<g>)", () => {
  it("binaryArrayArea(trunc-g1, N=4) = truncated multiplier + accumulator of (N + g)-bit products, N + g + ⌈log2 K⌉ + 1 bits", () => {
    const a = binaryArrayArea(
      costs,
      { units: 2, lanesPerUnit: 3, bits: 4, maxFanIn: 16, technology: "t1" },
      "trunc-g1",
    );
    const acc = 4 + 1 + 4 + 1;
    expect(binaryAccumulatorBits(4, 16, "trunc-g1")).toBe(acc);
    expect(a.accBits).toBe(acc);
    const accPart = a.parts.find((p) => p.part.startsWith("lane: accumulator"))!;
    expect(accPart.query).toMatchObject({ kind: "accumulator", bits: 5, productBits: 5, accBits: acc });
    expect(a.parts.find((p) => p.part.startsWith("lane: truncated"))!.query).toMatchObject({
      kind: "trunc-multiplier",
      bits: 4,
      guardBits: 1,
    });
    expect(a.laneAreaUm2).toBe(30 * 16 + 5 + (40 * acc + 3 * 5) + 8 * 5);
  });

  it("checkBaseline takes trunc-g0…g16; g ≥ N is costed as the exact lane; one cycle per MAC", () => {
    expect(checkBaseline("trunc-g7")).toBe("trunc-g7");
    expect(() => checkBaseline("trunc-g17")).toThrow(/trunc-g<g>/);
    const spec = { units: 1, lanesPerUnit: 1, bits: 2, maxFanIn: 4, technology: "t1" };
    expect(binaryArrayArea(costs, spec, "trunc-g2").areaUm2).toBe(binaryArrayArea(costs, spec, "exact").areaUm2);
    const base = {
      scenario: "fixed-precision" as const,
      costs,
      layers: [layer],
      bits: 4,
      units: 2,
      lanesPerUnit: 4,
      technology: "t1",
      clockHz: 1e8,
    };
    const exact = evaluateScenario(base);
    const t0 = evaluateScenario({ ...base, baseline: "trunc-g0" });
    expect(t0.binary.cycles).toBe(exact.binary.cycles);
    expect(t0.binary.baseline).toBe("trunc-g0");
    expect(t0.binary.areaUm2).toBeLessThan(exact.binary.areaUm2);
    expect(["exact", "iso-bisc", "bit-serial", "trunc-g2"].map((b) => baselineArithmetic(b as never))).toEqual([
      "fixed",
      "sc-bisc",
      "fixed",
      "fixed-trunc-g2",
    ]);
  });
});

describe("bit-fusion baseline (precision-scalable sub-word-parallel lane)", () => {
  it("an 8-bit lane runs 16 MACs per cycle at N ≤ 2, 4 at N = 3…4, 1 at N = 5…8; a lane built for N runs 1 at N", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => binaryMacsPerCycle("bit-fusion", n, 8))).toEqual([
      16, 16, 4, 4, 1, 1, 1, 1,
    ]);
    for (const N of [2, 3, 4, 5, 6, 7, 8, 16]) expect(binaryMacsPerCycle("bit-fusion", N, N)).toBe(1);
    expect(binaryMacsPerCycle("exact", 2, 8)).toBe(1);
    expect(fusionModes(16)).toEqual([1, 2, 4, 8]);
  });

  it("binaryArrayArea(bit-fusion, N=8): brick array + signed-sum accumulator, 3B² = 48-bit operand registers", () => {
    const a = binaryArrayArea(
      costs,
      { units: 2, lanesPerUnit: 3, bits: 8, maxFanIn: 16, technology: "t1" },
      "bit-fusion",
    );
    expect(a.accBits).toBe(16 + 4 + 1);
    expect(a.parts.map((p) => [p.part, p.query.kind, p.query.widthBits ?? p.query.bits])).toEqual([
      ["unit: weight register", "register", 48],
      ["lane: fusion brick array + shift-add tree", "fusion-multiplier", 8],
      ["lane: accumulator (add/sub + register)", "accumulator", 8],
      ["lane: activation register", "register", 48],
    ]);
    expect(a.parts[2]!.query).toMatchObject({ productBits: 17, signedProduct: true, accBits: 21 });
    // odd N: the signed sum is 4B + 1 = 13 bits at N = 5 and the register at least 14
    expect(binaryAccumulatorBits(5, 2, "bit-fusion")).toBe(14);
  });

  it("precision-flexible (built for 8, run at 4): ⌈steps / 4⌉ cycles per output tile, against 1 MAC per cycle for exact", () => {
    const base = {
      scenario: "precision-flexible" as const,
      costs,
      layers: [layer],
      bits: 4,
      maxBits: 8,
      units: 2,
      lanesPerUnit: 4,
      technology: "t1",
      clockHz: 1e8,
    };
    const exact = evaluateScenario(base);
    const fusion = evaluateScenario({ ...base, baseline: "bit-fusion" });
    // steps = C·R·S = 8 per output: 2 cycles instead of 8
    expect(fusion.binary.cycles).toBe(exact.binary.cycles / 4);
    expect(fusion.binary.utilisation).toBeCloseTo(4 * exact.binary.utilisation, 12);
    // 3 steps at r = 4 take one cycle (⌈3/4⌉), not 3/4
    const odd: LayerWorkload = {
      ...layer,
      dims: { ...layer.dims, C: 3, R: 1, S: 1 },
      weightMagnitudes: new Uint16Array(12),
    };
    const e = evaluateScenario({ ...base, layers: [odd] });
    const f = evaluateScenario({ ...base, layers: [odd], baseline: "bit-fusion" });
    expect(f.binary.cycles).toBe(e.binary.cycles / 3);
    const fixed = evaluateScenario({ ...base, scenario: "fixed-precision", baseline: "bit-fusion" });
    expect(fixed.binary.cycles).toBe(exact.binary.cycles);
  });
});

describe("target clock policies (whole-lane timing)", () => {
  const timing: LaneTimingSource = {
    id: "fake-timing",
    targetPs: 5000,
    lane(design) {
      // the binary lane misses 5 ns (6 ns), pipelined it meets it (4 ns) for 30 µm² more per lane
      return design === "sc"
        ? { delayPs: 4000, slackPs: 1000, areaUm2: 500 }
        : { delayPs: 6000, slackPs: -1000, areaUm2: 900, pipelined: { delayPs: 4000, slackPs: 1000, areaUm2: 930 } };
    },
  };
  const base = {
    scenario: "fixed-precision" as const,
    costs,
    layers: [layer],
    bits: 4,
    units: 2,
    lanesPerUnit: 4,
    technology: "t1",
    clockHz: 2e8,
    timing,
  };
  it("target-pipelined: a lane that meets the target runs at it; one that misses gets the pipeline stage's area per lane", () => {
    const plain = evaluateScenario(base);
    const r = evaluateScenario({ ...base, clock: "target-pipelined" });
    expect([r.sc.clockHz, r.sc.slackPs, r.sc.pipelined]).toEqual([2e8, 1000, false]);
    expect(r.sc.areaUm2).toBe(plain.sc.areaUm2);
    expect([r.binary.clockHz, r.binary.slackPs, r.binary.pipelined]).toEqual([2e8, 1000, true]);
    expect(r.binary.areaUm2).toBeCloseTo(plain.binary.areaUm2 + 8 * 30, 9);
    // the stage is priced (energy) as a register of its flip-flops: 2N-bit product + sign + enable
    const stage = r.binaryArea.parts.find((p) => p.part.includes("pipeline stage"))!;
    expect(stage.query).toEqual({ kind: "register", widthBits: 2 * 4 + 2 });
    expect([pipelineStageBits("sc", 8, 16), pipelineStageBits("iso-bisc", 8)]).toEqual([7, 10]);
    // cost-yosys' pipelined fusion lane registers the 17-bit sum + enable; trunc-g1 the 9-bit product + sign + enable
    expect([pipelineStageBits("bit-fusion", 8), pipelineStageBits("trunc-g1", 8)]).toEqual([18, 11]);
    expect(() => pipelineStageBits("bit-serial", 8)).toThrow(/no pipelined variant/);
  });
  it("target-own: a lane that misses runs at 1 / its delay, area unchanged; a clockHz off the target is refused", () => {
    const plain = evaluateScenario(base);
    const r = evaluateScenario({ ...base, clock: "target-own" });
    expect(r.binary.clockHz).toBeCloseTo(1e12 / 6000, 6);
    expect(r.binary.areaUm2).toBe(plain.binary.areaUm2);
    expect(() => evaluateScenario({ ...base, clock: "target-own", clockHz: 1e8 })).toThrow(/clockHz/);
    const { timing: _t, ...noTiming } = base;
    expect(() => evaluateScenario({ ...noTiming, clock: "target-own" })).toThrow(/timing/);
  });
});
