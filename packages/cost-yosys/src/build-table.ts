import type { ComponentQuery } from "@sccnn/cost";
import { libertyCellAreas, nand2Area, TECHNOLOGIES, type ResolvedLibrary } from "./liberty.ts";
import { ABC_SCRIPT, SYNTH_SCRIPT, synthesizeDesigns, YOSYS_VERSION } from "./synthesize.ts";
import type { SynthTable, SynthTableEntry } from "./table.ts";
import { componentVerilog } from "./verilog/component.ts";

/**
 * Synthesizes every query onto the library and returns the table (each design in its own yosys
 * instance, see synthesizeDesigns); `onProgress(done, total)` is called after each batch of designs.
 */
export async function buildSynthTable(
  queries: readonly ComponentQuery[],
  lib: ResolvedLibrary,
  options: { batchSize?: number; date: string; onProgress?: (done: number, total: number) => void },
): Promise<SynthTable> {
  const nand2 = nand2Area(libertyCellAreas(lib.text));
  const batchSize = options.batchSize ?? 12;
  const entries: SynthTableEntry[] = [];
  for (let i = 0; i < queries.length; i += batchSize) {
    const chunk = queries.slice(i, i + batchSize);
    const results = await synthesizeDesigns(chunk.map(componentVerilog), lib.text);
    chunk.forEach((q, k) => {
      const r = results[k]!;
      const e: SynthTableEntry = {
        kind: q.kind,
        ...(q.bits !== undefined ? { bits: q.bits } : {}),
        ...(q.parallel !== undefined ? { parallel: q.parallel } : {}),
        ...(q.accBits !== undefined ? { accBits: q.accBits } : {}),
        ...(q.productBits !== undefined ? { productBits: q.productBits } : {}),
        ...(q.guardBits !== undefined ? { guardBits: q.guardBits } : {}),
        ...(q.signedProduct ? { signedProduct: true } : {}),
        ...(q.widthBits !== undefined ? { widthBits: q.widthBits } : {}),
        ...(q.sng !== undefined ? { sng: q.sng } : {}),
        areaUm2: r.areaUm2,
        delayPs: r.delayPs,
        sequentialAreaUm2: r.sequentialAreaUm2,
        cellCount: r.cellCount,
        nand2Eq: Math.round((r.areaUm2 / nand2) * 100) / 100,
        cells: r.cells,
      };
      entries.push(e);
    });
    options.onProgress?.(Math.min(i + batchSize, queries.length), queries.length);
  }
  const t = TECHNOLOGIES[lib.technology];
  return {
    technology: lib.technology,
    provenance: {
      tool: "yosys (@yowasp/yosys)",
      toolVersion: YOSYS_VERSION,
      library: lib.libertyPath,
      ...(t ? { debianPackage: t.debianPackage } : {}),
      script: SYNTH_SCRIPT,
      abcScript: ABC_SCRIPT,
      generator: "packages/cost-yosys/scripts/synth.ts (pnpm cost:synth)",
      date: options.date,
    },
    nand2AreaUm2: nand2,
    entries,
  };
}
