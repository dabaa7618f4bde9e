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

/** Accumulator of an N x N lane; productBits defaults to the exact product's 2N (named as before). */
export function accumulatorName(bits: number, accBits: number, productBits = 2 * bits): string {
  return productBits === 2 * bits ? `acc_n${bits}_a${accBits}` : `acc_n${bits}_p${productBits}_a${accBits}`;
}

export function registerName(widthBits: number): string {
  return `reg_w${widthBits}`;
}

export function multiplierVerilog(bits: number): string {
  checkInt(bits, "bits (N)", 1);
  return `module ${multiplierName(bits)}(input [${bits - 1}:0] a, input [${bits - 1}:0] b, output [${2 * bits - 1}:0] p);\n  assign p = a * b;\nendmodule\n`;
}

/**
 * Add/subtract accumulator of productBits-wide magnitudes (2N for the exact multiplier, N for the
 * iso-arithmetic lane, whose products are BISC counts) into an accBits register.
 */
export function accumulatorVerilog(bits: number, accBits: number, productBits = 2 * bits): string {
  checkInt(bits, "bits (N)", 1);
  checkInt(productBits, "productBits", 1);
  checkInt(accBits, "accBits", productBits + 1);
  const P = productBits;
  return `${[
    `module ${accumulatorName(bits, accBits, productBits)}(input clk, input clear, input en, input sub, input [${P - 1}:0] p, output reg [${accBits - 1}:0] acc);`,
    // One adder: acc + (p XOR sub…sub) + sub is acc − p when subtracting (two's complement).
    `  wire [${accBits - 1}:0] pe = {${accBits - P}'b0, p} ^ {${accBits}{sub}};`,
    `  always @(posedge clk) begin`,
    `    if (clear) acc <= ${accBits}'d0;`,
    `    else if (en) acc <= acc + pe + {${accBits - 1}'b0, sub};`,
    `  end`,
    "endmodule",
  ].join("\n")}\n`;
}

export function signedAccumulatorName(bits: number, accBits: number, productBits: number): string {
  return `acc_n${bits}_s${productBits}_a${accBits}`;
}

/**
 * Accumulator of productBits-wide two's-complement terms (the fusion lane's signed dot-product
 * sums): acc + sign-extended p into an accBits register.
 */
export function signedAccumulatorVerilog(bits: number, accBits: number, productBits: number): string {
  checkInt(bits, "bits (N)", 1);
  checkInt(productBits, "productBits", 2);
  checkInt(accBits, "accBits", productBits + 1);
  const P = productBits;
  return `${[
    `module ${signedAccumulatorName(bits, accBits, productBits)}(input clk, input clear, input en, input [${P - 1}:0] p, output reg [${accBits - 1}:0] acc);`,
    `  wire [${accBits - 1}:0] pe = {{${accBits - P}{p[${P - 1}]}}, p};`,
    `  always @(posedge clk) begin`,
    `    if (clear) acc <= ${accBits}'d0;`,
    `    else if (en) acc <= acc + pe;`,
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

export function bitSerialMultiplierName(bits: number): string {
  return `bitserial_mult_n${bits}`;
}

/**
 * Bit-serial multiplier (Stripes-like: activation bits serial, weight parallel). `load` takes x
 * (MSB-aligned: a run at n < N bits loads x << (N − n)) and w and does the first step; each of the
 * next n − 1 cycles p ← 2p + (x_msb ? w : 0) with x shifting left, so p = x·w (2N bits) after n
 * cycles; the accumulator adds it while the next product loads (n cycles per MAC). The x shift
 * register is the lane's activation register; w comes from the unit's broadcast weight register,
 * which holds it for the step.
 */
export function bitSerialMultiplierVerilog(bits: number): string {
  checkInt(bits, "bits (N)", 2);
  const N = bits;
  return `${[
    `module ${bitSerialMultiplierName(N)}(input clk, input load, input [${N - 1}:0] x, input [${N - 1}:0] w, output reg [${2 * N - 1}:0] p);`,
    `  reg [${N - 1}:0] xs;`,
    `  always @(posedge clk) begin`,
    `    if (load) begin xs <= {x[${N - 2}:0], 1'b0}; p <= x[${N - 1}] ? {${N}'b0, w} : ${2 * N}'d0; end`,
    `    else begin p <= {p[${2 * N - 2}:0], 1'b0} + (xs[${N - 1}] ? {${N}'b0, w} : ${2 * N}'d0); xs <= xs << 1; end`,
    `  end`,
    "endmodule",
  ].join("\n")}\n`;
}

export function bitSerialMacName(bits: number, accBits: number): string {
  return `bitserial_mac_n${bits}_a${accBits}`;
}

/** Bit-serial multiplier + accumulator of its 2N-bit products (`en` adds p once it is complete). */
export function bitSerialMacVerilog(bits: number, accBits: number): string {
  const N = bits;
  return `${[
    bitSerialMultiplierVerilog(N),
    accumulatorVerilog(N, accBits),
    `module ${bitSerialMacName(N, accBits)}(input clk, input clear, input load, input en, input [${N - 1}:0] x, input sx, input [${N - 1}:0] w, input sw, output [${accBits - 1}:0] acc);`,
    `  wire [${2 * N - 1}:0] p;`,
    "  reg s;",
    "  always @(posedge clk) if (load) s <= sx ^ sw;",
    `  ${bitSerialMultiplierName(N)} mul(.clk(clk), .load(load), .x(x), .w(w), .p(p));`,
    `  ${accumulatorName(N, accBits)} accu(.clk(clk), .clear(clear), .en(en), .sub(s), .p(p), .acc(acc));`,
    "endmodule",
  ].join("\n")}\n`;
}
