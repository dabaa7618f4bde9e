/**
 * Modes of the precision-scalable sub-word-parallel binary lane (`bit-fusion` baseline, Bit
 * Fusion-like, Sharma et al. ISCA 2018): a lane built for N bits is a B x B array of 2-bit x 2-bit
 * bricks, B = ⌈N/2⌉, fused into groups of s x s bricks; a group multiplies (2s)-bit magnitudes, so
 * the lane performs ⌊B/s⌋² MACs per cycle. Group sides: powers of two below B, then B. A run at
 * precision n uses the smallest side s with 2s ≥ n (an 8-bit lane: 16 MACs/cycle at n ≤ 2, 4 at
 * n = 3…4, 1 at n = 5…8). cost-yosys' generator (verilog/fusion-lane.ts) builds the same modes.
 */

/** Bricks per side: B = ⌈N/2⌉ (N ≥ 2). */
export function fusionBricks(bits: number): number {
  if (!Number.isInteger(bits) || bits < 2 || bits > 32)
    throw new RangeError(`bits (N) must be an integer in 2…32 for a fusion lane, got ${String(bits)}`);
  return Math.ceil(bits / 2);
}

/** Group sides s (in bricks) of the lane's modes, ascending: powers of two below B, then B. */
export function fusionModes(bits: number): number[] {
  const B = fusionBricks(bits);
  const out: number[] = [];
  for (let s = 1; s < B; s *= 2) out.push(s);
  out.push(B);
  return out;
}

/** The mode a run at precision runBits uses on a lane built for `bits`. */
export function fusionMode(bits: number, runBits: number): { index: number; side: number; macsPerCycle: number } {
  if (!Number.isInteger(runBits) || runBits < 1 || runBits > bits)
    throw new RangeError(`run precision must be an integer in 1…${bits} (the lane's N), got ${String(runBits)}`);
  const modes = fusionModes(bits);
  const index = modes.findIndex((s) => 2 * s >= runBits);
  const side = modes[index]!;
  return { index, side, macsPerCycle: Math.floor(fusionBricks(bits) / side) ** 2 };
}

/** Width of the lane's signed per-cycle sum: 4B + 1 bits (two's complement). */
export function fusionSumBits(bits: number): number {
  return 4 * fusionBricks(bits) + 1;
}

/** Operand register width (widest mode: B² groups of 2 magnitude bits + 1 sign bit): 3B². */
export function fusionOperandBits(bits: number): number {
  return 3 * fusionBricks(bits) ** 2;
}
