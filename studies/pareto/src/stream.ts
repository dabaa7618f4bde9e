import { ParetoArchive } from "@sccnn/dse";
import { baselineGroup, frontGroup, type ParetoRecord } from "./records.ts";

type Kind = "own" | "baseline" | "joint" | "ownEnergy" | "jointEnergy" | "validation" | "validationEnergy";
type Flags = Pick<
  ParetoRecord,
  "onFront" | "onBaselineFront" | "onJointFront" | "onEnergyFront" | "onJointEnergyFront"
>;

/**
 * The fronts of a sweep kept as its records stream past (ParetoArchive per group), so neither the
 * records nor an all-pairs comparison has to fit in memory. For every record offered (in order,
 * numbered from 0) it answers, once all are in, the flags markFronts would set on the whole list
 * (onFront, onBaselineFront, onJointFront, onEnergyFront, onJointEnergyFront), and keeps the records
 * a headline, the stars of the figure and front.csv can come from: those on any of these fronts or
 * on the (validation accuracy, ops per area) front of their design and baseline, where the best
 * point within a validation budget (over one baseline or all) always lies.
 */
export class FrontKeeper {
  readonly #archives: Record<Kind, Map<string, ParetoArchive>> = {
    own: new Map<string, ParetoArchive>(),
    baseline: new Map<string, ParetoArchive>(),
    joint: new Map<string, ParetoArchive>(),
    ownEnergy: new Map<string, ParetoArchive>(),
    jointEnergy: new Map<string, ParetoArchive>(),
    validation: new Map<string, ParetoArchive>(),
    validationEnergy: new Map<string, ParetoArchive>(),
  };
  /** Records that were on some front when offered (a superset of the final candidates), by number. */
  readonly #kept = new Map<number, ParetoRecord>();
  #count = 0;
  #flags: Map<number, Flags> | null = null;

  #offer(kind: Kind, group: string, values: number[], n: number): boolean {
    const archives = this.#archives[kind];
    let a = archives.get(group);
    if (!a) {
      a = new ParetoArchive();
      archives.set(group, a);
    }
    return a.add(values, n);
  }

  /** Offers the next record (its number is the count of records offered before it). */
  add(r: ParetoRecord): void {
    if (this.#flags) throw new Error("FrontKeeper: add after the fronts were read");
    const n = this.#count++;
    const joint = `${r.network}|${r.scenario}`;
    let on = this.#offer("own", frontGroup(r), [r.accuracy, r.gopsPerMm2], n);
    if (r.baseline !== null) on = this.#offer("baseline", baselineGroup(r), [r.accuracy, r.gopsPerMm2], n) || on;
    on = this.#offer("joint", joint, [r.accuracy, r.gopsPerMm2], n) || on;
    on = this.#offer("validation", baselineGroup(r), [r.validationAccuracy, r.gopsPerMm2], n) || on;
    if (r.energyPerInferencePj !== null) {
      on = this.#offer("ownEnergy", frontGroup(r), [r.accuracy, -r.energyPerInferencePj], n) || on;
      // the least-energy point within a validation budget (of a baseline or all) is on this front
      on = this.#offer("validationEnergy", baselineGroup(r), [r.validationAccuracy, -r.energyPerInferencePj], n) || on;
      on = this.#offer("jointEnergy", joint, [r.accuracy, -r.energyPerInferencePj], n) || on;
    }
    if (on) this.#kept.set(n, r);
  }

  /** Record numbers on the final front of each archive of a kind. */
  #members(kind: Kind): Set<number> {
    const out = new Set<number>();
    for (const a of this.#archives[kind].values()) for (const n of a.indices()) out.add(n);
    return out;
  }

  #final(): Map<number, Flags> {
    if (this.#flags) return this.#flags;
    const own = this.#members("own");
    const ownBaseline = this.#members("baseline");
    const joint = this.#members("joint");
    const ownE = this.#members("ownEnergy");
    const jointE = this.#members("jointEnergy");
    const validation = this.#members("validation");
    const validationE = this.#members("validationEnergy");
    const flags = new Map<number, Flags>();
    for (const n of new Set([...own, ...ownBaseline, ...joint, ...ownE, ...jointE, ...validation, ...validationE]))
      flags.set(n, {
        onFront: own.has(n),
        // an SC record's baseline front is its own front
        onBaselineFront: ownBaseline.has(n) || (this.#kept.get(n)?.baseline === null && own.has(n)),
        onJointFront: joint.has(n),
        onEnergyFront: ownE.has(n),
        onJointEnergyFront: jointE.has(n),
      });
    // what was on a front when offered but was dominated later is no longer needed
    for (const n of this.#kept.keys()) if (!flags.has(n)) this.#kept.delete(n);
    this.#flags = flags;
    return flags;
  }

  /** Record number n with the front flags markFronts would give it. */
  flagged(r: ParetoRecord, n: number): ParetoRecord {
    const f = this.#final().get(n);
    return {
      ...r,
      onFront: f?.onFront ?? false,
      onBaselineFront: f?.onBaselineFront ?? false,
      onJointFront: f?.onJointFront ?? false,
      onEnergyFront: f?.onEnergyFront ?? false,
      onJointEnergyFront: f?.onJointEnergyFront ?? false,
    };
  }

  /** The records on any front (flags set), in the order they were offered. */
  candidates(): ParetoRecord[] {
    this.#final();
    return [...this.#kept.entries()].sort(([a], [b]) => a - b).map(([n, r]) => this.flagged(r, n));
  }

  /** Whether record number n is on a front (or a headline candidate). */
  has(n: number): boolean {
    return this.#final().has(n);
  }

  /** Records offered. */
  get count(): number {
    return this.#count;
  }
}

/** Design points a figure draws at most: above it, the fronts' points and an even sample of the rest. */
export const FIGURE_POINTS = 50_000;

export interface DrawnRecords {
  records: ParetoRecord[];
  /** Design points in the run. */
  total: number;
  /** Every k-th point off the fronts is drawn (1: all points). */
  every: number;
}

/**
 * The records a figure draws: all of them when there are at most `limit`, else every record the
 * keeper holds (fronts, headline candidates) and every k-th other one, k = ceil(total / limit), so
 * a figure (and the memory to render it) stays bounded however large the grid.
 */
export function figureRecords(records: Iterable<ParetoRecord>, keeper: FrontKeeper, limit: number): DrawnRecords {
  const total = keeper.count;
  const every = Math.max(1, Math.ceil(total / limit));
  const out: ParetoRecord[] = [];
  let n = 0;
  for (const r of records) {
    if (every === 1 || n % every === 0 || keeper.has(n)) out.push(r);
    n++;
  }
  return { records: out, total, every };
}

/** Says in a figure's caption when it draws a sample of the design points. */
export function drawnNote<O extends { caption?: string }>(options: O, drawn: DrawnRecords): O {
  if (drawn.every === 1) return options;
  const note = `Drawn: ${drawn.records.length} of ${drawn.total} design points (every point on a front and every ${drawn.every}th other one); results.csv has all.`;
  return { ...options, caption: options.caption ? `${options.caption} ${note}` : note };
}
