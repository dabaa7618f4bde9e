import { CostRegistry } from "@sccnn/cost";
import { analyticModel } from "@sccnn/cost-analytic";
import { loadSynthTable, synthTableModel } from "@sccnn/cost-yosys";

/**
 * Component costs: the committed Yosys tables first (priority 10), the analytic gate-count model
 * as fallback (priority 1) for anything off the synthesized grid. Records name the models used.
 */
export function costRegistry(technology: string, models: readonly ("yosys" | "analytic")[]): CostRegistry {
  const r = new CostRegistry();
  if (models.includes("yosys")) r.register(synthTableModel(loadSynthTable(technology)));
  if (models.includes("analytic")) r.register(analyticModel({ defaultTechnology: technology }));
  return r;
}
