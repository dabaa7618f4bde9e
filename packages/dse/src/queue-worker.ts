import { hostname } from "node:os";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import Tinypool from "tinypool";
import { canonicalJson } from "./canonical.ts";
import {
  connectionOf,
  fromJobPath,
  QUEUE_NAME,
  type QueueAddress,
  type QueueJobData,
  type QueueJobResult,
} from "./queue.ts";
import { evaluatorVersion } from "./queue-version.ts";

export interface QueueWorkerOptions {
  address: QueueAddress;
  /** Jobs evaluated at once, each on its own worker thread. */
  threads: number;
  /**
   * Seconds without a lock renewal after which a job counts as stalled (its worker died) and is
   * handed to another worker; also how often this worker looks for stalled jobs. BullMQ's default: 30.
   */
  stallSeconds?: number;
  /** Where job notices go (default process.stderr). */
  stream?: NodeJS.WritableStream;
}

/** How often a job may stall (its worker killed) before it fails instead of being handed on. */
export const MAX_STALLED = 3;

const workerEntry = new URL("./pool-worker.mjs", import.meta.url);

/**
 * Takes jobs from the queue and evaluates each on a worker thread (so this thread keeps renewing
 * the job's lock however long the evaluation runs), returning the value as canonical JSON. A job
 * whose code version differs from this checkout's is refused with a message saying so. Resolves
 * with a function that stops taking jobs and closes everything.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<{ name: string; close(): Promise<void> }> {
  const stream = options.stream ?? process.stderr;
  const name = `${hostname()}:${process.pid}`;
  const pool = new Tinypool({
    filename: workerEntry.href,
    minThreads: options.threads,
    maxThreads: options.threads,
    isolateWorkers: false,
  });
  const short = (job: Job) => `${job.data.kind} ${job.data.key.slice(0, 12)}`;
  const processor = async (job: Job<QueueJobData, QueueJobResult>): Promise<QueueJobResult> => {
    const data = job.data;
    let mine: string;
    try {
      mine = await evaluatorVersion(data.module, data.dataFiles);
    } catch (e) {
      const message = `worker ${name} cannot check job ${short(job)}: ${(e as Error).message} (is this checkout the coordinator's commit?)`;
      stream.write(`${message}\n`);
      throw new UnrecoverableError(message);
    }
    if (mine !== data.version) {
      const message =
        `worker ${name} refuses job ${short(job)}: it was made by code version ${data.version.slice(0, 12)}…, ` +
        `this checkout is ${mine.slice(0, 12)}… (run the same commit with the same installed packages on every host)`;
      stream.write(`${message}\n`);
      throw new UnrecoverableError(message);
    }
    stream.write(`worker ${name}: started ${short(job)}\n`);
    let raw: unknown;
    try {
      raw = await pool.run({ module: fromJobPath(data.module), name: data.name, input: data.input });
    } catch (e) {
      throw new UnrecoverableError(e instanceof Error ? e.message : String(e));
    }
    let json: string;
    try {
      json = canonicalJson(raw);
    } catch (e) {
      throw new UnrecoverableError(
        `returned a value JSON cannot store: ${(e as Error).message.replace(/^canonicalJson: /, "")}`,
      );
    }
    stream.write(`worker ${name}: finished ${short(job)}\n`);
    return { json, worker: name };
  };
  const stallMs = Math.round((options.stallSeconds ?? 30) * 1000);
  const worker = new Worker<QueueJobData, QueueJobResult>(QUEUE_NAME, processor, {
    connection: connectionOf(options.address),
    concurrency: options.threads,
    name,
    lockDuration: stallMs,
    stalledInterval: stallMs,
    maxStalledCount: MAX_STALLED,
  });
  worker.on("error", (e) => void stream.write(`worker ${name}: ${e.message}\n`));
  await worker.waitUntilReady();
  return {
    name,
    async close() {
      await worker.close();
      await pool.destroy();
    },
  };
}
