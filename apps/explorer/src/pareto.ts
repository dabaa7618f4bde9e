/**
 * Pareto front for two objectives that are both maximised (accuracy up, operations per area up).
 * A point is on the front when no other point is at least as good in both objectives and strictly
 * better in one. Equal points do not dominate each other, so duplicates on the front all stay.
 */
export function paretoFront(xs: readonly number[], ys: readonly number[]): boolean[] {
  if (xs.length !== ys.length) throw new Error(`paretoFront: xs has ${xs.length} values but ys has ${ys.length}`);
  const n = xs.length;
  // Sort by x descending, then y descending; sweep keeping the best y seen among strictly larger x.
  // Points with a missing (NaN) objective are never on the front.
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => !Number.isNaN(xs[i]) && !Number.isNaN(ys[i]))
    .sort((a, b) => xs[b] - xs[a] || ys[b] - ys[a]);
  const m = order.length;
  const onFront = new Array<boolean>(n).fill(false);
  let bestYAbove = -Infinity; // best y over points with strictly larger x
  let i = 0;
  while (i < m) {
    // A run of equal x: only its max y can be on the front (others are dominated within the run).
    let j = i;
    while (j < m && xs[order[j]] === xs[order[i]]) j++;
    const runMaxY = ys[order[i]];
    for (let k = i; k < j; k++) {
      const p = order[k];
      onFront[p] = ys[p] === runMaxY && ys[p] > bestYAbove;
    }
    if (runMaxY > bestYAbove) bestYAbove = runMaxY;
    i = j;
  }
  return onFront;
}

/** Reference O(n²) definition, used by the tests to check paretoFront. */
export function paretoFrontReference(xs: readonly number[], ys: readonly number[]): boolean[] {
  return xs.map((x, i) => {
    const y = ys[i];
    if (Number.isNaN(x) || Number.isNaN(y)) return false;
    return !xs.some((x2, j) => j !== i && x2 >= x && ys[j] >= y && (x2 > x || ys[j] > y));
  });
}

/** Pareto front computed separately inside each group (e.g. per network and arithmetic). */
export function groupedParetoFront<T>(
  items: readonly T[],
  group: (item: T) => string,
  x: (item: T) => number,
  y: (item: T) => number,
): boolean[] {
  const byGroup = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = group(item);
    const list = byGroup.get(key);
    if (list) list.push(i);
    else byGroup.set(key, [i]);
  });
  const onFront = new Array<boolean>(items.length).fill(false);
  for (const indices of byGroup.values()) {
    const front = paretoFront(
      indices.map((i) => x(items[i])),
      indices.map((i) => y(items[i])),
    );
    indices.forEach((i, k) => (onFront[i] = front[k]));
  }
  return onFront;
}
