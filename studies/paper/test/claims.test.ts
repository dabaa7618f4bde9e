import { describe, expect, it } from "vitest";
import { accuracyClaim, determinismClaim, faultToleranceClaim, opsPerAreaClaim, type StudyOutcome } from "../src/claims.ts";

const ok = (records: Record<string, unknown>[]): StudyOutcome => ({ status: "ok", results: { study: "s", config: {}, records } });
const acc = (network: string, bitsW: number, lossVsFloatPt: number, fineTuned = false) => ({ network, arithmetic: "sc-bisc", bitsW, fineTuned, lossVsFloatPt, total: 1000 });

describe("accuracyClaim", () => {
  it("accuracyClaim is supported when every network gets under 1 point at some N ≤ maxBits, using the best of plain and fine-tuned", () => {
    const row = accuracyClaim(ok([acc("lenet5", 4, 3.1), acc("lenet5", 6, 0.4), acc("lenet5", 8, 0.1), acc("fcnn", 6, 2.5), acc("fcnn", 6, 0.9, true), acc("fcnn", 8, 0.2), { network: "lenet5", arithmetic: "fixed", bitsW: 4, lossVsFloatPt: 0 }]), 8);
    expect(row.verdict).toBe("supported");
    expect(row.measured).toBe("lenet5: < 1 pt from N = 6 (0.40 pt), 0.10 pt at N = 8 [1000 test images]; fcnn: < 1 pt from N = 6 (0.90 pt), 0.20 pt at N = 8 [1000 test images]");
  });

  it("accuracyClaim is partly supported when one network needs more than maxBits, and not supported when none gets under 1 point", () => {
    expect(accuracyClaim(ok([acc("a", 8, 0.5), acc("b", 8, 1.5), acc("b", 10, 0.5)]), 8).verdict).toBe("partly supported");
    const none = accuracyClaim(ok([acc("a", 8, 1.5), acc("a", 10, 1.2)]), 8);
    expect(none.verdict).toBe("not supported");
    expect(none.measured).toContain("a: never < 1 pt (best 1.20 pt)");
  });

  it("accuracyClaim says 'not measured yet' naming a missing or failed study, or the fields it lacks", () => {
    expect(accuracyClaim({ status: "missing" }, 8)).toMatchObject({ verdict: "not measured yet", reason: "study accuracy-vs-precision missing" });
    expect(accuracyClaim({ status: "failed", exitCode: 1 }, 8).reason).toBe("study accuracy-vs-precision failed (exit 1)");
    expect(accuracyClaim(ok([{ network: "a", arithmetic: "sc-bisc", accuracy: 99 }]), 8).reason).toMatch(/no records with .*lossVsFloatPt/);
  });
});

describe("opsPerAreaClaim", () => {
  const rec = (network: string, scenario: string, bits: number, parallel: number, improvement: number, weights = "trained") => ({ network, scenario, bits, parallel, improvement, weights, gopsPerMm2: 1 });

  it("opsPerAreaClaim takes the best improvement per network and scenario at the given N and is supported when all reach +50 %", () => {
    const row = opsPerAreaClaim(ok([rec("lenet5", "fixed-precision", 4, 1, 3.5), rec("lenet5", "fixed-precision", 8, 1, 0.2), rec("lenet5", "fixed-precision", 8, 4, 0.62), rec("lenet5", "precision-flexible", 8, 1, 0.95)]), 8);
    expect(row.verdict).toBe("supported");
    expect(row.measured).toBe("at N = 8, best per network / scenario: lenet5 / fixed-precision +62 % (b = 4); lenet5 / precision-flexible +95 % (b = 1); range +62 % … +95 %");
  });

  it("opsPerAreaClaim uses every N when none matches and flags synthetic weights", () => {
    const row = opsPerAreaClaim(ok([rec("a", "x", 4, 1, 0.7, "synthetic"), rec("a", "x", 6, 1, 0.9, "synthetic")]), 8);
    expect(row.measured).toBe("best over all N per network / scenario: a / x +90 % (N = 6, b = 1); range +90 % … +90 % [synthetic weights for some networks]");
  });

  it("opsPerAreaClaim summarises many cases as one range per scenario plus the best case", () => {
    const records = ["a", "b", "c", "d"].flatMap((n, i) => [rec(n, "fixed", 8, 1, 0.1 * i), rec(n, "flexible", 8, 2, 0.5 + 0.1 * i)]);
    expect(opsPerAreaClaim(ok(records), 8).measured).toBe(
      "at N = 8, best per network, range across 4 networks per scenario: fixed +0 % … +30 %; flexible +50 % … +80 %; best case d / flexible +80 % (b = 2); range +0 % … +80 %",
    );
  });

  it("opsPerAreaClaim is partly supported when some cases stay below +50 % and not supported when all do", () => {
    expect(opsPerAreaClaim(ok([rec("a", "x", 8, 1, 0.7), rec("b", "x", 8, 1, 0.1)]), 8).verdict).toBe("partly supported");
    const row = opsPerAreaClaim(ok([rec("a", "x", 8, 1, -0.2)]), 8);
    expect(row.verdict).toBe("not supported");
    expect(row.measured).toContain("−20 %");
  });

  it("opsPerAreaClaim names the missing study and the missing improvement field", () => {
    expect(opsPerAreaClaim({ status: "missing" }).reason).toBe("study ops-per-area missing");
    expect(opsPerAreaClaim(ok([{ network: "a" }])).reason).toMatch(/no records with improvement/);
  });
});

describe("determinismClaim", () => {
  it("determinismClaim is supported only when every output file is byte-identical", () => {
    expect(determinismClaim({ study: "m", files: [{ name: "a.json", identical: true }, { name: "b.png", identical: true }] }).verdict).toBe("supported");
    const bad = determinismClaim({ study: "m", files: [{ name: "a.json", identical: true }, { name: "b.png", identical: false }] });
    expect(bad).toMatchObject({ verdict: "not supported", reason: "differing: b.png" });
    expect(determinismClaim({ study: "m", files: [] }).verdict).toBe("not supported");
    expect(determinismClaim({ study: "m", missing: true }).verdict).toBe("not measured yet");
  });
});

describe("faultToleranceClaim", () => {
  it("faultToleranceClaim takes SC/binary ratios of the 1-point fault rates per network and site", () => {
    const row = faultToleranceClaim(ok([
      { network: "lenet5", site: "datapath", arithmetic: "sc-bisc", faultRateAt1PtLoss: 1e-2 },
      { network: "lenet5", site: "datapath", arithmetic: "fixed", faultRateAt1PtLoss: 1e-4 },
    ]));
    expect(row.verdict).toBe("supported");
    expect(row.measured).toBe("fault rate for 1 pt loss, SC / binary: lenet5 / datapath ×100");
  });

  it("faultToleranceClaim uses a faultToleranceRatio field when present and reports cases that do not favour SC", () => {
    expect(faultToleranceClaim(ok([{ network: "a", faultToleranceRatio: 3 }, { network: "b", faultToleranceRatio: 0.5 }])).verdict).toBe("partly supported");
    expect(faultToleranceClaim(ok([{ network: "a", faultToleranceRatio: 0.5 }])).verdict).toBe("not supported");
    expect(faultToleranceClaim({ status: "missing" })).toMatchObject({ verdict: "not measured yet", reason: "study fault-tolerance missing" });
  });
});
