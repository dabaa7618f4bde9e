import { describe, expect, it } from "vitest";
import type { AccuracySource } from "@sccnn/study-accuracy-vs-precision/source";
import { reuseAccuracies, sourceFloatAccuracy } from "../src/accuracy-from.ts";
import type { AccuracyInput } from "../src/eval/accuracy.ts";

const quant = {
  testLimit: 10000,
  validationLimit: 5000,
  calibrationImages: 1000,
  calibration: "mse" as const,
  percentile: 99.99,
  perChannel: false,
};
const point = (arithmetic: AccuracyInput["arithmetic"], bits: number | null, fineTuned = false): AccuracyInput => ({
  network: "lenet5",
  arithmetic,
  bits,
  fineTuned,
  weightsPath: null,
  weightsSha256: "w",
  trainedSha256: "w",
  ...quant,
});
const v = (correct: number) => ({ validationCorrect: correct, validationTotal: 5000 });
const source = (config: Record<string, unknown> = quant, study = "accuracy-vs-precision"): AccuracySource => ({
  path: "avp/results.json",
  study,
  config,
  records: [
    { network: "lenet5", arithmetic: "float32", bitsW: null, method: "float", correct: 9931, total: 10000, ...v(4999) },
    { network: "lenet5", arithmetic: "sc-bisc", bitsW: 4, method: "ptq", correct: 9921, total: 10000, ...v(4990) },
    { network: "lenet5", arithmetic: "sc-bisc", bitsW: 4, method: "ptq+comp", correct: 9925, total: 10000, ...v(4991) },
    { network: "lenet5", arithmetic: "sc-bisc", bitsW: 4, method: "trained", correct: 9908, total: 10000, ...v(4992) },
    { network: "lenet5", arithmetic: "fixed", bitsW: 4, method: "ptq", correct: 9933, total: 10000, ...v(4995) },
  ],
});

describe("reuseAccuracies", () => {
  it("reuseAccuracies takes plain quantised points from the source and leaves float32, fine-tuned and unmeasured points to evaluate", () => {
    const values = reuseAccuracies(
      [point("float32", null), point("sc-bisc", 4), point("sc-bisc", 4, true), point("fixed", 4), point("fixed", 5)],
      source(),
    );
    expect(values).toEqual([
      undefined,
      {
        accuracy: 0.9921,
        correct: 9921,
        total: 10000,
        validationAccuracy: 0.998,
        validationCorrect: 4990,
        validationTotal: 5000,
      },
      undefined,
      {
        accuracy: 0.9933,
        correct: 9933,
        total: 10000,
        validationAccuracy: 0.999,
        validationCorrect: 4995,
        validationTotal: 5000,
      },
      undefined,
    ]);
    expect(sourceFloatAccuracy(source(), "lenet5")).toEqual({ accuracy: 0.9931, correct: 9931, total: 10000 });
    expect(sourceFloatAccuracy(source(), "fashion-cnn")).toBeUndefined();
  });

  it("reuseAccuracies takes a fine-tuned point from the trained record of the same checkpoint file (by hash), no other", () => {
    const src = source();
    src.records.push({
      network: "lenet5",
      arithmetic: "fixed",
      bitsW: 4,
      method: "trained",
      weightsSha256: "ck1",
      correct: 9911,
      total: 10000,
      ...v(4980),
    });
    const ft = (sha: string) => ({
      ...point("fixed", 4, true),
      weightsPath: "lenet5-fixed-w4a4.ckpt",
      weightsSha256: sha,
    });
    const [same, other, ptq] = reuseAccuracies([ft("ck1"), ft("ck2"), point("fixed", 4)], src);
    expect(same?.correct).toBe(9911);
    expect(same?.validationCorrect).toBe(4980);
    expect(other).toBeUndefined();
    // the PTQ point still takes the PTQ record, not the trained one
    expect(ptq?.correct).toBe(9933);
  });

  it("reuseAccuracies refuses a source of another study or with other test/calibration settings, naming the file and field", () => {
    expect(() => reuseAccuracies([point("fixed", 4)], source(quant, "pareto"))).toThrow(
      'accuracyFrom: avp/results.json: $.study is "pareto", expected "accuracy-vs-precision"',
    );
    expect(() => reuseAccuracies([point("fixed", 4)], source({ ...quant, testLimit: 200 }))).toThrow(
      "accuracyFrom: avp/results.json: $.config.testLimit is 200, this study runs 10000",
    );
    expect(() => reuseAccuracies([point("fixed", 4)], source({ ...quant, calibration: "max" }))).toThrow(
      '$.config.calibration is "max", this study runs "mse"',
    );
  });
});
