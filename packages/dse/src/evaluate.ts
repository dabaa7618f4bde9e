import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import Tinypool from "tinypool";
import { canonicalJson } from "./canonical.ts";
import { startProgress } from "./progress.ts";
import { moduleVersion } from "./module-version.ts";
import { type Lookup, openStore } from "./store.ts";

/**
 * An evaluation function: the named export `name` of the ES module `module` (TypeScript is fine),
 * called as `fn(input)` with one point's input and returning (or resolving to) a JSON-able value.
 * It runs in a worker thread, so it must depend only on its input (and files it reads).
 */
export interface Evaluator {
  module: string | URL;
  name: string;
}

export interface EvaluateOptions<P, I = P> {
  /** Cache namespace, e.g. "error", "accuracy", "cost": each kind has its own store. */
  kind: string;
  points: readonly P[];
  evaluator: Evaluator;
  /** The study's cache folder (entries go to `<cacheDir>/<kind>/`). */
  cacheDir: string;
  /**
   * Extra version string mixed into every key (e.g. a codeVersion of folders the evaluator reads
   * data from). Optional: the code the evaluator runs is always hashed by the runner itself
   * (moduleVersion of `evaluator.module`: every workspace file in its import graph, the npm
   * package versions it imports, files it names by `new URL(…, import.meta.url)`), so an edit of
   * any of them is a cache miss whatever this says.
   */
  codeVersion?: string;
  /** Data or weight files (or folders) the evaluation reads for every point: their bytes go into every key. */
  dataFiles?: readonly (string | URL)[];
  /** Ignore finished results in the store (everything is computed again and the store refreshed). */
  noCache?: boolean;
  /** Hash of the trained weights (or other data) the evaluation reads; part of every key. */
  weightsHash?: string;
  /**
   * The part of a point this kind depends on, passed to the evaluator and hashed into the key.
   * Default: the whole point. E.g. an accuracy kind takes only { network, bits, scheme }, so all
   * the array-size points that share them share one cached accuracy.
   */
  inputOf?: (point: P) => I;
  /** Worker threads; 0 evaluates in this thread. Default: min(available cores, points to compute). */
  threads?: number;
  /**
   * `redis://host:port`: hand the points to compute to `pnpm worker` processes through this BullMQ
   * queue instead of the local pool (one job per distinct key). Results are still written to this
   * run's store, by this process. `threads` is then ignored.
   */
  queue?: string;
  /**
   * A point's expected cost relative to the others (any unit). The points to compute are then
   * handed out most expensive first (longest processing time first), so the last to finish are
   * short ones rather than one long point keeping a core busy while the others idle. Only the
   * order of work changes, never a value. Default: point order.
   */
  costOf?: (input: I) => number;
  /** Label of the progress bar (default: the kind). */
  label?: string;
  /** Where corrupt-entry notices and the progress go (default process.stderr). */
  stream?: NodeJS.WriteStream;
}

export interface EvaluateResult<V> {
  /** One value per point, in point order. */
  values: V[];
  /** Distinct inputs computed in this run. */
  computed: number;
  /** Points whose value came from the store. */
  cached: number;
  /** Entries found corrupt and recomputed. */
  corrupt: number;
}

/** Failure of one point, naming its inputs. */
export class EvaluationError extends Error {
  readonly input: unknown;
  constructor(kind: string, input: unknown, cause: unknown) {
    super(
      `${kind}: evaluation of ${canonicalJson(input)} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = "EvaluationError";
    this.input = input;
  }
}

const workerEntry = new URL("./pool-worker.mjs", import.meta.url);

/**
 * Worker pools shared by the concurrent and back-to-back evaluatePoints calls of one process, one
 * per (thread count, version of the evaluator's code): its workers keep their imported evaluator
 * modules and whatever those memoise (a calibrated network, a loaded data set) from one call to the
 * next, so a study that evaluates round by round (a fault-rate scan) does not restart and reload
 * them every round, and concurrent calls share the cores instead of each starting its own threads.
 * The version in the key means an edited evaluator never runs in a worker that loaded the old code.
 * A pool is destroyed once no call has used it for POOL_IDLE_MS (idle Tinypool workers do not keep
 * the process alive).
 */
const pools = new Map<string, { pool: Tinypool; users: number; idle?: NodeJS.Timeout }>();
const POOL_IDLE_MS = 1000;

function acquirePool(threads: number, version: string): Tinypool {
  const key = `${threads}|${version}`;
  let entry = pools.get(key);
  if (!entry) {
    entry = {
      pool: new Tinypool({
        filename: workerEntry.href,
        minThreads: threads,
        maxThreads: threads,
        isolateWorkers: false,
      }),
      users: 0,
    };
    pools.set(key, entry);
  }
  if (entry.idle) clearTimeout(entry.idle);
  entry.idle = undefined;
  entry.users++;
  return entry.pool;
}

function releasePool(threads: number, version: string): void {
  const key = `${threads}|${version}`;
  const entry = pools.get(key);
  if (!entry) return;
  entry.users--;
  if (entry.users > 0) return;
  entry.idle = setTimeout(() => {
    if (pools.get(key) !== entry || entry.users > 0) return;
    pools.delete(key);
    void entry.pool.destroy();
  }, POOL_IDLE_MS);
  entry.idle.unref();
}

/** Destroys every idle shared pool now (a study's end; tests). */
export async function closeEvaluationPools(): Promise<void> {
  const idle = [...pools.entries()].filter(([, e]) => e.users === 0);
  for (const [key, e] of idle) {
    if (e.idle) clearTimeout(e.idle);
    pools.delete(key);
  }
  await Promise.all(idle.map(([, e]) => e.pool.destroy()));
}

function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  return /^[a-z]+:/i.test(module) ? module : pathToFileURL(module).href;
}

/**
 * Evaluates every point, reusing finished results from the store and computing the rest on a
 * worker pool. Each result is stored (atomically) as soon as it arrives, so a killed run loses at
 * most the points in flight. Distinct points with equal inputs are computed once. Values are
 * returned in canonical JSON form (sorted keys) whether computed now or read from the cache, so
 * cold and warm runs produce identical outputs.
 */
export async function evaluatePoints<P, V, I = P>(options: EvaluateOptions<P, I>): Promise<EvaluateResult<V>> {
  const { kind, points, evaluator } = options;
  const stream = options.stream ?? process.stderr;
  const store = openStore<V>(options.cacheDir, kind);
  const module = moduleUrl(evaluator.module);
  const inputs = points.map((p) => (options.inputOf ? options.inputOf(p) : (p as unknown as I)));
  const runs = await moduleVersion([module], { files: options.dataFiles });
  const keyInputs = (input: I) => ({
    kind,
    input,
    evaluator: evaluator.name,
    runs,
    codeVersion: options.codeVersion ?? null,
    weightsHash: options.weightsHash ?? null,
  });

  const values = new Array<V>(points.length);
  const pending = new Map<string, { input: I; indices: number[] }>();
  let cached = 0;
  let corrupt = 0;
  const hits = new Map<string, V>();
  inputs.forEach((input, i) => {
    const ki = keyInputs(input);
    const key = store.keyOf(ki);
    const waiting = pending.get(key);
    if (waiting) {
      waiting.indices.push(i);
      return;
    }
    const hit = hits.get(key);
    if (hit !== undefined) {
      values[i] = hit;
      cached++;
      return;
    }
    const found: Lookup<V> = options.noCache ? { status: "miss" } : store.get(ki);
    if (found.status === "hit") {
      values[i] = found.value;
      hits.set(key, found.value);
      cached++;
      return;
    }
    if (found.status === "corrupt") {
      corrupt++;
      stream.write(`${kind}: corrupt cache entry ${found.path} (${found.reason}); recomputing\n`);
    }
    pending.set(key, { input, indices: [i] });
  });

  const keys = [...pending.keys()];
  if (options.costOf) {
    const cost = new Map(keys.map((k) => [k, options.costOf!(pending.get(k)!.input)]));
    // stable: equal costs keep point order
    keys.sort((a, b) => cost.get(b)! - cost.get(a)!);
  }
  const jobs = keys.map((k) => pending.get(k)!);
  const progress = startProgress(
    options.label ?? kind,
    { points: points.length, cached, toCompute: jobs.length },
    stream,
  );
  const threads = options.queue ? 0 : Math.max(0, Math.min(options.threads ?? availableParallelism(), jobs.length));
  const pool = threads > 0 ? acquirePool(threads, runs) : undefined;
  let inline: ((input: I) => unknown) | undefined;
  if (!pool && !options.queue && jobs.length > 0) {
    const loaded = (await import(module)) as Record<string, unknown>;
    const fn = loaded[evaluator.name];
    if (typeof fn !== "function") throw new Error(`evaluator ${module} has no exported function "${evaluator.name}"`);
    inline = fn as (input: I) => unknown;
  }

  const failures: EvaluationError[] = [];
  const finish = (job: { input: I; indices: number[] }, raw: unknown) => {
    let value: V;
    try {
      value = JSON.parse(canonicalJson(raw)) as V;
    } catch (e) {
      failures.push(
        new EvaluationError(
          kind,
          job.input,
          new Error(`returned a value JSON cannot store: ${(e as Error).message.replace(/^canonicalJson: /, "")}`),
        ),
      );
      return;
    }
    store.put(keyInputs(job.input), value);
    for (const i of job.indices) values[i] = value;
    progress.tick();
  };
  try {
    if (options.queue) {
      // Loaded only here: local runs never load the queue client.
      const { parseQueueAddress, toJobPath } = await import("./queue.ts");
      const { evaluateOnQueue } = await import("./queue-coordinator.ts");
      const dataFiles = (options.dataFiles ?? []).map((f) => toJobPath(f instanceof URL ? f.href : f));
      const byWorker = await evaluateOnQueue({
        address: parseQueueAddress(options.queue),
        kind,
        module: toJobPath(module),
        name: evaluator.name,
        version: runs,
        fresh: options.noCache === true,
        dataFiles,
        jobs: jobs.map((job, i) => ({ key: keys[i]!, input: job.input })),
        onValue: (i, json) => finish(jobs[i]!, JSON.parse(json)),
        onFailure: (i, reason) => void failures.push(new EvaluationError(kind, jobs[i]!.input, new Error(reason))),
        stream,
      });
      if (byWorker.size > 0)
        stream.write(
          `${kind}: ${[...byWorker.values()].reduce((a, b) => a + b, 0)} jobs computed by ${byWorker.size} queue worker(s): ${[
            ...byWorker,
          ]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([w, n]) => `${w} ${n}`)
            .join(", ")}\n`,
        );
    } else if (pool) {
      await Promise.all(
        jobs.map((job) =>
          pool.run({ module, name: evaluator.name, input: job.input }).then(
            (raw: unknown) => finish(job, raw),
            (e: unknown) => void failures.push(new EvaluationError(kind, job.input, e)),
          ),
        ),
      );
    } else {
      for (const job of jobs) {
        try {
          finish(job, await inline!(job.input));
        } catch (e) {
          failures.push(new EvaluationError(kind, job.input, e));
        }
      }
    }
  } finally {
    progress.stop();
    if (pool) releasePool(threads, runs);
  }
  if (failures.length > 0) {
    if (failures.length > 1) stream.write(`${kind}: ${failures.length} points failed; the first is reported\n`);
    throw failures[0];
  }
  return { values, computed: jobs.length, cached, corrupt };
}
