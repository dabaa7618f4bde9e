import { CONVENTIONAL_SNGS, type ComponentCost, type ComponentQuery, type ConventionalSng } from "./component.ts";
import { fusionMode, fusionOperandBits, fusionSumBits } from "./fusion.ts";
import { costMemo, MEMO_LIMIT, onClearCostMemos } from "./memo.ts";

/** Anything that estimates components (a CostRegistry, or a single CostModel). */
export interface ComponentCostSource {
  estimate(query: ComponentQuery): ComponentCost;
  /** Changes whenever the source's answers may change (CostRegistry: on every register). */
  readonly generation?: number;
}

/**
 * Register policy, applied identically to the SC and the binary array:
 * - `io`: one activation register per lane (N magnitude bits + sign) and one weight register per
 *   unit (N + 1 bits) feeding the broadcast;
 * - `none`: registers excluded (only the arithmetic is compared).
 * On-chip memories (weight / activation buffers) are excluded by default: they are binary on both
 * sides and equal for equal storage. ArraySpec.memoryBits > 0 adds one `memory` component of that
 * size to both arrays (estimated by whichever model accepts it).
 */
export type RegisterPolicy = "io" | "none";

export interface ArraySpec {
  /** P: BISC-MVM units (binary: lane groups sharing one broadcast weight). */
  units: number;
  /** M: lanes per unit. */
  lanesPerUnit: number;
  /** N: magnitude bits the hardware is built for. */
  bits: number;
  /** b: SC stream bits per cycle (power of two); ignored by the binary array. */
  parallel?: number;
  /** Largest dot-product length (fan-in) the accumulators must hold without overflow. */
  maxFanIn: number;
  registers?: RegisterPolicy;
  technology?: string;
  /** On-chip buffer bits added to the array (both designs alike); default 0 = memory excluded. */
  memoryBits?: number;
}

export interface AreaPart {
  /** What the part is ("lane: up/down counter", "unit: shared down counter + SNG counter", …). */
  part: string;
  /** The component query it was costed with (energy models price the same component). */
  query: ComponentQuery;
  /** One per lane, per unit, or per array. */
  scope: "lane" | "unit" | "array";
  /** How many copies in the array. */
  count: number;
  areaEachUm2: number;
  areaUm2: number;
  model: string;
}

/**
 * The binary (fixed-point) designs SC is compared with:
 * - `exact`: N x N multiplier, exact 2N-bit products, accumulator 2N + ⌈log2 K⌉ + 1 bits;
 * - `iso-bisc`: one-cycle binary MAC whose products are bit-identical to BISC counts (a shared
 *   per-unit recoder + a triangular per-lane partial-product array), accumulator N + ⌈log2 K⌉ + 1;
 * - `bit-serial`: Stripes-like lane, activation bits serial (run precision n cycles per MAC), exact
 *   products: x shift register + 2N-bit shift-add register + exact accumulator;
 * - `trunc-g<g>`: one-cycle MAC with a truncated multiplier keeping g guard bits (partial products
 *   below column N − g dropped, no correction; nn arithmetic `fixed-trunc-g<g>`), (N + g)-bit
 *   products, accumulator N + g + ⌈log2 K⌉ + 1. g ≥ N keeps every column: costed as the exact lane;
 * - `bit-fusion`: precision-scalable sub-word-parallel lane (Bit Fusion-like bricks, fusion.ts):
 *   exact products, ⌊B/s⌋² MACs per cycle at run precision n (an 8-bit lane: 16 at n ≤ 2, 4 at
 *   n ≤ 4, 1 above), one signed (4B + 1)-bit sum per cycle into an accumulator of
 *   max(2N + ⌈log2 K⌉ + 1, 4B + 2) bits; operand registers hold the widest mode (3B² bits).
 */
export type TruncBaseline = `trunc-g${number}`;
export type BinaryBaseline = "exact" | "iso-bisc" | "bit-serial" | "bit-fusion" | TruncBaseline;
export const BINARY_BASELINES: readonly BinaryBaseline[] = [
  "exact",
  "iso-bisc",
  "bit-serial",
  "bit-fusion",
  "trunc-g0",
  "trunc-g1",
  "trunc-g2",
];

const TRUNC_BASELINE = /^trunc-g(\d{1,2})$/;

/** Guard bits g of a `trunc-g<g>` baseline, or null for any other baseline. */
export function truncBaselineGuard(baseline: string): number | null {
  // the pattern is anchored at "trunc-g": skip it for the other baselines (every energy call asks)
  if (typeof baseline === "string" && !baseline.startsWith("trunc-g")) return null;
  const m = TRUNC_BASELINE.exec(baseline);
  return m ? Number(m[1]) : null;
}

/**
 * The quantised-runtime arithmetic (nn's Arithmetic name) whose accuracy a baseline has at its run
 * precision: exact products for exact and bit-serial, BISC counts for iso-bisc (bit-identical),
 * the truncated products for trunc-g<g>.
 */
export function baselineArithmetic(baseline: BinaryBaseline): string {
  const b = checkBaseline(baseline);
  const g = truncBaselineGuard(b);
  if (g !== null) return `fixed-trunc-g${g}`;
  return b === "iso-bisc" ? "sc-bisc" : "fixed";
}

/** Cycles per MAC of a binary lane at run precision runBits (bit-serial: one activation bit per cycle). */
export function binaryCyclesPerMac(baseline: BinaryBaseline, runBits: number): number {
  return baseline === "bit-serial" ? runBits : 1;
}

/**
 * MACs per lane-cycle of a binary lane built for builtBits running at runBits: bit-fusion ⌊B/s⌋²
 * (its dot products advance that many terms per cycle; networkCycles' binaryMacsPerCycle), 1 else.
 */
export function binaryMacsPerCycle(baseline: BinaryBaseline, runBits: number, builtBits = runBits): number {
  return baseline === "bit-fusion" ? fusionMode(builtBits, runBits).macsPerCycle : 1;
}

export function checkBaseline(b: unknown, name = "baseline"): BinaryBaseline {
  // the named baselines first: the pattern is only run for other trunc-g<g>
  if ((BINARY_BASELINES as readonly unknown[]).includes(b)) return b as BinaryBaseline;
  const g = typeof b === "string" ? truncBaselineGuard(b) : null;
  if (g === null || g > 16)
    throw new RangeError(
      `${name} must be one of ${BINARY_BASELINES.join(", ")} (or trunc-g<g>, g = 0…16), got ${JSON.stringify(b)}`,
    );
  return b as BinaryBaseline;
}

export interface ArrayArea {
  design: "sc" | "binary";
  /** Which binary design (binary arrays only). */
  baseline?: BinaryBaseline;
  /** Conventional SC arrays only (conventionalScArrayArea): the comparator SNGs' random source. */
  sng?: ConventionalSng;
  areaUm2: number;
  /** Area of one lane (its own parts only). */
  laneAreaUm2: number;
  /** Area shared per unit (divided by M it is the lane's share). */
  unitSharedAreaUm2: number;
  lanes: number;
  accBits: number;
  parts: AreaPart[];
  /**
   * Register-to-register combinational delay of the lane in seconds, where every part on the path
   * has a clockPeriodS: SC = shared unit outputs + stream front + up/down counter adder; binary =
   * multiplier + accumulator adder. Undefined when a model gave no timing.
   */
  criticalPathS?: number;
}

function checkPositiveInt(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${String(v)}`);
}

/** ceil(log2(n)) for n ≥ 1. */
export function ceilLog2(n: number): number {
  checkPositiveInt(n, "ceilLog2(n)");
  return Math.ceil(Math.log2(n) - 1e-12);
}

/** SC up/down counter width for a fan-in: N + ceil(log2 fanIn) + 1 (sum of |x·w|/2^N ≤ fanIn·2^N, plus sign). */
export function scAccumulatorBits(bits: number, maxFanIn: number): number {
  return bits + ceilLog2(maxFanIn) + 1;
}

/**
 * Binary accumulator width, sized to what the lane produces: exact 2N-bit products need
 * 2N + ceil(log2 fanIn) + 1 bits; iso-bisc products are BISC counts (≤ 2^N − 1), N + ceil(log2 fanIn) + 1.
 */
export function binaryAccumulatorBits(bits: number, maxFanIn: number, baseline: BinaryBaseline = "exact"): number {
  const a = binaryProductBits(bits, baseline) + ceilLog2(maxFanIn) + 1;
  // the fusion lane adds signed (4B + 1)-bit sums: the register is at least one bit wider
  return baseline === "bit-fusion" ? Math.max(a, fusionSumBits(bits) + 1) : a;
}

/** Width of one product magnitude of a binary lane (trunc-g<g>: N + g, at most the exact 2N). */
export function binaryProductBits(bits: number, baseline: BinaryBaseline = "exact"): number {
  if (checkBaseline(baseline) === "iso-bisc") return bits;
  const g = truncBaselineGuard(baseline);
  return g !== null ? bits + Math.min(g, bits) : 2 * bits;
}

function checkSpec(spec: ArraySpec): void {
  checkPositiveInt(spec.units, "array.units (P)");
  checkPositiveInt(spec.lanesPerUnit, "array.lanesPerUnit (M)");
  checkPositiveInt(spec.bits, "array.bits (N)");
  checkPositiveInt(spec.maxFanIn, "array.maxFanIn");
  const mem = spec.memoryBits ?? 0;
  if (!Number.isInteger(mem) || mem < 0)
    throw new RangeError(`array.memoryBits must be a non-negative integer, got ${String(spec.memoryBits)}`);
  if (spec.registers !== undefined && spec.registers !== "io" && spec.registers !== "none") {
    throw new RangeError(`array.registers must be "io" or "none", got ${String(spec.registers)}`);
  }
}

interface PartCost {
  part: string;
  query: ComponentQuery;
  /** How many copies: one per lane, one per unit, or one per array. */
  scope: "lane" | "unit" | "array";
  /** On the lane's register-to-register path (its delay adds to the clock period). */
  onPath: boolean;
  areaEachUm2: number;
  clockPeriodS?: number;
  model: string;
}

/** Per-lane and per-unit part costs, memoised per cost source and (design, N, b, acc, registers, technology). */
const partCache = new WeakMap<ComponentCostSource, Map<string, PartCost[]>>();

function partCost(
  source: ComponentCostSource,
  label: string,
  perLane: boolean | "array",
  q: ComponentQuery,
  onPath = false,
): PartCost {
  const c = source.estimate(q);
  const scope = perLane === "array" ? "array" : perLane ? "lane" : "unit";
  return {
    part: label,
    query: q,
    scope,
    onPath,
    areaEachUm2: c.areaUm2,
    ...(c.clockPeriodS !== undefined ? { clockPeriodS: c.clockPeriodS } : {}),
    model: c.model,
  };
}

function cachedParts(source: ComponentCostSource, key0: string, build: () => PartCost[]): PartCost[] {
  // A registry that gains models bumps its generation, which retires these entries.
  const key = `${source.generation ?? 0}/${key0}`;
  let m = partCache.get(source);
  if (!m) partCache.set(source, (m = new Map()));
  let parts = m.get(key);
  if (!parts) m.set(key, (parts = build()));
  return parts;
}

function total(
  design: "sc" | "binary",
  spec: ArraySpec,
  accBits: number,
  costs: PartCost[],
  baseline?: BinaryBaseline,
  sng?: ConventionalSng,
): ArrayArea {
  const P = spec.units;
  const lanes = P * spec.lanesPerUnit;
  const parts: AreaPart[] = [];
  let areaUm2 = 0;
  let laneAreaUm2 = 0;
  let unitSharedAreaUm2 = 0;
  let pathS: number | undefined = 0;
  for (const c of costs) {
    if (c.onPath) pathS = pathS === undefined || c.clockPeriodS === undefined ? undefined : pathS + c.clockPeriodS;
    const count = c.scope === "lane" ? lanes : c.scope === "unit" ? P : 1;
    parts.push({
      part: c.part,
      query: c.query,
      scope: c.scope,
      count,
      areaEachUm2: c.areaEachUm2,
      areaUm2: c.areaEachUm2 * count,
      model: c.model,
    });
    areaUm2 += c.areaEachUm2 * count;
    if (c.scope === "lane") laneAreaUm2 += c.areaEachUm2;
    else if (c.scope === "unit") unitSharedAreaUm2 += c.areaEachUm2;
  }
  return {
    design,
    ...(baseline !== undefined ? { baseline } : {}),
    ...(sng !== undefined ? { sng } : {}),
    areaUm2,
    laneAreaUm2,
    unitSharedAreaUm2,
    lanes,
    accBits,
    parts,
    ...(pathS !== undefined ? { criticalPathS: pathS } : {}),
  };
}

/**
 * Composed arrays per cost source (its generation), technology and the rest of the spec: sweeps
 * ask for the same few shapes again and again, and composing one (checks, part keys, the parts
 * list) costs more than the rest of a design point. Entries are frozen: every caller gets the same
 * object. Keys hold only numbers and fixed words (technology, the one free string, picks the map),
 * so two specs share an entry only if they compose the same array; only valid specs get entries.
 */
let composed = new WeakMap<
  ComponentCostSource,
  { generation: number; byTechnology: Map<unknown, Map<string, ArrayArea>> }
>();
onClearCostMemos(() => {
  composed = new WeakMap();
});

function composedMemo(source: ComponentCostSource, technology: string | undefined): Map<string, ArrayArea> {
  const generation = source.generation ?? 0;
  let m = composed.get(source);
  // a registry that gains models bumps its generation, which retires these entries
  if (!m || m.generation !== generation) composed.set(source, (m = { generation, byTechnology: new Map() }));
  const t = technology ?? "";
  let byKey = m.byTechnology.get(t);
  if (!byKey) m.byTechnology.set(t, (byKey = new Map()));
  else if (byKey.size >= MEMO_LIMIT) byKey.clear();
  return byKey;
}

/**
 * The memo key of a spec (design or baseline first; b only for SC, the binary array ignores it), or
 * undefined when a field is not a number / known register policy (then the array is composed afresh).
 * undefined and "io" registers, and an absent and a zero memory, compose the same array.
 */
function specKey(design: string, spec: ArraySpec, b: unknown): string | undefined {
  const { units, lanesPerUnit, bits, maxFanIn } = spec;
  const memoryBits = spec.memoryBits ?? 0;
  const reg = spec.registers;
  const r = reg === undefined || reg === "io" ? "io" : reg === "none" ? "none" : undefined;
  if (
    r === undefined ||
    typeof units !== "number" ||
    typeof lanesPerUnit !== "number" ||
    typeof bits !== "number" ||
    typeof maxFanIn !== "number" ||
    typeof memoryBits !== "number" ||
    typeof b !== "number"
  )
    return undefined;
  return `${design}/${units}/${lanesPerUnit}/${bits}/${maxFanIn}/${memoryBits}/${r}/${b}`;
}

function frozen(area: ArrayArea): ArrayArea {
  for (const p of area.parts) Object.freeze(p);
  Object.freeze(area.parts);
  return Object.freeze(area);
}

/**
 * SC array: P BISC-MVM units x M lanes. Per unit: shared down counter + SNG counter/FSM (+ weight
 * register); per lane: SNG multiplexer or b-parallel front, up/down counter sized for maxFanIn
 * (+ activation register).
 */
export function scArrayArea(source: ComponentCostSource, spec: ArraySpec): ArrayArea {
  const b = spec.parallel ?? 1;
  const key = costMemo.enabled ? specKey("sc", spec, b) : undefined;
  if (key === undefined) return composeScArrayArea(source, spec);
  const memo = composedMemo(source, spec.technology);
  let area = memo.get(key);
  if (!area) memo.set(key, (area = frozen(composeScArrayArea(source, spec))));
  return area;
}

function composeScArrayArea(source: ComponentCostSource, spec: ArraySpec): ArrayArea {
  checkSpec(spec);
  const { bits: N, technology } = spec;
  const b = spec.parallel ?? 1;
  const accBits = scAccumulatorBits(N, spec.maxFanIn);
  const registers = spec.registers ?? "io";
  const memoryBits = spec.memoryBits ?? 0;
  const costs = cachedParts(source, `sc/${N}/${b}/${accBits}/${registers}/${technology ?? ""}/${memoryBits}`, () => {
    const parts = [
      partCost(
        source,
        "unit: shared down counter + SNG counter",
        false,
        { kind: "sc-unit-shared", bits: N, parallel: b, technology },
        true,
      ),
    ];
    if (registers === "io")
      parts.push(partCost(source, "unit: weight register", false, { kind: "register", widthBits: N + 1, technology }));
    parts.push(
      partCost(
        source,
        b === 1 ? "lane: SNG multiplexer" : `lane: ${b}-parallel stream front`,
        true,
        { kind: "sc-stream-front", bits: N, parallel: b, technology },
        true,
      ),
      partCost(
        source,
        "lane: up/down counter",
        true,
        { kind: "updown-counter", accBits, parallel: b, technology },
        true,
      ),
    );
    if (registers === "io")
      parts.push(
        partCost(source, "lane: activation register", true, { kind: "register", widthBits: N + 1, technology }),
      );
    if (memoryBits > 0)
      parts.push(
        partCost(source, "array: on-chip memory", "array", { kind: "memory", widthBits: memoryBits, technology }),
      );
    return parts;
  });
  return total("sc", spec, accBits, costs);
}

/**
 * Binary array: P units x M lanes. `exact`: per lane N x N multiplier + add/sub accumulator of 2N-bit
 * products. `iso-bisc`: per unit a recoder of the broadcast weight into c_k(w), per lane the
 * triangular product array (a BISC count in one cycle) + accumulator of N-bit products.
 * `trunc-g<g>`: per lane the truncated multiplier + accumulator of (N + g)-bit products (costed as
 * the accumulator row of bits = productBits = N + g: the adder and register depend on the product
 * and accumulator widths only). All with the same register policy as the SC array (weight register per unit, activation register per lane).
 */
export function binaryArrayArea(
  source: ComponentCostSource,
  spec: ArraySpec,
  baseline: BinaryBaseline = "exact",
): ArrayArea {
  // valid baselines hold no "/" (the key's separator); anything else is computed (and refused) afresh
  const key =
    costMemo.enabled && typeof baseline === "string" && !baseline.includes("/")
      ? specKey(baseline, spec, 0)
      : undefined;
  if (key === undefined) return composeBinaryArrayArea(source, spec, baseline);
  const memo = composedMemo(source, spec.technology);
  let area = memo.get(key);
  if (!area) memo.set(key, (area = frozen(composeBinaryArrayArea(source, spec, baseline))));
  return area;
}

function composeBinaryArrayArea(source: ComponentCostSource, spec: ArraySpec, baseline: BinaryBaseline): ArrayArea {
  checkSpec(spec);
  checkBaseline(baseline, "array baseline");
  const { bits: N, technology } = spec;
  const accBits = binaryAccumulatorBits(N, spec.maxFanIn, baseline);
  const productBits = binaryProductBits(N, baseline);
  // a truncated multiplier that keeps every column (g ≥ N) is the exact multiplier: costed as it
  const g0 = truncBaselineGuard(baseline);
  const guard = g0 !== null && g0 < N ? g0 : null;
  const registers = spec.registers ?? "io";
  const memoryBits = spec.memoryBits ?? 0;
  const key = `bin/${baseline}/${N}/${accBits}/${registers}/${technology ?? ""}/${memoryBits}`;
  const costs = cachedParts(source, key, () => {
    // operand registers: N + 1 bits; the fusion lane's hold its widest mode (3B² bits)
    const operandBits = baseline === "bit-fusion" ? fusionOperandBits(N) : N + 1;
    const parts: PartCost[] =
      registers === "io"
        ? [partCost(source, "unit: weight register", false, { kind: "register", widthBits: operandBits, technology })]
        : [];
    if (baseline === "iso-bisc")
      parts.push(
        partCost(source, "unit: iso recoder c_k(w)", false, { kind: "iso-recoder", bits: N, technology }, true),
        partCost(source, "lane: iso product array", true, { kind: "iso-multiplier", bits: N, technology }, true),
      );
    else if (baseline === "bit-serial")
      parts.push(
        partCost(
          source,
          "lane: bit-serial shift-add multiplier (x shift register = activation register)",
          true,
          { kind: "bitserial-multiplier", bits: N, technology },
          true,
        ),
      );
    else if (baseline === "bit-fusion")
      parts.push(
        partCost(
          source,
          "lane: fusion brick array + shift-add tree",
          true,
          { kind: "fusion-multiplier", bits: N, technology },
          true,
        ),
      );
    else if (guard !== null) {
      parts.push(
        partCost(
          source,
          `lane: truncated multiplier (g = ${guard})`,
          true,
          { kind: "trunc-multiplier", bits: N, guardBits: guard, technology },
          true,
        ),
      );
    } else parts.push(partCost(source, "lane: multiplier", true, { kind: "multiplier", bits: N, technology }, true));
    parts.push(
      partCost(
        source,
        "lane: accumulator (add/sub + register)",
        true,
        baseline === "bit-fusion"
          ? { kind: "accumulator", bits: N, accBits, productBits: fusionSumBits(N), signedProduct: true, technology }
          : {
              kind: "accumulator",
              bits: guard !== null ? productBits : N,
              accBits,
              ...(productBits !== 2 * N || guard !== null ? { productBits } : {}),
              technology,
            },
        true,
      ),
    );
    // the bit-serial lane's x shift register is its activation register
    if (registers === "io" && baseline !== "bit-serial")
      parts.push(
        partCost(source, "lane: activation register", true, { kind: "register", widthBits: operandBits, technology }),
      );
    if (memoryBits > 0)
      parts.push(
        partCost(source, "array: on-chip memory", "array", { kind: "memory", widthBits: memoryBits, technology }),
      );
    return parts;
  });
  return total("binary", spec, accBits, costs, baseline);
}

/** Stream cycles per product of the conventional SC lane at run precision n (b = 1): 2^n. */
export function conventionalCyclesPerMac(runBits: number): number {
  checkPositiveInt(runBits, "runBits");
  return 2 ** runBits;
}

export function checkSng(v: unknown, name = "sng"): ConventionalSng {
  if (!(CONVENTIONAL_SNGS as readonly unknown[]).includes(v))
    throw new RangeError(`${name} must be one of ${CONVENTIONAL_SNGS.join(", ")}, got ${JSON.stringify(v)}`);
  return v as ConventionalSng;
}

/**
 * Conventional SC array (comparator SNGs, AND, up/down counter; sc-core's lfsr / sobol schemes):
 * P units x M lanes, b = 1. Per unit: the shared random sources, weight comparator and 2^N-cycle
 * step counter (+ weight register); per lane: the activation comparator + AND front and the up/down
 * counter (N + ⌈log2 K⌉ + 1 bits, as BISC's: a product counts at most 2^N) (+ activation register).
 * A product takes 2^N cycles whatever the weight (conventionalCyclesPerMac).
 */
export function conventionalScArrayArea(source: ComponentCostSource, spec: ArraySpec, sng: ConventionalSng): ArrayArea {
  checkSpec(spec);
  checkSng(sng, "array sng");
  if ((spec.parallel ?? 1) !== 1)
    throw new RangeError(`array.parallel (b) must be 1 for the conventional SC array, got ${String(spec.parallel)}`);
  const { bits: N, technology } = spec;
  const accBits = scAccumulatorBits(N, spec.maxFanIn);
  const registers = spec.registers ?? "io";
  const memoryBits = spec.memoryBits ?? 0;
  const costs = cachedParts(
    source,
    `conv/${sng}/${N}/${accBits}/${registers}/${technology ?? ""}/${memoryBits}`,
    () => {
      const parts = [
        partCost(
          source,
          `unit: ${sng} sources + weight comparator + step counter`,
          false,
          { kind: "sc-conv-shared", bits: N, sng, technology },
          true,
        ),
      ];
      if (registers === "io")
        parts.push(
          partCost(source, "unit: weight register", false, { kind: "register", widthBits: N + 1, technology }),
        );
      parts.push(
        partCost(source, "lane: comparator + AND", true, { kind: "sc-conv-front", bits: N, sng, technology }, true),
        partCost(
          source,
          "lane: up/down counter",
          true,
          { kind: "updown-counter", accBits, parallel: 1, technology },
          true,
        ),
      );
      if (registers === "io")
        parts.push(
          partCost(source, "lane: activation register", true, { kind: "register", widthBits: N + 1, technology }),
        );
      if (memoryBits > 0)
        parts.push(
          partCost(source, "array: on-chip memory", "array", { kind: "memory", widthBits: memoryBits, technology }),
        );
      return parts;
    },
  );
  return total("sc", { ...spec, parallel: 1 }, accBits, costs, undefined, sng);
}
