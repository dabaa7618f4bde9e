import { loadEnergyTable, loadTimingTable, synthEnergyModel, timingTableSource } from "@sccnn/cost-yosys";
import type { EnergyModel, LaneTimingSource } from "@sccnn/cost";

/** Whole-lane timing at the clock target (the committed tables/<technology>.timing.json). */
export function laneTiming(technology: string): LaneTimingSource {
  return timingTableSource(loadTimingTable(technology));
}

/** Energy per action of the synthesized lanes (the committed tables/energy-<technology>.json), or null without one. */
export function laneEnergy(technology: string): EnergyModel | null {
  const table = loadEnergyTable(technology);
  return table ? synthEnergyModel(table) : null;
}
