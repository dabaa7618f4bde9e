import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  CostRefusal,
  componentKey,
  type ComponentCost,
  type ComponentKind,
  type ComponentQuery,
  type ConventionalSng,
  type CostModel,
  type CostModelOptions,
} from "@sccnn/cost";
import { TECHNOLOGIES, DEFAULT_TECHNOLOGY } from "./liberty.ts";

export interface SynthTableEntry {
  kind: ComponentKind;
  bits?: number;
  parallel?: number;
  accBits?: number;
  /** accumulator rows of the iso-arithmetic lane: product width (absent = 2·bits). */
  productBits?: number;
  /** accumulator rows of the fusion lane: the product is a two's-complement sum (sign-extended). */
  signedProduct?: boolean;
  /** trunc-multiplier rows: guard bits g. */
  guardBits?: number;
  widthBits?: number;
  /** conventional SC rows (sc-conv-*): the random source. */
  sng?: ConventionalSng;
  areaUm2: number;
  /** Critical-path delay of the mapped logic (ABC stime with the Liberty timing, no wires), ps. */
  delayPs: number;
  sequentialAreaUm2: number;
  cellCount: number;
  nand2Eq: number;
  cells: Record<string, number>;
}

export interface SynthTable {
  technology: string;
  provenance: {
    tool: string;
    toolVersion: string;
    library: string;
    debianPackage?: string;
    script: string[];
    abcScript: string;
    generator: string;
    date: string;
  };
  nand2AreaUm2: number;
  entries: SynthTableEntry[];
}

const TABLE_DIR = new URL("../tables/", import.meta.url);

export function tablePath(technology: string): string {
  return fileURLToPath(new URL(`${technology}.json`, TABLE_DIR)); // not .pathname: a space stays %20
}

/** Loads the committed table of a technology (`pnpm cost:synth` writes it). */
export function loadSynthTable(technology = DEFAULT_TECHNOLOGY): SynthTable {
  const p = tablePath(technology);
  if (!existsSync(p))
    throw new RangeError(
      `no synthesized cost table for technology "${technology}" at ${p}; run pnpm cost:synth --tech ${technology}`,
    );
  return JSON.parse(readFileSync(p, "utf8")) as SynthTable;
}

function entryQuery(e: SynthTableEntry, technology: string): ComponentQuery {
  return {
    kind: e.kind,
    bits: e.bits,
    parallel: e.parallel,
    accBits: e.accBits,
    productBits: e.productBits,
    guardBits: e.guardBits,
    signedProduct: e.signedProduct,
    widthBits: e.widthBits,
    sng: e.sng,
    technology,
  };
}

/** Synthesized kinds and the parameters their rows are keyed by (memories are not synthesized). */
const PARAMS: Partial<
  Record<ComponentKind, ("bits" | "parallel" | "accBits" | "productBits" | "guardBits" | "widthBits" | "sng")[]>
> = {
  "sc-stream-front": ["bits", "parallel"],
  "sc-unit-shared": ["bits", "parallel"],
  "updown-counter": ["accBits", "parallel"],
  multiplier: ["bits"],
  accumulator: ["bits", "productBits", "accBits"],
  "iso-recoder": ["bits"],
  "iso-multiplier": ["bits"],
  "bitserial-multiplier": ["bits"],
  "trunc-multiplier": ["bits", "guardBits"],
  "fusion-multiplier": ["bits"],
  "sc-conv-shared": ["bits", "sng"],
  "sc-conv-front": ["bits", "sng"],
  register: ["widthBits"],
};

/**
 * A cost model backed by a synthesized table: exact lookups only (no interpolation); anything not
 * in the table is refused naming the parameter that is off the grid.
 */
export function synthTableModel(table: SynthTable, priority = 10): CostModel {
  const id = `yosys-${table.technology}`;
  const byKey = new Map<string, SynthTableEntry>();
  for (const e of table.entries) byKey.set(componentKey(entryQuery(e, table.technology)), e);
  const t = TECHNOLOGIES[table.technology];
  const referencePoint = {
    technology: table.technology,
    library: table.provenance.library,
    ...(t ? { featureSizeM: t.featureSizeM } : {}),
  };
  const provenance = {
    source: `synthesized by ${table.provenance.generator}`,
    tool: table.provenance.tool,
    toolVersion: table.provenance.toolVersion,
    script: table.provenance.script.join("; "),
    date: table.provenance.date,
  };
  return {
    id,
    description: `Yosys ${table.provenance.toolVersion} synthesis onto ${table.provenance.library}`,
    priority,
    estimate(q: ComponentQuery): ComponentCost {
      const tech = q.technology ?? table.technology;
      if (tech !== table.technology)
        throw new CostRefusal(id, "technology", q.technology, `this table is for ${table.technology}`);
      const params = PARAMS[q.kind];
      if (!params) throw new CostRefusal(id, "kind", q.kind, "this kind is not in the synthesized tables");
      const norm: ComponentQuery = { ...q, technology: tech, parallel: q.parallel ?? 1 };
      // an accumulator's product width defaults to the exact product's 2N
      const paramOf = (x: ComponentQuery | SynthTableEntry, p: (typeof params)[number]) =>
        p === "productBits" ? (x.productBits ?? 2 * (x.bits ?? 0)) : (x[p] ?? (p === "parallel" ? 1 : undefined));
      const e = byKey.get(componentKey(norm));
      if (!e) {
        const same = table.entries.filter((x) => x.kind === q.kind);
        for (const p of params) {
          const v = paramOf(norm, p);
          if (v === undefined) throw new CostRefusal(id, p, v, `component ${q.kind} needs ${p}`);
          const have = [...new Set(same.map((x) => paramOf(x, p) ?? 1))].sort((a, b) =>
            typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b)),
          );
          if (!have.includes(v))
            throw new CostRefusal(id, p, v, `not in the synthesized table (${q.kind} has ${p} ∈ {${have.join(", ")}})`);
        }
        throw new CostRefusal(
          id,
          params.join("+"),
          params.map((p) => paramOf(norm, p)),
          `this combination is not in the synthesized table`,
        );
      }
      return {
        areaUm2: e.areaUm2,
        ...(e.delayPs > 0 ? { clockPeriodS: e.delayPs * 1e-12 } : {}),
        cellCount: e.cellCount,
        nand2Eq: e.nand2Eq,
        model: id,
        referencePoint,
        provenance,
      };
    },
  };
}

/**
 * The cost-model package entry (package.json /sccnn/costModel, id "yosys", with timing): the
 * committed synthesized table of the technology, found by @sccnn/cost's registry.
 */
export function createCostModel(options: CostModelOptions): CostModel {
  return synthTableModel(loadSynthTable(options.technology));
}
