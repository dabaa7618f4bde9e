export {
  FAULT_SITES,
  SC_FAULT_SITES,
  BINARY_FAULT_SITES,
  resolveFaultSpec,
  defaultAccBits,
  biscBitAt,
  biscPrefixOnes,
  geometricGap,
  nonEmptyFlipMask,
  flipAccBit,
  anyFlipProbability,
  type FaultSite,
  type FaultSpec,
  type ResolvedFaultSpec,
} from "./faults-model.ts";
export { simulateFaultyMacLane, type FaultyLaneResult } from "./faults-lane.ts";
export {
  injectGemmFaults,
  injectConv2dFaults,
  fastFaultyDot,
  flipStoredOperands,
  binomialDraw,
  STREAM_AGGREGATE_MIN_FLIPS,
  STREAM_COUNTS_MIN_MEAN_FLIPS,
  type StreamCountsMode,
} from "./faults-fast.ts";
export {
  STUCK_SITES,
  forceAccBit,
  simulateStuckMacLane,
  stuckDot,
  stuckSiteWidth,
  injectGemmStuckAt,
  injectConv2dStuckAt,
  type StuckSite,
  type StuckAtSpec,
  type StuckLane,
} from "./faults-stuck.ts";
