export { analyticModel, analyticCellCounts, ANALYTIC_MODEL_ID, createCostModel } from "./model.ts";
export { CELL_AREAS_UM2, countsArea, addCounts } from "./cells.ts";
export type { CellAreas, CellCounts } from "./cells.ts";
export {
  accumulatorCounts,
  memoryCounts,
  multiplierCounts,
  registerCounts,
  streamFrontCounts,
  unitSharedCounts,
  updownCounterCounts,
} from "./gate-counts.ts";
