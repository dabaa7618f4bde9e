import { describe, expect, it } from "vitest";
import { type CostRefusal, CostRegistry, scArrayArea } from "@sccnn/cost";
import { analyticModel, CELL_AREAS_UM2, multiplierCounts } from "../src/index.ts";

const model = analyticModel();

describe("analyticModel", () => {
  it("analyticModel().estimate(multiplier N=8) = 64 AND2 + 48 FA + 8 HA in OSU 0.18 µm areas", () => {
    expect(multiplierCounts(8)).toEqual({ AND2: 64, FA: 48, HA: 8 });
    const c = model.estimate({ kind: "multiplier", bits: 8, technology: "osu018" });
    expect(c.areaUm2).toBe(64 * 32 + 48 * 120 + 8 * 80);
    expect(c.nand2Eq).toBe(Math.round(((64 * 32 + 48 * 120 + 8 * 80) / 24) * 100) / 100);
  });

  it("analyticModel().estimate(register W=9) is 9 flip-flops with load multiplexers", () => {
    expect(model.estimate({ kind: "register", widthBits: 9 }).areaUm2).toBe(9 * (96 + 48));
  });

  it("analyticModel() multiplier area grows about as N² (ratio 16 → 8 between 3.5 and 4.5)", () => {
    const a = (N: number) => model.estimate({ kind: "multiplier", bits: N }).areaUm2;
    expect(a(16) / a(8)).toBeGreaterThan(3.5);
    expect(a(16) / a(8)).toBeLessThan(4.5);
  });

  it("analyticModel() scales with the technology's cell areas (osu050 = 9 x osu018 here)", () => {
    const q = { kind: "accumulator" as const, bits: 8, accBits: 25 };
    expect(model.estimate({ ...q, technology: "osu050" }).areaUm2).toBe(
      9 * model.estimate({ ...q, technology: "osu018" }).areaUm2,
    );
    expect(CELL_AREAS_UM2.osu050!.FA).toBe(9 * CELL_AREAS_UM2.osu018!.FA);
  });

  it("analyticModel().estimate refuses unknown technology, bad b and b > 2^N, naming the parameter", () => {
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as CostRefusal;
      }
      throw new Error("no refusal");
    };
    expect(refusal(() => model.estimate({ kind: "register", widthBits: 4, technology: "45nm" })).parameter).toBe(
      "technology",
    );
    expect(refusal(() => model.estimate({ kind: "sc-stream-front", bits: 4, parallel: 3 })).parameter).toBe("parallel");
    expect(refusal(() => model.estimate({ kind: "sc-stream-front", bits: 2, parallel: 8 })).parameter).toBe("parallel");
    expect(refusal(() => model.estimate({ kind: "accumulator", bits: 8, accBits: 10 })).parameter).toBe("accBits");
    expect(refusal(() => model.estimate({ kind: "multiplier" })).parameter).toBe("bits");
  });

  it("a CostRegistry with only analyticModel() composes a whole SC array (plug-in = one register call)", () => {
    const reg = new CostRegistry().register(model);
    const a = scArrayArea(reg, { units: 4, lanesPerUnit: 8, bits: 8, parallel: 2, maxFanIn: 400 });
    expect(a.parts.every((p) => p.model === "analytic-gates")).toBe(true);
    expect(a.areaUm2).toBeCloseTo(4 * a.unitSharedAreaUm2 + 32 * a.laneAreaUm2, 6);
  });
});

describe("analyticModel memory", () => {
  it("analyticModel().estimate(memory W) is a flip-flop register file: W x (DFF + 2 MUX2)", () => {
    expect(analyticModel().estimate({ kind: "memory", widthBits: 1024 }).areaUm2).toBe(1024 * (96 + 2 * 48));
  });
});
