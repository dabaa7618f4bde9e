export * from "./spec.ts";
export * from "./shapes.ts";
export * from "./engine/index.ts";
export * from "./quant/index.ts";
