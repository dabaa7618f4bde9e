/**
 * Verilog for the BISC SC lane and the per-unit shared logic, for precision N and b = 2^j stream
 * bits per cycle (j = 0 is the bit-serial lane of SC-CNN-NOTES.md).
 *
 * Stream order: at stream cycle t = 1, 2, … the BISC SNG emits x[N-1-ctz(t)] (0 when ctz(t) ≥ N).
 * A b-parallel lane consumes the aligned block t = i·b+1 … (i+1)·b in one cycle. For a full block
 * the number of ones is Σ_{k<j} x[N-1-k]·2^(j-1-k) (= x >> (N-j)) plus x[N-1-j-ctz(i+1)]; for the
 * partial last block of r < b bits it is Σ_{k<j} x[N-1-k]·m_k(r) with
 * m_k(r) = #{s in 1..r : ctz(s) = k} = ((r >> k) + 1) >> 1. The shared unit broadcasts
 * m_k (the same formula gives 2^(j-1-k) for r = b), `full`, and the one-hot select of
 * ctz(i+1); each lane adds Σ x[N-1-k] ? m_k : 0 plus (full & selected bit). For j = 0 this is the
 * plain multiplexer lane: increment = x[N-1-ctz(t)].
 *
 * Weight steps overlap: the unit raises `last` while the down counter holds at most b stream bits
 * (the step's last cycle, or an empty counter); the sequencer then asserts `load` with the next
 * weight, which the down counter and sign register take at the same edge as the lane's last
 * increment (the activation register loads the next x at that edge too). A step of weight w thus
 * costs ⌈|w|/b⌉ cycles, a zero weight 1 (its load), plus one fill cycle for the first weight of a
 * run: the latency model's count (packages/cost latency.ts, zeroWeightCycles = 1).
 */

function checkNb(bits: number, parallel: number): number {
  if (!Number.isInteger(bits) || bits < 1 || bits > 32)
    throw new RangeError(`bits (N) must be an integer in 1…32, got ${String(bits)}`);
  const j = Math.round(Math.log2(parallel));
  if (!Number.isInteger(parallel) || parallel < 1 || 2 ** j !== parallel)
    throw new RangeError(`parallel (b) must be a power of two, got ${String(parallel)}`);
  if (j > bits) throw new RangeError(`parallel (b) = ${parallel} exceeds the stream length 2^N = ${2 ** bits}`);
  return j;
}

/** Ports of the m_k buses (k < j), widths j - k. */
function mPorts(j: number, dir: "input" | "output"): string[] {
  const out: string[] = [];
  for (let k = 0; k < j; k++) out.push(`${dir} [${j - k - 1}:0] m${k}`);
  return out;
}

export function scFrontName(bits: number, parallel: number): string {
  return `sc_front_n${bits}_b${parallel}`;
}

export function scSharedName(bits: number, parallel: number): string {
  return `sc_shared_n${bits}_b${parallel}`;
}

export function updownName(accBits: number, parallel: number): string {
  return `updown_a${accBits}_b${parallel}`;
}

/** Per-lane stream front: selected stream bit(s) → increment (j+1 bits) and count direction. */
export function scFrontVerilog(bits: number, parallel: number): string {
  const j = checkNb(bits, parallel);
  const N = bits;
  const selW = N - j;
  const ports = [
    `input [${N - 1}:0] x`,
    "input sx",
    "input sw",
    "input full",
    ...mPorts(j, "input"),
    ...(selW > 0 ? [`input [${selW - 1}:0] sel`] : []),
    `output [${j}:0] incr`,
    "output down",
  ];
  const lines = [`module ${scFrontName(bits, parallel)}(${ports.join(", ")});`];
  if (selW > 0) {
    // xr[k] = x[N-1-j-k]: the bit a block whose index has ctz = k contributes.
    const xr = Array.from({ length: selW }, (_, k) => `x[${N - 1 - j - k}]`).reverse();
    lines.push(`  wire [${selW - 1}:0] xr = {${xr.join(", ")}};`);
    lines.push(`  wire xb = full & (|(sel & xr));`);
  } else {
    lines.push(`  wire xb = 1'b0;`);
  }
  const terms = [`{${j > 0 ? `${j}'b0, ` : ""}xb}`];
  for (let k = 0; k < j; k++) {
    lines.push(`  wire [${j}:0] t${k} = x[${N - 1 - k}] ? {${k + 1}'b0, m${k}} : ${j + 1}'b0;`);
    terms.push(`t${k}`);
  }
  lines.push(`  assign incr = ${terms.join(" + ")};`);
  lines.push(`  assign down = sx ^ sw;`);
  lines.push("endmodule");
  return `${lines.join("\n")}\n`;
}

/** Per-unit shared logic: down counter (remaining stream bits), block counter, select, m_k, sign. */
export function scSharedVerilog(bits: number, parallel: number): string {
  const j = checkNb(bits, parallel);
  const N = bits;
  const selW = N - j;
  const ports = [
    "input clk",
    "input load",
    `input [${N - 1}:0] wmag`,
    "input swin",
    "output en",
    "output last",
    "output full",
    "output reg sw",
    ...mPorts(j, "output"),
    ...(selW > 0 ? [`output [${selW - 1}:0] sel`] : []),
  ];
  const lines = [`module ${scSharedName(bits, parallel)}(${ports.join(", ")});`];
  lines.push(`  reg [${N - 1}:0] d;`);
  lines.push(`  assign en = |d;`);
  // d ≤ b: this cycle consumes the rest of the weight (or the counter is empty)
  lines.push(j === N ? `  assign last = 1'b1;` : `  assign last = {1'b0, d} <= ${N + 1}'d${parallel};`);
  lines.push(j === 0 ? `  assign full = en;` : j < N ? `  assign full = |d[${N - 1}:${j}];` : `  assign full = 1'b0;`);
  if (j > 0) {
    lines.push(`  wire [${j}:0] r = full ? ${j + 1}'d${parallel} : {1'b0, d[${j - 1}:0]};`);
    for (let k = 0; k < j; k++) {
      lines.push(`  wire [${j}:0] h${k} = (r >> ${k}) + ${j + 1}'d1;`);
      lines.push(`  assign m${k} = h${k}[${j - k}:1];`);
    }
  }
  if (selW > 0) {
    lines.push(`  reg [${selW - 1}:0] u;`);
    lines.push(`  assign sel = u & (~u + ${selW}'d1);`);
  }
  lines.push(`  always @(posedge clk) begin`);
  lines.push(`    if (load) begin`);
  lines.push(`      d <= wmag;`);
  lines.push(`      sw <= swin;`);
  if (selW > 0) lines.push(`      u <= ${selW}'d1;`);
  lines.push(`    end else if (en) begin`);
  lines.push(j === 0 ? `      d <= d - ${N}'d1;` : `      d <= full ? d - ${N}'d${parallel % 2 ** N} : ${N}'d0;`);
  if (selW > 0) lines.push(`      u <= u + ${selW}'d1;`);
  lines.push(`    end`);
  lines.push(`  end`);
  lines.push("endmodule");
  return `${lines.join("\n")}\n`;
}

/** Per-lane up/down counter of accBits bits with a (j+1)-bit increment. */
export function updownVerilog(accBits: number, parallel: number): string {
  const j = Math.round(Math.log2(parallel));
  if (!Number.isInteger(parallel) || parallel < 1 || 2 ** j !== parallel)
    throw new RangeError(`parallel (b) must be a power of two, got ${String(parallel)}`);
  if (!Number.isInteger(accBits) || accBits < j + 2)
    throw new RangeError(`accBits must be an integer ≥ log2(b) + 2 = ${j + 2}, got ${String(accBits)}`);
  const A = accBits;
  return `${[
    `module ${updownName(accBits, parallel)}(input clk, input clear, input en, input down, input [${j}:0] incr, output reg [${A - 1}:0] acc);`,
    // One adder: acc + (incr XOR down…down) + down is acc − incr when counting down.
    `  wire [${A - 1}:0] addend = {${A - j - 1}'b0, incr} ^ {${A}{down}};`,
    `  always @(posedge clk) begin`,
    `    if (clear) acc <= ${A}'d0;`,
    `    else if (en) acc <= acc + addend + {${A - 1}'b0, down};`,
    `  end`,
    "endmodule",
  ].join("\n")}\n`;
}

export function biscMacName(bits: number, parallel: number, accBits: number): string {
  return `bisc_mac_n${bits}_b${parallel}_a${accBits}`;
}

/**
 * One BISC-MVM unit with a single lane (shared logic + stream front + up/down counter), built from
 * the same modules that are costed. Used by the functional check, the timing and energy tables
 * (driven with driveBiscDot: the next weight loads in the last cycle of the current one).
 */
export function biscMacVerilog(bits: number, parallel: number, accBits: number): string {
  const j = checkNb(bits, parallel);
  const N = bits;
  const selW = N - j;
  const mWires = Array.from({ length: j }, (_, k) => `  wire [${j - k - 1}:0] m${k};`);
  const mConn = Array.from({ length: j }, (_, k) => `.m${k}(m${k})`);
  const selConn = selW > 0 ? [".sel(sel)"] : [];
  return `${[
    scSharedVerilog(bits, parallel),
    scFrontVerilog(bits, parallel),
    updownVerilog(accBits, parallel),
    `module ${biscMacName(bits, parallel, accBits)}(input clk, input clear, input load, input [${N - 1}:0] wmag, input swin, input [${N - 1}:0] x, input sx, output en, output last, output [${accBits - 1}:0] acc);`,
    `  wire full, sw, down;`,
    ...mWires,
    ...(selW > 0 ? [`  wire [${selW - 1}:0] sel;`] : []),
    `  wire [${j}:0] incr;`,
    `  ${scSharedName(bits, parallel)} shared(${[".clk(clk)", ".load(load)", ".wmag(wmag)", ".swin(swin)", ".en(en)", ".last(last)", ".full(full)", ".sw(sw)", ...mConn, ...selConn].join(", ")});`,
    `  ${scFrontName(bits, parallel)} front(${[".x(x)", ".sx(sx)", ".sw(sw)", ".full(full)", ...mConn, ...selConn, ".incr(incr)", ".down(down)"].join(", ")});`,
    `  ${updownName(accBits, parallel)} counter(.clk(clk), .clear(clear), .en(en), .down(down), .incr(incr), .acc(acc));`,
    "endmodule",
  ].join("\n")}\n`;
}
