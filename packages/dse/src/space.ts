/** The design-space axes of a study: each axis name maps to the list of values it takes. */
export type Axes = Record<string, readonly unknown[]>;

/** One point of a cartesian product: one value per axis. */
export type Point<A extends Axes> = { [K in keyof A]: A[K][number] };

/**
 * Cartesian product of the axes, in the axes' key order with the last axis varying fastest
 * (like nested for-loops written in that order). An empty axis is an error naming it, since it
 * would silently make the whole study empty.
 */
export function expandSpace<A extends Axes>(axes: A): Point<A>[] {
  const names = Object.keys(axes);
  for (const name of names) {
    const values = axes[name];
    if (!Array.isArray(values)) throw new Error(`expandSpace: axis "${name}" is not an array`);
    if (values.length === 0) throw new Error(`expandSpace: axis "${name}" has no values`);
  }
  let points: Record<string, unknown>[] = [{}];
  for (const name of names) {
    const next: Record<string, unknown>[] = [];
    for (const p of points) for (const v of axes[name]!) next.push({ ...p, [name]: v });
    points = next;
  }
  return points as Point<A>[];
}
