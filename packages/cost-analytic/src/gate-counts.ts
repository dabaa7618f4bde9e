import { addCounts, type CellCounts } from "./cells.ts";

/**
 * Structural cell counts of each component, written from the textbook circuits (not from
 * synthesis), so this model is independent of the Yosys tables:
 * - register: W flip-flops with a load multiplexer each;
 * - N x N array multiplier: N² AND2 partial products, N(N−2) full adders and N half adders
 *   (the carry-save array with a ripple final row, Rabaey et al., Digital Integrated Circuits,
 *   2nd ed., §11.5);
 * - ripple add/subtract of width A: A full adders, an XOR per addend bit for the subtract, a MUX2
 *   per bit for the enable and an AND2 per bit for the synchronous clear, plus A flip-flops;
 * - iso-arithmetic recoder (per unit): c_k(w) = (⌊w/2^k⌋ + 1) >> 1, an incrementer of N − k half
 *   adders per k; iso product array (per lane): N(N+1)/2 AND2 partial products summed by a
 *   carry-save tree of about N(N−1)/2 full adders and a ripple row of N half adders;
 * - up/down counter: like the accumulator, but the addend has only log2(b) + 1 bits, so the upper
 *   bits are half adders (an incrementer/decrementer chain);
 * - BISC SNG lane front: a one-hot AND-OR multiplexer over N − j bits; for b = 2^j > 1 the
 *   gated m_k terms (Σ (j−k) AND2) and a carry-save sum of j + 1 terms into j + 1 bits;
 * - shared unit: N-bit loadable down counter, (N − j)-bit block counter with lowest-set-bit
 *   isolation, the OR-reduce for `en`, the m_k increment logic and the sign flip-flop;
 * - on-chip memory of W bits: a flip-flop register file, per bit a flip-flop, a write-enable
 *   multiplexer and a share of the read multiplexer tree (an upper bound for SRAM, which this
 *   library does not have).
 */
export function registerCounts(widthBits: number): CellCounts {
  return { DFF: widthBits, MUX2: widthBits };
}

export function multiplierCounts(bits: number): CellCounts {
  const N = bits;
  if (N === 1) return { AND2: 1 };
  return { AND2: N * N, FA: N * Math.max(0, N - 2), HA: N };
}

/** Accumulator of productBits-wide products (default 2N, the exact product). */
export function accumulatorCounts(bits: number, accBits: number, productBits = 2 * bits): CellCounts {
  const A = accBits;
  return { DFF: A, FA: A, XOR2: productBits, MUX2: A, AND2: A };
}

/** Bit-serial multiplier: N-bit x shift register, 2N-bit product register with a 2N-bit adder, N AND2. */
export function bitSerialMultiplierCounts(bits: number): CellCounts {
  const N = bits;
  return { DFF: 3 * N, MUX2: 3 * N, FA: N, HA: N, AND2: N };
}

/**
 * Truncated multiplier (g guard bits): the kept partial products (columns i + j ≥ N − g) as AND2,
 * summed like the full array (a carry-save full adder per kept product beyond the output bits,
 * a ripple row of N + g half adders).
 */
export function truncMultiplierCounts(bits: number, guard: number): CellCounts {
  const N = bits;
  const c = Math.max(0, N - guard);
  let kept = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (i + j >= c) kept++;
  const P = N + Math.min(guard, N);
  return { AND2: kept, FA: Math.max(0, kept - P), HA: P };
}

/**
 * Fusion (Bit Fusion-like) brick array, B = ⌈N/2⌉, m modes: per brick a 2x2 multiplier (4 AND2,
 * 2 HA), operand / sign / shift selection (a MUX2 per selected bit per extra mode) and the
 * one's-complement XOR row of the (4B + 1)-bit sum; one adder tree of B² terms ((B² − 1)·(4B + 1) FA).
 */
export function fusionMultiplierCounts(bits: number): CellCounts {
  const B = Math.ceil(bits / 2);
  let m = 1;
  for (let s = 1; s < B; s *= 2) m++;
  const W = 4 * B + 1;
  const bricks = B * B;
  return {
    AND2: 4 * bricks,
    HA: 2 * bricks,
    MUX2: bricks * (m - 1) * (4 + 1 + 4),
    XOR2: bricks * W,
    FA: Math.max(0, bricks - 1) * W,
  };
}

export function isoRecoderCounts(bits: number): CellCounts {
  return { HA: (bits * (bits + 1)) / 2 };
}

export function isoMultiplierCounts(bits: number): CellCounts {
  const N = bits;
  if (N === 1) return { AND2: 1 };
  return { AND2: (N * (N + 1)) / 2, FA: (N * (N - 1)) / 2, HA: N };
}

export function updownCounterCounts(accBits: number, parallel: number): CellCounts {
  const A = accBits;
  const incBits = Math.log2(parallel) + 1;
  return { DFF: A, FA: incBits, HA: A - incBits, XOR2: A, MUX2: A, AND2: A };
}

export function streamFrontCounts(bits: number, parallel: number): CellCounts {
  const j = Math.log2(parallel);
  const sel = bits - j;
  const mux: CellCounts = sel > 0 ? { AND2: sel + 1, OR2: Math.max(0, sel - 1) } : {};
  const gates = (j * (j + 1)) / 2;
  const adder: CellCounts = j > 0 ? { AND2: gates, FA: j * j, HA: j } : {};
  return addCounts(mux, adder, { XOR2: 1 });
}

export function unitSharedCounts(bits: number, parallel: number): CellCounts {
  const N = bits;
  const j = Math.log2(parallel);
  const u = N - j;
  const down: CellCounts = { DFF: N, HA: N, MUX2: 2 * N, OR2: N - 1 };
  const block: CellCounts = u > 0 ? { DFF: u, HA: 2 * u, MUX2: u, AND2: u, INV: u } : {};
  const m: CellCounts = j > 0 ? { HA: j * (j + 1), MUX2: j + 1 } : {};
  return addCounts(down, block, m, { DFF: 1, MUX2: 1 });
}

export function memoryCounts(widthBits: number): CellCounts {
  return { DFF: widthBits, MUX2: 2 * widthBits };
}
