/**
 * The cost-model contract: what a component is, what a model returns for it, and where the
 * numbers come from. Units are in every field name (SI: m², J, s, Hz; areas in µm² because that
 * is the unit of standard-cell Liberty files).
 *
 * Component kinds (one row per hardware building block the arrays are composed of):
 * - `sc-stream-front`  per SC lane: the BISC SNG multiplexer (b = 1) or the b-parallel block
 *                      counter (b > 1) that turns the lane's activation x into the count increment,
 *                      plus the sign XOR. Parameters: bits N, parallel b.
 * - `sc-unit-shared`   per BISC-MVM unit: the down counter holding |w|, the SNG (block) counter and
 *                      the select / partial-block logic broadcast to the unit's lanes. bits, parallel.
 * - `updown-counter`   per SC lane: the up/down accumulator, increment of log2(b) + 1 bits.
 *                      accBits, parallel.
 * - `multiplier`       per binary lane: unsigned N x N magnitude multiplier (combinational). bits.
 * - `accumulator`      per binary lane: add/subtract of the product into an accBits register.
 *                      bits, accBits, productBits (default 2N: the exact product; N for the
 *                      iso-arithmetic lane, whose products are BISC counts).
 * - `iso-recoder`      per iso-arithmetic binary unit: c_k(w) = ⌊w/2^k⌋ − ⌊w/2^(k+1)⌋ for k < N from
 *                      the broadcast weight (shared by the unit's lanes). bits.
 * - `bitserial-multiplier` per bit-serial binary lane (Stripes-like): x shift register + 2N-bit
 *                      shift-add product register, one activation bit per cycle. bits.
 * - `iso-multiplier`   per iso-arithmetic binary lane: Σ_k x[N−1−k]·c_k, the BISC count in one
 *                      cycle (a triangular N(N+1)/2 partial-product array). bits.
 * - `trunc-multiplier` per truncated-multiplier binary lane: N x N magnitude multiplier without the
 *                      partial products below column N − g (no correction), an (N + g)-bit product
 *                      in units of 2^(N−g) (nn arithmetic `fixed-trunc-g<g>`). bits, guardBits.
 * - `fusion-multiplier` per precision-scalable binary lane (Bit Fusion-like): B x B 2-bit bricks,
 *                      B = ⌈N/2⌉, mode-selected fusion into ⌊B/s⌋² products per cycle, summed
 *                      (signed, 4B + 1 bits) by one adder tree (see fusion.ts). bits.
 * - `sc-conv-shared`   per conventional SC unit (sng lfsr | sobol): the current weight, two random
 *                      sources restarted every step, the weight's comparator and the 2^N-cycle step
 *                      counter. bits, sng.
 * - `sc-conv-front`    per conventional SC lane: the activation's comparator, the AND, the sign XOR
 *                      (its up/down counter is `updown-counter` with b = 1). bits, sng.
 * - `register`         a load-enabled register of widthBits flip-flops (activation / weight registers).
 * - `memory`           on-chip storage of widthBits bits (weight / activation buffers), one per
 *                      array; only composed when ArraySpec.memoryBits > 0, identically on both sides.
 */
export type ComponentKind =
  | "sc-stream-front"
  | "sc-unit-shared"
  | "updown-counter"
  | "multiplier"
  | "accumulator"
  | "iso-recoder"
  | "iso-multiplier"
  | "bitserial-multiplier"
  | "trunc-multiplier"
  | "fusion-multiplier"
  | "sc-conv-shared"
  | "sc-conv-front"
  | "register"
  | "memory";

export const COMPONENT_KINDS: readonly ComponentKind[] = [
  "sc-stream-front",
  "sc-unit-shared",
  "updown-counter",
  "multiplier",
  "accumulator",
  "iso-recoder",
  "iso-multiplier",
  "bitserial-multiplier",
  "trunc-multiplier",
  "fusion-multiplier",
  "sc-conv-shared",
  "sc-conv-front",
  "register",
  "memory",
];

/** Random sources of the conventional SC lane (sc-core's comparator SNG schemes). */
export type ConventionalSng = "lfsr" | "sobol";
export const CONVENTIONAL_SNGS: readonly ConventionalSng[] = ["lfsr", "sobol"];

/** What to estimate. Only the parameters the kind uses are read (see ComponentKind). */
export interface ComponentQuery {
  kind: ComponentKind;
  /** Precision N: magnitude bits of activations and weights (sign is separate). */
  bits?: number;
  /** Bit-parallelism b (stream bits consumed per cycle), a power of two; 1 = bit-serial. */
  parallel?: number;
  /** Accumulator width in bits (up/down counter or binary accumulator register). */
  accBits?: number;
  /** `accumulator` only: width of the product it adds (default 2·bits, the exact N x N product). */
  productBits?: number;
  /**
   * `accumulator` only: the product is a productBits-wide two's-complement value, sign-extended and
   * added (the fusion lane's signed sums), instead of a magnitude added or subtracted.
   */
  signedProduct?: boolean;
  /** `trunc-multiplier` only: guard bits g kept below the product's top N bits (0 ≤ g < N). */
  guardBits?: number;
  /** Register width in bits. */
  widthBits?: number;
  /** `sc-conv-*` only: the comparator SNGs' random source. */
  sng?: ConventionalSng;
  /** Technology / library id, e.g. "osu018". A model refuses technologies it has no data for. */
  technology?: string;
}

/** The operating point a model's numbers refer to. */
export interface ReferencePoint {
  /** Technology id ("osu018", "45nm-generic", …). */
  technology: string;
  /** Standard-cell library (file or name) the areas come from. */
  library: string;
  /** Feature size in metres (0.18e-6 for OSU 0.18 µm). */
  featureSizeM?: number;
  supplyV?: number;
  /** Clock period the energies / timings refer to, if any. */
  clockPeriodS?: number;
}

/** Where a number came from: a tool run (with version, script and date) or a publication. */
export interface Provenance {
  source: string;
  tool?: string;
  toolVersion?: string;
  script?: string;
  date?: string;
}

export interface ComponentCost {
  areaUm2: number;
  /** Critical-path delay as a clock period, where the model has it. */
  clockPeriodS?: number;
  cellCount?: number;
  /** Area expressed in two-input NAND gates of the same library. */
  nand2Eq?: number;
  /** Id of the model that produced the estimate. */
  model: string;
  referencePoint: ReferencePoint;
  provenance: Provenance;
}

/** A cost model: estimates components or refuses with a CostRefusal naming the parameter. */
export interface CostModel {
  id: string;
  description: string;
  /** Higher is tried first by a CostRegistry. */
  priority: number;
  estimate(query: ComponentQuery): ComponentCost;
}

/** Canonical string key of a query (only the fields the kind uses), for caches and tables. */
export function componentKey(q: ComponentQuery): string {
  const t = q.technology ?? "";
  switch (q.kind) {
    case "sc-stream-front":
    case "sc-unit-shared":
      return `${q.kind}/N${q.bits}/b${q.parallel ?? 1}/${t}`;
    case "updown-counter":
      return `${q.kind}/A${q.accBits}/b${q.parallel ?? 1}/${t}`;
    case "multiplier":
    case "iso-recoder":
    case "iso-multiplier":
    case "bitserial-multiplier":
    case "fusion-multiplier":
      return `${q.kind}/N${q.bits}/${t}`;
    case "trunc-multiplier":
      return `${q.kind}/N${q.bits}/g${q.guardBits}/${t}`;
    case "accumulator":
      // the exact-product accumulator keeps its historical key; other product widths name theirs
      if (q.signedProduct) return `${q.kind}/N${q.bits}/S${q.productBits}/A${q.accBits}/${t}`;
      return q.productBits === undefined || q.productBits === 2 * (q.bits ?? 0)
        ? `${q.kind}/N${q.bits}/A${q.accBits}/${t}`
        : `${q.kind}/N${q.bits}/P${q.productBits}/A${q.accBits}/${t}`;
    case "sc-conv-shared":
    case "sc-conv-front":
      return `${q.kind}/N${q.bits}/${q.sng}/${t}`;
    case "register":
    case "memory":
      return `${q.kind}/W${q.widthBits}/${t}`;
    default:
      return `${String((q as { kind: unknown }).kind)}/${t}`;
  }
}

/** log2 of a power of two b ≥ 1, or -1 when b is not one. */
export function log2PowerOfTwo(b: number): number {
  if (!Number.isInteger(b) || b < 1) return -1;
  const j = Math.round(Math.log2(b));
  return 2 ** j === b ? j : -1;
}
