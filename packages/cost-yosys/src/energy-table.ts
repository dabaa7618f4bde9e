import { existsSync, readFileSync } from "node:fs";
import { CostRefusal, type ComponentEnergy, type ComponentQuery, type EnergyModel } from "@sccnn/cost";
import { TECHNOLOGIES } from "./liberty.ts";
import type { EnergyTable, EnergyTableEntry } from "./build-energy.ts";

const TABLE_DIR = new URL("../tables/", import.meta.url);

export function energyTablePath(technology: string): string {
  return new URL(`energy-${technology}.json`, TABLE_DIR).pathname;
}

/** The committed energy table of a technology (`pnpm cost:energy` writes it), or null when there is none. */
export function loadEnergyTable(technology: string): EnergyTable | null {
  const p = energyTablePath(technology);
  return existsSync(p) ? (JSON.parse(readFileSync(p, "utf8")) as EnergyTable) : null;
}

type KeyParam =
  | "bits"
  | "parallel"
  | "accBits"
  | "productBits"
  | "widthBits"
  | "lane"
  | "sng"
  | "guardBits"
  | "runBits";

/** Lanes a kind's rows are told apart by (other lanes, and none, are its one-cycle home lane). */
const ROW_LANES: Partial<Record<ComponentQuery["kind"], (lane: string) => boolean>> = {
  "updown-counter": (l) => l === "sc-lfsr" || l === "sc-sobol",
  "bitserial-multiplier": (l) => l === "bit-serial",
  accumulator: (l) => l === "bit-serial" || l === "bit-fusion" || /^trunc-g\d+$/.test(l),
  register: (l) => l === "bit-fusion",
};

/**
 * Exact lookups in an energy table. Keys: SC shared unit and stream front (bits, parallel; the
 * row simulated with the smallest accumulator), up/down counter (bits, parallel, accBits),
 * multiplier, iso recoder, iso product array (bits), bit-serial multiplier (bits; lane bit-serial),
 * accumulator (bits, productBits (default 2N), accBits, and lane "bit-serial" when queried for the
 * bit-serial lane, whose accumulator sees a serial product every cycle; "trunc-g<g>" for the
 * truncated lane's (N + g)-bit products; "bit-fusion"), conventional SC unit and front (bits, sng)
 * with their up/down counter (lane sc-lfsr / sc-sobol), truncated multiplier (bits, guardBits),
 * fusion multiplier (bits, runBits), register (widthBits; lane bit-fusion with runBits for the
 * fusion lane's packed operands). runBits (the fusion lane's run precision) defaults to bits and
 * keys only the bit-fusion rows.
 * Anything else is refused naming the parameter that is off the table's grid.
 */
export function energyLookup(
  table: EnergyTable,
  model: string,
): (q: ComponentQuery & { lane?: string }) => ComponentEnergy {
  const params: Partial<Record<ComponentQuery["kind"], KeyParam[]>> = {
    "sc-unit-shared": ["bits", "parallel"],
    "sc-stream-front": ["bits", "parallel"],
    "updown-counter": ["bits", "parallel", "accBits", "lane"],
    "sc-conv-shared": ["bits", "sng"],
    "sc-conv-front": ["bits", "sng"],
    multiplier: ["bits"],
    "trunc-multiplier": ["bits", "guardBits"],
    "fusion-multiplier": ["bits", "runBits"],
    "iso-recoder": ["bits"],
    "iso-multiplier": ["bits"],
    "bitserial-multiplier": ["bits", "lane"],
    accumulator: ["bits", "productBits", "accBits", "lane", "runBits"],
    register: ["widthBits", "lane", "runBits"],
  };
  // Defaults of absent fields: b = 1, the exact 2N-bit product, the kind's one-cycle home lane,
  // run precision = bits (keyed only in the bit-fusion lane).
  const norm = (kind: ComponentQuery["kind"], p: KeyParam, get: (p: KeyParam) => unknown): unknown => {
    const v = get(p);
    if (p === "parallel") return v ?? 1;
    if (p === "productBits") return v ?? 2 * Number(get("bits"));
    if (p === "lane") return typeof v === "string" && ROW_LANES[kind]?.(v) ? v : "one-cycle";
    if (p === "runBits")
      return kind === "fusion-multiplier" || norm(kind, "lane", get) === "bit-fusion" ? (v ?? get("bits")) : "-";
    return v;
  };
  const keyOf = (kind: ComponentQuery["kind"], ps: KeyParam[], get: (p: KeyParam) => unknown) =>
    `${kind}/${ps.map((p) => `${p}=${String(norm(kind, p, get))}`).join("/")}`;
  const rows = new Map<string, EnergyTableEntry>();
  const sorted = [...table.entries].sort((a, b) => (a.accBits ?? 0) - (b.accBits ?? 0));
  for (const e of sorted) {
    const ps = params[e.kind];
    if (!ps) continue;
    const k = keyOf(e.kind, ps, (p) => e[p as keyof EnergyTableEntry]);
    if (!rows.has(k)) rows.set(k, e);
  }
  return (q) => {
    if ((q.technology ?? table.technology) !== table.technology)
      throw new CostRefusal(model, "technology", q.technology, `the energy table is for ${table.technology}`);
    const ps = params[q.kind];
    if (!ps) throw new CostRefusal(model, "kind", q.kind, "no energy rows for this kind");
    const get = (p: KeyParam) => q[p as keyof typeof q];
    const e = rows.get(keyOf(q.kind, ps, get));
    if (!e) {
      const same = table.entries.filter((x) => x.kind === q.kind);
      if (same.length === 0) throw new CostRefusal(model, "kind", q.kind, "no energy rows for this kind");
      for (const p of ps) {
        const v = norm(q.kind, p, get);
        const have = [...new Set(same.map((x) => norm(q.kind, p, (k) => x[k as keyof EnergyTableEntry])))]
          .map(String)
          .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
        if (v === undefined || !have.includes(String(v)))
          throw new CostRefusal(model, p, v, `not in the energy table (${q.kind} has ${p} ∈ {${have.join(", ")}})`);
      }
      throw new CostRefusal(
        model,
        ps.join("+"),
        ps.map((p) => norm(q.kind, p, get)),
        "not in the energy table",
      );
    }
    return {
      energyPerActionJ: e.energyPerActionJ,
      ...(e.energyPerStepJ !== undefined ? { energyPerStepJ: e.energyPerStepJ } : {}),
      idleEnergyPerCycleJ: e.idleEnergyPerCycleJ,
      leakagePowerW: e.leakageW,
    };
  };
}

/** The energy table as an @sccnn/cost EnergyModel (exact lookups; refuses off-grid queries). */
export function synthEnergyModel(table: EnergyTable): EnergyModel {
  const id = `energy-${table.technology}`;
  const t = TECHNOLOGIES[table.technology];
  const a = table.assumptions;
  return {
    id,
    description: `switching activity of Yosys ${table.provenance.toolVersion} netlists on ${table.library}, priced with its internal_power tables and pin capacitances`,
    referencePoint: {
      technology: table.technology,
      library: table.library,
      ...(t ? { featureSizeM: t.featureSizeM } : {}),
      supplyV: table.supplyV,
      assumptions: `input transition ${a.inputTransitionS * 1e9} ns; ${a.wires}; ${a.delays}; ${a.clock}; operands: ${table.operands.source}`,
    },
    provenance: {
      source: `tables/energy-${table.technology}.json`,
      tool: table.provenance.tool,
      toolVersion: table.provenance.toolVersion,
      script: table.provenance.script.join("; "),
      date: table.provenance.date,
    },
    energy: energyLookup(table, id),
  };
}
