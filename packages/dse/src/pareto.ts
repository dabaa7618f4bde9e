/** An objective to maximise: a number per item (negate a cost to minimise it). */
export type Objective<T> = (item: T) => number;

/**
 * True when a is at least as good as b in every objective and strictly better in one
 * (all objectives maximised).
 */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return false;
    if (a[i]! > b[i]!) strictly = true;
  }
  return strictly;
}

export interface ParetoOptions {
  /** "keep" (default): every item with the same non-dominated values stays; "first": only the first of them. */
  duplicates?: "keep" | "first";
}

/**
 * Indices of the Pareto-optimal items (no other item dominates them), in input order. Items with
 * identical objective values do not dominate each other, so duplicates on the front are all kept
 * (pass `duplicates: "first"` to keep only the first). Throws on a non-finite objective, naming the item index.
 */
export function paretoFrontIndices<T>(
  items: readonly T[],
  objectives: readonly Objective<T>[],
  options: ParetoOptions = {},
): number[] {
  if (objectives.length === 0) throw new Error("paretoFront: at least one objective is required");
  const values = items.map((item, i) =>
    objectives.map((f, j) => {
      const v = f(item);
      if (!Number.isFinite(v)) throw new Error(`paretoFront: objective ${j} of item ${i} is ${v}`);
      return v;
    }),
  );
  const front: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let dominated = false;
    for (let j = 0; j < values.length && !dominated; j++)
      if (j !== i && dominates(values[j]!, values[i]!)) dominated = true;
    if (!dominated) front.push(i);
  }
  if (options.duplicates !== "first") return front;
  const seen = new Set<string>();
  return front.filter((i) => {
    const k = values[i]!.join(",");
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The Pareto front of items under objectives that are all maximised, sorted by the first
 * objective ascending then the second descending (the order a step line is drawn in).
 */
export function paretoFront<T>(
  items: readonly T[],
  objectives: readonly Objective<T>[],
  options: ParetoOptions = {},
): T[] {
  const front = paretoFrontIndices(items, objectives, options);
  const key = (i: number) => objectives.map((f) => f(items[i]!));
  return front
    .map((i) => ({ i, k: key(i) }))
    .sort((a, b) => {
      for (let d = 0; d < a.k.length; d++) {
        const diff = d === 0 ? a.k[d]! - b.k[d]! : b.k[d]! - a.k[d]!;
        if (diff !== 0) return diff;
      }
      return a.i - b.i;
    })
    .map(({ i }) => items[i]!);
}

/**
 * Pareto fronts per group (e.g. per network × design "sc" / "binary"): `groupOf` names each
 * item's group; returns the groups in order of first appearance, each with its front sorted as
 * paretoFront sorts it.
 */
export function paretoFrontsBy<T>(
  items: readonly T[],
  groupOf: (item: T) => string,
  objectives: readonly Objective<T>[],
  options: ParetoOptions = {},
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = groupOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  const fronts = new Map<string, T[]>();
  for (const [key, list] of groups) fronts.set(key, paretoFront(list, objectives, options));
  return fronts;
}

/**
 * A Pareto front kept as items arrive, for sweeps too large to hold (or to compare all pairs of):
 * `add` keeps an item unless one already kept dominates it, and drops the kept items it dominates,
 * so memory is the front's size, not the number of items seen. `indices()` gives the ids of the
 * front in arrival order (an item's id is its arrival index unless the caller gives one): with
 * arrival indices the same set, in the same order, as paretoFrontIndices of all the items
 * (duplicates on the front all kept).
 */
export class ParetoArchive {
  readonly #values: number[][] = [];
  readonly #indices: number[] = [];
  #seen = 0;

  /** Offers the item with these objective values (all maximised); returns whether it is on the front so far. */
  add(values: readonly number[], id?: number): boolean {
    const index = this.#seen++;
    values.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new Error(`ParetoArchive: objective ${j} of item ${index} is ${v}`);
    });
    for (const kept of this.#values) if (dominates(kept, values)) return false;
    let w = 0;
    for (let r = 0; r < this.#values.length; r++) {
      if (dominates(values, this.#values[r]!)) continue;
      this.#values[w] = this.#values[r]!;
      this.#indices[w] = this.#indices[r]!;
      w++;
    }
    this.#values.length = w;
    this.#indices.length = w;
    this.#values.push([...values]);
    this.#indices.push(id ?? index);
    return true;
  }

  /** Items offered so far. */
  get seen(): number {
    return this.#seen;
  }

  /** Ids (default: arrival indices) of the items on the front, in arrival order. */
  indices(): number[] {
    return [...this.#indices];
  }
}
