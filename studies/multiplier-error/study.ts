// pnpm study multiplier-error: SC multiplier error and BISC latency vs precision (see README.md).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { codeVersion, expandSpace, main, type StudyDefinition } from "@sccnn/dse";
import type { Scheme } from "@sccnn/sc-core";
import type { Distribution, ErrorInput, ErrorValue, LatencyInput } from "./src/evaluate.ts";
import { errorFigure, latencyFigure, type ErrorRecord, type LatencyRecord } from "./src/figures.ts";
import type { LatencyStats } from "./src/latency.ts";

export interface MultiplierErrorConfig {
  schemes: Scheme[];
  bits: number[];
  parallel: number[];
  distributions: Distribution[];
  zeroWeightCycles: 0 | 1;
  gaussianSamples: number;
  seed: number;
  gaussianScaling: "clip" | "max-abs";
  clipSigma: number;
}

const here = new URL(".", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;

export const multiplierErrorStudy: StudyDefinition<MultiplierErrorConfig> = {
  name: "multiplier-error",
  dir: here,
  schema: readJson("config.schema.json"),
  smokeConfig: readJson("config.smoke.json"),
  async run(ctx) {
    const c = ctx.config;
    const version = codeVersion([new URL("../../packages/sc-core/src", here), new URL("src", here)]);
    const evaluator = new URL("src/evaluate.ts", here);

    const errorPoints: ErrorInput[] = expandSpace({ scheme: c.schemes, bits: c.bits });
    const errors = await ctx.evaluate<ErrorInput, ErrorValue>({
      kind: "error",
      points: errorPoints,
      evaluator: { module: evaluator, name: "evaluateError" },
      codeVersion: version,
    });

    const latencyPoints: LatencyInput[] = expandSpace({
      distribution: c.distributions,
      bits: c.bits,
      parallel: c.parallel,
    }).map((p) => ({
      ...p,
      zeroWeightCycles: c.zeroWeightCycles,
      gaussian:
        p.distribution === "gaussian"
          ? { samples: c.gaussianSamples, seed: c.seed, clipSigma: c.clipSigma, scaling: c.gaussianScaling }
          : null,
    }));
    const latencies = await ctx.evaluate<LatencyInput, LatencyStats>({
      kind: "latency",
      points: latencyPoints,
      evaluator: { module: evaluator, name: "evaluateLatency" },
      codeVersion: version,
    });

    const errorRecords: ErrorRecord[] = errorPoints.map((p, i) => {
      const v = errors.values[i]!;
      return {
        measure: "error",
        scheme: p.scheme,
        bits: p.bits,
        products: v.products,
        meanErrLsb: v.meanErrLsb,
        meanAbsErrLsb: v.meanAbsErrLsb,
        rmsErrLsb: v.rmsErrLsb,
        maxAbsErrLsb: v.maxAbsErrLsb,
      };
    });
    const latencyRecords: LatencyRecord[] = latencyPoints.map((p, i) => {
      const v = latencies.values[i]!;
      return {
        measure: "latency",
        distribution: p.distribution,
        bits: p.bits,
        parallel: p.parallel,
        meanLatencyCycles: v.meanLatencyCycles,
        fullStreamCycles: v.fullStreamCycles,
        meanAbsWeightLsb: v.meanAbsWeightLsb,
        meanAbsWeightFraction: v.meanAbsWeightFraction,
        zeroWeightFraction: v.zeroWeightFraction,
      };
    });
    return {
      records: [...errorRecords, ...latencyRecords],
      figures: [
        { name: "error-vs-precision", options: errorFigure(errorRecords, c.schemes) },
        {
          name: "latency-vs-precision",
          options: latencyFigure(
            latencyRecords,
            c.distributions,
            c.gaussianScaling === "clip"
              ? `${c.clipSigma}σ mapped to 2^N − 1 and clipped`
              : `the largest |w| of ${c.gaussianSamples} draws mapped to 2^N − 1 (max-abs)`,
            c.zeroWeightCycles,
          ),
        },
      ],
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(multiplierErrorStudy);
