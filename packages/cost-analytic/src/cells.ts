/**
 * Areas (µm²) of the primitive cells the analytic model counts, per technology.
 * Source: the `area` attribute of each cell in the OSU standard-cell Liberty files shipped by
 * Debian's qflow-tech packages (osu018/osu018_stdcells.lib, osu035/osu035_stdcells.lib,
 * osu050/osu05_stdcells.lib), copied here so the model needs no file at run time.
 */
export interface CellAreas {
  INV: number;
  NAND2: number;
  AND2: number;
  OR2: number;
  XOR2: number;
  MUX2: number;
  HA: number;
  FA: number;
  DFF: number;
}

export const CELL_AREAS_UM2: Readonly<Record<string, CellAreas>> = {
  // osu018_stdcells.lib: INVX1, NAND2X1, AND2X1, OR2X1, XOR2X1, MUX2X1, HAX1, FAX1, DFFPOSX1
  osu018: { INV: 16, NAND2: 24, AND2: 32, OR2: 32, XOR2: 56, MUX2: 48, HA: 80, FA: 120, DFF: 96 },
  // osu035_stdcells.lib (same cells)
  osu035: { INV: 64, NAND2: 96, AND2: 128, OR2: 128, XOR2: 224, MUX2: 192, HA: 320, FA: 480, DFF: 384 },
  // osu05_stdcells.lib (same cells)
  osu050: { INV: 144, NAND2: 216, AND2: 288, OR2: 288, XOR2: 504, MUX2: 432, HA: 720, FA: 1080, DFF: 864 },
};

export type CellCounts = Partial<Record<keyof CellAreas, number>>;

export function countsArea(counts: CellCounts, areas: CellAreas): number {
  let a = 0;
  for (const [cell, n] of Object.entries(counts) as [keyof CellAreas, number][]) a += n * areas[cell];
  return a;
}

export function addCounts(...parts: CellCounts[]): CellCounts {
  const out: CellCounts = {};
  for (const p of parts)
    for (const [k, v] of Object.entries(p) as [keyof CellAreas, number][]) out[k] = (out[k] ?? 0) + v;
  return out;
}
