/**
 * Verilog for the conventional SC lane (issue 13): comparator SNGs, AND multiplication, an up/down
 * counter, 2^N cycles per product — the arithmetic sc-core's `lfsr` and `sobol` schemes simulate
 * (lane.ts `runUnit`, sng.ts), b = 1.
 *
 * Per unit (`convSharedVerilog`, shared by the unit's lanes like the BISC down counter):
 * - the current weight's magnitude and sign (loaded from the unit's weight register);
 * - two random sources restarted at every weight step: LFSR — the stream (activation) generator with
 *   sc-core's table polynomial (LFSR_TAPS) from seed 1, the count (weight) generator with the
 *   reciprocal polynomial from seed 2^N − 1 (sc-core's defaults); Sobol — dimensions 1 and 2
 *   (Gray-code order, the top N bits of the 32-bit points, so an N-bit state XORed with the top N
 *   bits of the direction number V[ctz(t) + 1] selected by the cycle counter);
 * - the weight's comparator (|w| > r_w, broadcast as one bit) and an N-bit cycle counter: `last`
 *   in the step's 2^N-th cycle, when the sequencer loads the next weight (steps overlap as in the
 *   BISC lane, sc-driver.ts); `en` while a step runs.
 * Per lane (`convFrontVerilog`): the activation's comparator (x > r_x; with the LFSR r = state − 1,
 * i.e. x ≥ state), ANDed with the weight's bit, and the count direction sx XOR sw. The up/down
 * counter is the BISC lane's with a 1-bit increment (updownVerilog(accBits, 1)).
 */
import { LFSR_TAPS, reciprocalTaps, sobolDirectionNumbers } from "@sccnn/sc-core";
import { updownName, updownVerilog } from "./sc-lane.ts";

export type ConventionalSng = "lfsr" | "sobol";
export const CONVENTIONAL_SNGS: readonly ConventionalSng[] = ["lfsr", "sobol"];

function check(bits: number, sng: ConventionalSng): void {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16)
    throw new RangeError(`bits (N) must be an integer in 2…16 for the conventional SC lane, got ${String(bits)}`);
  if (!CONVENTIONAL_SNGS.includes(sng))
    throw new RangeError(`sng must be one of ${CONVENTIONAL_SNGS.join(", ")}, got ${String(sng)}`);
}

export function convSharedName(bits: number, sng: ConventionalSng): string {
  return `conv_shared_${sng}_n${bits}`;
}

export function convFrontName(bits: number, sng: ConventionalSng): string {
  return `conv_front_${sng}_n${bits}`;
}

export function convMacName(bits: number, sng: ConventionalSng, accBits: number): string {
  return `conv_mac_${sng}_n${bits}_a${accBits}`;
}

/** Next state of an N-bit Fibonacci LFSR (sc-core Lfsr): s >> 1 | (XOR of bits n − t) << (n − 1). */
function lfsrNext(reg: string, bits: number, taps: readonly number[]): string {
  const fb = taps.map((t) => `${reg}[${bits - t}]`).join(" ^ ");
  return `{${fb}, ${reg}[${bits - 1}:1]}`;
}

/** Top N bits of Sobol direction numbers V[1..N+1] of a dimension, as N-bit constants. */
function sobolTop(bits: number, dimension: number): number[] {
  const V = sobolDirectionNumbers(dimension);
  return Array.from({ length: bits + 1 }, (_, k) => V[k + 1]! >>> (32 - bits));
}

/** Per-unit shared logic of the conventional lane: weight, two random sources, comparator, cycle counter. */
export function convSharedVerilog(bits: number, sng: ConventionalSng): string {
  check(bits, sng);
  const N = bits;
  const lines = [
    `module ${convSharedName(N, sng)}(input clk, input load, input [${N - 1}:0] wmag, input swin, output en, output last, output reg sw, output cw, output [${N - 1}:0] rx);`,
    `  reg [${N - 1}:0] wm;`,
    `  reg [${N - 1}:0] t;`,
    "  reg v;",
    `  reg [${N - 1}:0] gx, gw;`,
    "  assign en = v;",
    `  assign last = ~v | (&t);`,
  ];
  let nextX: string;
  let nextW: string;
  let initX: string;
  let initW: string;
  if (sng === "lfsr") {
    const taps = LFSR_TAPS[N]!;
    // the stream source's comparator x > state − 1 is x ≥ state: the lane compares with the state
    lines.push("  assign rx = gx;", `  assign cw = wm >= gw;`);
    nextX = lfsrNext("gx", N, taps);
    nextW = lfsrNext("gw", N, reciprocalTaps(taps));
    initX = `${N}'d1`;
    initW = `${N}'d${2 ** N - 1}`;
  } else {
    // r(t) for t = 1, 2, …: r(1) = 0, r(t+1) = r(t) ^ V[ctz(t) + 1]; ctz(t) for t = counter + 1 is
    // the number of trailing ones of the counter
    const vx = sobolTop(N, 1);
    const vw = sobolTop(N, 2);
    const sel = (v: number[]) => {
      const terms: string[] = [];
      for (let k = N; k >= 0; k--) {
        const cond = k === 0 ? `~t[0]` : k === N ? `(&t)` : `(&t[${k - 1}:0]) & ~t[${k}]`;
        terms.push(`(${cond}) ? ${N}'d${v[k]!}`);
      }
      return `${terms.join(" : ")} : ${N}'d0`;
    };
    lines.push(`  wire [${N - 1}:0] dx = ${sel(vx)};`, `  wire [${N - 1}:0] dw = ${sel(vw)};`);
    lines.push("  assign rx = gx;", `  assign cw = wm > gw;`);
    nextX = "gx ^ dx";
    nextW = "gw ^ dw";
    initX = `${N}'d0`;
    initW = `${N}'d0`;
  }
  lines.push(
    "  always @(posedge clk) begin",
    "    if (load) begin",
    `      wm <= wmag; sw <= swin; v <= 1'b1; t <= ${N}'d0; gx <= ${initX}; gw <= ${initW};`,
    "    end else if (v) begin",
    `      t <= t + ${N}'d1; gx <= ${nextX}; gw <= ${nextW};`,
    `      if (&t) v <= 1'b0;`,
    "    end",
    "  end",
    "endmodule",
  );
  return `${lines.join("\n")}\n`;
}

/** Per-lane front: x's comparator against the shared source, AND with the weight's bit, direction. */
export function convFrontVerilog(bits: number, sng: ConventionalSng): string {
  check(bits, sng);
  const N = bits;
  const cmp = sng === "lfsr" ? "x >= rx" : "x > rx";
  return `${[
    `module ${convFrontName(N, sng)}(input [${N - 1}:0] x, input sx, input sw, input cw, input [${N - 1}:0] rx, output [0:0] incr, output down);`,
    `  assign incr = (${cmp}) & cw;`,
    "  assign down = sx ^ sw;",
    "endmodule",
  ].join("\n")}\n`;
}

/** One conventional SC unit with one lane (shared + front + up/down counter), driven like the BISC lane. */
export function convMacVerilog(bits: number, sng: ConventionalSng, accBits: number): string {
  check(bits, sng);
  const N = bits;
  return `${[
    convSharedVerilog(N, sng),
    convFrontVerilog(N, sng),
    updownVerilog(accBits, 1),
    `module ${convMacName(N, sng, accBits)}(input clk, input clear, input load, input [${N - 1}:0] wmag, input swin, input [${N - 1}:0] x, input sx, output en, output last, output [${accBits - 1}:0] acc);`,
    "  wire sw, cw, down;",
    `  wire [${N - 1}:0] rx;`,
    "  wire [0:0] incr;",
    `  ${convSharedName(N, sng)} shared(.clk(clk), .load(load), .wmag(wmag), .swin(swin), .en(en), .last(last), .sw(sw), .cw(cw), .rx(rx));`,
    `  ${convFrontName(N, sng)} front(.x(x), .sx(sx), .sw(sw), .cw(cw), .rx(rx), .incr(incr), .down(down));`,
    `  ${updownName(accBits, 1)} counter(.clk(clk), .clear(clear), .en(en), .down(down), .incr(incr), .acc(acc));`,
    "endmodule",
  ].join("\n")}\n`;
}
