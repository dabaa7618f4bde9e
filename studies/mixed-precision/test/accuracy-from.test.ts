import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateAccuracy as avpEvaluate } from "@sccnn/study-accuracy-vs-precision/evaluate";
import type { AccuracySource } from "@sccnn/study-accuracy-vs-precision/source";
import { describe, expect, it } from "vitest";
import { evaluateAccuracy, type AccuracyInput } from "../src/eval/evaluate.ts";
import { mixedPrecisionStudy, reusedValues, type MixedPrecisionConfig } from "../study.ts";

const layers = (...bits: number[]) => bits.map((n, i) => ({ name: `l${i}`, bitsW: n, bitsA: n }));
const point = (
  arithmetic: AccuracyInput["arithmetic"],
  l: AccuracyInput["layers"],
  split: AccuracyInput["split"],
): AccuracyInput => ({
  network: "lenet5",
  arithmetic,
  layers: l,
  split,
  images: split === "test" ? 10000 : 5000,
  calibrationImages: 1000,
  calibration: "mse",
  perChannel: false,
  weightsSha256: "w",
  networkSource: "s",
});
const counts = (correct: number, validationCorrect: number) => ({
  correct,
  total: 10000,
  validationCorrect,
  validationTotal: 5000,
});
const source: AccuracySource = {
  path: "avp/results.json",
  study: "accuracy-vs-precision",
  config: { testLimit: 10000, validationLimit: 5000, calibrationImages: 1000, calibration: "mse", perChannel: false },
  records: [
    { network: "lenet5", arithmetic: "float32", bitsW: null, method: "float", ...counts(9924, 4965) },
    { network: "lenet5", arithmetic: "sc-bisc", bitsW: 4, method: "ptq", ...counts(9913, 4956) },
    { network: "lenet5", arithmetic: "sc-bisc", bitsW: 4, method: "ptq+comp", ...counts(9912, 4959) },
    {
      network: "lenet5",
      arithmetic: "sc-bisc",
      bitsW: 4,
      method: "trained",
      weightsSha256: "c",
      ...counts(9900, 4950),
    },
    { network: "lenet5", arithmetic: "fixed", bitsW: 4, method: "ptq", ...counts(9921, 4966) },
  ],
};

describe("mixed-precision accuracyFrom", () => {
  it("a uniform design here and accuracy-vs-precision's PTQ point of its N are one evaluation (the premise of the reuse)", async () => {
    for (const [arithmetic, n] of [
      ["sc-bisc", 3],
      ["fixed", 2],
      ["sc-bisc", 6],
    ] as const) {
      const theirs = await avpEvaluate({
        network: "lenet5",
        arithmetic,
        bits: n,
        method: "ptq",
        seed: null,
        testLimit: 400,
        validationLimit: 300,
        calibrationImages: 1000,
        calibration: "mse",
        percentile: 99.99,
        perChannel: false,
        lfsrSeed: 1,
      });
      const mine = (split: AccuracyInput["split"], images: number) =>
        evaluateAccuracy({
          ...point(
            arithmetic,
            ["c1", "c2", "f1", "f2", "f3"].map((name) => ({ name, bitsW: n, bitsA: n })),
            split,
          ),
          images,
        });
      expect(theirs).toMatchObject({
        testCorrect: mine("test", 400).correct,
        validationCorrect: mine("validation", 300).correct,
      });
    }
  });

  it("reusedValues takes a uniform sc-bisc / fixed design's split from the source's PTQ record, nothing else", () => {
    const got = reusedValues(
      [
        point("sc-bisc", layers(4, 4, 4), "test"),
        point("sc-bisc", layers(4, 4, 4), "validation"),
        point("fixed", layers(4, 4, 4), "validation"),
        point("sc-bisc", layers(4, 5, 4), "test"),
        point("sc-bisc", [{ name: "l0", bitsW: 4, bitsA: 5 }], "test"),
        point("sc-bisc", layers(5, 5, 5), "test"),
        point("float32", null, "test"),
        { ...point("sc-bisc", layers(4, 4, 4), "test"), images: 2000 },
      ],
      source,
    );
    expect(got).toEqual([
      { correct: 9913, total: 10000 },
      { correct: 4956, total: 5000 },
      { correct: 4966, total: 5000 },
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("a source with other images or calibration, of another study, or missing is refused by name before anything runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "mixed-from-"));
    const write = (name: string, study: string, config: Record<string, unknown>) => {
      writeFileSync(join(dir, name), JSON.stringify({ study, config, records: source.records }));
      return join(dir, name);
    };
    const c = (accuracyFrom: string | null) =>
      ({
        testLimit: 10000,
        validationImages: 5000,
        calibrationImages: 1000,
        calibration: "mse",
        perChannel: false,
        accuracyFrom,
      }) as MixedPrecisionConfig;
    const problems = (from: string | null) => {
      try {
        mixedPrecisionStudy.check!(c(from));
        return [];
      } catch (e) {
        return (e as { problems?: string[] }).problems ?? [(e as Error).message];
      }
    };
    expect(problems(null)).toEqual([]);
    expect(problems(write("ok.json", "accuracy-vs-precision", source.config))).toEqual([]);
    expect(problems(join(dir, "none.json"))).toEqual([`--accuracy-from ${join(dir, "none.json")}: no such file`]);
    const other = write("v.json", "accuracy-vs-precision", { ...source.config, validationLimit: 2000 });
    expect(problems(other)).toEqual([
      `--accuracy-from ${other}: $.config.validationLimit is 2000, this study runs 5000`,
    ]);
    const pareto = write("p.json", "pareto", source.config);
    expect(problems(pareto)).toEqual([
      `--accuracy-from ${pareto}: $.study is "pareto", expected "accuracy-vs-precision"`,
    ]);
  });
});
