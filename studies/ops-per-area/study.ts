// pnpm study ops-per-area: SC vs binary operations per area per network, scenario, N and b (see README.md).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { main, type StudyDefinition } from "@sccnn/dse";
import { costRegistry } from "./src/costs.ts";
import { evaluateNetwork, type OpsPerAreaConfig, type OpsPerAreaRecord } from "./src/evaluate.ts";
import { improvementFigure } from "./src/figures.ts";
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
    return { records, figures: [{ name: "improvement", options: improvementFigure(records, c.clockHz, c.units, c.lanesPerUnit, c.technology) }] };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(opsPerAreaStudy);
