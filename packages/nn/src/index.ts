export * from "./spec.ts";
export * from "./shapes.ts";
/** The one output-size formula and geometry type (from sc-core), re-exported for packages above nn. */
export { convOutputSize, type ConvDims, type ConvGeometry } from "@sccnn/sc-core";
export * from "./engine/index.ts";
export * from "./quant/index.ts";
