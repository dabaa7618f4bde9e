/**
 * Verilog for the binary (fixed-point) lane: an unsigned N x N magnitude multiplier (the sign is
 * the XOR of the operand signs, applied by the accumulator's add/subtract), the add/subtract
 * accumulator register, and a load-enabled register for activations / weights.
 */
function checkInt(v: number, name: string, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(v)}`);
}

export function multiplierName(bits: number): string {
  return `mult_n${bits}`;
}

export function accumulatorName(bits: number, accBits: number): string {
  return `acc_n${bits}_a${accBits}`;
}

export function registerName(widthBits: number): string {
  return `reg_w${widthBits}`;
}

export function multiplierVerilog(bits: number): string {
  checkInt(bits, "bits (N)", 1);
  return `module ${multiplierName(bits)}(input [${bits - 1}:0] a, input [${bits - 1}:0] b, output [${2 * bits - 1}:0] p);\n  assign p = a * b;\nendmodule\n`;
}

export function accumulatorVerilog(bits: number, accBits: number): string {
  checkInt(bits, "bits (N)", 1);
  checkInt(accBits, "accBits", 2 * bits + 1);
  const P = 2 * bits;
  return `${[
    `module ${accumulatorName(bits, accBits)}(input clk, input clear, input en, input sub, input [${P - 1}:0] p, output reg [${accBits - 1}:0] acc);`,
    // One adder: acc + (p XOR sub…sub) + sub is acc − p when subtracting (two's complement).
    `  wire [${accBits - 1}:0] pe = {${accBits - P}'b0, p} ^ {${accBits}{sub}};`,
    `  always @(posedge clk) begin`,
    `    if (clear) acc <= ${accBits}'d0;`,
    `    else if (en) acc <= acc + pe + {${accBits - 1}'b0, sub};`,
    `  end`,
    "endmodule",
  ].join("\n")}\n`;
}

export function registerVerilog(widthBits: number): string {
  checkInt(widthBits, "widthBits", 1);
  return `module ${registerName(widthBits)}(input clk, input load, input [${widthBits - 1}:0] d, output reg [${widthBits - 1}:0] q);\n  always @(posedge clk) if (load) q <= d;\nendmodule\n`;
}

export function binaryMacName(bits: number, accBits: number): string {
  return `bin_mac_n${bits}_a${accBits}`;
}

/** Multiplier + accumulator, the binary lane as costed; used by the functional check. */
export function binaryMacVerilog(bits: number, accBits: number): string {
  return `${[
    multiplierVerilog(bits),
    accumulatorVerilog(bits, accBits),
    `module ${binaryMacName(bits, accBits)}(input clk, input clear, input en, input [${bits - 1}:0] x, input sx, input [${bits - 1}:0] w, input sw, output [${accBits - 1}:0] acc);`,
    `  wire [${2 * bits - 1}:0] p;`,
    `  ${multiplierName(bits)} mul(.a(x), .b(w), .p(p));`,
    `  ${accumulatorName(bits, accBits)} accu(.clk(clk), .clear(clear), .en(en), .sub(sx ^ sw), .p(p), .acc(acc));`,
    "endmodule",
  ].join("\n")}\n`;
}
