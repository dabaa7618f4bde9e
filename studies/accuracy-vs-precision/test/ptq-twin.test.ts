import { describe, expect, it } from "vitest";
import { QUANT_SETTINGS, loadArithmeticCheckpoint } from "@sccnn/zoo";
import { evaluateAccuracy, sameQuantizedNetwork, type AccuracyInput } from "../src/evaluate.ts";

const input = (
  arithmetic: "fixed" | "sc-bisc",
  bits: number,
  method: "ptq" | "trained",
  ptqTwin?: boolean,
): AccuracyInput => ({
  ...QUANT_SETTINGS,
  network: "lenet5",
  arithmetic,
  bits,
  method,
  seed: method === "trained" ? 1 : null,
  testLimit: 300,
  validationLimit: 200,
  ...(ptqTwin === undefined ? {} : { ptqTwin }),
});
const counts = (v: object) => {
  const { testCorrect, testTotal, validationCorrect, validationTotal } = v as Record<string, number>;
  return { testCorrect, testTotal, validationCorrect, validationTotal };
};

describe("trained points equal to their post-training-quantised twin", () => {
  it("a checkpoint that kept period 0 is recognised, not evaluated, and evaluated it gives the twin's counts", async () => {
    // lenet5 sc-bisc N = 4 seed 1 kept period 0 (its training log): the same quantised network as PTQ
    expect(loadArithmeticCheckpoint("lenet5", "sc-bisc", 4, 1)!.training.bestPeriod).toBe(0);
    const short = await evaluateAccuracy(input("sc-bisc", 4, "trained", true));
    expect(short).toMatchObject({ sameAsPtq: true, trainedPeriod: 0 });
    const full = await evaluateAccuracy(input("sc-bisc", 4, "trained", false));
    const ptq = await evaluateAccuracy(input("sc-bisc", 4, "ptq"));
    expect("sameAsPtq" in full).toBe(false);
    expect(counts(full)).toEqual(counts(ptq));
  });

  it("a checkpoint trained past period 0 is evaluated even with a twin", async () => {
    // lenet5 fixed N = 3 seed 1 kept period 1
    expect(loadArithmeticCheckpoint("lenet5", "fixed", 3, 1)!.training.bestPeriod).toBeGreaterThan(0);
    const v = await evaluateAccuracy(input("fixed", 3, "trained", true));
    expect("sameAsPtq" in v).toBe(false);
    expect(v).toMatchObject({ trainedPeriod: 1, testTotal: 300 });
  });

  it("sameQuantizedNetwork compares layers, float weights, spec and config apart from pinned clips", async () => {
    const { calibratedZooNetwork, quantConfigOf } = await import("@sccnn/zoo");
    const { quantizeCalibrated, quantizeNetwork } = await import("@sccnn/nn");
    const net = calibratedZooNetwork("lenet5", QUANT_SETTINGS);
    const ck = loadArithmeticCheckpoint("lenet5", "sc-bisc", 4, 1)!;
    const a = quantizeNetwork(net.spec, ck.weights, net.stats, ck.training.quantConfig);
    const b = quantizeCalibrated(net, quantConfigOf(QUANT_SETTINGS, "sc-bisc", 4));
    expect(a.config.layers).toBeDefined();
    expect(sameQuantizedNetwork(a, b)).toBe(true);
    expect(sameQuantizedNetwork(a, quantizeCalibrated(net, quantConfigOf(QUANT_SETTINGS, "fixed", 4)))).toBe(false);
    expect(sameQuantizedNetwork(a, quantizeCalibrated(net, quantConfigOf(QUANT_SETTINGS, "sc-bisc", 5)))).toBe(false);
    const moved = structuredClone(b);
    moved.layers.c2!.wInt[0]! += 1;
    expect(sameQuantizedNetwork(a, moved)).toBe(false);
    const rescaled = structuredClone(b);
    rescaled.layers.f1!.aScale *= 1.0001;
    expect(sameQuantizedNetwork(a, rescaled)).toBe(false);
  });
});
