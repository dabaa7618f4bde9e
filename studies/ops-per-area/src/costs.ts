import { CostRegistry } from "@sccnn/cost";
import { analyticModel } from "@sccnn/cost-analytic";
import { loadSynthTable, loadTimingTable, synthTableModel, timingTableSource } from "@sccnn/cost-yosys";
import type { LaneTimingSource } from "@sccnn/cost";

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

/** Whole-lane timing at the clock target (the committed tables/<technology>.timing.json). */
export function laneTiming(technology: string): LaneTimingSource {
  return timingTableSource(loadTimingTable(technology));
}
