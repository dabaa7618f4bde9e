/**
 * Pareto fronts of the shown points: accuracy up, operations per area up. The front itself is
 * @sccnn/dse's (the one the studies use); this file only groups the points and leaves out points
 * with a missing (NaN) objective, which are never on a front.
 */
import { paretoFrontIndices } from "@sccnn/dse/pareto";

/** Pareto front computed separately inside each group (e.g. per network and arithmetic). */
export function groupedParetoFront<T>(
  items: readonly T[],
  group: (item: T) => string,
  x: (item: T) => number,
  y: (item: T) => number,
): boolean[] {
  const byGroup = new Map<string, number[]>();
  items.forEach((item, i) => {
    if (Number.isNaN(x(item)) || Number.isNaN(y(item))) return;
    const key = group(item);
    const list = byGroup.get(key);
    if (list) list.push(i);
    else byGroup.set(key, [i]);
  });
  const onFront = new Array<boolean>(items.length).fill(false);
  for (const indices of byGroup.values())
    for (const k of paretoFrontIndices(indices, [(i) => x(items[i]!), (i) => y(items[i]!)]))
      onFront[indices[k]!] = true;
  return onFront;
}
