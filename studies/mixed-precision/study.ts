// pnpm study mixed-precision: accuracy vs operations per area over per-layer precision N; SC runs every
// layer at its own N on one array, searched by per-layer sensitivity then greedy descent (see README.md).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { costModelIds, loadCostRegistry, type CostRegistry, type LayerPrecision } from "@sccnn/cost";
import {
  codeVersion,
  ConfigError,
  formatResultsCsv,
  main,
  withRegistryIds,
  type StudyDefinition,
  type StudyRecord,
} from "@sccnn/dse";
import {
  accuracyFromProblem,
  checkAccuracySource,
  readAccuracySource,
  sourceCounts,
  type AccuracySource,
  type SourceSettings,
} from "@sccnn/study-accuracy-vs-precision/source";
import { getNetwork, networkDataset, networkPackageDirs, trainedNetworkIds, trainedWeightsHash } from "@sccnn/zoo";
import {
  bestArray,
  designWorkload,
  energyModelOf,
  networkWeights,
  type CostSettings,
  type CostedDesign,
  type NetworkWeights,
} from "./src/cost.ts";
import type { AccuracyInput, AccuracyValue, SplitName } from "./src/eval/evaluate.ts";
import { mixedPrecisionFigure } from "./src/figure.ts";
import { designRecord, headline, markFronts, type DesignRecord, type HeadlineRecord } from "./src/records.ts";
import { greedyPath, sensitivityDesigns } from "./src/search.ts";

export interface MixedPrecisionConfig extends CostSettings {
  networks: string[];
  bits: number[];
  validationImages: number;
  testLimit: number;
  calibrationImages: number;
  calibration: "max" | "mse";
  perChannel: boolean;
  accuracyBudgetPt: number;
  /** accuracy-vs-precision results.json whose post-training-quantised accuracies serve the uniform designs (null: evaluate all). */
  accuracyFrom: string | null;
}

const here = new URL(".", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;
const pkg = (p: string) => new URL(`../../packages/${p}`, here);
const r2 = (v: number) => Math.round(v * 100) / 100 + 0;

/** Why a network cannot run here, or null. */
function unavailable(network: string): string | null {
  try {
    networkDataset(getNetwork(network), "test", 1);
    networkWeights(network);
    return null;
  } catch (e) {
    return (e as Error).message.split("\n")[0]!;
  }
}

/** The accuracy-vs-precision settings a source must have run with: this study's images and calibration. */
const sourceSettings = (c: MixedPrecisionConfig): SourceSettings => ({
  testLimit: c.testLimit,
  validationLimit: c.validationImages,
  calibrationImages: c.calibrationImages,
  calibration: c.calibration,
  perChannel: c.perChannel,
});

/** Reads and checks the accuracyFrom source (throws naming file and field). */
function accuracySource(c: MixedPrecisionConfig, studyDir: string): AccuracySource | null {
  if (c.accuracyFrom === null) return null;
  const source = readAccuracySource(resolve(studyDir, c.accuracyFrom));
  checkAccuracySource(source, sourceSettings(c));
  return source;
}

/**
 * The source's value of a point when it measured the same evaluation: a uniform design (every
 * layer at one N for weights and activations) of sc-bisc or fixed is its post-training-quantised
 * point of that N (the same float checkpoint, calibration and images: a uniform design here and
 * its "ptq" point are one quantised network, checked equal on all 56 uniform evaluations of a full
 * run before reuse). float32 is never taken: it is evaluated as the cross-check.
 */
export function reusedValues(points: readonly AccuracyInput[], source: AccuracySource): (AccuracyValue | undefined)[] {
  const uniformBits = (p: AccuracyInput): number | null => {
    const n = p.layers?.[0]?.bitsW;
    return n !== undefined && p.layers!.every((l) => l.bitsW === n && l.bitsA === n) ? n : null;
  };
  const values: (AccuracyValue | undefined)[] = points.map(() => undefined);
  const uniform = points.flatMap((p, i) => {
    const bits = p.arithmetic === "sc-bisc" || p.arithmetic === "fixed" ? uniformBits(p) : null;
    return bits === null ? [] : [{ i, bits }];
  });
  const counts = sourceCounts(
    source,
    uniform.map(({ i, bits }) => ({
      network: points[i]!.network,
      arithmetic: points[i]!.arithmetic,
      bits,
      method: "ptq",
    })),
  );
  uniform.forEach(({ i }, j) => {
    const c = counts[j];
    if (!c) return;
    const p = points[i]!;
    const v =
      p.split === "test"
        ? { correct: c.correct, total: c.total }
        : { correct: c.validationCorrect, total: c.validationTotal };
    if (v.total === p.images) values[i] = v;
  });
  return values;
}

/** One network's search state: its weights, cost memo and layer names. */
class NetworkSearch {
  readonly names: string[];
  private readonly workloads = new Map<string, ReturnType<typeof designWorkload>[number]>();
  private readonly costed = new Map<string, CostedDesign>();
  constructor(
    readonly w: NetworkWeights,
    private readonly c: MixedPrecisionConfig,
    private readonly costs: CostRegistry,
    private readonly energy: ReturnType<typeof energyModelOf>,
  ) {
    this.names = w.stats.map((s) => s.name);
  }
  layers(bits: readonly number[]): LayerPrecision[] {
    return this.names.map((name, i) => ({ name, bitsW: bits[i]!, bitsA: bits[i]! }));
  }
  /** The best array of a per-layer N vector (workload layers memoised per (layer, N) so latency tables are reused). */
  cost(design: "sc" | "binary", bits: readonly number[]): CostedDesign {
    const key = `${design}|${bits.join(",")}`;
    let hit = this.costed.get(key);
    if (hit) return hit;
    const layers = this.layers(bits);
    const workload = layers.map((l, i) => {
      const k = `${i}|${l.bitsW}|${l.bitsA}`;
      let wl = this.workloads.get(k);
      if (!wl) {
        const one = layers.map((x, j) => (j === i ? x : { ...x, bitsW: l.bitsW, bitsA: l.bitsA }));
        wl = designWorkload(this.w, one, this.c.perChannel)[i]!;
        this.workloads.set(k, wl);
      }
      return wl;
    });
    hit = bestArray(
      this.w.network,
      design,
      design === "sc" ? "sc-bisc" : "fixed",
      layers,
      workload,
      this.c,
      this.costs,
      this.energy,
    );
    this.costed.set(key, hit);
    return hit;
  }
}

export const mixedPrecisionStudy: StudyDefinition<MixedPrecisionConfig> = {
  name: "mixed-precision",
  dir: here,
  schema: withRegistryIds(readJson("config.schema.json"), {
    trainedNetworks: trainedNetworkIds(),
    costModels: costModelIds(),
  }),
  smokeConfig: readJson("config.smoke.json"),
  check(c) {
    if (c.accuracyFrom === null) return;
    const problem = accuracyFromProblem(resolve(fileURLToPath(here), c.accuracyFrom), sourceSettings(c));
    if (problem) throw new ConfigError([problem]);
  },
  async run(ctx) {
    const c = ctx.config;
    const source = accuracySource(c, ctx.dir);
    const levels = [...c.bits].sort((a, b) => a - b);
    const start = levels[levels.length - 1]!;
    const skipped: { network: string; reason: string }[] = [];
    const costs = await loadCostRegistry({ technology: c.technology, models: c.costModels });
    const energy = energyModelOf(c.technology, c.energy);
    const searches: NetworkSearch[] = [];
    for (const network of c.networks) {
      const why = unavailable(network);
      if (why) {
        skipped.push({ network, reason: why });
        ctx.log(`mixed-precision: skipping ${network}: ${why}`);
      } else searches.push(new NetworkSearch(networkWeights(network), c, costs, energy));
    }
    const version = codeVersion([
      pkg("nn/src"),
      pkg("sc-core/src"),
      pkg("datasets/src"),
      pkg("cost/src"),
      new URL("src/eval", here),
    ]);
    const weightsOf = new Map(searches.map((s) => [s.w.network, trainedWeightsHash([s.w.network])]));
    // a network package's source is not in the evaluator's import graph: keyed per network
    const sourceOf = new Map(searches.map((s) => [s.w.network, codeVersion(networkPackageDirs([s.w.network]))]));
    const point = (
      network: string,
      arithmetic: AccuracyInput["arithmetic"],
      layers: LayerPrecision[] | null,
      split: SplitName,
    ): AccuracyInput => ({
      network,
      arithmetic,
      layers,
      split,
      images: split === "test" ? c.testLimit : c.validationImages,
      calibrationImages: c.calibrationImages,
      calibration: c.calibration,
      perChannel: c.perChannel,
      weightsSha256: weightsOf.get(network)!,
      networkSource: sourceOf.get(network)!,
    });
    const measure = async (label: string, points: AccuracyInput[]): Promise<AccuracyValue[]> => {
      const values = source ? reusedValues(points, source) : points.map(() => undefined);
      const todo = points.flatMap((_p, i) => (values[i] ? [] : [i]));
      if (source)
        ctx.log(
          `mixed-precision: ${label}: ${points.length - todo.length} of ${points.length} accuracies from ${source.path}`,
        );
      const evaluated = await ctx.evaluate<AccuracyInput, AccuracyValue>({
        kind: "accuracy",
        label,
        points: todo.map((i) => points[i]!),
        evaluator: { module: new URL("src/eval/evaluate.ts", here), name: "evaluateAccuracy" },
        codeVersion: version,
      });
      todo.forEach((i, j) => (values[i] = evaluated.values[j]!));
      return values as AccuracyValue[];
    };
    const pct = (v: AccuracyValue) => (v.correct / v.total) * 100;

    // batch 1: float32, the sensitivity scan, and every uniform design (SC and binary), on validation and test
    const uniform = (s: NetworkSearch, n: number) => s.layers(s.names.map(() => n));
    const batch1 = searches.map((s) => {
      const net = s.w.network;
      const sens = sensitivityDesigns(s.names.length, levels);
      const uniPoints = levels.flatMap((n) =>
        (["sc-bisc", "fixed"] as const).flatMap((a) => [
          point(net, a, uniform(s, n), "validation"),
          point(net, a, uniform(s, n), "test"),
        ]),
      );
      return {
        sens,
        points: [
          point(net, "float32", null, "validation"),
          point(net, "float32", null, "test"),
          ...sens.map((d) => point(net, "sc-bisc", s.layers(d.bits), "validation")),
          ...uniPoints,
        ],
      };
    });
    const v1 = await measure(
      "float, sensitivity, uniform N",
      batch1.flatMap((b) => b.points),
    );

    const records: StudyRecord[] = [];
    const designs: DesignRecord[] = [];
    const pathPlans: {
      s: NetworkSearch;
      path: ReturnType<typeof greedyPath>;
      floats: { val: number; test: number };
    }[] = [];
    let k = 0;
    searches.forEach((s, si) => {
      const b = batch1[si]!;
      const vals = v1.slice(k, (k += b.points.length));
      const floats = { val: pct(vals[0]!), test: pct(vals[1]!) };
      if (source) {
        // the cross-check that both studies ran the same weights and images
        const [theirs] = sourceCounts(source, [{ network: s.w.network, method: "float" }]);
        const mine = `${vals[0]!.correct}/${vals[0]!.total} validation, ${vals[1]!.correct}/${vals[1]!.total} test`;
        const got = theirs
          ? `${theirs.validationCorrect}/${theirs.validationTotal} validation, ${theirs.correct}/${theirs.total} test`
          : "missing";
        if (got !== mine)
          throw new Error(
            `accuracyFrom: ${source.path}: float32 accuracy of ${s.w.network} is ${got}, this study measured ${mine}: not the same weights or images`,
          );
      }
      const sensVals = vals.slice(2, 2 + b.sens.length);
      const uniVals = vals.slice(2 + b.sens.length);
      // uniform designs: (N, arithmetic) x (validation, test)
      levels.forEach((n, li) => {
        (["sc", "binary"] as const).forEach((design, ai) => {
          const base = (li * 2 + ai) * 2;
          designs.push(
            designRecord(
              "uniform",
              s.cost(
                design,
                s.names.map(() => n),
              ),
              { val: uniVals[base]!, test: uniVals[base + 1]! },
              floats,
              null,
            ),
          );
        });
      });
      const startAcc = pct(uniVals[(levels.length - 1) * 4]!); // SC at the start N, validation
      const loss = new Map<string, number>();
      b.sens.forEach((d, i) => {
        const acc = pct(sensVals[i]!);
        loss.set(`${d.layer}|${d.bits[d.layer]}`, startAcc - acc);
        records.push({
          kind: "sensitivity",
          network: s.w.network,
          layer: s.names[d.layer]!,
          bits: d.bits[d.layer]!,
          startBits: start,
          valAccuracy: r2(acc),
          valLossPt: r2(startAcc - acc),
        });
      });
      const path = greedyPath({
        layerCount: s.names.length,
        levels,
        lossPt: (l, n) => loss.get(`${l}|${n}`)!,
        opsPerArea: (bits) => s.cost("sc", bits).point.gopsPerMm2,
      });
      pathPlans.push({ s, path, floats });
    });

    // batch 2: every design of the greedy paths, on validation and test
    const batch2 = pathPlans.flatMap(({ s, path }) =>
      path.flatMap((p) => [
        point(s.w.network, "sc-bisc", s.layers(p.bits), "validation"),
        point(s.w.network, "sc-bisc", s.layers(p.bits), "test"),
      ]),
    );
    const v2 = await measure("greedy path", batch2);
    k = 0;
    for (const { s, path, floats } of pathPlans) {
      path.forEach((p, step) => {
        const m = { val: v2[k++]!, test: v2[k++]! };
        designs.push(
          designRecord("mixed", s.cost("sc", p.bits), m, floats, {
            step,
            lowered: p.lowered === null ? null : s.names[p.lowered]!,
            predictedValLossPt: p.predictedLossPt,
          }),
        );
      });
    }

    let marked = markFronts(designs);
    const headlines: HeadlineRecord[] = pathPlans.map(({ s, floats }) =>
      headline(s.w.network, marked, c.accuracyBudgetPt, floats),
    );
    const chosen = new Set(
      headlines.flatMap((h) => [
        `${h.network}|mixed|${h.mixedScPoint}`,
        `${h.network}|uniform|${h.uniformScPoint}`,
        `${h.network}|uniform|${h.binaryPoint}`,
      ]),
    );
    const label = (r: DesignRecord) =>
      `${r.network}|${r.family}|${r.design} N=${r.precision} M=${r.lanesM} P=${r.unitsP}${r.parallelB === null ? "" : ` b=${r.parallelB}`}`;
    marked = marked.map((r) => ({ ...r, selected: chosen.has(label(r)) }));
    for (const h of headlines)
      ctx.log(
        h.status === "ok"
          ? `mixed-precision: ${h.network}: chosen on validation within ${h.accuracyBudgetPt} pt: per-layer ${h.mixedScPoint} ${h.mixedScGopsPerMm2} GOPS/mm² (test ${h.mixedScTestAccuracy} %) vs uniform ${h.uniformScPoint} ${h.uniformScGopsPerMm2} (test ${h.uniformScTestAccuracy} %): ${((h.mixedVsUniformSc ?? 0) * 100).toFixed(1)} %`
          : `mixed-precision: ${h.network}: ${h.status}`,
      );
    records.push(...marked, ...headlines);
    const testImages = marked[0]?.testTotal ?? c.testLimit;
    return {
      records,
      figures: marked.length
        ? [
            {
              name: "mixed-precision",
              options: mixedPrecisionFigure(marked, {
                budgetPt: c.accuracyBudgetPt,
                testImages,
                validationImages: c.validationImages,
                technology: c.technology,
                clockHz: c.clockHz,
                headlines,
              }),
            },
          ]
        : [],
      files: [
        { path: "front.csv", data: formatResultsCsv(marked.filter((r) => r.onFront)) },
        { path: "headline.csv", data: formatResultsCsv(headlines) },
        {
          path: "skipped.json",
          data: `${JSON.stringify(skipped, null, 2)}\n`,
        },
      ],
      problems: searches.length
        ? undefined
        : [`no network could be evaluated (${skipped.map((s) => `${s.network}: ${s.reason}`).join("; ")})`],
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(mixedPrecisionStudy);
