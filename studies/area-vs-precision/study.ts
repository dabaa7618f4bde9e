// pnpm study area-vs-precision: synthesized component and lane areas vs N for SC and binary (see README.md).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { CostModel } from "@sccnn/cost";
import { analyticModel } from "@sccnn/cost-analytic";
import { loadSynthTable, synthTableModel } from "@sccnn/cost-yosys";
import { main, type StudyDefinition } from "@sccnn/dse";
import { evaluateAreas, type AreaVsPrecisionConfig, type ComponentRecord, type LaneRecord } from "./src/evaluate.ts";
import { componentFigure, laneFigure } from "./src/figures.ts";

const here = new URL(".", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;

export const areaVsPrecisionStudy: StudyDefinition<AreaVsPrecisionConfig> = {
  name: "area-vs-precision",
  dir: here,
  schema: readJson("config.schema.json"),
  smokeConfig: readJson("config.smoke.json"),
  async run(ctx) {
    const c = ctx.config;
    // Each model on its own (no fallback), so the records compare the models.
    const models: CostModel[] = [];
    for (const m of c.models) {
      if (m === "analytic") models.push(analyticModel());
      else for (const t of c.technologies) models.push(synthTableModel(loadSynthTable(t)));
    }
    const records = models.flatMap((m) =>
      evaluateAreas(
        { ...c, technologies: c.technologies.filter((t) => m.id === "analytic-gates" || m.id === `yosys-${t}`) },
        [m],
      ),
    );
    const lanes = records.filter((r): r is LaneRecord => r.record === "lane");
    const components = records.filter((r): r is ComponentRecord => r.record === "component");
    return {
      records,
      figures: [
        {
          name: "lane-area",
          options: laneFigure(
            lanes.filter((r) => r.model.startsWith("yosys")),
            c.fanIn,
            c.lanesPerUnit,
            c.registers,
          ),
        },
        { name: "component-area", options: componentFigure(components) },
      ],
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(areaVsPrecisionStudy);
