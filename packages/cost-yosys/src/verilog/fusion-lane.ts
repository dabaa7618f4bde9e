/**
 * Verilog for the precision-scalable sub-word-parallel binary lane (issue 13, baseline 5; Bit
 * Fusion-like, Sharma et al., ISCA 2018): a lane built for N bits is a B x B array of 2-bit x
 * 2-bit unsigned BitBricks, B = ⌈N/2⌉, fused into groups of s x s bricks. Each group multiplies one
 * (2s)-bit activation magnitude by one (2s)-bit weight magnitude (brick (i, j) of a group takes
 * activation bits 2i+1:2i and weight bits 2j+1:2j, its product shifted by 2(i + j)); the groups'
 * signed products are summed by one shared adder tree into one dot-product term per cycle, so a
 * lane performs ⌊B/s⌋² MACs per cycle at group size s. Modes: s ∈ {1, 2, 4, …} below B, and B
 * itself (mode index 0 = s = 1, the 2-bit mode; the last = s = B, one full-precision MAC). A run at
 * precision n uses the smallest s with 2s ≥ n (fusionMode).
 *
 * Operands are sign-magnitude as everywhere in the project: group g takes magnitudes
 * x[2s·g +: 2s], w[2s·g +: 2s] and signs sx[g], sw[g]; a negative group product enters the tree
 * in one's complement with its +1 added as a carry bit. Buses are sized for the widest mode
 * (s = 1: B² groups of 2 bits): FUSION_BUS = 2B² magnitude bits, B² sign bits per operand. The sum
 * is a (4B + 1)-bit two's-complement value; the lane's accumulator sign-extends and adds it.
 */
import { fusionBricks, fusionModes, fusionSumBits } from "@sccnn/cost";
import { signedAccumulatorName, signedAccumulatorVerilog } from "./binary-lane.ts";

// the mode arithmetic has one home, @sccnn/cost's fusion.ts (the cost model's cycles use it too)
export { fusionBricks, fusionMode, fusionModes, fusionSumBits } from "@sccnn/cost";

/** Magnitude-bus width per operand (widest mode: B² groups of 2 bits). */
export function fusionBusBits(bits: number): number {
  return 2 * fusionBricks(bits) ** 2;
}

/** Groups (sign bits per operand) in the widest mode: B². */
export function fusionGroups(bits: number): number {
  return fusionBricks(bits) ** 2;
}

/** Width of the mode select: ⌈log2 (number of modes)⌉ (at least 1). */
export function fusionModeBits(bits: number): number {
  return Math.max(1, Math.ceil(Math.log2(fusionModes(bits).length)));
}

export function fusionMultiplierName(bits: number): string {
  return `fusion_mult_n${bits}`;
}

export function fusionMultiplierVerilog(bits: number): string {
  const B = fusionBricks(bits);
  const modes = fusionModes(bits);
  const X = fusionBusBits(bits);
  const G = fusionGroups(bits);
  const W = fusionSumBits(bits);
  const MB = fusionModeBits(bits);
  const lines = [
    `module ${fusionMultiplierName(bits)}(input [${MB - 1}:0] mode, input [${X - 1}:0] x, input [${G - 1}:0] sx, input [${X - 1}:0] w, input [${G - 1}:0] sw, output [${W - 1}:0] s);`,
  ];
  const terms: string[] = [];
  const carries: string[] = [];
  const pick = (cases: string[], zero: string) => {
    // mode-indexed selection; an out-of-range mode selects zero
    let e = zero;
    for (let m = cases.length - 1; m >= 0; m--) e = `mode == ${MB}'d${m} ? ${cases[m]} : ${e}`;
    return e;
  };
  for (let r = 0; r < B; r++)
    for (let c = 0; c < B; c++) {
      const xs: string[] = [];
      const ws: string[] = [];
      const ng: string[] = [];
      const sh: number[] = [];
      for (const s of modes) {
        const Gs = Math.floor(B / s);
        const R = Math.floor(r / s);
        const C = Math.floor(c / s);
        if (R >= Gs || C >= Gs) {
          xs.push("2'd0");
          ws.push("2'd0");
          ng.push("1'b0");
          sh.push(0);
          continue;
        }
        const g = R * Gs + C;
        const i = r - R * s;
        const j = c - C * s;
        xs.push(`x[${2 * s * g + 2 * i + 1}:${2 * s * g + 2 * i}]`);
        ws.push(`w[${2 * s * g + 2 * j + 1}:${2 * s * g + 2 * j}]`);
        ng.push(`(sx[${g}] ^ sw[${g}])`);
        sh.push(2 * (i + j));
      }
      const id = `${r}_${c}`;
      lines.push(`  wire [1:0] bx${id} = ${pick(xs, "2'd0")};`);
      lines.push(`  wire [1:0] bw${id} = ${pick(ws, "2'd0")};`);
      lines.push(`  wire ng${id} = ${pick(ng, "1'b0")};`);
      lines.push(`  wire [3:0] bp${id} = bx${id} * bw${id};`);
      const shifted = sh.map((v) => `({${W - 4}'d0, bp${id}} << ${v})`);
      lines.push(`  wire [${W - 1}:0] sh${id} = ${pick(shifted, `${W}'d0`)};`);
      lines.push(`  wire [${W - 1}:0] t${id} = sh${id} ^ {${W}{ng${id}}};`);
      terms.push(`t${id}`);
      carries.push(`{${W - 1}'d0, ng${id}}`);
    }
  lines.push(`  assign s = ${[...terms, ...carries].join(" + ")};`);
  lines.push("endmodule");
  return `${lines.join("\n")}\n`;
}

export function fusionMacName(bits: number, accBits: number): string {
  return `fusion_mac_n${bits}_a${accBits}`;
}

/** Fusion multiplier + accumulator of its signed sums (the lane as costed). */
export function fusionMacVerilog(bits: number, accBits: number): string {
  const X = fusionBusBits(bits);
  const G = fusionGroups(bits);
  const W = fusionSumBits(bits);
  const MB = fusionModeBits(bits);
  return `${[
    fusionMultiplierVerilog(bits),
    signedAccumulatorVerilog(bits, accBits, W),
    `module ${fusionMacName(bits, accBits)}(input clk, input clear, input en, input [${MB - 1}:0] mode, input [${X - 1}:0] x, input [${G - 1}:0] sx, input [${X - 1}:0] w, input [${G - 1}:0] sw, output [${accBits - 1}:0] acc);`,
    `  wire [${W - 1}:0] s;`,
    `  ${fusionMultiplierName(bits)} mul(.mode(mode), .x(x), .sx(sx), .w(w), .sw(sw), .s(s));`,
    `  ${signedAccumulatorName(bits, accBits, W)} accu(.clk(clk), .clear(clear), .en(en), .p(s), .acc(acc));`,
    "endmodule",
  ].join("\n")}\n`;
}
