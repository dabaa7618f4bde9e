import {
  CostRefusal,
  log2PowerOfTwo,
  type ComponentCost,
  type ComponentQuery,
  type CostModel,
  type CostModelOptions,
} from "@sccnn/cost";
import { CELL_AREAS_UM2, countsArea, type CellCounts } from "./cells.ts";
import {
  accumulatorCounts,
  bitSerialMultiplierCounts,
  truncMultiplierCounts,
  fusionMultiplierCounts,
  isoMultiplierCounts,
  isoRecoderCounts,
  memoryCounts,
  multiplierCounts,
  registerCounts,
  streamFrontCounts,
  unitSharedCounts,
  updownCounterCounts,
} from "./gate-counts.ts";

export const ANALYTIC_MODEL_ID = "analytic-gates";

function int(
  q: ComponentQuery,
  field: "bits" | "accBits" | "widthBits" | "guardBits",
  min: number,
  max: number,
): number {
  const v = q[field];
  if (v === undefined || !Number.isInteger(v) || v < min || v > max) {
    throw new CostRefusal(ANALYTIC_MODEL_ID, field, v, `must be an integer in ${min}…${max} for ${q.kind}`);
  }
  return v;
}

function parallelOf(q: ComponentQuery, bits: number): number {
  const b = q.parallel ?? 1;
  const j = log2PowerOfTwo(b);
  if (j < 0) throw new CostRefusal(ANALYTIC_MODEL_ID, "parallel", b, "must be a power of two");
  if (j > bits) throw new CostRefusal(ANALYTIC_MODEL_ID, "parallel", b, `exceeds the stream length 2^N = ${2 ** bits}`);
  return b;
}

/** Structural cell counts for a query (refuses what it cannot count). */
export function analyticCellCounts(q: ComponentQuery): CellCounts {
  switch (q.kind) {
    case "register":
      return registerCounts(int(q, "widthBits", 1, 256));
    case "memory":
      return memoryCounts(int(q, "widthBits", 1, 2 ** 30));
    case "multiplier":
      return multiplierCounts(int(q, "bits", 1, 32));
    case "accumulator": {
      const N = int(q, "bits", 1, 32);
      const pb = q.productBits ?? 2 * N;
      // a signed (fusion-lane) sum is 4⌈N/2⌉ + 1 bits, up to 2N + 3
      const maxPb = q.signedProduct ? 2 * N + 3 : 2 * N;
      if (!Number.isInteger(pb) || pb < 1 || pb > maxPb)
        throw new CostRefusal(ANALYTIC_MODEL_ID, "productBits", pb, `must be an integer in 1…${maxPb}`);
      return accumulatorCounts(N, int(q, "accBits", pb + 1, 96), pb);
    }
    case "iso-recoder":
      return isoRecoderCounts(int(q, "bits", 1, 32));
    case "iso-multiplier":
      return isoMultiplierCounts(int(q, "bits", 1, 32));
    case "fusion-multiplier":
      return fusionMultiplierCounts(int(q, "bits", 2, 32));
    case "trunc-multiplier": {
      const N = int(q, "bits", 1, 32);
      return truncMultiplierCounts(N, int(q, "guardBits", 0, N - 1));
    }
    case "bitserial-multiplier":
      return bitSerialMultiplierCounts(int(q, "bits", 2, 32));
    case "updown-counter": {
      const A = int(q, "accBits", 2, 96);
      const b = q.parallel ?? 1;
      if (log2PowerOfTwo(b) < 0) throw new CostRefusal(ANALYTIC_MODEL_ID, "parallel", b, "must be a power of two");
      if (A < log2PowerOfTwo(b) + 2)
        throw new CostRefusal(ANALYTIC_MODEL_ID, "accBits", A, `must be ≥ log2(b) + 2 = ${log2PowerOfTwo(b) + 2}`);
      return updownCounterCounts(A, b);
    }
    case "sc-stream-front": {
      const N = int(q, "bits", 1, 32);
      return streamFrontCounts(N, parallelOf(q, N));
    }
    case "sc-unit-shared": {
      const N = int(q, "bits", 1, 32);
      return unitSharedCounts(N, parallelOf(q, N));
    }
    default:
      throw new CostRefusal(ANALYTIC_MODEL_ID, "kind", (q as { kind: unknown }).kind, "unknown component kind");
  }
}

/**
 * The analytic gate-count model: textbook cell counts x Liberty cell areas. Lower priority than
 * synthesized tables, so a registry uses it where no table entry exists (other widths, b, N).
 */
export function analyticModel(options: { priority?: number; defaultTechnology?: string } = {}): CostModel {
  const defaultTechnology = options.defaultTechnology ?? "osu018";
  return {
    id: ANALYTIC_MODEL_ID,
    description: "analytic gate counts (textbook circuits) x OSU Liberty cell areas",
    priority: options.priority ?? 1,
    estimate(q: ComponentQuery): ComponentCost {
      const technology = q.technology ?? defaultTechnology;
      const areas = CELL_AREAS_UM2[technology];
      if (!areas)
        throw new CostRefusal(
          ANALYTIC_MODEL_ID,
          "technology",
          technology,
          `cell areas known for ${Object.keys(CELL_AREAS_UM2).join(", ")}`,
        );
      const counts = analyticCellCounts(q);
      const areaUm2 = countsArea(counts, areas);
      return {
        areaUm2,
        cellCount: Object.values(counts).reduce((a, b) => a + b, 0),
        nand2Eq: Math.round((areaUm2 / areas.NAND2) * 100) / 100,
        model: ANALYTIC_MODEL_ID,
        referencePoint: { technology, library: `OSU standard cells (${technology}), areas copied in cells.ts` },
        provenance: { source: "structural cell counts (gate-counts.ts) x OSU Liberty cell areas (cells.ts)" },
      };
    },
  };
}

/** The cost-model package entry (package.json /sccnn/costModel, id "analytic"): found by @sccnn/cost's registry. */
export function createCostModel(options: CostModelOptions): CostModel {
  return analyticModel({ defaultTechnology: options.technology });
}
