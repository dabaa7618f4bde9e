// pnpm study fault-tolerance: CNN accuracy vs transient bit-flip rate per datapath site, SC-CNN
// (BISC) vs binary fixed point, and the rate at which each loses 1 point (see README.md).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { codeVersion, main, type StudyDefinition, type StudyRecord } from "@sccnn/dse";
import type { StuckSite } from "@sccnn/sc-core";
import type { Design, FaultInput, FaultValue } from "./src/evaluator/evaluate.ts";
import type { StudySite } from "./src/evaluator/faulty-backend.ts";
import { accuracyVsFaultRateFigure, type BandRow } from "./src/figures.ts";
import { trainedWeightsHash } from "@sccnn/zoo";
import { SITE_GROUPS, groupOf } from "./src/sites.ts";
import { bandByRate, rateAtLoss, type ThresholdRate } from "./src/threshold.ts";

export interface FaultToleranceConfig {
  networks: string[];
  bits: number[];
  scSites: StudySite[];
  binarySites: StudySite[];
  faultRates: number[];
  seeds: number[];
  stopLossPt: number;
  stuckSites: StuckSite[];
  stuckFractions: number[];
  testLimit: number;
  calibrationImages: number;
  calibration: "max" | "mse";
  perChannel: boolean;
}

const here = new URL(".", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;

export const DESIGN_LABEL: Record<Design, string> = { "sc-bisc": "SC-CNN (BISC)", fixed: "binary (fixed point)" };

/** One curve: a (network, N, design, site) series swept over the fault rates. */
export interface Series {
  network: string;
  bits: number;
  arithmetic: Design;
  site: StudySite;
}

export function seriesOf(c: FaultToleranceConfig): Series[] {
  const out: Series[] = [];
  for (const network of c.networks) {
    for (const bits of c.bits) {
      for (const site of c.scSites) out.push({ network, bits, arithmetic: "sc-bisc", site });
      for (const site of c.binarySites) out.push({ network, bits, arithmetic: "fixed", site });
    }
  }
  return out;
}

function inputOf(
  c: FaultToleranceConfig,
  s: Omit<Series, "site"> & { site: StudySite | null },
  faultRate: number,
  seed: number,
): FaultInput {
  return {
    network: s.network,
    arithmetic: s.arithmetic,
    bits: s.bits,
    site: s.site,
    faultRate,
    seed,
    testLimit: c.testLimit,
    calibrationImages: c.calibrationImages,
    calibration: c.calibration,
    perChannel: c.perChannel,
  };
}

/**
 * What SC / binary is when a side is censored: an SC rate censored "above" (never lost 1 pt) is a
 * lower bound of its true rate, "below" an upper bound; the other way round for the divisor.
 */
export function ratioKind(
  sc: ThresholdRate,
  bin: ThresholdRate,
): "interpolated" | "lower bound" | "upper bound" | "undetermined" {
  if (sc.censored === null && bin.censored === null) return "interpolated";
  const scLow = sc.censored !== "below"; // SC's rate ≥ the value
  const binHigh = bin.censored !== "above"; // binary's rate ≤ the value
  const scHigh = sc.censored !== "above";
  const binLow = bin.censored !== "below";
  if (scLow && binHigh) return "lower bound";
  if (scHigh && binLow) return "upper bound";
  return "undetermined";
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits + 0;
const sig = (v: number) => Number(v.toPrecision(3));

export const faultToleranceStudy: StudyDefinition<FaultToleranceConfig> = {
  name: "fault-tolerance",
  dir: here,
  schema: readJson("config.schema.json"),
  smokeConfig: readJson("config.smoke.json"),
  async run(ctx) {
    const c = ctx.config;
    const rates = [...c.faultRates].sort((a, b) => a - b);
    const version = codeVersion([
      new URL("../../packages/nn/src", here),
      new URL("../../packages/sc-core/src", here),
      new URL("../../packages/datasets/src", here),
      new URL("../../packages/zoo/src", here),
      new URL("src/evaluator", here),
    ]);
    const evaluate = async (label: string, inputs: FaultInput[]): Promise<FaultValue[]> =>
      (
        await ctx.evaluate<FaultInput, FaultValue>({
          kind: "accuracy",
          label,
          points: inputs,
          evaluator: { module: new URL("src/evaluator/evaluate.ts", here), name: "evaluateFaulty" },
          codeVersion: version,
          weightsHash: trainedWeightsHash(c.networks),
        })
      ).values;

    // fault-free baselines, one per (network, N, design)
    const baseKeys = c.networks.flatMap((network) =>
      c.bits.flatMap((bits) => (["sc-bisc", "fixed"] as const).map((arithmetic) => ({ network, bits, arithmetic }))),
    );
    const baseValues = await evaluate(
      "fault-free",
      baseKeys.map((b) => inputOf(c, { ...b, site: null }, 0, 0)),
    );
    const baseline = new Map(
      baseKeys.map((b, i) => [`${b.network}/${b.bits}/${b.arithmetic}`, baseValues[i]!.accuracy * 100]),
    );
    const baselineOf = (s: Omit<Series, "site">) => baseline.get(`${s.network}/${s.bits}/${s.arithmetic}`)!;

    // rate by rate, every seed of every live series; a series stops once its mean loses stopLossPt
    const series = seriesOf(c);
    const alive = new Set(series.map((_, i) => i));
    const measured: { s: Series; faultRate: number; seed: number; v: FaultValue }[] = [];
    for (const faultRate of rates) {
      const live = series.map((s, i) => ({ s, i })).filter(({ i }) => alive.has(i));
      if (live.length === 0) break;
      const jobs = live.flatMap(({ s, i }) => c.seeds.map((seed) => ({ s, i, seed })));
      const values = await evaluate(
        `p = ${faultRate}`,
        jobs.map((j) => inputOf(c, j.s, faultRate, j.seed)),
      );
      jobs.forEach((j, k) => measured.push({ s: j.s, faultRate, seed: j.seed, v: values[k]! }));
      for (const { s, i } of live) {
        const accs = jobs.flatMap((j, k) => (j.i === i ? [values[k]!.accuracy * 100] : []));
        const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
        if (baselineOf(s) - mean >= c.stopLossPt) alive.delete(i);
      }
    }

    const records: StudyRecord[] = [];
    baseKeys.forEach((b, i) => {
      const v = baseValues[i]!;
      records.push({
        kind: "accuracy",
        network: b.network,
        bits: b.bits,
        arithmetic: b.arithmetic,
        design: DESIGN_LABEL[b.arithmetic],
        site: "none",
        group: "none",
        faultRate: 0,
        seed: null,
        accuracy: round(v.accuracy * 100, 2),
        lossPt: 0,
        correct: v.correct,
        total: v.total,
      });
    });
    for (const m of measured) {
      const acc = m.v.accuracy * 100;
      records.push({
        kind: "accuracy",
        network: m.s.network,
        bits: m.s.bits,
        arithmetic: m.s.arithmetic,
        design: DESIGN_LABEL[m.s.arithmetic],
        site: m.s.site,
        group: groupOf(m.s.site),
        faultRate: m.faultRate,
        seed: m.seed,
        accuracy: round(acc, 2),
        lossPt: round(baselineOf(m.s) - acc, 2),
        correct: m.v.correct,
        total: m.v.total,
      });
    }

    // p@1pt per series, then SC / binary per site group
    const bands: BandRow[] = [];
    const threshold = new Map<string, ThresholdRate>();
    for (const s of series) {
      const rows = measured
        .filter((m) => m.s === s)
        .map((m) => ({ faultRate: m.faultRate, accuracyPct: m.v.accuracy * 100 }));
      if (rows.length === 0) continue;
      const band = bandByRate(rows);
      for (const b of band)
        bands.push({
          network: s.network,
          bits: s.bits,
          design: DESIGN_LABEL[s.arithmetic],
          group: groupOf(s.site),
          faultRate: b.faultRate,
          meanPct: round(b.meanPct, 3),
          minPct: round(b.minPct, 2),
          maxPct: round(b.maxPct, 2),
        });
      threshold.set(
        `${s.network}/${s.bits}/${s.arithmetic}/${s.site}`,
        rateAtLoss(
          band.map((b) => ({ faultRate: b.faultRate, accuracyPct: b.meanPct })),
          baselineOf(s),
          1,
        ),
      );
    }
    const summaries: StudyRecord[] = [];
    for (const network of c.networks) {
      for (const bits of c.bits) {
        const get = (arithmetic: Design, site: StudySite | null) =>
          site === null ? undefined : threshold.get(`${network}/${bits}/${arithmetic}/${site}`);
        const row = (
          group: string,
          scSite: string | null,
          binarySite: string | null,
          sc: ThresholdRate | undefined,
          bin: ThresholdRate | undefined,
        ) => {
          if (!sc && !bin) return;
          const kind = sc && bin ? ratioKind(sc, bin) : null;
          const ratio = sc && bin && kind !== "undetermined" ? sc.faultRate / bin.faultRate : null;
          summaries.push({
            kind: "summary",
            network,
            bits,
            site: `${group}, N=${bits}`,
            group,
            scSite,
            binarySite,
            p1ptSc: sc ? sig(sc.faultRate) : null,
            scCensored: sc?.censored ?? null,
            p1ptBinary: bin ? sig(bin.faultRate) : null,
            binaryCensored: bin?.censored ?? null,
            faultToleranceRatio: ratio === null ? null : sig(ratio),
            ratioKind: kind,
          });
        };
        for (const g of SITE_GROUPS) {
          const scSite = g.sc !== null && c.scSites.includes(g.sc) ? g.sc : null;
          const binSite = g.binary !== null && c.binarySites.includes(g.binary) ? g.binary : null;
          row(g.group, scSite, binSite, get("sc-bisc", scSite), get("fixed", binSite));
        }
        const weakest = (arithmetic: Design, sites: StudySite[]) => {
          let best: { site: StudySite; t: ThresholdRate } | null = null;
          for (const site of sites.filter((x) => x !== "memory")) {
            const t = get(arithmetic, site);
            if (t && (!best || t.faultRate < best.t.faultRate)) best = { site, t };
          }
          return best;
        };
        const ws = weakest("sc-bisc", c.scSites);
        const wb = weakest("fixed", c.binarySites);
        if (ws && wb) row("datapath (weakest site)", ws.site, wb.site, ws.t, wb.t);
      }
    }
    records.push(...summaries);

    // stuck-at lanes: every (network, N, design, stuck site) × fraction × seed in one batch
    const stuckSeries: Series[] = c.networks.flatMap((network) =>
      c.bits.flatMap((bits) =>
        c.stuckSites.map((site) => ({
          network,
          bits,
          arithmetic: (site.startsWith("sc-") ? "sc-bisc" : "fixed") as Design,
          site,
        })),
      ),
    );
    const stuckFractions = [...c.stuckFractions].sort((a, b) => a - b);
    const stuckJobs = stuckSeries.flatMap((s) =>
      stuckFractions.flatMap((fraction) => c.seeds.map((seed) => ({ s, fraction, seed }))),
    );
    const stuckValues =
      stuckJobs.length === 0
        ? []
        : await evaluate(
            "stuck-at",
            stuckJobs.map((j) => ({ ...inputOf(c, j.s, 0, j.seed), stuckFraction: j.fraction })),
          );
    const stuckBands: BandRow[] = [];
    const stuckThreshold = new Map<string, ThresholdRate>();
    stuckJobs.forEach((j, k) => {
      const acc = stuckValues[k]!.accuracy * 100;
      records.push({
        kind: "stuck-at",
        network: j.s.network,
        bits: j.s.bits,
        arithmetic: j.s.arithmetic,
        design: DESIGN_LABEL[j.s.arithmetic],
        site: j.s.site,
        group: groupOf(j.s.site),
        stuckLaneFraction: j.fraction,
        seed: j.seed,
        accuracy: round(acc, 2),
        lossPt: round(baselineOf(j.s) - acc, 2),
        correct: stuckValues[k]!.correct,
        total: stuckValues[k]!.total,
      });
    });
    for (const s of stuckSeries) {
      const rows = stuckJobs.flatMap((j, k) =>
        j.s === s ? [{ faultRate: j.fraction, accuracyPct: stuckValues[k]!.accuracy * 100 }] : [],
      );
      if (rows.length === 0) continue;
      const band = bandByRate(rows);
      for (const b of band)
        stuckBands.push({
          network: s.network,
          bits: s.bits,
          design: DESIGN_LABEL[s.arithmetic],
          group: groupOf(s.site),
          faultRate: b.faultRate,
          meanPct: round(b.meanPct, 3),
          minPct: round(b.minPct, 2),
          maxPct: round(b.maxPct, 2),
        });
      stuckThreshold.set(
        `${s.network}/${s.bits}/${s.arithmetic}/${s.site}`,
        rateAtLoss(
          band.map((b) => ({ faultRate: b.faultRate, accuracyPct: b.meanPct })),
          baselineOf(s),
          1,
        ),
      );
    }
    const stuckSummaries: StudyRecord[] = [];
    for (const network of c.networks) {
      for (const bits of c.bits) {
        for (const g of SITE_GROUPS) {
          const sc =
            g.sc !== null && g.sc !== "memory" && c.stuckSites.includes(g.sc as StuckSite)
              ? stuckThreshold.get(`${network}/${bits}/sc-bisc/${g.sc}`)
              : undefined;
          const bin =
            g.binary !== null && g.binary !== "memory" && c.stuckSites.includes(g.binary as StuckSite)
              ? stuckThreshold.get(`${network}/${bits}/fixed/${g.binary}`)
              : undefined;
          if (!sc || !bin) continue;
          const kind = ratioKind(sc, bin);
          stuckSummaries.push({
            kind: "stuck-summary",
            network,
            bits,
            site: `stuck-at ${g.group}, N=${bits}`,
            group: g.group,
            scSite: g.sc,
            binarySite: g.binary,
            stuckFractionAt1PtSc: sig(sc.faultRate),
            scCensored: sc.censored,
            stuckFractionAt1PtBinary: sig(bin.faultRate),
            binaryCensored: bin.censored,
            stuckToleranceRatio: kind === "undetermined" ? null : sig(sc.faultRate / bin.faultRate),
            ratioKind: kind,
          });
        }
      }
    }
    records.push(...stuckSummaries);

    const thresholds = baseKeys.map((b) => ({
      network: b.network,
      bits: b.bits,
      design: DESIGN_LABEL[b.arithmetic],
      thresholdPct: round(baselineOf(b) - 1, 2),
    }));
    const summaryJson = {
      study: "fault-tolerance",
      claim: "SC-CNN is much more fault-tolerant than conventional (binary fixed-point) implementations",
      metric:
        "fault rate p (flips per bit per cycle) at which test accuracy falls 1 point below the design's fault-free accuracy; ratio = SC / binary (> 1: SC tolerates more)",
      testImages: c.testLimit,
      seeds: c.seeds,
      faultRates: rates,
      baselines: baseKeys.map((b) => ({
        network: b.network,
        bits: b.bits,
        arithmetic: b.arithmetic,
        accuracyPct: round(baselineOf(b), 2),
      })),
      rows: summaries,
      stuckAt: stuckSummaries,
      scMoreTolerant: summaries
        .filter((s) => typeof s.faultToleranceRatio === "number")
        .map((s) => ({
          network: s.network,
          bits: s.bits,
          site: s.group,
          ratio: s.faultToleranceRatio,
          ratioKind: s.ratioKind,
          scMoreTolerant: (s.faultToleranceRatio as number) > 1,
        })),
    };
    return {
      records,
      figures: [
        {
          name: "accuracy-vs-fault-rate",
          options: accuracyVsFaultRateFigure(bands, thresholds, c.testLimit, c.seeds.length),
        },
        ...(stuckBands.length > 0
          ? [
              {
                name: "accuracy-vs-stuck-lanes",
                options: accuracyVsFaultRateFigure(stuckBands, thresholds, c.testLimit, c.seeds.length, "stuck-at"),
              },
            ]
          : []),
      ],
      files: [{ path: "summary.json", data: `${JSON.stringify(summaryJson, null, 2)}\n` }],
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(faultToleranceStudy);
