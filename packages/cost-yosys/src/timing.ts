/**
 * Clock-targeted synthesis of whole lanes (register to register). The component tables time each
 * component on its own, and summing their delays overstates a lane's path (the multiplier's final
 * adder and the accumulator's adder are merged by synthesis). Here each lane is synthesized as
 * one design with ABC's delay target (`&nf -D`, `buffer -p`, `upsize -D`, `dnsize -D`), and the
 * table records its delay, the slack against the target and, for a lane that misses the target,
 * the same lane with one pipeline register stage (synthesized, so its registers are costed).
 *
 * Lanes: `sc` = one BISC-MVM unit with one lane (shared down counter / SNG counter, stream front,
 * up/down counter), `exact` = N x N multiplier + accumulator of 2N-bit products, `iso-bisc` =
 * recoder + triangular product array + accumulator of N-bit products, `trunc-g<g>` = truncated
 * multiplier + accumulator of (N + g)-bit products, `bit-fusion` = brick array (all modes) +
 * accumulator of its signed (4B + 1)-bit sums. Accumulators get
 * `TIMING_ACC_HEADROOM` bits over the product (fan-in ≤ 2^(headroom − 1)).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { truncBaselineGuard, type LaneTiming, type LaneTimingSource, type TimedDesign } from "@sccnn/cost";
import type { ResolvedLibrary } from "./liberty.ts";
import { SYNTH_SCRIPT, synthesizeDesigns, YOSYS_VERSION } from "./synthesize.ts";
import {
  accumulatorName,
  accumulatorVerilog,
  bitSerialMacName,
  bitSerialMacVerilog,
  multiplierName,
  multiplierVerilog,
} from "./verilog/binary-lane.ts";
import {
  isoBusBits,
  isoMultiplierName,
  isoMultiplierVerilog,
  isoRecoderName,
  isoRecoderVerilog,
} from "./verilog/iso-lane.ts";
import { biscMacName, biscMacVerilog } from "./verilog/sc-lane.ts";
import { TRUNC_GUARD_BITS } from "./grid.ts";
import { truncMultiplierName, truncMultiplierVerilog } from "./verilog/trunc-lane.ts";
import {
  fusionBusBits,
  fusionGroups,
  fusionMacName,
  fusionMacVerilog,
  fusionModeBits,
  fusionMultiplierName,
  fusionMultiplierVerilog,
  fusionSumBits,
} from "./verilog/fusion-lane.ts";
import { signedAccumulatorName, signedAccumulatorVerilog } from "./verilog/binary-lane.ts";
import type { VerilogDesign } from "./verilog/component.ts";

/** Accumulator bits over the product width in the timed lanes: fan-in ≤ 512 (LeNet-5's 400, …). */
export const TIMING_ACC_HEADROOM = 10;

export interface TimedLaneQuery {
  design: TimedDesign;
  bits: number;
  /** SC stream bits per cycle (sc lanes only). */
  parallel?: number;
  pipelined: boolean;
}

export interface TimedLaneEntry extends TimedLaneQuery {
  accBits: number;
  areaUm2: number;
  sequentialAreaUm2: number;
  cellCount: number;
  delayPs: number;
  /** targetPs − delayPs (negative: misses the target). */
  slackPs: number;
}

export interface TimingTable {
  technology: string;
  targetPs: number;
  accHeadroom: number;
  provenance: {
    tool: string;
    toolVersion: string;
    library: string;
    script: string[];
    abcScript: string;
    generator: string;
    date: string;
  };
  entries: TimedLaneEntry[];
}

export interface TimingGrid {
  bits: number[];
  parallel: number[];
}

export const DEFAULT_TIMING_GRID: TimingGrid = {
  bits: [2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16],
  parallel: [1, 2, 4, 8, 16, 32, 64, 128],
};

/** The ABC script with a delay target (ps): mapping, buffering and sizing aim at it; then the timing report. */
export function targetAbcScript(targetPs: number): string {
  if (!(Number.isInteger(targetPs) && targetPs > 0))
    throw new RangeError(`targetPs must be a positive integer, got ${String(targetPs)}`);
  const D = `-D ${targetPs}`;
  return `strash\n&get -n\n&fraig -x\n&put\nscorr\ndc2\ndretime\nstrash\n&get -n\n&dch -f\n&nf ${D}\n&put\nbuffer -p\nupsize ${D}\ndnsize ${D}\ntopo\nstime -p\n`;
}

/** Product width of a timed binary lane. */
function timedProductBits(design: TimedDesign, bits: number): number {
  const g = truncBaselineGuard(design);
  if (g !== null) return bits + Math.min(g, bits);
  if (design === "bit-fusion") return fusionSumBits(bits);
  return design === "exact" || design === "bit-serial" ? 2 * bits : bits;
}

export function timedAccBits(design: TimedDesign, bits: number): number {
  return timedProductBits(design, bits) + TIMING_ACC_HEADROOM;
}

export function timedLaneName(q: TimedLaneQuery): string {
  const base =
    q.design === "sc"
      ? biscMacName(q.bits, q.parallel ?? 1, timedAccBits("sc", q.bits))
      : q.design === "bit-serial"
        ? bitSerialMacName(q.bits, timedAccBits(q.design, q.bits))
        : q.design === "bit-fusion"
          ? fusionMacName(q.bits, timedAccBits(q.design, q.bits))
          : truncBaselineGuard(q.design) !== null
            ? `trunc_lane_n${q.bits}_g${truncBaselineGuard(q.design)}_a${timedAccBits(q.design, q.bits)}`
            : `${q.design === "exact" ? "bin" : "iso"}_lane_n${q.bits}_a${timedAccBits(q.design, q.bits)}`;
  return q.pipelined ? `${base}_pipe` : base;
}

/**
 * A binary lane (exact, iso-bisc or trunc-g<g>) with ports clk, clear, en, x, sx, w, sw, acc. Pipelined: the
 * product, its sign and the enable are registered before the accumulator (one cycle of latency).
 */
export function binaryLaneVerilog(
  design: "exact" | "iso-bisc" | `trunc-g${number}`,
  bits: number,
  pipelined: boolean,
): string {
  const N = bits;
  const A = timedAccBits(design, N);
  const P = timedProductBits(design, N);
  const g = truncBaselineGuard(design);
  const top = timedLaneName({ design, bits, pipelined });
  // the accumulator module: named by N for exact / iso-bisc, by its product width for trunc
  const accN = g !== null ? P : N;
  const product =
    design === "exact"
      ? [`  ${multiplierName(N)} mul(.a(x), .b(w), .p(p));`]
      : g !== null
        ? [`  ${truncMultiplierName(N, g)} mul(.a(x), .b(w), .p(p));`]
        : [
            `  wire [${isoBusBits(N) - 1}:0] c;`,
            `  ${isoRecoderName(N)} rec(.w(w), .c(c));`,
            `  ${isoMultiplierName(N)} mul(.x(x), .c(c), .p(p));`,
          ];
  const stage = pipelined
    ? [
        `  reg [${P - 1}:0] pr;`,
        "  reg sr, er;",
        "  always @(posedge clk) begin pr <= p; sr <= sx ^ sw; er <= en; end",
        `  ${accumulatorName(accN, A, P)} accu(.clk(clk), .clear(clear), .en(er), .sub(sr), .p(pr), .acc(acc));`,
      ]
    : [`  ${accumulatorName(accN, A, P)} accu(.clk(clk), .clear(clear), .en(en), .sub(sx ^ sw), .p(p), .acc(acc));`];
  return `${[
    ...(design === "exact"
      ? [multiplierVerilog(N)]
      : g !== null
        ? [truncMultiplierVerilog(N, g)]
        : [isoRecoderVerilog(N), isoMultiplierVerilog(N)]),
    accumulatorVerilog(accN, A, P),
    `module ${top}(input clk, input clear, input en, input [${N - 1}:0] x, input sx, input [${N - 1}:0] w, input sw, output [${A - 1}:0] acc);`,
    `  wire [${P - 1}:0] p;`,
    ...product,
    ...stage,
    "endmodule",
  ].join("\n")}\n`;
}

/**
 * The SC lane: biscMacVerilog; pipelined, the stream front's increment, direction and the enable
 * are registered before the up/down counter (the result appears one cycle later).
 */
function scLaneVerilog(bits: number, parallel: number, pipelined: boolean): string {
  const A = timedAccBits("sc", bits);
  const src = biscMacVerilog(bits, parallel, A);
  if (!pipelined) return src;
  const name = biscMacName(bits, parallel, A);
  const j = Math.round(Math.log2(parallel));
  // rename the top and cut between front and counter
  return src
    .replace(`module ${name}(`, `module ${name}_pipe(`)
    .replace(
      / {2}(updown_a\d+_b\d+) counter\(\.clk\(clk\), \.clear\(clear\), \.en\(en\), \.down\(down\), \.incr\(incr\), \.acc\(acc\)\);/,
      `  reg [${j}:0] ir;\n  reg dr, er;\n  always @(posedge clk) begin ir <= incr; dr <= down; er <= en; end\n  $1 counter(.clk(clk), .clear(clear), .en(er), .down(dr), .incr(ir), .acc(acc));`,
    );
}

/** The fusion lane (fusionMacVerilog); pipelined, the signed sum and the enable are registered first. */
function fusionLaneVerilog(bits: number, pipelined: boolean): string {
  const A = timedAccBits("bit-fusion", bits);
  if (!pipelined) return fusionMacVerilog(bits, A);
  const X = fusionBusBits(bits);
  const G = fusionGroups(bits);
  const W = fusionSumBits(bits);
  const MB = fusionModeBits(bits);
  return `${[
    fusionMultiplierVerilog(bits),
    signedAccumulatorVerilog(bits, A, W),
    `module ${fusionMacName(bits, A)}_pipe(input clk, input clear, input en, input [${MB - 1}:0] mode, input [${X - 1}:0] x, input [${G - 1}:0] sx, input [${X - 1}:0] w, input [${G - 1}:0] sw, output [${A - 1}:0] acc);`,
    `  wire [${W - 1}:0] s;`,
    `  reg [${W - 1}:0] sr;`,
    "  reg er;",
    "  always @(posedge clk) begin sr <= s; er <= en; end",
    `  ${fusionMultiplierName(bits)} mul(.mode(mode), .x(x), .sx(sx), .w(w), .sw(sw), .s(s));`,
    `  ${signedAccumulatorName(bits, A, W)} accu(.clk(clk), .clear(clear), .en(er), .p(sr), .acc(acc));`,
    "endmodule",
  ].join("\n")}\n`;
}

export function timedLaneVerilog(q: TimedLaneQuery): VerilogDesign {
  if (q.design === "bit-serial" && q.pipelined)
    throw new RangeError("timedLaneVerilog: the bit-serial lane has no pipelined variant");
  const source =
    q.design === "sc"
      ? scLaneVerilog(q.bits, q.parallel ?? 1, q.pipelined)
      : q.design === "bit-serial"
        ? bitSerialMacVerilog(q.bits, timedAccBits(q.design, q.bits))
        : q.design === "bit-fusion"
          ? fusionLaneVerilog(q.bits, q.pipelined)
          : binaryLaneVerilog(q.design, q.bits, q.pipelined);
  const top = timedLaneName(q);
  if (!source.includes(`module ${top}(`)) throw new Error(`timedLaneVerilog: no module ${top} in the generated source`);
  return { top, source };
}

/** Unpipelined lanes of a grid (pipelined variants are added for the lanes that miss the target). */
export function timingQueries(grid: TimingGrid): TimedLaneQuery[] {
  const out: TimedLaneQuery[] = [];
  for (const N of grid.bits) {
    out.push({ design: "exact", bits: N, pipelined: false }, { design: "iso-bisc", bits: N, pipelined: false });
    for (const g of TRUNC_GUARD_BITS) if (g < N) out.push({ design: `trunc-g${g}`, bits: N, pipelined: false });
    if (N >= 2) out.push({ design: "bit-serial", bits: N, pipelined: false });
    if (N >= 2) out.push({ design: "bit-fusion", bits: N, pipelined: false });
    for (const b of grid.parallel) if (b <= 2 ** N) out.push({ design: "sc", bits: N, parallel: b, pipelined: false });
  }
  return out;
}

const laneKey = (design: TimedDesign, bits: number, parallel: number | undefined, pipelined: boolean) =>
  `${design}/${bits}/${design === "sc" ? (parallel ?? 1) : 1}/${pipelined ? "p" : "-"}`;

/** The table as the cost model's LaneTimingSource (refuses lanes it has no row for, naming them). */
export function timingTableSource(table: TimingTable): LaneTimingSource {
  const rows = new Map<string, TimedLaneEntry>();
  for (const e of table.entries) rows.set(laneKey(e.design, e.bits, e.parallel, e.pipelined), e);
  return {
    id: `yosys-${table.technology}-timing`,
    targetPs: table.targetPs,
    lane(design, bits, parallel): LaneTiming {
      const plain = rows.get(laneKey(design, bits, parallel, false));
      if (!plain)
        throw new RangeError(
          `no timed ${design} lane for N = ${bits}${design === "sc" ? `, b = ${parallel ?? 1}` : ""} in the ${table.technology} timing table (pnpm cost:synth)`,
        );
      const pipe = rows.get(laneKey(design, bits, parallel, true));
      return {
        delayPs: plain.delayPs,
        slackPs: plain.slackPs,
        areaUm2: plain.areaUm2,
        ...(pipe ? { pipelined: { delayPs: pipe.delayPs, slackPs: pipe.slackPs, areaUm2: pipe.areaUm2 } } : {}),
      };
    },
  };
}

/**
 * Synthesizes the grid's lanes at the delay target (each in its own yosys instance), then the
 * pipelined variant of every lane that misses it.
 */
export async function buildTimingTable(
  lib: ResolvedLibrary,
  options: {
    targetPs: number;
    grid?: TimingGrid;
    date: string;
    onProgress?: (done: number, total: number) => void;
    /** Rows of an existing table (same target, Yosys and scripts) to keep instead of re-synthesizing. */
    keep?: readonly TimedLaneEntry[];
  },
): Promise<TimingTable> {
  const abc = targetAbcScript(options.targetPs);
  const queries = timingQueries(options.grid ?? DEFAULT_TIMING_GRID);
  const entries: TimedLaneEntry[] = [];
  const kept = new Map((options.keep ?? []).map((e) => [laneKey(e.design, e.bits, e.parallel, e.pipelined), e]));
  const run = async (q: TimedLaneQuery): Promise<TimedLaneEntry> => {
    const [r] = await synthesizeDesigns([timedLaneVerilog(q)], lib.text, abc);
    return {
      ...q,
      accBits: timedAccBits(q.design, q.bits),
      areaUm2: r!.areaUm2,
      sequentialAreaUm2: r!.sequentialAreaUm2,
      cellCount: r!.cellCount,
      delayPs: r!.delayPs,
      slackPs: Math.round((options.targetPs - r!.delayPs) * 100) / 100,
    };
  };
  let total = queries.length;
  for (const q of queries) {
    const e = kept.get(laneKey(q.design, q.bits, q.parallel, false)) ?? (await run(q));
    entries.push(e);
    if (e.slackPs < 0 && q.design !== "bit-serial") {
      total++;
      entries.push(kept.get(laneKey(q.design, q.bits, q.parallel, true)) ?? (await run({ ...q, pipelined: true })));
    }
    options.onProgress?.(entries.length, total);
  }
  return {
    technology: lib.technology,
    targetPs: options.targetPs,
    accHeadroom: TIMING_ACC_HEADROOM,
    provenance: {
      tool: "yosys (@yowasp/yosys)",
      toolVersion: YOSYS_VERSION,
      library: lib.libertyPath,
      script: SYNTH_SCRIPT,
      abcScript: abc,
      generator: "packages/cost-yosys/scripts/synth.ts (pnpm cost:synth)",
      date: options.date,
    },
    entries,
  };
}

const TABLE_DIR = new URL("../tables/", import.meta.url);

/** tables/<technology>.timing.json: whole-lane area and timing at the clock target (no energy). */
export function timingTablePath(technology: string): string {
  return fileURLToPath(new URL(`${technology}.timing.json`, TABLE_DIR));
}

export function loadTimingTable(technology: string): TimingTable {
  const p = timingTablePath(technology);
  if (!existsSync(p))
    throw new RangeError(
      `no timing table for technology "${technology}" at ${p}; run pnpm cost:synth --tech ${technology}`,
    );
  return JSON.parse(readFileSync(p, "utf8")) as TimingTable;
}
