export { renderFigure, renderSvg, rasterise } from "./render.ts";
export type { FigureOptions, RenderedFigure, RasterOptions } from "./render.ts";
export { writeFigure } from "./write.ts";
export { FIGURE_FONT_FILE, FIGURE_FONT_FAMILY } from "./fonts.ts";
export { normaliseIds } from "./normalise.ts";
export { createDocument, SVG_NS } from "./dom.ts";
export type { SvgDocument, SvgNode } from "./dom.ts";
export * as Plot from "@observablehq/plot";
