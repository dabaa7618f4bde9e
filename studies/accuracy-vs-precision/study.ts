// pnpm study accuracy-vs-precision: CNN test accuracy vs bit width N for float32, fixed, BISC (with
// and without SC-aware fine-tuning) and LFSR SC (see README.md).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { codeVersion, main, type StudyDefinition } from "@sccnn/dse";
import type { Arithmetic } from "@sccnn/nn";
import type { AccuracyInput, AccuracyValue, FineTuneRecipe } from "./src/evaluate.ts";
import { accuracyFigure, type AccuracyRecord } from "./src/figures.ts";
import { trainedWeightsHash } from "@sccnn/zoo";

export interface AccuracyVsPrecisionConfig {
  networks: string[];
  bits: number[];
  arithmetics: Arithmetic[];
  fineTuneArithmetics: Arithmetic[];
  testLimit: number;
  calibrationImages: number;
  calibration: "max" | "percentile" | "mse";
  percentile: number;
  perChannel: boolean;
  lfsrSeed: number;
  fineTune: FineTuneRecipe;
  fineTunedDir: string | null;
}

const here = new URL(".", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;

/** Every point of the design space, float32 reference first for each network. */
export function accuracyPoints(c: AccuracyVsPrecisionConfig, studyDir: string): AccuracyInput[] {
  const common = {
    testLimit: c.testLimit,
    calibrationImages: c.calibrationImages,
    calibration: c.calibration,
    percentile: c.percentile,
    perChannel: c.perChannel,
    lfsrSeed: c.lfsrSeed,
  };
  const ftDir = c.fineTunedDir === null ? null : resolve(studyDir, c.fineTunedDir);
  const points: AccuracyInput[] = [];
  for (const network of c.networks) {
    points.push({
      ...common,
      network,
      arithmetic: "float32",
      bits: null,
      fineTuned: false,
      recipe: null,
      fineTunedDir: null,
    });
    for (const bits of c.bits) {
      for (const arithmetic of c.arithmetics)
        points.push({ ...common, network, arithmetic, bits, fineTuned: false, recipe: null, fineTunedDir: null });
      for (const arithmetic of c.fineTuneArithmetics)
        points.push({ ...common, network, arithmetic, bits, fineTuned: true, recipe: c.fineTune, fineTunedDir: ftDir });
    }
  }
  return points;
}

export const accuracyVsPrecisionStudy: StudyDefinition<AccuracyVsPrecisionConfig> = {
  name: "accuracy-vs-precision",
  dir: here,
  schema: readJson("config.schema.json"),
  smokeConfig: readJson("config.smoke.json"),
  async run(ctx) {
    const c = ctx.config;
    const version = codeVersion([
      new URL("../../packages/nn/src", here),
      new URL("../../packages/sc-core/src", here),
      new URL("../../packages/datasets/src", here),
      new URL("../../packages/zoo/src", here),
      new URL("src", here),
    ]);
    const points = accuracyPoints(c, ctx.dir);
    // one evaluation per network, keyed by that network's trained checkpoint
    const values: AccuracyValue[] = new Array(points.length);
    for (const network of c.networks) {
      const idx = points.flatMap((p, i) => (p.network === network ? [i] : []));
      const res = await ctx.evaluate<AccuracyInput, AccuracyValue>({
        kind: "accuracy",
        label: `accuracy ${network}`,
        points: idx.map((i) => points[i]!),
        evaluator: { module: new URL("src/evaluate.ts", here), name: "evaluateAccuracy" },
        codeVersion: version,
        weightsHash: trainedWeightsHash([network]),
      });
      idx.forEach((i, j) => {
        values[i] = res.values[j]!;
      });
    }
    const floatAcc = new Map<string, number>();
    points.forEach((p, i) => {
      if (p.arithmetic === "float32") floatAcc.set(p.network, values[i]!.accuracy);
    });
    const records: AccuracyRecord[] = points.map((p, i) => {
      const v = values[i]!;
      return {
        network: p.network,
        arithmetic: p.arithmetic,
        bitsW: p.bits,
        bitsA: p.bits,
        fineTuned: p.fineTuned,
        accuracy: round(v.accuracy * 100, 2),
        lossVsFloatPt: round((floatAcc.get(p.network)! - v.accuracy) * 100, 2),
        correct: v.correct,
        total: v.total,
      };
    });
    return { records, figures: [{ name: "accuracy-vs-precision", options: accuracyFigure(records) }] };
  },
};

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f + 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main(accuracyVsPrecisionStudy);
