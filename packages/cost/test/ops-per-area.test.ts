import { describe, expect, it } from "vitest";
import { designPoint, type ArrayArea, type DesignPoint } from "../src/index.ts";

/** designPoint as it was written before it was built field by field (object spreads): the reference. */
function designPointSpread(
  area: ArrayArea,
  run: { builtBits: number; runBits: number; units: number; lanesPerUnit: number; parallel: number },
  macs: number,
  cyclesOneCopy: number,
  clockHz: number,
  copies = 1,
  timing?: { slackPs: number; pipelined: boolean },
): DesignPoint {
  if (!(clockHz > 0)) throw new RangeError(`clockHz must be positive, got ${String(clockHz)}`);
  const cycles = cyclesOneCopy / copies;
  const opsPerCycle = (2 * macs) / cycles;
  const gops = (opsPerCycle * clockHz) / 1e9;
  return {
    design: area.design,
    ...(area.baseline !== undefined ? { baseline: area.baseline } : {}),
    ...run,
    copies,
    areaUm2: area.areaUm2 * copies,
    macs,
    cycles,
    opsPerCycle,
    clockHz,
    gops,
    gopsPerMm2: gops / ((area.areaUm2 * copies) / 1e6),
    utilisation: macs / (cycles * area.lanes * copies),
    ...(timing ? { slackPs: timing.slackPs, pipelined: timing.pipelined } : {}),
  };
}

function area(design: "sc" | "binary", areaUm2: number, lanes: number, baseline?: "exact" | "trunc-g1"): ArrayArea {
  return {
    design,
    ...(baseline ? { baseline } : {}),
    areaUm2,
    laneAreaUm2: areaUm2 / lanes,
    unitSharedAreaUm2: 0,
    lanes,
    accBits: 12,
    parts: [],
  };
}

describe("designPoint", () => {
  it("equals the spread-built point value for value and key for key (baseline, copies, timing)", () => {
    let n = 0;
    for (const a of [
      area("sc", 12345.6, 32),
      area("binary", 98765.4, 64, "exact"),
      area("binary", 3.3e6, 7, "trunc-g1"),
    ])
      for (const run of [
        { builtBits: 8, runBits: 8, units: 4, lanesPerUnit: 8, parallel: 1 },
        { builtBits: 16, runBits: 5, units: 3, lanesPerUnit: 7, parallel: 16 },
      ])
        for (const [macs, cycles] of [
          [1e6, 3.7e5],
          [389_000, 12_345.5],
          [0, 1],
        ] as const)
          for (const clockHz of [1e8, 1 / 3.3e-9])
            for (const copies of [undefined, 1, 3])
              for (const timing of [
                undefined,
                { slackPs: -120.5, pipelined: true },
                { slackPs: 10, pipelined: false },
              ]) {
                const got = designPoint(a, run, macs, cycles, clockHz, copies, timing);
                const want = designPointSpread(a, run, macs, cycles, clockHz, copies, timing);
                expect(JSON.stringify(got)).toBe(JSON.stringify(want));
                expect(Object.keys(got)).toEqual(Object.keys(want));
                expect(got).toEqual(want);
                n++;
              }
    expect(n).toBe(324);
    expect(() =>
      designPoint(area("sc", 1, 1), { builtBits: 1, runBits: 1, units: 1, lanesPerUnit: 1, parallel: 1 }, 1, 1, 0),
    ).toThrow(/clockHz must be positive/);
  });
});
