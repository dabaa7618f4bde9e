/**
 * The memos of composed results (array areas per spec, network cycle totals per schedule, activity
 * sums per array shape): on by default. Tests turn them off or clear them to check that memoised
 * results equal freshly computed ones; the bench turns them off for a same-process baseline. The
 * memos key on object identity (cost source, layers array), so those objects must not be mutated
 * after they are evaluated (as the per-layer caches of latency.ts and energy.ts already assume).
 */
export const costMemo = { enabled: true };

const clears: (() => void)[] = [];

/** A memo's way to forget everything (called by clearCostMemos). */
export function onClearCostMemos(clear: () => void): void {
  clears.push(clear);
}

/** Forgets every composed-result memo (the component and per-layer caches stay). */
export function clearCostMemos(): void {
  for (const clear of clears) clear();
}

/** Entries a single memo map holds before it starts afresh (bounds memory in very long sweeps). */
export const MEMO_LIMIT = 1 << 16;
