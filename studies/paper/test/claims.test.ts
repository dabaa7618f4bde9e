import { describe, expect, it } from "vitest";
import {
  accuracyClaim,
  determinismClaim,
  faultToleranceClaim,
  headlineClaim,
  opsPerAreaClaim,
  type StudyOutcome,
} from "../src/claims.ts";

const ok = (records: Record<string, unknown>[]): StudyOutcome => ({
  status: "ok",
  results: { study: "s", config: {}, records },
});
const acc = (
  network: string,
  bitsW: number,
  lossVsFloatPt: number,
  method = "ptq",
  validationLossVsFloatPt = lossVsFloatPt,
  arithmetic = "sc-bisc",
  seed: number | null = method === "trained" ? 1 : null,
) => ({
  network,
  arithmetic,
  bitsW,
  method,
  seed,
  lossVsFloatPt,
  validationLossVsFloatPt,
  total: 1000,
});

describe("accuracyClaim", () => {
  it("accuracyClaim picks each arithmetic's operating point on validation (best of PTQ, compensation, trained) and reports its test loss", () => {
    const row = accuracyClaim(
      ok([
        acc("lenet5", 4, 3.1),
        acc("lenet5", 6, 0.4),
        acc("lenet5", 8, 0.1),
        acc("fcnn", 6, 2.5),
        acc("fcnn", 6, 0.9, "trained", 0.8),
        acc("fcnn", 6, 0.7, "ptq+comp", 1.2), // better on test, worse on validation: not chosen
        acc("fcnn", 8, 0.2),
        acc("lenet5", 4, 0, "ptq", 0, "fixed"),
        acc("fcnn", 4, 0.5, "trained", 0.6, "fixed"),
        acc("fcnn", 4, 0.3, "trained", 0.6, "fixed", 2),
      ]),
      8,
    );
    expect(row.verdict).toBe("supported");
    expect(row.measured).toBe(
      "fcnn [1000 test images]: sc-bisc from N = 6 (trained with the arithmetic in the loop): validation 0.80 pt, test 0.90 pt; " +
        "for comparison fixed from N = 4 (trained with the arithmetic in the loop): validation 0.60 pt, test 0.50 pt; 2 training seeds: test loss 0.40 ± 0.14 pt; " +
        "lenet5 [1000 test images]: sc-bisc from N = 6 (post-training quantised): validation 0.40 pt, test 0.40 pt; " +
        "for comparison fixed from N = 4 (post-training quantised): validation 0.00 pt, test 0.00 pt",
    );
  });

  it("accuracyClaim is partly supported when one network needs more than maxBits or fails on test, and not supported when none gets under 1 point", () => {
    expect(accuracyClaim(ok([acc("a", 8, 0.5), acc("b", 8, 1.5), acc("b", 10, 0.5)]), 8).verdict).toBe(
      "partly supported",
    );
    // chosen on validation (0.9 pt) but 1.3 pt on test: the claim fails there
    expect(accuracyClaim(ok([acc("a", 8, 0.5), acc("b", 6, 1.3, "ptq", 0.9)]), 8).verdict).toBe("partly supported");
    const none = accuracyClaim(ok([acc("a", 8, 1.5), acc("a", 10, 1.2)]), 8);
    expect(none.verdict).toBe("not supported");
    expect(none.measured).toContain("a [1000 test images]: sc-bisc never within 1 pt on validation (best 1.20 pt)");
  });

  it("accuracyClaim falls back on pareto's records (fineTuned = trained) when accuracy-vs-precision did not run", () => {
    const pareto: StudyOutcome = {
      status: "ok",
      results: {
        study: "pareto",
        config: { testLimit: 10000 },
        records: [
          {
            network: "fcnn",
            arithmetic: "sc-bisc",
            bits: 8,
            fineTuned: false,
            accuracyLossPt: 0.7,
            validationLossPt: 0.5,
          },
          {
            network: "fcnn",
            arithmetic: "sc-bisc",
            bits: 8,
            fineTuned: false,
            accuracyLossPt: 0.7,
            validationLossPt: 0.5,
          },
          {
            network: "fcnn",
            arithmetic: "sc-bisc",
            bits: 4,
            fineTuned: true,
            accuracyLossPt: 0.6,
            validationLossPt: 0.4,
          },
          {
            network: "fcnn",
            arithmetic: "fixed",
            bits: 4,
            fineTuned: false,
            accuracyLossPt: 0.1,
            validationLossPt: 0.1,
          },
        ],
      },
    };
    const row = accuracyClaim({ status: "missing" }, 8, pareto);
    expect(row.study).toBe("pareto");
    expect(row.measured).toBe(
      "fcnn [10000 test images]: sc-bisc from N = 4 (trained with the arithmetic in the loop): validation 0.40 pt, test 0.60 pt; for comparison fixed from N = 4 (post-training quantised): validation 0.10 pt, test 0.10 pt",
    );
    expect(row.verdict).toBe("supported");
  });

  it("accuracyClaim says 'not measured yet' naming a missing or failed study, or the fields it lacks", () => {
    expect(accuracyClaim({ status: "missing" }, 8)).toMatchObject({
      verdict: "not measured yet",
      reason: "study accuracy-vs-precision missing",
    });
    expect(accuracyClaim({ status: "failed", exitCode: 1 }, 8).reason).toBe(
      "study accuracy-vs-precision failed (exit 1)",
    );
    expect(accuracyClaim(ok([{ network: "a", arithmetic: "sc-bisc", accuracy: 99 }]), 8).reason).toMatch(
      /no records with .*validationLossVsFloatPt/,
    );
  });
});

describe("opsPerAreaClaim", () => {
  const rec = (
    network: string,
    scenario: string,
    bits: number,
    parallel: number,
    improvement: number,
    weights = "trained",
  ) => ({ network, scenario, bits, parallel, improvement, weights, gopsPerMm2: 1 });

  it("opsPerAreaClaim takes the best improvement per network and scenario at the given N and is supported when all reach +50 %", () => {
    const row = opsPerAreaClaim(
      ok([
        rec("lenet5", "fixed-precision", 4, 1, 3.5),
        rec("lenet5", "fixed-precision", 8, 1, 0.2),
        rec("lenet5", "fixed-precision", 8, 4, 0.62),
        rec("lenet5", "precision-flexible", 8, 1, 0.95),
      ]),
      8,
    );
    expect(row.verdict).toBe("supported");
    expect(row.measured).toBe(
      "at N = 8, best per network / scenario: lenet5 / fixed-precision +62 % (b = 4); lenet5 / precision-flexible +95 % (b = 1); range +62 % … +95 %",
    );
  });

  it("opsPerAreaClaim uses every N when none matches and flags synthetic weights", () => {
    const row = opsPerAreaClaim(ok([rec("a", "x", 4, 1, 0.7, "synthetic"), rec("a", "x", 6, 1, 0.9, "synthetic")]), 8);
    expect(row.measured).toBe(
      "best over all N per network / scenario: a / x +90 % (N = 6, b = 1); range +90 % … +90 % [synthetic weights, cost only: a]",
    );
  });

  it("opsPerAreaClaim summarises many cases as one range per scenario plus the best case", () => {
    const records = ["a", "b", "c", "d"].flatMap((n, i) => [
      rec(n, "fixed", 8, 1, 0.1 * i),
      rec(n, "flexible", 8, 2, 0.5 + 0.1 * i),
    ]);
    expect(opsPerAreaClaim(ok(records), 8).measured).toBe(
      "at N = 8, best per network, range across 4 networks per scenario: fixed +0 % … +30 %; flexible +50 % … +80 %; best case d / flexible +80 % (b = 2); " +
        "trained networks: a / fixed +0 % (b = 1); a / flexible +50 % (b = 2); b / fixed +10 % (b = 1); b / flexible +60 % (b = 2); c / fixed +20 % (b = 1); c / flexible +70 % (b = 2); d / fixed +30 % (b = 1); d / flexible +80 % (b = 2); range +0 % … +80 %",
    );
  });

  it("opsPerAreaClaim is partly supported when some cases stay below +50 % and not supported when all do", () => {
    expect(opsPerAreaClaim(ok([rec("a", "x", 8, 1, 0.7), rec("b", "x", 8, 1, 0.1)]), 8).verdict).toBe(
      "partly supported",
    );
    const row = opsPerAreaClaim(ok([rec("a", "x", 8, 1, -0.2)]), 8);
    expect(row.verdict).toBe("not supported");
    expect(row.measured).toContain("−20 %");
  });

  it("opsPerAreaClaim names the missing study and the missing improvement field", () => {
    expect(opsPerAreaClaim({ status: "missing" }).reason).toBe("study ops-per-area missing");
    expect(opsPerAreaClaim(ok([{ network: "a" }])).reason).toMatch(/no records with improvement/);
  });
});

describe("headlineClaim", () => {
  const config = {
    clockHz: 2e8,
    technology: "osu018",
    bits: [2, 3, 4],
    lanesPerUnit: [16],
    units: [4],
    parallel: [1, 8],
    testLimit: 10000,
  };
  const pareto: StudyOutcome = { status: "ok", results: { study: "pareto", config, records: [] } };
  const row = (network: string, scenario: string, improvement: number) => ({
    network,
    scenario,
    status: "ok",
    accuracyBudgetPt: "1",
    floatAccuracy: "99.31",
    scGopsPerMm2: "16.8643",
    scAccuracy: "99.21",
    scPoint: "N=4 M=16 P=4 b=8",
    binaryGopsPerMm2: "15.3384",
    binaryAccuracy: "98.99",
    binaryPoint: "N=3 M=16 P=4",
    improvement: String(improvement),
  });

  it("headlineClaim states the budget, clock and searched grid, each case's points, and is partly supported when some cases miss +50 %", () => {
    const r = headlineClaim(pareto, [
      row("lenet5", "fixed-precision", 0.0994823),
      row("lenet5", "precision-flexible", 1.30319),
    ]);
    expect(r.verdict).toBe("partly supported");
    expect(r.measured).toBe(
      "budget 1 pt below float32; both designs at 200 MHz (clock = parameter), osu018; searched N ∈ {2,3,4}, M ∈ {16}, P ∈ {4}, b ∈ {1,8}, 10000 test images: " +
        "lenet5 / fixed-precision +10 % (SC N = 4 M = 16 P = 4 b = 8 16.9 GOPS/mm² at 99.21 % vs binary N = 3 M = 16 P = 4 15.3 GOPS/mm² at 98.99 %); " +
        "lenet5 / precision-flexible +130 % (SC N = 4 M = 16 P = 4 b = 8 16.9 GOPS/mm² at 99.21 % vs binary N = 3 M = 16 P = 4 15.3 GOPS/mm² at 98.99 %)",
    );
    expect(r.reason).toBe(
      "1 of 2 network/scenario cases reach +50 %; below: lenet5 / fixed-precision +10 %; beyond the paper's +100 %: lenet5 / precision-flexible. " +
        "Each side is at its own best point within the budget, so the lowest N each design can run at decides " +
        "(SC needs more bits than binary: lenet5 / fixed-precision SC N = 4 vs binary N = 3, lenet5 / precision-flexible SC N = 4 vs binary N = 3); " +
        "the paper's exact networks, library and array sizes are not available",
    );
  });

  it("headlineClaim is supported only when every case reaches +50 % and none was skipped, and not supported when none does", () => {
    expect(headlineClaim(pareto, [row("a", "x", 0.5), row("b", "x", 0.9)]).verdict).toBe("supported");
    const skipped = headlineClaim(pareto, [
      row("a", "x", 0.6),
      { network: "b", scenario: "x", status: "skipped: no weights" },
    ]);
    expect(skipped.verdict).toBe("partly supported");
    expect(skipped.reason).toContain("not measured: b / x: skipped: no weights");
    expect(headlineClaim(pareto, [row("a", "x", -0.45)]).verdict).toBe("not supported");
  });

  it("headlineClaim reports the training-seed spread of a fine-tuned operating point and says when the budget hinges on the seed", () => {
    const trained = (bitsW: number, seed: number, validationLossVsFloatPt: number, arithmetic = "sc-bisc") => ({
      ...acc("lenet5", bitsW, 0, "trained", validationLossVsFloatPt, arithmetic, seed),
    });
    const avp = ok([trained(3, 1, 0.62), trained(3, 2, 0.45), trained(3, 3, 1.2), trained(2, 1, 0.7, "fixed")]);
    const h = {
      ...row("lenet5", "fixed-precision", 0.2),
      scPoint: "N=3 M=16 P=4 b=8 fine-tuned",
      binaryPoint: "N=2 M=16 P=4 fine-tuned",
    };
    const r = headlineClaim(pareto, [h], avp);
    expect(r.measured).toContain(
      "[training seeds: SC N = 3 trained, 3 seeds: validation loss 0.76 ± 0.39 pt, 2/3 within 1 pt; binary N = 2 trained, 1 seed: validation loss 0.70 pt]",
    );
    expect(r.reason).toContain(
      "the budget hinges on the training seed at lenet5 / fixed-precision SC N = 3 (2 of 3 seeds within 1 pt), lenet5 / fixed-precision binary N = 2 (one seed, 0.30 pt from the budget)",
    );
    // PTQ points do not depend on a training seed: nothing is added
    expect(headlineClaim(pareto, [row("lenet5", "fixed-precision", 0.2)], avp).measured).not.toContain("seeds");
  });

  it("headlineClaim says 'not measured yet' without pareto or its headline.csv", () => {
    expect(headlineClaim({ status: "missing" }, undefined).reason).toBe("study pareto missing");
    expect(headlineClaim(pareto, undefined).reason).toMatch(/no headline\.csv/);
    expect(headlineClaim(pareto, [{ network: "a", scenario: "x", status: "skipped: no data" }]).verdict).toBe(
      "not measured yet",
    );
  });
});

describe("opsPerAreaClaim clocks", () => {
  it("opsPerAreaClaim counts only clock 'parameter' for the verdict and quotes the best 'library' case as not counted", () => {
    const r = (clock: string, improvement: number) => ({
      network: "lenet5",
      scenario: "fixed-precision",
      clock,
      clockHz: 2e8,
      bits: 8,
      parallel: 8,
      units: 16,
      lanesPerUnit: 16,
      improvement,
    });
    const row = opsPerAreaClaim(ok([r("parameter", 0.42), r("library", 1.6)]), 8);
    expect(row.verdict).toBe("not supported");
    expect(row.measured).toBe(
      "both designs at one clock (clock = parameter, 200 MHz); at N = 8, best per network / scenario: lenet5 / fixed-precision +42 % (b = 8, M = 16, P = 16); range +42 % … +42 %; " +
        "not counted: each design at its own synthesized clock (clock = library) the best case is lenet5 / fixed-precision +160 % (b = 8)",
    );
  });
});

describe("determinismClaim", () => {
  it("determinismClaim is supported only when every output file is byte-identical", () => {
    expect(
      determinismClaim({
        study: "m",
        files: [
          { name: "a.json", identical: true },
          { name: "b.png", identical: true },
        ],
      }).verdict,
    ).toBe("supported");
    const bad = determinismClaim({
      study: "m",
      files: [
        { name: "a.json", identical: true },
        { name: "b.png", identical: false },
      ],
    });
    expect(bad).toMatchObject({ verdict: "not supported", reason: "differing: b.png" });
    expect(determinismClaim({ study: "m", files: [] }).verdict).toBe("not supported");
    expect(determinismClaim({ study: "m", missing: true }).verdict).toBe("not measured yet");
  });
});

describe("faultToleranceClaim", () => {
  it("faultToleranceClaim names each case's designs and states the per-operation ratio and the seed interval", () => {
    const row = faultToleranceClaim(ok([{ kind: "summary" }]), {
      testImages: 10000,
      seeds: [1, 2, 3],
      rows: [
        {
          kind: "summary",
          network: "lenet5",
          group: "accumulator",
          designs: "SC N=4 b=8 vs binary N=3",
          p1ptSc: 1e-6,
          p1ptBinary: 2e-6,
          faultToleranceRatio: 0.5,
          ratioSeedMin: 0.3,
          ratioSeedMax: 0.8,
          ratioKind: "interpolated",
          scCyclesPerMac: 1.1,
          faultToleranceRatioPerOp: 0.55,
        },
      ],
    });
    expect(row.measured).toContain("lenet5 accumulator (SC N=4 b=8 vs binary N=3)");
    expect(row.measured).toContain("seeds 0.30…0.80");
    expect(row.measured).toContain("per operation 0.550 (1.10 SC cycles per MAC)");
    expect(row.verdict).toBe("not supported");
  });

  it("faultToleranceClaim counts a case only when its seed interval is on one side of 1, and says where the per-operation ratio crosses 1", () => {
    const row = (r: Record<string, unknown>) =>
      faultToleranceClaim(ok([{ kind: "summary" }]), {
        testImages: 10000,
        seeds: [1, 2, 3],
        rows: [
          {
            kind: "summary",
            network: "fashion-cnn",
            group: "accumulator",
            designs: "SC N=6 b=8 vs binary N=4",
            p1ptSc: 1e-6,
            p1ptBinary: 1.2e-6,
            faultToleranceRatio: 0.85,
            ratioSeedMin: 0.6,
            ratioSeedMax: 1.2,
            ratioKind: "interpolated",
            scCyclesPerMac: 1.3,
            faultToleranceRatioPerOp: 1.1,
            ...r,
          },
          {
            kind: "summary",
            network: "fashion-cnn",
            group: "multiplier",
            designs: "SC N=6 b=8 vs binary N=4",
            p1ptSc: 1e-2,
            p1ptBinary: 1e-4,
            faultToleranceRatio: 100,
            ratioSeedMin: 60,
            ratioSeedMax: 150,
            ratioKind: "interpolated",
          },
        ],
      });
    const within = row({});
    expect(within.verdict).toBe("partly supported");
    expect(within.reason).toContain("no difference beyond the seed spread at: fashion-cnn accumulator");
    expect(within.reason).toContain(
      "per operation rather than per cycle the ratio crosses 1 at: fashion-cnn accumulator",
    );
    expect(within.reason).not.toContain("SC tolerates less");
    const below = row({ ratioSeedMax: 0.95, faultToleranceRatioPerOp: 0.9 });
    expect(below.reason).toContain("SC tolerates less at: fashion-cnn accumulator");
    expect(below.reason).not.toContain("per operation rather");
  });

  it("faultToleranceClaim takes SC/binary ratios of the 1-point fault rates per network and site", () => {
    const row = faultToleranceClaim(
      ok([
        { network: "lenet5", site: "datapath", arithmetic: "sc-bisc", faultRateAt1PtLoss: 1e-2 },
        { network: "lenet5", site: "datapath", arithmetic: "fixed", faultRateAt1PtLoss: 1e-4 },
      ]),
    );
    expect(row.verdict).toBe("supported");
    expect(row.measured).toBe("fault rate for 1 pt loss, SC / binary: lenet5 / datapath ×100");
  });

  it("faultToleranceClaim uses a faultToleranceRatio field when present and reports cases that do not favour SC", () => {
    expect(
      faultToleranceClaim(
        ok([
          { network: "a", faultToleranceRatio: 3 },
          { network: "b", faultToleranceRatio: 0.5 },
        ]),
      ).verdict,
    ).toBe("partly supported");
    expect(faultToleranceClaim(ok([{ network: "a", faultToleranceRatio: 0.5 }])).verdict).toBe("not supported");
    expect(faultToleranceClaim({ status: "missing" })).toMatchObject({
      verdict: "not measured yet",
      reason: "study fault-tolerance missing",
    });
  });

  it("faultToleranceClaim reads summary.json rows, shows censored rates and bounds, counts a bound only when it decides, and lists SC-only sites", () => {
    const s = (
      group: string,
      p1ptSc: number,
      scCensored: string | null,
      p1ptBinary: number | null,
      faultToleranceRatio: number | null,
      ratioKind: string | null,
    ) => ({
      kind: "summary",
      network: "lenet5",
      bits: 8,
      group,
      p1ptSc,
      scCensored,
      p1ptBinary,
      binaryCensored: null,
      faultToleranceRatio,
      ratioKind,
    });
    const summary = {
      testImages: 500,
      seeds: [1, 2],
      rows: [
        s("multiplier", 0.0314, null, 0.000427, 73.6, "interpolated"),
        s("accumulator", 1e-7, "below", 1.93e-6, 0.0517, "upper bound"),
        s("memory", 0.1, "above", 0.003, 33.3, "lower bound"),
        s("adder", 0.1, "above", 0.2, 0.5, "lower bound"),
        s("down counter", 0.000368, null, null, null, null),
      ],
    };
    const row = faultToleranceClaim(ok([{ kind: "accuracy" }]), summary);
    expect(row.measured).toBe(
      "fault rate p (flips per bit per cycle) at 1 pt loss, SC / binary, 500 test images, seeds 1,2: lenet5 multiplier N = 8: SC 0.0314 vs binary 0.000427 → ×73.6; " +
        "lenet5 accumulator N = 8: SC < 1.00e-7 vs binary 0.00000193 → ≤ ×0.0517; lenet5 memory N = 8: SC > 0.100 vs binary 0.00300 → ≥ ×33.3; " +
        "lenet5 adder N = 8: SC > 0.100 vs binary 0.200 → ≥ ×0.500; lenet5 down counter N = 8 (SC only) 0.000368",
    );
    expect(row.verdict).toBe("partly supported");
    expect(row.reason).toBe(
      "SC tolerates more at: lenet5 multiplier N = 8, lenet5 memory N = 8; SC tolerates less at: lenet5 accumulator N = 8; inconclusive (bound only): lenet5 adder N = 8 (a whole SC datapath is only as tolerant as its weakest site)",
    );
    expect(faultToleranceClaim(ok([]), { rows: [s("a", 1e-7, "below", 1e-6, 0.1, "upper bound")] }).verdict).toBe(
      "not supported",
    );
  });

  it("faultToleranceClaim adds the stuck-at summary (fraction of lanes at 1 pt loss) as cases of their own", () => {
    const row = faultToleranceClaim(ok([]), {
      rows: [
        {
          kind: "summary",
          network: "lenet5",
          bits: 8,
          group: "multiplier",
          p1ptSc: 0.03,
          scCensored: null,
          p1ptBinary: 0.0003,
          binaryCensored: null,
          faultToleranceRatio: 100,
          ratioKind: "interpolated",
        },
      ],
      stuckAt: [
        {
          kind: "stuck-summary",
          network: "lenet5",
          bits: 8,
          group: "multiplier",
          stuckFractionAt1PtSc: 0.011,
          scCensored: null,
          stuckFractionAt1PtBinary: 0.0338,
          binaryCensored: null,
          stuckToleranceRatio: 0.324,
          ratioKind: "interpolated",
        },
      ],
    });
    expect(row.measured).toBe(
      "fault rate p (flips per bit per cycle) at 1 pt loss, SC / binary: lenet5 multiplier N = 8: SC 0.0300 vs binary 0.000300 → ×100; " +
        "stuck-at-0/1 lanes, fraction at 1 pt loss, SC / binary: lenet5 stuck-at multiplier N = 8: SC 0.0110 vs binary 0.0338 → ×0.324",
    );
    expect(row.verdict).toBe("partly supported");
  });
});
