// pnpm study ops-per-area: SC vs binary operations per area per network, scenario, N and b (see README.md).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { main, type StudyDefinition } from "@sccnn/dse";
import { costRegistry } from "./src/costs.ts";
import { evaluateNetwork, type OpsPerAreaConfig, type OpsPerAreaRecord } from "./src/evaluate.ts";
import { bestParallelFigure, improvementFigure } from "./src/figures.ts";
import { networkWeights } from "./src/workload.ts";

const here = new URL(".", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;

export const opsPerAreaStudy: StudyDefinition<OpsPerAreaConfig> = {
  name: "ops-per-area",
  dir: here,
  schema: readJson("config.schema.json"),
  smokeConfig: readJson("config.smoke.json"),
  async run(ctx) {
    const c = ctx.config;
    const costs = costRegistry(c.technology, c.costModels);
    const records: OpsPerAreaRecord[] = [];
    for (const id of c.networks) {
      const net = networkWeights(id, c.syntheticSeed, c.useTrainedWeights);
      ctx.log(`ops-per-area: ${id} (${net.source})`);
      records.push(...evaluateNetwork(net, c, costs));
    }
    for (const line of summaryLines(records)) ctx.log(line);
    return {
      records,
      figures: [
        { name: "improvement", options: improvementFigure(records, c.clocks[0]!, c.clockHz, c.units, c.lanesPerUnit, c.technology) },
        { name: "improvement-best-b", options: bestParallelFigure(records, c.technology) },
      ],
    };
  },
};

/** Per network and scenario: the improvement range over N and b, and where the maximum is. */
export function summaryLines(records: readonly OpsPerAreaRecord[]): string[] {
  const groups = new Map<string, OpsPerAreaRecord[]>();
  for (const r of records) {
    if (r.design !== "sc") continue;
    const key = `${r.network} (${r.weights}) ${r.scenario}, clock ${r.clock}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const pct = (v: number) => `${v >= 0 ? "+" : ""}${(100 * v).toFixed(0)} %`;
  return [...groups].map(([key, rs]) => {
    const lo = rs.reduce((a, b) => (b.improvement < a.improvement ? b : a));
    const hi = rs.reduce((a, b) => (b.improvement > a.improvement ? b : a));
    return `  ${key.padEnd(68)} ${pct(lo.improvement)} (N=${lo.bits}, b=${lo.parallel}) … ${pct(hi.improvement)} (N=${hi.bits}, b=${hi.parallel})`;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(opsPerAreaStudy);
