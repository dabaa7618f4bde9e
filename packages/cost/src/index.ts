export { COMPONENT_KINDS, CONVENTIONAL_SNGS, componentKey, log2PowerOfTwo } from "./component.ts";
export type {
  ComponentCost,
  ComponentKind,
  ConventionalSng,
  ComponentQuery,
  CostModel,
  Provenance,
  ReferencePoint,
} from "./component.ts";
export { CostRefusal, NoCostModelError } from "./refusal.ts";
export { CostRegistry } from "./registry.ts";
export type { EstimateOptions } from "./registry.ts";
export {
  BINARY_BASELINES,
  baselineArithmetic,
  binaryAccumulatorBits,
  binaryArrayArea,
  binaryCyclesPerMac,
  binaryMacsPerCycle,
  binaryProductBits,
  ceilLog2,
  checkBaseline,
  checkSng,
  conventionalCyclesPerMac,
  conventionalScArrayArea,
  scAccumulatorBits,
  scArrayArea,
  truncBaselineGuard,
} from "./array.ts";
export type {
  AreaPart,
  ArrayArea,
  ArraySpec,
  BinaryBaseline,
  ComponentCostSource,
  RegisterPolicy,
  TruncBaseline,
} from "./array.ts";
export { fusionBricks, fusionMode, fusionModes, fusionOperandBits, fusionSumBits } from "./fusion.ts";
export { quantiseMagnitudes } from "./quantise.ts";
export { layerLatency, layerLatencyReference, layerMacs, networkCycles, networkLatency } from "./latency.ts";
export type {
  LayerDims,
  LayerLatency,
  LayerWorkload,
  NetworkCycles,
  NetworkLatency,
  SchedulingOptions,
} from "./latency.ts";
export {
  checkDesign,
  describeDesign,
  describePrecision,
  designMaxBits,
  designQuantLayers,
  evaluateDesignCost,
  isUniform,
  layerRunBits,
  uniformDesign,
} from "./design.ts";
export type { Design, DesignCost, DesignCostOptions, LayerPrecision } from "./design.ts";
export { arrayActivity, arrayEnergy, designPointEnergy } from "./energy.ts";
export type {
  ArrayActivity,
  ArrayEnergy,
  ComponentEnergy,
  EnergyLane,
  EnergyModel,
  EnergyPartResult,
} from "./energy.ts";
export {
  CLOCK_POLICIES,
  designClockHz,
  designPoint,
  evaluateConventionalSc,
  evaluateScenario,
  maxFanIn,
  SCENARIOS,
} from "./ops-per-area.ts";
export type { ClockPolicy, DesignPoint, Scenario, ScenarioInput, ScenarioResult } from "./ops-per-area.ts";
export { pipelineStageBits, timedArray } from "./timing.ts";
export type { LaneTiming, LaneTimingSource, TargetClock, TimedArea, TimedDesign } from "./timing.ts";
export {
  costModelDirs,
  costModelIds,
  costModelPackages,
  libraryClockProblem,
  loadCostModel,
  loadCostRegistry,
} from "./models.ts";
export type { CostModelOptions, CostModelPackage } from "./models.ts";
