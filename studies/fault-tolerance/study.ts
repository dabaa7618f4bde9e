// pnpm study fault-tolerance: CNN accuracy vs transient bit-flip rate per datapath site, SC-CNN
// (BISC) vs binary fixed point, and the rate at which each loses 1 point (see README.md).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { codeVersion, ConfigError, main, withRegistryIds, type StudyDefinition, type StudyRecord } from "@sccnn/dse";
import { binomialInterval95Pct } from "@sccnn/nn";
import type { StuckSite } from "@sccnn/sc-core";
import { scCyclesPerMac, type Design, type FaultInput, type FaultValue } from "./src/evaluator/evaluate.ts";
import type { StudySite } from "./src/evaluator/faulty-backend.ts";
import { accuracyVsFaultRateFigure, type BandRow } from "./src/figures.ts";
import { fineTunedRef, networkPackageDirs, trainedNetworkIds, trainedWeightsHash } from "@sccnn/zoo";
import { SITE_GROUPS, groupOf } from "./src/sites.ts";
import { PILOT_STOP_LOSS_PT, pilotStartIndex, scanSeries } from "./src/scan.ts";
import { bandByRate, rateAtLoss, type ThresholdRate } from "./src/threshold.ts";

/**
 * The two designs compared on one network, each at its own precision (and b for SC) and with its
 * own weights: `*FineTuned` runs the committed checkpoint trained with that arithmetic in the loop
 * (SC-aware / QAT, as pareto's "fine-tuned" points), otherwise PTQ of the trained checkpoint.
 */
export interface DesignPair {
  network: string;
  scBits: number;
  scParallel: number;
  binaryBits: number;
  scFineTuned?: boolean;
  binaryFineTuned?: boolean;
}

export interface FaultToleranceConfig {
  designs: DesignPair[];
  designsFrom: string | null;
  designsScenario: "fixed-precision" | "precision-flexible";
  scSites: StudySite[];
  binarySites: StudySite[];
  faultRates: number[];
  scanStartRate: number | null;
  /** Images of the one-seed pilot scan that picks each series' start rate (null: no pilot, start at scanStartRate). */
  pilotImages: number | null;
  refine: boolean;
  seeds: number[];
  stopLossPt: number;
  stuckSites: StuckSite[];
  stuckFractions: number[];
  testLimit: number;
  calibrationImages: number;
  calibration: "max" | "mse";
  perChannel: boolean;
  zeroWeightCycles: 0 | 1;
}

const here = new URL(".", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;

export const DESIGN_LABEL: Record<Design, string> = { "sc-bisc": "SC-CNN (BISC)", fixed: "binary (fixed point)" };

/** One curve: a (network, design, site) series swept over the fault rates; `parallel` is b (1 for binary). */
export interface Series {
  network: string;
  bits: number;
  parallel: number;
  arithmetic: Design;
  fineTuned: boolean;
  site: StudySite;
}

export function seriesOf(
  c: Pick<FaultToleranceConfig, "scSites" | "binarySites">,
  designs: readonly DesignPair[],
): Series[] {
  const out: Series[] = [];
  for (const d of designs) {
    for (const site of c.scSites)
      out.push({
        network: d.network,
        bits: d.scBits,
        parallel: d.scParallel,
        arithmetic: "sc-bisc",
        fineTuned: d.scFineTuned === true,
        site,
      });
    for (const site of c.binarySites)
      out.push({
        network: d.network,
        bits: d.binaryBits,
        parallel: 1,
        arithmetic: "fixed",
        fineTuned: d.binaryFineTuned === true,
        site,
      });
  }
  return out;
}

const seriesKey = (s: Omit<Series, "site"> & { site: StudySite | null }) =>
  `${s.network}/${s.arithmetic}/${s.bits}/${s.parallel}/${s.fineTuned}/${s.site ?? "none"}`;
const baseKey = (s: Pick<Series, "network" | "arithmetic" | "bits" | "fineTuned">) =>
  `${s.network}/${s.arithmetic}/${s.bits}/${s.fineTuned}`;

/** "SC N=4 b=8 vs binary N=3" (", fine-tuned" after a side trained with its arithmetic in the loop). */
export const pairLabel = (d: DesignPair) =>
  `SC N=${d.scBits} b=${d.scParallel}${d.scFineTuned ? " fine-tuned" : ""} vs binary N=${d.binaryBits}${d.binaryFineTuned ? " fine-tuned" : ""}`;

/** The weights a side runs: its fine-tuned checkpoint (refused when not committed) or the trained one. */
function weightsOf(s: Pick<Series, "network" | "arithmetic" | "bits" | "fineTuned">): {
  weightsPath: string | null;
  weightsSha256: string;
} {
  if (!s.fineTuned) return { weightsPath: null, weightsSha256: trainedWeightsHash([s.network]) };
  const ref = fineTunedRef(s.network, s.arithmetic, s.bits);
  if (!ref?.path)
    throw new Error(
      `designs: ${s.network} ${s.arithmetic} N = ${s.bits} is marked fine-tuned but no such checkpoint is committed (packages/zoo/weights/finetuned/)`,
    );
  return { weightsPath: ref.path, weightsSha256: ref.sha256 };
}

function csvRows(text: string): Record<string, string>[] {
  const parse = (line: string): string[] => {
    const out: string[] = [];
    let cur = "";
    let q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (q) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') q = false;
        else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ",") {
        out.push(cur);
        cur = "";
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const head = parse(lines[0] ?? "");
  return lines.slice(1).map((l) => {
    const v = parse(l);
    return Object.fromEntries(head.map((h, i) => [h, v[i] ?? ""]));
  });
}

/**
 * The designs at the fronts: from a pareto headline.csv, per network whose row of `scenario` has
 * status ok, the best SC point (its N and b) and the best binary point (its N) within the budget
 * (the row against the exact baseline, whose MAC the binary fault model is).
 * Throws naming the file and column when a point cannot be read.
 */
export function designsFromHeadline(path: string, scenario: string): DesignPair[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`designsFrom: ${path}: ${(e as Error).message}`);
  }
  const out: DesignPair[] = [];
  for (const r of csvRows(text)) {
    // pareto states SC against several binary baselines; the binary fault model here is the exact
    // fixed-point MAC, so its design is the exact baseline's best point (a headline.csv without a
    // baseline column has one row per network and scenario)
    if (r.baseline !== undefined && r.baseline !== "exact") continue;
    if (r.scenario !== scenario || r.status !== "ok") continue;
    const n = (v: string | undefined, re: RegExp, col: string): number => {
      const m = v === undefined ? null : re.exec(v);
      if (!m)
        throw new Error(
          `designsFrom: ${path}: ${r.network} ${col} is ${JSON.stringify(v)}, expected "N=… M=… P=…${col === "scPoint" ? " b=…" : ""}"`,
        );
      return Number(m[1]);
    };
    out.push({
      network: r.network!,
      scBits: n(r.scPoint, /N=(\d+)/, "scPoint"),
      scParallel: n(r.scPoint, /b=(\d+)/, "scPoint"),
      binaryBits: n(r.binaryPoint, /N=(\d+)/, "binaryPoint"),
      scFineTuned: /fine-tuned/.test(r.scPoint ?? ""),
      binaryFineTuned: /fine-tuned/.test(r.binaryPoint ?? ""),
    });
  }
  if (out.length === 0) throw new Error(`designsFrom: ${path}: no row with scenario ${scenario} and status ok`);
  return out;
}

function inputOf(
  c: FaultToleranceConfig,
  s: Omit<Series, "site"> & { site: StudySite | null },
  faultRate: number,
  seed: number,
): FaultInput {
  const scDatapath = s.site?.startsWith("sc-") === true;
  return {
    network: s.network,
    arithmetic: s.arithmetic,
    bits: s.bits,
    ...weightsOf(s),
    site: s.site,
    faultRate,
    parallel: scDatapath ? s.parallel : 1,
    zeroWeightCycles: c.zeroWeightCycles,
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
  schema: withRegistryIds(readJson("config.schema.json"), { trainedNetworks: trainedNetworkIds() }),
  smokeConfig: readJson("config.smoke.json"),
  check(c) {
    if (c.scanStartRate !== null && !c.faultRates.includes(c.scanStartRate))
      throw new ConfigError([
        `$.scanStartRate: ${c.scanStartRate} is not one of $.faultRates (${c.faultRates.join(", ")}); the scan starts at a listed rate`,
      ]);
  },
  async run(ctx) {
    const c = ctx.config;
    const designs =
      c.designsFrom === null ? c.designs : designsFromHeadline(resolve(ctx.dir, c.designsFrom), c.designsScenario);
    const networks = [...new Set(designs.map((d) => d.network))];
    ctx.log(`fault-tolerance: designs ${designs.map((d) => `${d.network}: ${pairLabel(d)}`).join("; ")}`);
    const rates = [...c.faultRates].sort((a, b) => a - b);
    const version = codeVersion([
      new URL("../../packages/nn/src", here),
      new URL("../../packages/sc-core/src", here),
      new URL("../../packages/datasets/src", here),
      new URL("src/evaluator", here),
    ]);
    const evaluate = async (label: string, inputs: FaultInput[], stream?: NodeJS.WriteStream): Promise<FaultValue[]> =>
      (
        await ctx.evaluate<FaultInput, FaultValue>({
          kind: "accuracy",
          label,
          points: inputs,
          evaluator: { module: new URL("src/evaluator/evaluate.ts", here), name: "evaluateFaulty" },
          codeVersion: version,
          weightsHash: `${trainedWeightsHash(networks)},${codeVersion(networkPackageDirs(networks))}`,
          ...(stream ? { stream } : {}),
        })
      ).values;
    // the scan's many small concurrent calls: dse's per-call progress lines are dropped (one line per
    // finished rate is logged instead); its notices (a corrupt cache entry, failures, queue workers) pass
    const quiet = {
      isTTY: false,
      write: (chunk: string) => (/ points, \d+ cached|ETA /.test(chunk) ? true : process.stderr.write(chunk)),
    } as unknown as NodeJS.WriteStream;
    const evaluateQuiet = (label: string, inputs: FaultInput[]) => evaluate(label, inputs, quiet);

    // fault-free baselines, one per (network, design)
    const baseKeys = designs.flatMap((d) => [
      {
        network: d.network,
        bits: d.scBits,
        parallel: d.scParallel,
        arithmetic: "sc-bisc" as const,
        fineTuned: d.scFineTuned === true,
      },
      {
        network: d.network,
        bits: d.binaryBits,
        parallel: 1,
        arithmetic: "fixed" as const,
        fineTuned: d.binaryFineTuned === true,
      },
    ]);
    const baseValues = await evaluate(
      "fault-free",
      baseKeys.map((b) => inputOf(c, { ...b, site: null }, 0, 0)),
    );
    const baseline = new Map(baseKeys.map((b, i) => [baseKey(b), baseValues[i]!.accuracy * 100]));
    const baselineOf = (s: Pick<Series, "network" | "arithmetic" | "bits" | "fineTuned">) => baseline.get(baseKey(s))!;

    // Every series scans the rates upwards on its own (all seeds of a rate at once) and stops once its
    // seed mean loses stopLossPt, then measures one refinement rate; the series run concurrently on
    // dse's shared worker pool, so both cores stay busy until the last series ends (no round waits
    // for its slowest point) and the workers keep their calibrated networks. Which points run
    // depends only on each series' own results, so the records are those of a rate-by-rate scan.
    const series = seriesOf(c, designs);
    const measured: { s: Series; faultRate: number; seed: number; v: FaultValue }[] = [];
    const meanOf = (i: number, faultRate: number) => {
      const accs = measured
        .filter((m) => m.s === series[i] && m.faultRate === faultRate)
        .map((m) => m.v.accuracy * 100);
      return accs.reduce((a, b) => a + b, 0) / accs.length;
    };
    let pointsDone = 0;
    const run = async (i: number, faultRate: number) => {
      const s = series[i]!;
      const values = await evaluateQuiet(
        `${s.network} ${s.arithmetic} N=${s.bits} ${s.site} p=${faultRate}`,
        c.seeds.map((seed) => inputOf(c, s, faultRate, seed)),
      );
      c.seeds.forEach((seed, k) => measured.push({ s, faultRate, seed, v: values[k]! }));
      pointsDone += c.seeds.length;
      ctx.log(
        `fault-tolerance: ${s.network} ${DESIGN_LABEL[s.arithmetic]} N=${s.bits}${s.arithmetic === "sc-bisc" ? ` b=${s.parallel}` : ""} ${s.site} p=${faultRate}: mean ${meanOf(i, faultRate).toFixed(2)} % (fault-free ${baselineOf(s).toFixed(2)} %) [${pointsDone} points]`,
      );
    };
    const start = c.scanStartRate === null ? 0 : rates.indexOf(c.scanStartRate);
    // pilot: the same scan with the first seed on pilotImages test images (no refinement) picks where
    // each series' full scan starts, so the full campaign does not measure the flat end of a curve
    // decade by decade; its accuracies only choose the start (they are not records)
    const pilot = c.pilotImages === null ? null : { ...c, testLimit: c.pilotImages, seeds: c.seeds.slice(0, 1) };
    const pilotBaseline = new Map<string, number>();
    const pilotBase = async (s: Series): Promise<number> => {
      const key = baseKey(s);
      if (!pilotBaseline.has(key)) {
        const [v] = await evaluateQuiet(`pilot fault-free ${key}`, [inputOf(pilot!, { ...s, site: null }, 0, 0)]);
        pilotBaseline.set(key, v!.accuracy * 100);
      }
      return pilotBaseline.get(key)!;
    };
    const startOf = async (i: number): Promise<number> => {
      if (pilot === null) return start;
      const s = series[i]!;
      const base = await pilotBase(s);
      const loss = new Map<number, number>();
      await scanSeries(rates, start, Math.min(PILOT_STOP_LOSS_PT, c.stopLossPt), false, async (faultRate) => {
        const [v] = await evaluateQuiet(`pilot ${seriesKey(s)} p=${faultRate}`, [
          inputOf(pilot, s, faultRate, pilot.seeds[0]!),
        ]);
        loss.set(faultRate, base - v!.accuracy * 100);
        return loss.get(faultRate)!;
      });
      const k = pilotStartIndex(rates, loss);
      ctx.log(
        `fault-tolerance: ${s.network} ${DESIGN_LABEL[s.arithmetic]} N=${s.bits} ${s.site}: pilot (${c.pilotImages} images, seed ${pilot.seeds[0]}) ${[...loss].map(([r, l]) => `p=${r} ${l.toFixed(1)} pt`).join(", ")}; the full scan starts at p=${rates[k]}`,
      );
      return k;
    };
    const scan = async (i: number) =>
      scanSeries(rates, await startOf(i), c.stopLossPt, c.refine, async (faultRate) => {
        await run(i, faultRate);
        return baselineOf(series[i]!) - meanOf(i, faultRate);
      });

    const scans = Promise.all(series.map((_, i) => scan(i)));
    // stuck-at lanes (a permanent fault: modelled per product as at b = 1, see README): every design x stuck site x fraction x seed
    const stuckSeries: Series[] = seriesOf(c, designs).filter(
      (s) => s.site !== "memory" && s.site !== "sc-down-counter" && c.stuckSites.includes(s.site as StuckSite),
    );
    const extraStuck = designs.flatMap((d) =>
      c.stuckSites
        .filter((site) => !stuckSeries.some((s) => s.network === d.network && s.site === site))
        .map((site) => {
          const sc = site.startsWith("sc-");
          return {
            network: d.network,
            bits: sc ? d.scBits : d.binaryBits,
            parallel: sc ? d.scParallel : 1,
            arithmetic: (sc ? "sc-bisc" : "fixed") as Design,
            fineTuned: (sc ? d.scFineTuned : d.binaryFineTuned) === true,
            site,
          };
        }),
    );
    stuckSeries.push(...extraStuck);
    // Each stuck series scans the fractions as a rate series scans the rates (scanSeries: up from the
    // smallest listed fraction until the seed mean loses stopLossPt, then one refinement fraction
    // between the two bracketing the 1-point loss), all seeds of a fraction at once: the fractions far
    // past the loss, whose many stuck lanes each run the cycle-level lane (~1 min per 1 000 Fashion
    // CNN images at 0.1), are not measured.
    const stuckMeasured: { s: Series; fraction: number; seed: number; v: FaultValue }[] = [];
    let stuckDone = 0;
    const stuckMeasure = async (s: Series, fraction: number): Promise<number> => {
      const values = await evaluateQuiet(
        `stuck-at ${seriesKey(s)} fraction=${fraction}`,
        c.seeds.map((seed) => ({ ...inputOf(c, { ...s, parallel: 1 }, 0, seed), stuckFraction: fraction })),
      );
      c.seeds.forEach((seed, k) => stuckMeasured.push({ s, fraction, seed, v: values[k]! }));
      stuckDone += c.seeds.length;
      const mean = values.reduce((a, v) => a + v.accuracy * 100, 0) / values.length;
      // one line per finished fraction (a campaign printed nothing for tens of minutes without it)
      ctx.log(
        `fault-tolerance: ${s.network} ${DESIGN_LABEL[s.arithmetic]} N=${s.bits} ${s.site} stuck-at fraction ${fraction}: mean ${mean.toFixed(2)} % (fault-free ${baselineOf(s).toFixed(2)} %) [stuck-at ${stuckDone} points]`,
      );
      return baselineOf(s) - mean;
    };
    const stuckPending =
      c.stuckFractions.length === 0
        ? Promise.resolve([])
        : Promise.all(
            stuckSeries.map((s) =>
              scanSeries(c.stuckFractions, 0, c.stopLossPt, c.refine, (fraction) => stuckMeasure(s, fraction)),
            ),
          );
    await Promise.all([scans, stuckPending]);

    const records: StudyRecord[] = [];
    baseKeys.forEach((b, i) => {
      const v = baseValues[i]!;
      const w = binomialInterval95Pct(v.correct, v.total);
      records.push({
        kind: "accuracy",
        network: b.network,
        bits: b.bits,
        parallel: b.arithmetic === "sc-bisc" ? b.parallel : null,
        arithmetic: b.arithmetic,
        fineTuned: b.fineTuned,
        design: DESIGN_LABEL[b.arithmetic],
        site: "none",
        group: "none",
        faultRate: 0,
        seed: null,
        accuracy: round(v.accuracy * 100, 2),
        accuracyLo95: round(w.lo, 2),
        accuracyHi95: round(w.hi, 2),
        lossPt: 0,
        correct: v.correct,
        total: v.total,
      });
    });
    const sortedMeasured = [...measured].sort(
      (a, b) => series.indexOf(a.s) - series.indexOf(b.s) || a.faultRate - b.faultRate || a.seed - b.seed,
    );
    for (const m of sortedMeasured) {
      const acc = m.v.accuracy * 100;
      records.push({
        kind: "accuracy",
        network: m.s.network,
        bits: m.s.bits,
        parallel: m.s.arithmetic === "sc-bisc" ? m.s.parallel : null,
        arithmetic: m.s.arithmetic,
        fineTuned: m.s.fineTuned,
        design: DESIGN_LABEL[m.s.arithmetic],
        site: m.s.site,
        group: groupOf(m.s.site),
        faultRate: m.faultRate,
        seed: m.seed,
        accuracy: round(acc, 2),
        accuracyLo95: null,
        accuracyHi95: null,
        lossPt: round(baselineOf(m.s) - acc, 2),
        correct: m.v.correct,
        total: m.v.total,
      });
    }

    // p@1pt per series (seed mean) and per seed (its spread is the interval), then SC / binary per site group
    const bands: BandRow[] = [];
    const threshold = new Map<string, { mean: ThresholdRate; lo: number; hi: number }>();
    for (const s of series) {
      const mine = sortedMeasured.filter((m) => m.s === s);
      if (mine.length === 0) continue;
      const rows = mine.map((m) => ({ faultRate: m.faultRate, accuracyPct: m.v.accuracy * 100 }));
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
      const perSeed = c.seeds.map(
        (seed) =>
          rateAtLoss(
            mine
              .filter((m) => m.seed === seed)
              .map((m) => ({ faultRate: m.faultRate, accuracyPct: m.v.accuracy * 100 })),
            baselineOf(s),
            1,
          ).faultRate,
      );
      threshold.set(seriesKey(s), {
        mean: rateAtLoss(
          band.map((b) => ({ faultRate: b.faultRate, accuracyPct: b.meanPct })),
          baselineOf(s),
          1,
        ),
        lo: Math.min(...perSeed),
        hi: Math.max(...perSeed),
      });
    }
    // cycles an SC lane spends per MAC at each design (per-operation rates = per-cycle rate × this)
    const cyclesPerMac = new Map(
      designs.map((d) => [
        d.network,
        scCyclesPerMac({
          ...inputOf(
            c,
            {
              network: d.network,
              bits: d.scBits,
              parallel: d.scParallel,
              arithmetic: "sc-bisc",
              fineTuned: d.scFineTuned === true,
              site: "sc-accumulator",
            },
            0,
            0,
          ),
        }),
      ]),
    );
    const summaries: StudyRecord[] = [];
    for (const d of designs) {
      const get = (arithmetic: Design, site: StudySite | null) =>
        site === null
          ? undefined
          : threshold.get(
              seriesKey({
                network: d.network,
                arithmetic,
                bits: arithmetic === "sc-bisc" ? d.scBits : d.binaryBits,
                parallel: arithmetic === "sc-bisc" ? d.scParallel : 1,
                fineTuned: (arithmetic === "sc-bisc" ? d.scFineTuned : d.binaryFineTuned) === true,
                site,
              }),
            );
      const cpm = cyclesPerMac.get(d.network)!;
      const row = (
        group: string,
        scSite: StudySite | null,
        binarySite: StudySite | null,
        sc: { mean: ThresholdRate; lo: number; hi: number } | undefined,
        bin: { mean: ThresholdRate; lo: number; hi: number } | undefined,
      ) => {
        if (!sc && !bin) return;
        const kind = sc && bin ? ratioKind(sc.mean, bin.mean) : null;
        const ratio = sc && bin && kind !== "undetermined" ? sc.mean.faultRate / bin.mean.faultRate : null;
        // per operation: an SC datapath bit exists cyclesPerMac cycles per MAC, a binary one 1; memory is per read on both
        const scOp = scSite !== null && scSite !== "memory" ? cpm : 1;
        summaries.push({
          kind: "summary",
          network: d.network,
          designs: pairLabel(d),
          scBits: d.scBits,
          scParallel: d.scParallel,
          binaryBits: d.binaryBits,
          site: `${group}, ${pairLabel(d)}`,
          group,
          scSite,
          binarySite,
          p1ptSc: sc ? sig(sc.mean.faultRate) : null,
          p1ptScSeedMin: sc ? sig(sc.lo) : null,
          p1ptScSeedMax: sc ? sig(sc.hi) : null,
          scCensored: sc?.mean.censored ?? null,
          p1ptBinary: bin ? sig(bin.mean.faultRate) : null,
          p1ptBinarySeedMin: bin ? sig(bin.lo) : null,
          p1ptBinarySeedMax: bin ? sig(bin.hi) : null,
          binaryCensored: bin?.mean.censored ?? null,
          faultToleranceRatio: ratio === null ? null : sig(ratio),
          ratioSeedMin: ratio === null ? null : sig(sc!.lo / bin!.hi),
          ratioSeedMax: ratio === null ? null : sig(sc!.hi / bin!.lo),
          ratioKind: kind,
          scCyclesPerMac: scSite !== null && scSite !== "memory" ? sig(cpm) : null,
          p1ptScPerOp: sc ? sig(sc.mean.faultRate * scOp) : null,
          p1ptBinaryPerOp: bin ? sig(bin.mean.faultRate) : null,
          faultToleranceRatioPerOp: ratio === null ? null : sig(ratio * scOp),
        });
      };
      for (const g of SITE_GROUPS) {
        const scSite = g.sc !== null && c.scSites.includes(g.sc) ? g.sc : null;
        const binSite = g.binary !== null && c.binarySites.includes(g.binary) ? g.binary : null;
        row(g.group, scSite, binSite, get("sc-bisc", scSite), get("fixed", binSite));
      }
      const weakest = (arithmetic: Design, sites: StudySite[]) => {
        let best: { site: StudySite; t: { mean: ThresholdRate; lo: number; hi: number } } | null = null;
        for (const site of sites.filter((x) => x !== "memory")) {
          const t = get(arithmetic, site);
          if (t && (!best || t.mean.faultRate < best.t.mean.faultRate)) best = { site, t };
        }
        return best;
      };
      const ws = weakest("sc-bisc", c.scSites);
      const wb = weakest("fixed", c.binarySites);
      if (ws && wb) row("datapath (weakest site)", ws.site, wb.site, ws.t, wb.t);
    }
    records.push(...summaries);

    const stuckBands: BandRow[] = [];
    const stuckThreshold = new Map<string, ThresholdRate>();
    // records in series, fraction, seed order (the scans finish in any order)
    const stuckJobs = [...stuckMeasured].sort(
      (a, b) => stuckSeries.indexOf(a.s) - stuckSeries.indexOf(b.s) || a.fraction - b.fraction || a.seed - b.seed,
    );
    const stuckValues = stuckJobs.map((j) => j.v);
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
        `${s.network}/${s.site}`,
        rateAtLoss(
          band.map((b) => ({ faultRate: b.faultRate, accuracyPct: b.meanPct })),
          baselineOf(s),
          1,
        ),
      );
    }
    const stuckSummaries: StudyRecord[] = [];
    for (const d of designs) {
      for (const g of SITE_GROUPS) {
        const sc = g.sc !== null ? stuckThreshold.get(`${d.network}/${g.sc}`) : undefined;
        const bin = g.binary !== null ? stuckThreshold.get(`${d.network}/${g.binary}`) : undefined;
        if (!sc || !bin) continue;
        const kind = ratioKind(sc, bin);
        stuckSummaries.push({
          kind: "stuck-summary",
          network: d.network,
          designs: pairLabel(d),
          site: `stuck-at ${g.group}, ${pairLabel(d)}`,
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
        "fault rate p (flips per bit per cycle) at which test accuracy falls 1 point below the design's fault-free accuracy; ratio = SC / binary (> 1: SC tolerates more); per operation: p × the cycles a site bit exists per MAC (SC: mean ceil(|w|/b), binary: 1)",
      designs: designs.map((d) => ({ ...d, label: pairLabel(d) })),
      designsFrom: c.designsFrom,
      testImages: c.testLimit,
      seeds: c.seeds,
      faultRates: [...new Set(measured.map((m) => m.faultRate))].sort((a, b) => a - b),
      baselines: baseKeys.map((b, i) => {
        const v = baseValues[i]!;
        const w = binomialInterval95Pct(v.correct, v.total);
        return {
          network: b.network,
          bits: b.bits,
          parallel: b.arithmetic === "sc-bisc" ? b.parallel : null,
          arithmetic: b.arithmetic,
          fineTuned: b.fineTuned,
          accuracyPct: round(baselineOf(b), 2),
          accuracyLo95: round(w.lo, 2),
          accuracyHi95: round(w.hi, 2),
        };
      }),
      rows: summaries,
      stuckAt: stuckSummaries,
      scMoreTolerant: summaries
        .filter((s) => typeof s.faultToleranceRatio === "number")
        .map((s) => ({
          network: s.network,
          designs: s.designs,
          site: s.group,
          ratio: s.faultToleranceRatio,
          ratioPerOp: s.faultToleranceRatioPerOp,
          ratioKind: s.ratioKind,
          scMoreTolerant: (s.faultToleranceRatio as number) > 1,
          scMoreTolerantPerOp: (s.faultToleranceRatioPerOp as number) > 1,
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
