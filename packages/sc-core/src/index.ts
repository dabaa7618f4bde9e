export { MAX_BITS } from "./validate.ts";
export { SCHEMES, resolveSpec, type Scheme, type ScSpec, type CountOperand, type ResolvedSpec } from "./spec.ts";
export { biscCount, biscStreamBit, biscPlaneGain, ctz } from "./bisc.ts";
export { bitReverse, bitrevSequence, bitrevStreamBit } from "./bit-reverse.ts";
export { Lfsr, LFSR_TAPS, lfsrSequence, reciprocalTaps, type LfsrForm, type LfsrOptions } from "./lfsr.ts";
export { JOE_KUO, SOBOL_MAX_DIMENSION, sobolDirectionNumbers, sobolSequence } from "./sobol.ts";
export {
  BiscCounterSource,
  BitrevSource,
  LfsrSource,
  SobolSource,
  makeSngSource,
  type SngSource,
  type SngRole,
} from "./sng.ts";
export {
  scStream,
  scStreamPacked,
  biscStream,
  comparatorStream,
  packStream,
  unpackStream,
  popcount32,
  countOnesPacked,
  andCountPacked,
} from "./streams.ts";
export { productTable, clearProductTableCache, MAX_TABLE_BITS, type ProductTable } from "./product-table.ts";
export { scMultiply } from "./multiply.ts";
export { scDot, scGemm, scGemmLut, scGemmBitplane, scGemmWith, intDot, intGemm } from "./gemm.ts";
export { pickScKernel, type ScKernelName } from "./fast-kernel.ts";
export {
  scConv2d,
  scConv2dLut,
  scConv2dBitplane,
  scConv2dWith,
  intConv2d,
  convGeometry,
  im2colT,
  im2colRow,
  type Conv2dOptions,
  type Conv2dResult,
  type ConvGeometry,
} from "./conv2d.ts";
export { convOutputSize, type ConvDims } from "./geometry.ts";
export { gaussian, Rng } from "./prng.ts";
export { UpDownCounter, wrapToBits, MAX_ACC_BITS, type OverflowMode } from "./accumulator.ts";
export {
  simulateMacLane,
  simulateMvmUnit,
  simulateProduct,
  resolveLaneSpec,
  stepCycles,
  meanStepCycles,
  type LaneSpec,
  type ResolvedLaneSpec,
  type MacLaneResult,
  type MvmUnitResult,
} from "./lane.ts";
export { errorStats, MAX_ERROR_STATS_BITS, type ErrorStats } from "./error-stats.ts";
export * from "./wasm/index.ts";
export * from "./faults.ts";
export {
  mapOperands,
  truncCutColumn,
  truncDot,
  truncPlanes,
  stackTruncPlanes,
  truncProduct,
  truncProductSigned,
  truncProductTable,
  type TruncPlane,
} from "./truncated.ts";
