/**
 * Verilog for the truncated-multiplier binary lane (issue 13, baseline 3): an N x N magnitude
 * multiplier whose partial products x_i·w_j in columns i + j < c = N − g are not built (no
 * constant correction), the kept columns summed exactly and shifted down by c: an (N + g)-bit
 * product in units of 2^c, equal to sc-core's `truncProduct(x, w, N, g)` (the runtime's
 * `fixed-trunc-g<g>` arithmetic). The accumulator adds these (N + g)-bit magnitudes with the sign
 * XOR (binary-lane.ts' accumulator of productBits = N + g).
 *
 * Row i of the array is x_i·(w >> (c − i)) for i < c (the bits of w below column c dropped) and
 * x_i·(w << (i − c)) for i ≥ c.
 */
import { accumulatorName, accumulatorVerilog } from "./binary-lane.ts";

function check(bits: number, guard: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 32)
    throw new RangeError(`bits (N) must be an integer in 1…32, got ${String(bits)}`);
  if (!Number.isInteger(guard) || guard < 0 || guard >= bits)
    throw new RangeError(`guard bits (g) must be an integer in 0…N − 1 = ${bits - 1}, got ${String(guard)}`);
}

/** Width of the truncated product: N + g bits. */
export function truncProductBits(bits: number, guard: number): number {
  check(bits, guard);
  return bits + guard;
}

export function truncMultiplierName(bits: number, guard: number): string {
  return `trunc_mult_n${bits}_g${guard}`;
}

export function truncMultiplierVerilog(bits: number, guard: number): string {
  check(bits, guard);
  const N = bits;
  const c = N - guard;
  const P = N + guard;
  const lines = [
    `module ${truncMultiplierName(N, guard)}(input [${N - 1}:0] a, input [${N - 1}:0] b, output [${P - 1}:0] p);`,
  ];
  const terms: string[] = [];
  for (let i = 0; i < N; i++) {
    const row = i < c ? `({${P}'d0, b} >> ${c - i})` : `({${P}'d0, b} << ${i - c})`;
    lines.push(`  wire [${P - 1}:0] r${i} = a[${i}] ? ${row} : ${P}'d0;`);
    terms.push(`r${i}`);
  }
  lines.push(`  assign p = ${terms.join(" + ")};`);
  lines.push("endmodule");
  return `${lines.join("\n")}\n`;
}

export function truncMacName(bits: number, guard: number, accBits: number): string {
  return `trunc_mac_n${bits}_g${guard}_a${accBits}`;
}

/** Truncated multiplier + accumulator of its (N + g)-bit products (the lane as costed). */
export function truncMacVerilog(bits: number, guard: number, accBits: number): string {
  const N = bits;
  const P = truncProductBits(N, guard);
  return `${[
    truncMultiplierVerilog(N, guard),
    accumulatorVerilog(P, accBits, P),
    `module ${truncMacName(N, guard, accBits)}(input clk, input clear, input en, input [${N - 1}:0] x, input sx, input [${N - 1}:0] w, input sw, output [${accBits - 1}:0] acc);`,
    `  wire [${P - 1}:0] p;`,
    `  ${truncMultiplierName(N, guard)} mul(.a(x), .b(w), .p(p));`,
    `  ${accumulatorName(P, accBits, P)} accu(.clk(clk), .clear(clear), .en(en), .sub(sx ^ sw), .p(p), .acc(acc));`,
    "endmodule",
  ].join("\n")}\n`;
}
