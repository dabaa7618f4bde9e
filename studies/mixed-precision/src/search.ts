/**
 * The per-layer precision search: per-layer sensitivity, then a greedy descent.
 *
 * 1. Sensitivity (measured): from the uniform design at the largest N, lower ONE layer to each
 *    smaller N and measure the validation accuracy; loss[l][N] = acc(start) − acc(layer l at N).
 * 2. Greedy descent (predicted, additive): from the uniform start, repeatedly lower by one level the
 *    layer whose step costs the least predicted accuracy per unit of gained operations per area:
 *    score = (loss[l][N'] − loss[l][N]) / (ln opa(after) − ln opa(before)), smallest first (ties:
 *    the earlier layer). Steps that gain no ops per area are taken last. The path runs until every
 *    layer is at the smallest N, one design per step.
 * 3. Every design on the path is then measured on validation (where the additive prediction is
 *    checked) and on test; the operating point is chosen on validation, reported on test.
 *
 * This is the sensitivity-then-greedy bit allocation of the mixed-precision quantisation
 * literature (e.g. HAQ's and HAWQ's baselines); its cost is L·(levels − 1) sensitivity
 * measurements plus one per path step, instead of levels^L designs.
 */

/** One design of the path: per-layer N, the step that made it, the predicted validation loss. */
export interface PathStep {
  bits: number[];
  /** Index of the layer lowered at this step (null for the uniform start). */
  lowered: number | null;
  /** Σ over layers of the measured single-layer losses (points of validation accuracy vs the start). */
  predictedLossPt: number;
  /** Ops per area of the design's best array. */
  opsPerArea: number;
}

/** Designs of the sensitivity scan: each layer at each level below the start, the others at the start. */
export function sensitivityDesigns(layerCount: number, levels: readonly number[]): { layer: number; bits: number[] }[] {
  const start = Math.max(...levels);
  const out: { layer: number; bits: number[] }[] = [];
  for (let l = 0; l < layerCount; l++)
    for (const n of [...levels].sort((a, b) => b - a))
      if (n < start) out.push({ layer: l, bits: Array.from({ length: layerCount }, (_, i) => (i === l ? n : start)) });
  return out;
}

export interface GreedyInput {
  layerCount: number;
  /** Allowed N values. */
  levels: readonly number[];
  /** Measured single-layer loss (points) of layer l at N; 0 at the start N. */
  lossPt: (layer: number, bits: number) => number;
  /** Ops per area of a per-layer N vector. */
  opsPerArea: (bits: readonly number[]) => number;
}

export function greedyPath(g: GreedyInput): PathStep[] {
  const levels = [...new Set(g.levels)].sort((a, b) => a - b);
  const start = levels[levels.length - 1]!;
  let bits = Array.from({ length: g.layerCount }, () => start);
  let ops = g.opsPerArea(bits);
  const predicted = (b: readonly number[]) => b.reduce((s, n, l) => s + (n === start ? 0 : g.lossPt(l, n)), 0);
  const path: PathStep[] = [{ bits, lowered: null, predictedLossPt: 0, opsPerArea: ops }];
  for (;;) {
    let best: { l: number; bits: number[]; ops: number; score: number; noGain: boolean } | null = null;
    for (let l = 0; l < g.layerCount; l++) {
      const at = levels.indexOf(bits[l]!);
      if (at <= 0) continue;
      const next = bits.slice();
      next[l] = levels[at - 1]!;
      const nextOps = g.opsPerArea(next);
      const gain = Math.log(nextOps) - Math.log(ops);
      const dLoss = predicted(next) - predicted(bits);
      const noGain = !(gain > 1e-12);
      const score = noGain ? dLoss : dLoss / gain;
      const better = !best || (best.noGain && !noGain) || (best.noGain === noGain && score < best.score - 1e-12);
      if (better) best = { l, bits: next, ops: nextOps, score, noGain };
    }
    if (!best) break;
    bits = best.bits;
    ops = best.ops;
    path.push({ bits, lowered: best.l, predictedLossPt: predicted(bits), opsPerArea: ops });
  }
  return path;
}
