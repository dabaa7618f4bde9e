// pnpm study ops-per-area: SC vs binary operations per area per network, scenario, N and b (see README.md).
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, codeVersion, main, withRegistryIds, type StudyDefinition } from "@sccnn/dse";
import { costModelDirs, costModelIds, libraryClockProblem } from "@sccnn/cost";
import { checkpointPath, isFileRef, networkAvailability, networkIds, networkPackageDirs, sha256File } from "@sccnn/zoo";
import { tablePath } from "@sccnn/cost-yosys";
import { orderRecord, type OpsPerAreaConfig, type OpsPerAreaRecord } from "./src/evaluate.ts";
import type { NetworkInput, NetworkValue } from "./src/evaluate-network.ts";
import { bestParallelFigure, improvementFigure } from "./src/figures.ts";

const here = new URL(".", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;

export const opsPerAreaStudy: StudyDefinition<OpsPerAreaConfig> = {
  name: "ops-per-area",
  dir: here,
  schema: withRegistryIds(readJson("config.schema.json"), { networks: networkIds(), costModels: costModelIds() }),
  smokeConfig: readJson("config.smoke.json"),
  // A .onnx/.ckpt network that is missing or cannot be read is refused before anything runs (exit 2, one line),
  // as pareto does, instead of failing inside the evaluator with a stack trace.
  check(c) {
    const problems = c.networks
      .filter(isFileRef)
      .map((n) => networkAvailability(n))
      .flatMap((av) => (!av.available && av.broken ? [`--networks ${av.reason}`] : []));
    // a model without timing cannot give the "library" clock: one line naming it, not a stack trace per point
    const noTiming = c.clocks.includes("library") ? libraryClockProblem(c.costModels) : null;
    if (noTiming) problems.push(`--clocks / --cost-models: ${noTiming}`);
    if (problems.length > 0) throw new ConfigError(problems);
  },
  async run(ctx) {
    const c = ctx.config;
    const { networks, ...rest } = c as OpsPerAreaConfig & { $schema?: string };
    delete (rest as { $schema?: string }).$schema;
    // Cached per network: keyed by the code the evaluator runs (dse hashes its import graph), the
    // cost-model packages and synthesis tables, and that network's own weights (its trained
    // checkpoint or its file): adding or retraining one network leaves the others' entries valid.
    const weightsOf = (n: string) => {
      const file = isFileRef(n) ? resolve(n) : checkpointPath(n);
      return existsSync(file) ? sha256File(file) : null;
    };
    const res = await ctx.evaluate<NetworkInput, NetworkValue>({
      kind: "network",
      label: "networks",
      points: networks.map((network) => ({
        network,
        config: rest,
        weightsSha256: weightsOf(network),
        networkSource: codeVersion(networkPackageDirs([network])),
      })),
      evaluator: { module: new URL("src/evaluate-network.ts", here), name: "evaluateOpsPerAreaNetwork" },
      // beyond the import graph: the synthesis tables read by path and the cost-model packages imported by id
      codeVersion: codeVersion([dirname(tablePath(c.technology)), ...costModelDirs(c.costModels)]),
    });
    const records: OpsPerAreaRecord[] = [];
    res.values.forEach((v, i) => {
      ctx.log(`ops-per-area: ${networks[i]} (${v.source})`);
      records.push(...v.records.map(orderRecord));
    });
    for (const line of summaryLines(records)) ctx.log(line);
    return {
      records,
      figures: [
        {
          name: "improvement",
          options: improvementFigure(
            strongestRecords(records),
            c.clocks[0]!,
            c.clockHz,
            c.units,
            c.lanesPerUnit,
            c.technology,
            c.baselines,
          ),
        },
        {
          name: "improvement-best-b",
          options: bestParallelFigure(strongestRecords(records), c.technology, c.baselines),
        },
      ],
    };
  },
};

/**
 * SC records against the strongest baseline: per (network, scenario, clock, N, b) the SC record
 * whose binary design has the highest operations per area (the lowest improvement).
 */
export function strongestRecords(records: readonly OpsPerAreaRecord[]): OpsPerAreaRecord[] {
  const best = new Map<string, OpsPerAreaRecord>();
  for (const r of records) {
    if (r.design !== "sc") continue;
    const key = `${r.network}/${r.weights}/${r.scenario}/${r.clock}/${r.bits}/${r.parallel}`;
    const have = best.get(key);
    if (!have || r.improvement < have.improvement) best.set(key, r);
  }
  return [...best.values()];
}

/**
 * Per network, scenario and clock: the improvement range over N and b against each baseline by
 * name, and against the strongest baseline at each point.
 */
export function summaryLines(records: readonly OpsPerAreaRecord[]): string[] {
  const groups = new Map<string, OpsPerAreaRecord[]>();
  const add = (key: string, r: OpsPerAreaRecord) => groups.set(key, [...(groups.get(key) ?? []), r]);
  for (const r of records) {
    if (r.design !== "sc") continue;
    add(`${r.network} (${r.weights}) ${r.scenario}, clock ${r.clock}, vs ${r.baseline}`, r);
  }
  for (const r of strongestRecords(records))
    add(`${r.network} (${r.weights}) ${r.scenario}, clock ${r.clock}, vs strongest`, r);
  const pct = (v: number) => `${v >= 0 ? "+" : ""}${(100 * v).toFixed(1)} %`;
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, rs]) => {
      const lo = rs.reduce((a, b) => (b.improvement < a.improvement ? b : a));
      const hi = rs.reduce((a, b) => (b.improvement > a.improvement ? b : a));
      const at = (r: OpsPerAreaRecord) =>
        `N=${r.bits}, b=${r.parallel}${key.endsWith("strongest") ? `, ${r.baseline}` : ""}`;
      return `  ${key.padEnd(84)} ${pct(lo.improvement)} (${at(lo)}) … ${pct(hi.improvement)} (${at(hi)})`;
    });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(opsPerAreaStudy);
