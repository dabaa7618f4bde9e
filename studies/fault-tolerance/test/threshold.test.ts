import { describe, expect, it } from "vitest";
import { ratioKind } from "../study.ts";
import { bandByRate, rateAtLoss } from "../src/threshold.ts";

describe("rateAtLoss / bandByRate / ratioKind", () => {
  it("rateAtLoss interpolates log10(p) linearly in accuracy between the bracketing rates", () => {
    // threshold 98: between 1e-4 (99) and 1e-3 (95) at a quarter of the way → 10^(-4 + 0.25)
    const r = rateAtLoss(
      [
        { faultRate: 1e-3, accuracyPct: 95 },
        { faultRate: 1e-5, accuracyPct: 99 },
        { faultRate: 1e-4, accuracyPct: 99 },
      ],
      99,
      1,
    );
    expect(r.censored).toBeNull();
    expect(r.faultRate).toBeCloseTo(10 ** -3.75, 12);
  });

  it("rateAtLoss reports 'below' when the smallest rate already lost the points and 'above' when none did", () => {
    expect(
      rateAtLoss(
        [
          { faultRate: 1e-6, accuracyPct: 50 },
          { faultRate: 1e-5, accuracyPct: 10 },
        ],
        99,
        1,
      ),
    ).toEqual({ faultRate: 1e-6, censored: "below" });
    expect(
      rateAtLoss(
        [
          { faultRate: 1e-6, accuracyPct: 99 },
          { faultRate: 1e-1, accuracyPct: 98.5 },
        ],
        99,
        1,
      ),
    ).toEqual({ faultRate: 1e-1, censored: "above" });
  });

  it("bandByRate gives mean, min and max over the seeds of each rate, rates ascending", () => {
    expect(
      bandByRate([
        { faultRate: 1e-2, accuracyPct: 90 },
        { faultRate: 1e-3, accuracyPct: 99 },
        { faultRate: 1e-2, accuracyPct: 80 },
      ]),
    ).toEqual([
      { faultRate: 1e-3, meanPct: 99, minPct: 99, maxPct: 99, seeds: 1 },
      { faultRate: 1e-2, meanPct: 85, minPct: 80, maxPct: 90, seeds: 2 },
    ]);
  });

  it("ratioKind: SC never losing (above) over an interpolated binary rate is a lower bound; both censored the same way is undetermined", () => {
    expect(ratioKind({ faultRate: 0.1, censored: "above" }, { faultRate: 1e-4, censored: null })).toBe("lower bound");
    expect(ratioKind({ faultRate: 1e-7, censored: "below" }, { faultRate: 1e-4, censored: null })).toBe("upper bound");
    expect(ratioKind({ faultRate: 1e-7, censored: "below" }, { faultRate: 1e-7, censored: "below" })).toBe(
      "undetermined",
    );
    expect(ratioKind({ faultRate: 1e-3, censored: null }, { faultRate: 1e-4, censored: null })).toBe("interpolated");
  });
});
