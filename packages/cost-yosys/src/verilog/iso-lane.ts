/**
 * Verilog for the iso-arithmetic binary lane: a one-cycle binary MAC whose products are
 * bit-identical to BISC counts (SC-CNN-NOTES.md "What a reviewer will point out").
 *
 * count(x, w) = Σ_{k<N} x[N−1−k] · c_k(w),  c_k(w) = ⌊w/2^k⌋ − ⌊w/2^(k+1)⌋ = (⌊w/2^k⌋ + 1) >> 1
 *
 * c_k depends on the broadcast weight only, so one recoder per unit computes every c_k (N − k bits
 * each, packed LSB-first into one bus `c`) and each lane adds the c_k its activation bits select: a
 * triangular partial-product array of N(N+1)/2 AND gates whose sum is at most w, i.e. N bits. The
 * accumulator then needs N + ⌈log2 K⌉ + 1 bits, like the SC up/down counter (not 2N + …).
 */
import { accumulatorName, accumulatorVerilog } from "./binary-lane.ts";

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 32)
    throw new RangeError(`bits (N) must be an integer in 1…32, got ${String(bits)}`);
}

/** Width of the packed c bus: Σ_k (N − k) = N(N+1)/2. */
export function isoBusBits(bits: number): number {
  return (bits * (bits + 1)) / 2;
}

/** LSB offset of c_k in the packed bus. */
function cOffset(bits: number, k: number): number {
  let o = 0;
  for (let i = 0; i < k; i++) o += bits - i;
  return o;
}

export function isoRecoderName(bits: number): string {
  return `iso_recoder_n${bits}`;
}

export function isoMultiplierName(bits: number): string {
  return `iso_mult_n${bits}`;
}

/** Per-unit recoder: w → c_k(w) = ((w >> k) + 1) >> 1 for k < N, packed. */
export function isoRecoderVerilog(bits: number): string {
  checkBits(bits);
  const N = bits;
  const lines = [`module ${isoRecoderName(N)}(input [${N - 1}:0] w, output [${isoBusBits(N) - 1}:0] c);`];
  for (let k = 0; k < N; k++) {
    const wk = N - k; // width of c_k
    lines.push(`  wire [${wk}:0] h${k} = {1'b0, w[${N - 1}:${k}]} + ${wk + 1}'d1;`);
    lines.push(`  assign c[${cOffset(N, k) + wk - 1}:${cOffset(N, k)}] = h${k}[${wk}:1];`);
  }
  lines.push("endmodule");
  return `${lines.join("\n")}\n`;
}

/** Per-lane product: Σ_k x[N−1−k] ? c_k : 0, an N-bit count. */
export function isoMultiplierVerilog(bits: number): string {
  checkBits(bits);
  const N = bits;
  const lines = [
    `module ${isoMultiplierName(N)}(input [${N - 1}:0] x, input [${isoBusBits(N) - 1}:0] c, output [${N - 1}:0] p);`,
  ];
  const terms: string[] = [];
  for (let k = 0; k < N; k++) {
    const wk = N - k;
    const ck = `c[${cOffset(N, k) + wk - 1}:${cOffset(N, k)}]`;
    const pad = N - wk;
    lines.push(`  wire [${N - 1}:0] t${k} = x[${N - 1 - k}] ? ${pad > 0 ? `{${pad}'b0, ${ck}}` : ck} : ${N}'d0;`);
    terms.push(`t${k}`);
  }
  lines.push(`  assign p = ${terms.join(" + ")};`);
  lines.push("endmodule");
  return `${lines.join("\n")}\n`;
}

export function isoMacName(bits: number, accBits: number): string {
  return `iso_mac_n${bits}_a${accBits}`;
}

/**
 * Recoder + lane product + accumulator of N-bit products: the iso-arithmetic lane as costed (one
 * lane per unit), for the functional check against sc-core.
 */
export function isoMacVerilog(bits: number, accBits: number): string {
  checkBits(bits);
  const N = bits;
  const C = isoBusBits(N);
  return `${[
    isoRecoderVerilog(N),
    isoMultiplierVerilog(N),
    accumulatorVerilog(N, accBits, N),
    `module ${isoMacName(N, accBits)}(input clk, input clear, input en, input [${N - 1}:0] x, input sx, input [${N - 1}:0] w, input sw, output [${accBits - 1}:0] acc);`,
    `  wire [${C - 1}:0] c;`,
    `  wire [${N - 1}:0] p;`,
    `  ${isoRecoderName(N)} rec(.w(w), .c(c));`,
    `  ${isoMultiplierName(N)} mul(.x(x), .c(c), .p(p));`,
    `  ${accumulatorName(N, accBits, N)} accu(.clk(clk), .clear(clear), .en(en), .sub(sx ^ sw), .p(p), .acc(acc));`,
    "endmodule",
  ].join("\n")}\n`;
}
