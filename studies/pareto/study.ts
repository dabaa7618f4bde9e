// pnpm study pareto: accuracy vs operations per area of SC-CNN (BISC) and binary arrays, with Pareto fronts (see README.md).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { codeVersion, formatResultsCsv, main, withRegistryIds, type StudyDefinition } from "@sccnn/dse";
import { costModelDirs, costModelIds } from "@sccnn/cost";
import { energyTablePath, tablePath } from "@sccnn/cost-yosys";
import { existsSync } from "node:fs";
import { configuredBaselines, type ParetoConfig } from "./src/config.ts";
import { planPoints, type PlannedNetwork } from "./src/plan.ts";
import type { AccuracyInput, AccuracyValue } from "./src/eval/accuracy.ts";
import type { CostInput, CostPoint } from "./src/eval/cost.ts";
import { networkIds, networkPackageDirs, sha256File } from "@sccnn/zoo";
import { readAccuracySource } from "@sccnn/study-accuracy-vs-precision/source";
import { reuseAccuracies, sourceFloatAccuracy } from "./src/accuracy-from.ts";
import { checkParetoConfig } from "./src/check.ts";
import { energyFigure, paretoFigure } from "./src/figure.ts";
import { mixedHeadlineColumns, readMixedPrecision, withMixedFront } from "./src/mixed-front.ts";
import { drawnNote, FIGURE_POINTS, figureRecords, FrontKeeper } from "./src/stream.ts";
import {
  frontRecords,
  headline,
  networkRecords,
  skippedHeadline,
  type HeadlineRecord,
  type ParetoRecord,
  type Variant,
} from "./src/records.ts";

const here = new URL(".", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;

export const paretoStudy: StudyDefinition<ParetoConfig> = {
  name: "pareto",
  dir: here,
  schema: withRegistryIds(readJson("config.schema.json"), { networks: networkIds(), costModels: costModelIds() }),
  smokeConfig: readJson("config.smoke.json"),
  check: (c) => checkParetoConfig(c, fileURLToPath(here)),
  async run(ctx) {
    const c = ctx.config;
    const energyTable = energyTablePath(c.technology);
    const energySha = c.energy && existsSync(energyTable) ? sha256File(energyTable) : null;
    if (c.energy && !energySha)
      ctx.log(
        `pareto: no energy table for ${c.technology} (${energyTable}); energy fields are null (pnpm cost:energy)`,
      );
    const plan = planPoints(c, sha256File(tablePath(c.technology)), undefined, energySha);
    for (const s of plan.skipped) ctx.log(`pareto: skipping ${s.network}: ${s.reason}`);
    const available = plan.networks.filter((n): n is PlannedNetwork => n !== null);

    const accuracyPoints = available.flatMap((n) => n.accuracy);
    const source = c.accuracyFrom === null ? null : readAccuracySource(resolve(ctx.dir, c.accuracyFrom));
    const reused = source ? reuseAccuracies(accuracyPoints, source) : accuracyPoints.map(() => undefined);
    // a network package's source is not in the evaluators' import graphs: keyed per network, so adding
    // or editing one network leaves the others' points cached
    const sourceOf = (network: string) => codeVersion(networkPackageDirs([network]));
    const toEvaluate = accuracyPoints.flatMap((_p, i) => (reused[i] ? [] : [i]));
    if (source)
      ctx.log(
        `pareto: reusing ${accuracyPoints.length - toEvaluate.length} of ${accuracyPoints.length} accuracies from ${source.path}`,
      );
    const evaluated = await ctx.evaluate<AccuracyInput, AccuracyValue>({
      kind: "accuracy",
      label: "accuracy",
      points: toEvaluate.map((i) => ({ ...accuracyPoints[i]!, networkSource: sourceOf(accuracyPoints[i]!.network) })),
      evaluator: { module: new URL("src/eval/accuracy.ts", here), name: "evaluateAccuracy" },
    });
    const accValuesAll = reused.slice();
    toEvaluate.forEach((i, j) => (accValuesAll[i] = evaluated.values[j]!));
    const acc = { values: accValuesAll as AccuracyValue[] };
    if (source) {
      let k = 0;
      for (const n of available) {
        const mine = acc.values[k + n.floatIndex]!;
        const theirs = sourceFloatAccuracy(source, n.network);
        k += n.accuracy.length;
        if (!theirs || theirs.correct !== mine.correct || theirs.total !== mine.total) {
          throw new Error(
            `accuracyFrom: ${source.path}: float32 accuracy of ${n.network} is ${theirs ? `${theirs.correct}/${theirs.total}` : "missing"}, this study measured ${mine.correct}/${mine.total}: not the same weights or test set`,
          );
        }
      }
    }
    // the code each evaluator runs is hashed by dse (its import graph); the cost-model packages are
    // imported by id at run time, so their folders are added here; tables and weights are in the inputs
    const costVersion = codeVersion(costModelDirs(c.costModels));

    const headlines: HeadlineRecord[] = [];
    const floats = new Map<string, { accuracy: number; validationAccuracy: number }>();
    let testImages = c.testLimit;
    {
      let ai = 0;
      for (const n of available) {
        const f = acc.values[ai + n.floatIndex]!;
        ai += n.accuracy.length;
        floats.set(n.network, { accuracy: f.accuracy, validationAccuracy: f.validationAccuracy });
        testImages = f.total;
      }
    }
    // Streamed, so memory follows one slice of the grid, not the grid: costs are evaluated a few P
    // (units) values at a time (unitSlices; every network, N and weights, all M and b), each slice's records go to
    // a spool on disk as they are made and past a FrontKeeper (the fronts so far); a second pass
    // over the spool sets the front flags. Only the fronts and (below FIGURE_POINTS) the figure's
    // points are held.
    const unflagged = ctx.recordSpool();
    const refusedConventional = new Map<string, string>();
    const keeper = new FrontKeeper();
    const slices = unitSlices(c);
    for (const [k, units] of slices.entries()) {
      const cost = await ctx.evaluate<CostInput, CostPoint[]>({
        kind: "cost",
        label: slices.length > 1 ? `cost P=${units[0]}…${units.at(-1)} (${k + 1}/${slices.length})` : "cost",
        points: available.flatMap((n) => n.cost.map((p) => ({ ...p, units, networkSource: sourceOf(p.network) }))),
        evaluator: { module: new URL("src/eval/cost.ts", here), name: "evaluateCost" },
        codeVersion: costVersion,
      });
      let ai = 0;
      let ci = 0;
      for (const n of available) {
        const accValues = acc.values.slice(ai, (ai += n.accuracy.length));
        const costValues = cost.values.slice(ci, (ci += n.cost.length));
        const variants: Variant[] = n.variants.map((v) => ({
          design: v.design,
          baseline: v.baseline,
          arithmetic: v.arithmetic,
          bits: v.bits,
          fineTuned: v.fineTuned,
          accuracy: accValues[v.accuracyIndex]!.accuracy,
          validationAccuracy: accValues[v.accuracyIndex]!.validationAccuracy,
          costs: costValues[v.costIndex]!,
        }));
        for (const p of costValues.flat())
          for (const x of p.conventionalRefused) refusedConventional.set(`${n.network} (${x.sng})`, x.reason);
        for (const r of networkRecords(n.network, floats.get(n.network)!, variants)) {
          keeper.add(r);
          unflagged.push(r);
        }
      }
    }
    for (const [what, reason] of refusedConventional)
      ctx.log(`pareto: conventional SC array of ${what} left out (no cost model prices it): ${reason}`);
    const records = ctx.recordSpool();
    let number = 0;
    for (const r of unflagged.records()) records.push(keeper.flagged(r as ParetoRecord, number++));
    unflagged.discard();
    const candidates = keeper.candidates();
    const drawn = figureRecords(records.records() as Iterable<ParetoRecord>, keeper, FIGURE_POINTS);
    for (const n of available)
      for (const s of c.scenarios)
        headlines.push(
          ...headline(
            n.network,
            s,
            candidates,
            c.accuracyBudgetPt,
            floats.get(n.network)!.accuracy,
            configuredBaselines(c),
          ),
        );
    for (const s of plan.skipped) headlines.push(skippedHeadline(s.network, s.reason, c.accuracyBudgetPt));
    const mixed = c.mixedPrecisionFrom ? readMixedPrecision(resolve(ctx.dir, c.mixedPrecisionFrom), c) : null;
    const withMixed = mixed ? headlines.map((h) => ({ ...h, ...mixedHeadlineColumns(h, mixed) })) : [];
    const headlineRows = mixed ? withMixed : headlines;
    // the per-layer SC columns are the same on every baseline's row of a (network, scenario): logged once
    const loggedMixed = new Set<string>();
    for (const h of withMixed)
      if (h.mixedScPoint && !loggedMixed.has(`${h.network}/${h.scenario}`)) {
        loggedMixed.add(`${h.network}/${h.scenario}`);
        ctx.log(
          `pareto: ${h.network} ${h.scenario}: per-layer SC ${h.mixedScGopsPerMm2} GOPS/mm² (${h.mixedScPoint}, ${h.mixedScAccuracy} %): ${((h.mixedVsUniformSc ?? 0) * 100).toFixed(1)} % vs the best uniform-N SC point`,
        );
      }
    const figureContext = {
      budgetPt: c.accuracyBudgetPt,
      technology: c.technology,
      clockHz: c.clockHz,
      testImages,
      skipped: plan.skipped,
      headlines,
    };
    for (const h of headlines) {
      const vs = h.baseline === "strongest" ? `strongest binary (${h.binaryBaseline ?? "none"})` : h.baseline;
      if (h.energyRatio !== null)
        ctx.log(
          `pareto: ${h.network} ${h.scenario} vs ${vs}: within ${h.accuracyBudgetPt} pt least energy per inference SC ${h.scEnergyPj} pJ (${h.scEnergyPoint}) vs binary ${h.binaryEnergyPj} pJ (${h.binaryEnergyPoint}): SC ${h.energyRatio}x`,
        );
      ctx.log(
        h.status === "ok"
          ? `pareto: ${h.network} ${h.scenario} vs ${vs}: within ${h.accuracyBudgetPt} pt SC ${h.scGopsPerMm2} GOPS/mm² (${h.scPoint}, ${h.scAccuracy} %) vs binary ${h.binaryGopsPerMm2} (${h.binaryPoint}, ${h.binaryAccuracy} %): ${((h.improvement ?? 0) * 100).toFixed(1)} %`
          : `pareto: ${h.network} ${h.scenario} vs ${vs}: ${h.status}`,
      );
    }
    return {
      records,
      figures: drawn.records.length
        ? [
            {
              name: "pareto",
              options: drawnNote(
                withMixedFront(
                  paretoFigure(drawn.records, figureContext),
                  mixed ?? [],
                  new Map([...floats].map(([k, v]) => [k, v.accuracy])),
                ),
                drawn,
              ),
            },
            ...(drawn.records.some((r) => r.energyPerInferencePj !== null)
              ? [
                  {
                    name: "pareto-energy",
                    options: drawnNote(energyFigure(drawn.records, { ...figureContext, memory: c.memory }), drawn),
                  },
                ]
              : []),
          ]
        : [],
      files: [
        { path: "front.csv", data: formatResultsCsv(frontRecords(candidates)) },
        { path: "front-baselines.csv", data: formatResultsCsv(frontRecords(candidates, true)) },
        { path: "headline.csv", data: formatResultsCsv(headlineRows) },
      ],
      problems: available.length
        ? undefined
        : [`no network could be evaluated (${plan.skipped.map((s) => `${s.network}: ${s.reason}`).join("; ")})`],
    };
  },
};

/** Cost design points per (network, N, weights) in one slice of the sweep, at most (unless one P value alone has more). */
const SLICE_POINTS = 20_000;

/**
 * The units (P) values in slices of at most SLICE_POINTS design points per cost evaluation; a grid
 * that fits (the default config) is one slice, evaluated and ordered as one.
 */
export function unitSlices(c: Pick<ParetoConfig, "units" | "lanesPerUnit" | "parallel" | "scenarios">): number[][] {
  const perUnit = c.lanesPerUnit.length * c.parallel.length * c.scenarios.length;
  const size = Math.max(1, Math.floor(SLICE_POINTS / perUnit));
  const slices: number[][] = [];
  for (let i = 0; i < c.units.length; i += size) slices.push(c.units.slice(i, i + size));
  return slices;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(paretoStudy);
