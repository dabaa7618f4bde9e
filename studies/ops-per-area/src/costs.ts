import { loadTimingTable, timingTableSource } from "@sccnn/cost-yosys";
import type { LaneTimingSource } from "@sccnn/cost";

/** Whole-lane timing at the clock target (the committed tables/<technology>.timing.json). */
export function laneTiming(technology: string): LaneTimingSource {
  return timingTableSource(loadTimingTable(technology));
}
