export { componentVerilog } from "./verilog/component.ts";
export {
  isoBusBits,
  isoMacName,
  isoMacVerilog,
  isoMultiplierName,
  isoMultiplierVerilog,
  isoRecoderName,
  isoRecoderVerilog,
} from "./verilog/iso-lane.ts";
export {
  truncMacName,
  truncMacVerilog,
  truncMultiplierName,
  truncMultiplierVerilog,
  truncProductBits,
} from "./verilog/trunc-lane.ts";
export {
  fusionBricks,
  fusionBusBits,
  fusionGroups,
  fusionMacName,
  fusionMacVerilog,
  fusionMode,
  fusionModeBits,
  fusionModes,
  fusionMultiplierName,
  fusionMultiplierVerilog,
  fusionSumBits,
} from "./verilog/fusion-lane.ts";
export type { VerilogDesign } from "./verilog/component.ts";
export { biscMacName, biscMacVerilog, scFrontVerilog, scSharedVerilog, updownVerilog } from "./verilog/sc-lane.ts";
export { driveBiscDot } from "./verilog/sc-driver.ts";
export type { BiscDotResult, ClockedLane } from "./verilog/sc-driver.ts";
export {
  accumulatorVerilog,
  binaryMacName,
  bitSerialMacName,
  bitSerialMacVerilog,
  bitSerialMultiplierName,
  bitSerialMultiplierVerilog,
  binaryMacVerilog,
  multiplierVerilog,
  registerVerilog,
} from "./verilog/binary-lane.ts";
export {
  DEFAULT_TECHNOLOGY,
  LibraryMissingError,
  TECHNOLOGIES,
  libertyCellAreas,
  nand2Area,
  resolveLibrary,
} from "./liberty.ts";
export type { ResolvedLibrary, TechnologyInfo } from "./liberty.ts";
export {
  ABC_SCRIPT,
  parseAbcDelayPs,
  parseStat,
  SYNTH_SCRIPT,
  synthesizeDesigns,
  synthesizeMappedJson,
  synthesizeNetlistJson,
  readMappedJson,
  YOSYS_VERSION,
} from "./synthesize.ts";
export type { SynthResult } from "./synthesize.ts";
export { NetlistSim } from "./netlist-sim.ts";
export { DEFAULT_GRID, gridQueries, QUICK_GRID } from "./grid.ts";
export type { SynthGrid } from "./grid.ts";
export { createCostModel, loadSynthTable, synthTableModel, tablePath } from "./table.ts";
export type { SynthTable, SynthTableEntry } from "./table.ts";
export { buildSynthTable } from "./build-table.ts";
export { EnergySim, DEFAULT_ENERGY_ASSUMPTIONS } from "./energy-sim.ts";
export type { EnergyAssumptions, EnergyBreakdown } from "./energy-sim.ts";
export {
  compileLibertyFunction,
  lookupPower,
  parseLibertyGroups,
  parseLibertyPower,
} from "./liberty-power.ts";
export type { InternalPower, LibertyPower, PowerCell, PowerPin, PowerTable } from "./liberty-power.ts";
export { buildEnergyTable } from "./build-energy.ts";
export type { EnergyGridPoint, EnergyTable, EnergyTableEntry, OperandSet } from "./build-energy.ts";
export { energyLookup, energyTablePath, loadEnergyTable, synthEnergyModel } from "./energy-table.ts";
export {
  binaryLaneVerilog,
  buildTimingTable,
  DEFAULT_TIMING_GRID,
  loadTimingTable,
  TIMING_ACC_HEADROOM,
  targetAbcScript,
  timedAccBits,
  timedLaneName,
  timedLaneVerilog,
  timingQueries,
  timingTablePath,
  timingTableSource,
} from "./timing.ts";
export type { TimedLaneEntry, TimedLaneQuery, TimingGrid, TimingTable } from "./timing.ts";
export {
  CONVENTIONAL_SNGS,
  convFrontName,
  convFrontVerilog,
  convMacName,
  convMacVerilog,
  convSharedName,
  convSharedVerilog,
} from "./verilog/conventional-lane.ts";
export type { ConventionalSng } from "./verilog/conventional-lane.ts";
