import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderFigure, type FigureOptions, type RasterOptions, type RenderedFigure } from "./render.ts";

function writeAtomic(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Renders a figure and writes `<dir>/<name>.svg` and `<dir>/<name>.png` (each written to a
 * temporary file and renamed, so a killed run never leaves half a figure). Returns the paths.
 */
export function writeFigure(
  dir: string,
  name: string,
  options: FigureOptions,
  raster: RasterOptions = {},
): { svgPath: string; pngPath: string; figure: RenderedFigure } {
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new Error(`writeFigure: name "${name}" must be a plain file name (letters, digits, . _ -)`);
  const figure = renderFigure(options, raster);
  mkdirSync(dir, { recursive: true });
  const svgPath = join(dir, `${name}.svg`);
  const pngPath = join(dir, `${name}.png`);
  writeAtomic(svgPath, figure.svg);
  writeAtomic(pngPath, figure.png);
  return { svgPath, pngPath, figure };
}
