/**
 * What the coordinator (a study run with `--queue`) and the queue workers (`pnpm worker --queue`)
 * agree on: the queue's address, the queue name, what a job carries and what it returns. The
 * engine is BullMQ on Redis; nothing here schedules work itself.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import type { QueueAddress } from "./queue-address.ts";

export { parseQueueAddress } from "./queue-address.ts";
export type { QueueAddress } from "./queue-address.ts";

/** One queue for every study: workers serve whichever coordinator enqueues. */
export const QUEUE_NAME = "sccnn-evaluate";

/** The checkout this code runs from (packages/dse/src → the workspace root). */
export const WORKSPACE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Connection options for BullMQ (Worker and QueueEvents need maxRetriesPerRequest: null). */
export function connectionOf(address: QueueAddress) {
  return { url: address.url, maxRetriesPerRequest: null };
}

/**
 * Connects once without retrying and pings, so a wrong address is reported at once (ioredis
 * would otherwise retry forever). Throws a one-line error naming the flag and the address.
 */
export async function checkQueueReachable(address: QueueAddress, flag = "--queue"): Promise<void> {
  const client = new Redis(address.url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let cause = "";
  client.on("error", (e: Error) => void (cause ||= e.message)); // the first is the one that says why
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new Error(`${flag} ${address.url}: cannot reach Redis (${cause || (e as Error).message || String(e)})`);
  } finally {
    client.disconnect();
  }
}

/** What a job carries: everything a worker on another host needs to evaluate one point. */
export interface QueueJobData {
  /** Evaluation kind (the store's folder), for messages. */
  kind: string;
  /** The evaluator module, relative to the workspace root ("/"-separated) when inside it. */
  module: string;
  /** Its exported function. */
  name: string;
  /** The point's input. */
  input: unknown;
  /** The store key the coordinator files the result under. */
  key: string;
  /**
   * The code version of the evaluator as the coordinator computed it (see evaluatorVersion). A
   * worker computes its own and refuses the job when they differ.
   */
  version: string;
  /** Data files the version covers, relative to the workspace root like `module`. */
  dataFiles: string[];
}

/** What a worker returns: the value as canonical JSON (so NaN etc. fail there as they do locally). */
export interface QueueJobResult {
  json: string;
  /** `host:pid` of the worker process that computed it. */
  worker: string;
}

/** A job id per store key: equal keys are one job, whichever coordinator adds it. */
export function jobIdOf(kind: string, key: string): string {
  return `${kind}-${key}`;
}

/** A file URL or path as the jobs carry it: relative to the workspace root when inside it. */
export function toJobPath(fileUrlOrPath: string): string {
  const path = fileUrlOrPath.startsWith("file:") ? fileURLToPath(fileUrlOrPath) : resolve(fileUrlOrPath);
  const rel = relative(WORKSPACE_ROOT, path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel.split("\\").join("/");
}

/** The file URL of a job path on this host (relative paths resolved in this checkout). */
export function fromJobPath(jobPath: string): string {
  return pathToFileURL(isAbsolute(jobPath) ? jobPath : resolve(WORKSPACE_ROOT, jobPath)).href;
}
