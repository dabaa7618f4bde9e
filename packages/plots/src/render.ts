import * as Plot from "@observablehq/plot";
import { Resvg } from "@resvg/resvg-js";
import { createDocument, SVG_NS, type SvgDocument, type SvgNode } from "./dom.ts";
import { FIGURE_FONT_FAMILY, FIGURE_FONT_FILE } from "./fonts.ts";
import { normaliseIds } from "./normalise.ts";

/**
 * Plot options for one figure. Title, subtitle and caption are plain strings here (Plot also
 * accepts DOM nodes, which cannot be drawn into a self-contained SVG). A legend is supported for
 * the color scale (`color: { legend: true }`): categorical scales become swatches, continuous ones
 * Plot's ramp; both are drawn inside the SVG, so the file stands alone.
 */
export type FigureOptions = Omit<Plot.PlotOptions, "document" | "title" | "subtitle" | "caption" | "className"> & {
  title?: string;
  subtitle?: string;
  caption?: string;
};

export interface RenderedFigure {
  /** Self-contained SVG document (xmlns set, legend and titles inside), ends with a newline. */
  svg: string;
  /** PNG of the same SVG drawn by resvg with the pinned font; byte-stable. */
  png: Buffer;
  widthPx: number;
  heightPx: number;
}

export interface RasterOptions {
  /** Pixels per SVG unit in the PNG; 2 keeps 10 px tick labels readable. */
  scale?: number;
}

const FONT_STACK = `${FIGURE_FONT_FAMILY}, sans-serif`;
const PAD = 8;
const TITLE_SIZE = 16;
const SUBTITLE_SIZE = 12;
const LEGEND_SIZE = 10;
const CAPTION_SIZE = 10;
const SWATCH = 12;
/** Rough advance width of DejaVu Sans per character in em, for wrapping (generous on purpose). */
const EM_PER_CHAR = 0.62;

const LEGEND_SCALES = ["color", "opacity", "r", "symbol", "length"] as const;

function textWidth(text: string, size: number): number {
  return text.length * size * EM_PER_CHAR;
}

function wrap(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((w) => w.length > 0)) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && textWidth(candidate, size) > width) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
  }
  return lines;
}

function el(document: SvgDocument, name: string, attrs: Record<string, string | number>): SvgNode {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function textEl(
  document: SvgDocument,
  x: number,
  y: number,
  size: number,
  content: string,
  extra: Record<string, string | number> = {},
): SvgNode {
  const t = el(document, "text", { x, y, "font-size": size, ...extra });
  t.textContent = content;
  return t;
}

interface ScaleLike {
  type: string;
  domain: unknown[];
  range?: unknown[];
  label?: string;
  apply(value: unknown): unknown;
}

function hasLegend(options: Record<string, unknown>, key: string): boolean {
  const scale = options[key];
  return (
    typeof scale === "object" &&
    scale !== null &&
    (scale as { legend?: unknown }).legend !== undefined &&
    (scale as { legend?: unknown }).legend !== false
  );
}

/** Draws categorical swatches as SVG marks; returns the group and its height. */
function swatches(document: SvgDocument, scale: ScaleLike, width: number): { group: SvgNode; height: number } {
  const group = el(document, "g", { "font-size": LEGEND_SIZE, "text-anchor": "start", "aria-label": "color legend" });
  const rowHeight = SWATCH + 6;
  let x = PAD;
  let y = 0;
  if (scale.label) {
    group.appendChild(textEl(document, x, y + SWATCH - 2, LEGEND_SIZE, scale.label, { "font-weight": "bold" }));
    x += textWidth(scale.label, LEGEND_SIZE) + 10;
  }
  for (const value of scale.domain) {
    const label = String(value);
    const itemWidth = SWATCH + 4 + textWidth(label, LEGEND_SIZE) + 12;
    if (x > PAD && x + itemWidth > width - PAD) {
      x = PAD;
      y += rowHeight;
    }
    group.appendChild(el(document, "rect", { x, y, width: SWATCH, height: SWATCH, fill: String(scale.apply(value)) }));
    group.appendChild(textEl(document, x + SWATCH + 4, y + SWATCH - 2, LEGEND_SIZE, label));
    x += itemWidth;
  }
  return { group, height: y + rowHeight };
}

/**
 * Draws a continuous color scale as a gradient bar with end and middle labels. (Plot's own ramp
 * legend paints the gradient on a <canvas>, which a server-side DOM does not have.)
 */
function ramp(document: SvgDocument, scale: ScaleLike): { group: SvgNode; height: number } {
  const group = el(document, "g", { "font-size": LEGEND_SIZE, "aria-label": "color legend" });
  const numbers = scale.domain.map(Number);
  const lo = Math.min(...numbers);
  const hi = Math.max(...numbers);
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new Error(`renderSvg: color scale of type ${scale.type} has a non-numeric domain; use type "ordinal"`);
  const barWidth = 240;
  const labelHeight = scale.label ? LEGEND_SIZE + 4 : 0;
  const defs = el(document, "defs", {});
  const gradient = el(document, "linearGradient", { id: "plot-ramp-1", x1: 0, x2: 1, y1: 0, y2: 0 });
  const stops = 32;
  for (let i = 0; i <= stops; i++) {
    const t = i / stops;
    gradient.appendChild(el(document, "stop", { offset: t, "stop-color": String(scale.apply(lo + t * (hi - lo))) }));
  }
  defs.appendChild(gradient);
  group.appendChild(defs);
  if (scale.label)
    group.appendChild(
      textEl(document, PAD, LEGEND_SIZE, LEGEND_SIZE, scale.label, { "text-anchor": "start", "font-weight": "bold" }),
    );
  group.appendChild(
    el(document, "rect", { x: PAD, y: labelHeight, width: barWidth, height: 10, fill: "url(#plot-ramp-1)" }),
  );
  const fmt = (v: number) => String(Number(v.toPrecision(4)));
  const ticks: [number, string][] = [
    [0, "start"],
    [0.5, "middle"],
    [1, "end"],
  ];
  for (const [t, anchor] of ticks) {
    group.appendChild(
      textEl(document, PAD + t * barWidth, labelHeight + 10 + LEGEND_SIZE + 2, LEGEND_SIZE, fmt(lo + t * (hi - lo)), {
        "text-anchor": anchor,
      }),
    );
  }
  return { group, height: labelHeight + 10 + LEGEND_SIZE + 4 };
}

/**
 * Renders Plot options to a self-contained SVG string. Deterministic: the class name is fixed,
 * clip/pattern/marker ids are renumbered per figure, and the font is named explicitly.
 */
export function renderSvg(options: FigureOptions): string {
  const document = createDocument();
  const { title, subtitle, caption, ...plotOptions } = options as FigureOptions & Record<string, unknown>;
  for (const [key, value] of Object.entries({ title, subtitle, caption })) {
    if (value !== undefined && typeof value !== "string") throw new Error(`renderSvg: options.${key} must be a string`);
  }
  const raw = plotOptions as Record<string, unknown>;
  for (const key of LEGEND_SCALES) {
    if (key !== "color" && hasLegend(raw, key)) {
      throw new Error(`renderSvg: options.${key}.legend is not supported (only a color legend is drawn into the SVG)`);
    }
  }
  const wantColorLegend = hasLegend(raw, "color");
  const cleaned: Record<string, unknown> = { ...raw, document, className: "plot" };
  if (wantColorLegend) cleaned.color = { ...(raw.color as object), legend: false };

  const plotted = Plot.plot(cleaned as Plot.PlotOptions) as unknown as SvgNode & {
    scale(name: string): ScaleLike | undefined;
  };
  const plotSvg = plotted.tagName.toLowerCase() === "svg" ? plotted : plotted.querySelector("svg");
  if (!plotSvg) throw new Error("renderSvg: Plot returned no <svg> element");
  const width = Number(plotSvg.getAttribute("width"));
  const plotHeight = Number(plotSvg.getAttribute("height"));
  plotSvg.setAttribute("font-family", FONT_STACK);

  const outer = el(document, "svg", { xmlns: SVG_NS });
  const body: { node: SvgNode; height: number }[] = [];
  let y = PAD;
  const header = el(document, "g", { "text-anchor": "start", fill: "black" });
  if (title) {
    for (const line of wrap(title, TITLE_SIZE, width - 2 * PAD)) {
      y += TITLE_SIZE + 4;
      header.appendChild(textEl(document, PAD, y - 4, TITLE_SIZE, line, { "font-weight": "bold" }));
    }
  }
  if (subtitle) {
    for (const line of wrap(subtitle, SUBTITLE_SIZE, width - 2 * PAD)) {
      y += SUBTITLE_SIZE + 5;
      header.appendChild(textEl(document, PAD, y - 4, SUBTITLE_SIZE, line, { fill: "#444" }));
    }
  }
  if (title || subtitle) y += 4;
  if (wantColorLegend) {
    const found = plotted.scale("color");
    if (!found) throw new Error("renderSvg: options.color.legend is set but the figure has no color scale");
    const optionLabel = (raw.color as { label?: unknown }).label;
    const scale: ScaleLike = Object.assign(Object.create(found) as ScaleLike, {
      label: found.label ?? (typeof optionLabel === "string" ? optionLabel : undefined),
    });
    if (scale.type === "ordinal" || scale.type === "categorical") {
      const { group, height } = swatches(document, scale, width);
      group.setAttribute("transform", `translate(0,${y})`);
      body.push({ node: group, height });
      y += height + 4;
    } else {
      const { group, height: h } = ramp(document, scale);
      group.setAttribute("transform", `translate(0,${y})`);
      body.push({ node: group, height: h });
      y += h + 4;
    }
  }
  plotSvg.setAttribute("x", "0");
  plotSvg.setAttribute("y", String(y));
  body.push({ node: plotSvg, height: plotHeight });
  y += plotHeight;
  const footer = el(document, "g", { "text-anchor": "start", fill: "#444" });
  if (caption) {
    y += 4;
    for (const line of wrap(caption, CAPTION_SIZE, width - 2 * PAD)) {
      y += CAPTION_SIZE + 4;
      footer.appendChild(textEl(document, PAD, y - 3, CAPTION_SIZE, line));
    }
  }
  const height = Math.ceil(y + PAD);
  outer.setAttribute("width", String(width));
  outer.setAttribute("height", String(height));
  outer.setAttribute("viewBox", `0 0 ${width} ${height}`);
  outer.setAttribute("font-family", FONT_STACK);
  outer.appendChild(el(document, "rect", { width: "100%", height: "100%", fill: "white" }));
  if (title || subtitle) outer.appendChild(header);
  for (const part of body) outer.appendChild(part.node);
  if (caption) outer.appendChild(footer);
  return `${normaliseIds(outer.outerHTML)}\n`;
}

/** Draws an SVG string to PNG with resvg and only the pinned font, so the bytes are stable. */
export function rasterise(
  svg: string,
  options: RasterOptions = {},
): { png: Buffer; widthPx: number; heightPx: number; pixels: Buffer } {
  const scale = options.scale ?? 2;
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [FIGURE_FONT_FILE],
      defaultFontFamily: FIGURE_FONT_FAMILY,
      sansSerifFamily: FIGURE_FONT_FAMILY,
    },
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    logLevel: "off",
  });
  const image = resvg.render();
  return { png: image.asPng(), widthPx: image.width, heightPx: image.height, pixels: image.pixels };
}

/** Renders Plot options to a self-contained SVG and its PNG. */
export function renderFigure(options: FigureOptions, raster: RasterOptions = {}): RenderedFigure {
  const svg = renderSvg(options);
  const { png, widthPx, heightPx } = rasterise(svg, raster);
  return { svg, png, widthPx, heightPx };
}
