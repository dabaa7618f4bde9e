import { CONVENTIONAL_SNGS, fusionOperandBits, fusionSumBits, type ComponentQuery } from "@sccnn/cost";

/** Precisions, bit-parallelisms and accumulator headroom covered by the committed tables. */
export interface SynthGrid {
  bits: number[];
  parallel: number[];
  /** Extra accumulator bits over N (SC) or 2N (binary): ceil(log2 fanIn) + 1, so 1…17 covers fan-in ≤ 65 536. */
  accHeadroom: number[];
}

export const DEFAULT_GRID: SynthGrid = {
  bits: Array.from({ length: 15 }, (_, i) => i + 2),
  parallel: [1, 2, 4, 8, 16, 32, 64, 128],
  accHeadroom: Array.from({ length: 17 }, (_, i) => i + 1),
};

/** Guard bits of the truncated-multiplier rows (baselines trunc-g0 … trunc-g2). */
export const TRUNC_GUARD_BITS: readonly number[] = [0, 1, 2];

/** A small grid for tests and `--quick` runs. */
export const QUICK_GRID: SynthGrid = { bits: [2, 4, 8], parallel: [1, 4], accHeadroom: [1, 4] };

/** Every component query the tables hold for a grid (sorted, no duplicates). */
export function gridQueries(grid: SynthGrid): ComponentQuery[] {
  const out: ComponentQuery[] = [];
  const seen = new Set<string>();
  const add = (q: ComponentQuery) => {
    const k = JSON.stringify(q);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(q);
    }
  };
  for (const N of grid.bits) {
    add({ kind: "multiplier", bits: N });
    add({ kind: "register", widthBits: N + 1 });
    for (const e of grid.accHeadroom) add({ kind: "accumulator", bits: N, accBits: 2 * N + e });
    // iso-arithmetic binary lane: shared recoder, triangular product array, N-bit-product accumulator
    add({ kind: "iso-recoder", bits: N });
    add({ kind: "iso-multiplier", bits: N });
    add({ kind: "bitserial-multiplier", bits: N });
    // truncated multiplier, g guard bits (its (N + g)-bit-product accumulator is the row of bits = productBits = N + g)
    for (const g of TRUNC_GUARD_BITS) if (g < N) add({ kind: "trunc-multiplier", bits: N, guardBits: g });
    // precision-scalable (Bit Fusion-like) lane: brick array, signed-sum accumulator, 3B²-bit operand registers
    add({ kind: "fusion-multiplier", bits: N });
    add({ kind: "register", widthBits: fusionOperandBits(N) });
    for (const e of grid.accHeadroom)
      add({
        kind: "accumulator",
        bits: N,
        productBits: fusionSumBits(N),
        signedProduct: true,
        accBits: fusionSumBits(N) + e,
      });
    for (const e of grid.accHeadroom) add({ kind: "accumulator", bits: N, productBits: N, accBits: N + e });
    for (const b of grid.parallel) {
      if (b > 2 ** N) continue;
      add({ kind: "sc-stream-front", bits: N, parallel: b });
      add({ kind: "sc-unit-shared", bits: N, parallel: b });
    }
  }
  const accs = new Set<number>();
  for (const N of grid.bits) for (const e of grid.accHeadroom) accs.add(N + e);
  for (const A of [...accs].sort((a, b) => a - b)) {
    for (const b of grid.parallel) if (A >= Math.log2(b) + 2) add({ kind: "updown-counter", accBits: A, parallel: b });
  }
  // conventional SC lane (comparator SNGs, b = 1; its up/down counter is the b = 1 row above)
  for (const N of grid.bits)
    for (const sng of CONVENTIONAL_SNGS) {
      add({ kind: "sc-conv-shared", bits: N, sng });
      add({ kind: "sc-conv-front", bits: N, sng });
    }
  return out;
}
