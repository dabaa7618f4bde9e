import { type Job, Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import {
  connectionOf,
  jobIdOf,
  QUEUE_NAME,
  type QueueAddress,
  type QueueJobData,
  type QueueJobResult,
} from "./queue.ts";

export interface QueueRun {
  address: QueueAddress;
  kind: string;
  /** Evaluator module and data files as jobs carry them (see toJobPath), its export, its code version. */
  module: string;
  name: string;
  version: string;
  dataFiles: string[];
  /** --no-cache: results of these keys still waiting in the queue from an earlier run are not taken. */
  fresh?: boolean;
  /** One job per distinct store key. */
  jobs: readonly { key: string; input: unknown }[];
  /** Called once per job with the value's canonical JSON and the worker that computed it. */
  onValue(index: number, json: string, worker: string): void;
  /** Called once per failed job with the reason the worker gave. */
  onFailure(index: number, reason: string): void;
  stream: NodeJS.WritableStream;
}

/** How often the coordinator also asks the queue for finished jobs (events are the fast path). */
const RECONCILE_MS = 10_000;

/**
 * Hands `jobs` to the workers through BullMQ and calls back once per job as results arrive
 * (completion events, checked against the queue's finished sets at the start and every few
 * seconds, so a missed event or a result left by an earlier, killed coordinator is still picked
 * up). Each finished job is removed from the queue once handed over: the coordinator's store is
 * the only cache. A job's id is its store key, so equal points, or a job still queued from a killed
 * run, are one job. Resolves with the number of jobs each worker computed.
 */
export async function evaluateOnQueue(run: QueueRun): Promise<Map<string, number>> {
  const byWorker = new Map<string, number>();
  if (run.jobs.length === 0) return byWorker;
  const connection = connectionOf(run.address);
  const queue = new Queue<QueueJobData, QueueJobResult>(QUEUE_NAME, { connection });
  let events: QueueEvents | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await queue.waitUntilReady();
    const indexOf = new Map(run.jobs.map((j, i) => [jobIdOf(run.kind, j.key), i]));
    const settled = new Set<string>();
    let finishAll!: () => void;
    let failAll!: (e: unknown) => void;
    const allSettled = new Promise<void>((resolve, reject) => {
      finishAll = resolve;
      failAll = reject;
    });
    const settle = (id: string, outcome: { result: QueueJobResult } | { reason: string }) => {
      const index = indexOf.get(id);
      if (index === undefined || settled.has(id)) return;
      settled.add(id);
      try {
        if ("result" in outcome) {
          run.onValue(index, outcome.result.json, outcome.result.worker);
          byWorker.set(outcome.result.worker, (byWorker.get(outcome.result.worker) ?? 0) + 1);
        } else run.onFailure(index, outcome.reason);
      } catch (e) {
        failAll(e);
        return;
      }
      queue.remove(id).catch(() => {}); // already removed by another coordinator waiting for it
      if (settled.size === indexOf.size) finishAll();
    };
    const reconcile = async () => {
      const finished = (await queue.getJobs(["completed", "failed"])) as Job<QueueJobData, QueueJobResult>[];
      for (const job of finished) {
        if (!job.id || !indexOf.has(job.id)) continue;
        if (job.finishedOn && job.failedReason) settle(job.id, { reason: job.failedReason });
        else if (job.returnvalue) settle(job.id, { result: job.returnvalue });
      }
    };

    // Read events from the current end of the stream, fixed before anything is added, so none of
    // this run's completions can fall between subscribing and adding.
    const client = new Redis(run.address.url, { maxRetriesPerRequest: 1 });
    const last = await client.xrevrange(queue.keys.events!, "+", "-", "COUNT", 1).finally(() => client.disconnect());
    events = new QueueEvents(QUEUE_NAME, { connection, lastEventId: last[0]?.[0] ?? "0-0" });
    events.on("completed", ({ jobId, returnvalue }) =>
      settle(jobId, { result: returnvalue as unknown as QueueJobResult }),
    );
    events.on("failed", ({ jobId, failedReason }) => settle(jobId, { reason: failedReason }));
    await events.waitUntilReady();

    // A job of ours that failed in an earlier run (e.g. refused by a worker on another version)
    // is retried: remove it so that adding it again queues it anew. With --no-cache, results left
    // by an earlier run are dropped the same way.
    const failedBefore = (await queue.getJobs(run.fresh ? ["failed", "completed"] : ["failed"])).filter(
      (j) => j.id && indexOf.has(j.id),
    );
    for (const job of failedBefore) await job.remove();
    await queue.addBulk(
      run.jobs.map((j) => ({
        name: run.kind,
        data: {
          kind: run.kind,
          module: run.module,
          name: run.name,
          input: j.input,
          key: j.key,
          version: run.version,
          dataFiles: run.dataFiles,
        },
        opts: { jobId: jobIdOf(run.kind, j.key), attempts: 1, removeOnComplete: false, removeOnFail: false },
      })),
    );
    if ((await queue.getWorkersCount()) === 0)
      run.stream.write(
        `${run.kind}: no worker is connected to ${run.address.url} yet; start some with: pnpm worker --queue ${run.address.url}\n`,
      );
    await reconcile();
    timer = setInterval(() => void reconcile().catch(failAll), RECONCILE_MS);
    await allSettled;
    return byWorker;
  } finally {
    if (timer) clearInterval(timer);
    await events?.close();
    await queue.close();
  }
}
