// pnpm study accuracy-vs-precision: validation and test accuracy vs bit width N of float32, fixed
// (post-training quantised and quantisation-aware trained), BISC (post-training quantised, with bias
// compensation, SC-aware trained) and LFSR SC, with binomial 95 % intervals (see README.md).
import { readFileSync } from "node:fs";
import { codeVersion, main, withRegistryIds, type StudyDefinition } from "@sccnn/dse";
import { binomialInterval95, type Arithmetic } from "@sccnn/nn";
import {
  arithmeticCheckpointPath,
  arithmeticWeightsHash,
  networkPackageDirs,
  sha256File,
  trainedNetworkIds,
} from "@sccnn/zoo";
import type { AccuracyInput, AccuracyValue, SameAsPtq } from "./src/evaluate.ts";
import { accuracyFigure, type AccuracyRecord } from "./src/figures.ts";
import { accuracyTables } from "./src/table.ts";

export interface AccuracyVsPrecisionConfig {
  networks: string[];
  bits: number[];
  arithmetics: Arithmetic[];
  compensatedArithmetics: Arithmetic[];
  trainedArithmetics: Arithmetic[];
  trainedBits: number[];
  seeds: number[];
  testLimit: number;
  validationLimit: number;
  calibrationImages: number;
  calibration: "max" | "percentile" | "mse";
  percentile: number;
  perChannel: boolean;
  lfsrSeed: number;
}

const here = new URL(".", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;

/**
 * Every point of the design space, float32 reference first for each network; trained points for
 * every seed in `seeds` (seed 1 must exist; further seeds are taken where committed).
 */
export function accuracyPoints(
  c: AccuracyVsPrecisionConfig,
  hasCheckpoint: (p: AccuracyInput) => boolean,
): AccuracyInput[] {
  const common = {
    testLimit: c.testLimit,
    validationLimit: c.validationLimit,
    calibrationImages: c.calibrationImages,
    calibration: c.calibration,
    percentile: c.percentile,
    perChannel: c.perChannel,
    lfsrSeed: c.lfsrSeed,
  };
  const points: AccuracyInput[] = [];
  for (const network of c.networks) {
    points.push({ ...common, network, arithmetic: "float32", bits: null, method: "float", seed: null });
    for (const bits of c.bits) {
      for (const arithmetic of c.arithmetics)
        points.push({ ...common, network, arithmetic, bits, method: "ptq", seed: null });
      for (const arithmetic of c.compensatedArithmetics)
        points.push({ ...common, network, arithmetic, bits, method: "ptq+comp", seed: null });
      if (!c.trainedBits.includes(bits)) continue;
      for (const arithmetic of c.trainedArithmetics)
        for (const seed of c.seeds) {
          const p: AccuracyInput = {
            ...common,
            network,
            arithmetic,
            bits,
            method: "trained",
            seed,
            ptqTwin: c.arithmetics.includes(arithmetic),
          };
          if (seed === 1 || hasCheckpoint(p)) points.push(p);
        }
    }
  }
  return points;
}

export const accuracyVsPrecisionStudy: StudyDefinition<AccuracyVsPrecisionConfig> = {
  name: "accuracy-vs-precision",
  dir: here,
  schema: withRegistryIds(readJson("config.schema.json"), { trainedNetworks: trainedNetworkIds() }),
  smokeConfig: readJson("config.smoke.json"),
  async run(ctx) {
    const c = ctx.config;
    const { loadArithmeticCheckpoint, floatWeightsSource, floatWeightsStatus } = await import("@sccnn/zoo");
    const version = codeVersion([
      new URL("../../packages/nn/src", here),
      new URL("../../packages/sc-core/src", here),
      new URL("../../packages/datasets/src", here),
      new URL("src", here),
    ]);
    const points = accuracyPoints(
      c,
      (p) => loadArithmeticCheckpoint(p.network, p.arithmetic, p.bits ?? 0, p.seed ?? 1) !== null,
    );
    const values: AccuracyValue[] = new Array(points.length);
    for (const network of c.networks) {
      const idx = points.flatMap((p, i) => (p.network === network ? [i] : []));
      const res = await ctx.evaluate<AccuracyInput, AccuracyValue | SameAsPtq>({
        kind: "accuracy-val-test",
        label: `accuracy ${network}`,
        points: idx.map((i) => points[i]!),
        evaluator: { module: new URL("src/evaluate.ts", here), name: "evaluateAccuracy" },
        codeVersion: version,
        weightsHash: `${arithmeticWeightsHash([network])},${codeVersion(networkPackageDirs([network]))}`,
        costOf: pointCost,
      });
      // a trained checkpoint equal to its post-training-quantised twin takes the twin's counts
      const twinKey = (p: AccuracyInput) => `${p.arithmetic}|${p.bits}`;
      const twinOf = new Map(idx.filter((i) => points[i]!.method === "ptq").map((i) => [twinKey(points[i]!), i]));
      idx.forEach((i, j) => {
        const v = res.values[j]!;
        if (!("sameAsPtq" in v)) values[i] = v;
      });
      idx.forEach((i, j) => {
        const v = res.values[j]!;
        if (!("sameAsPtq" in v)) return;
        const t = twinOf.get(twinKey(points[i]!));
        if (t === undefined)
          throw new Error(`${network} ${twinKey(points[i]!)}: a trained point names a ptq twin the run lacks`);
        const twin = values[t]!;
        values[i] = { ...twin, trainedPeriod: v.trainedPeriod, evalSeconds: v.evalSeconds };
      });
    }
    const floatOf = new Map<string, AccuracyValue>();
    points.forEach((p, i) => {
      if (p.method === "float") floatOf.set(p.network, values[i]!);
    });
    // Which float weights each point descends from: a trained checkpoint names its own (it may
    // predate a float retrain: "superseded"), every other point is today's float checkpoint.
    const floatNow = new Map(c.networks.map((n) => [n, floatWeightsSource(n).trainedOn]));
    const ancestry = (p: AccuracyInput) => {
      if (p.method !== "trained") return { status: "current", trainedOn: floatNow.get(p.network)! };
      const ck = loadArithmeticCheckpoint(p.network, p.arithmetic, p.bits ?? 0, p.seed ?? 1)!;
      return floatWeightsStatus(ck.training);
    };
    const records: AccuracyRecord[] = points.map((p, i) => {
      const v = values[i]!;
      const a = ancestry(p);
      const f = floatOf.get(p.network)!;
      const test = binomialInterval95(v.testCorrect, v.testTotal);
      const val = binomialInterval95(v.validationCorrect, v.validationTotal);
      const acc = v.testCorrect / v.testTotal;
      const vacc = v.validationCorrect / v.validationTotal;
      return {
        network: p.network,
        arithmetic: p.arithmetic,
        bitsW: p.bits,
        bitsA: p.bits,
        method: p.method,
        fineTuned: p.method === "trained",
        seed: p.seed,
        trainedPeriod: v.trainedPeriod,
        weightsSha256:
          p.method === "trained" && p.bits !== null
            ? sha256File(arithmeticCheckpointPath(p.network, p.arithmetic, p.bits, p.seed ?? 1))
            : null,
        floatWeights: a.status,
        floatTrainedOn: a.trainedOn,
        accuracy: pct(acc),
        testLo: pct(test.lo),
        testHi: pct(test.hi),
        lossVsFloatPt: pt((f.testCorrect / f.testTotal - acc) * 100),
        correct: v.testCorrect,
        total: v.testTotal,
        validationAccuracy: pct(vacc),
        validationLo: pct(val.lo),
        validationHi: pct(val.hi),
        validationLossVsFloatPt: pt((f.validationCorrect / f.validationTotal - vacc) * 100),
        validationCorrect: v.validationCorrect,
        validationTotal: v.validationTotal,
      };
    });
    const tables = accuracyTables(records, c);
    return {
      records,
      figures: [{ name: "accuracy-vs-precision", options: accuracyFigure(records) }],
      files: [
        { path: "table.md", data: tables.markdown },
        { path: "table.csv", data: tables.csv },
      ],
    };
  },
};

/**
 * A point's expected evaluation time relative to a BISC / fixed point of the same network (both
 * networks, measured in the run of ee57494): float32 runs the float reference path (~4x), LFSR SC
 * at N ≥ 6 the stacked-plane table kernel (~2x at N = 6, doubling per bit). Only the order of work.
 */
export function pointCost(p: AccuracyInput): number {
  if (p.arithmetic === "float32") return 4;
  if (p.arithmetic === "sc-lfsr" && p.bits !== null) return Math.max(1, 2 ** (p.bits - 5));
  return 1;
}

const pct = (v: number) => Math.round(v * 1e4) / 100 + 0;
const pt = (v: number) => Math.round(v * 100) / 100 + 0;

if (import.meta.url === `file://${process.argv[1]}`) await main(accuracyVsPrecisionStudy);
