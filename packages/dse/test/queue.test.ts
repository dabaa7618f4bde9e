import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Queue, QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentHash, ResultStore } from "../src/index.ts";
import { connectionOf, jobIdOf, parseQueueAddress, QUEUE_NAME, type QueueJobData } from "../src/queue.ts";
import { runToy, spawnToy, tempDir } from "./helpers.ts";
import { startRedis, type TestRedis } from "./redis.ts";
import { missingSystemPackage, REDIS_SERVER, skipWithout } from "@sccnn/test-support";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const workerMain = fileURLToPath(new URL("../src/worker-main.ts", import.meta.url));
const outputs = ["results.json", "results.csv", "toy.svg", "toy.png"];

/** A `pnpm worker` process (as the root script runs it), with what it printed so far. */
function startWorker(url: string, env: Record<string, string> = {}, stallSeconds = 2) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", workerMain, "--queue", url, "--threads", "1", "--stall-seconds", String(stallSeconds)],
    { cwd: packageDir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const w = { child, stderr: "", exited: new Promise<void>((resolve) => child.once("exit", () => resolve())) };
  child.stderr.on("data", (d) => (w.stderr += d));
  return w;
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("--queue: studies evaluated by pnpm worker processes through BullMQ on Redis", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    if (!missingSystemPackage(REDIS_SERVER)) redis = await startRedis();
  }, 30_000);
  afterAll(async () => redis?.stop());

  it("two workers, one killed with SIGKILL mid-job: the job is retried elsewhere, counted once, and the outputs equal a local run's bytes", async (ctx) => {
    skipWithout(ctx, REDIS_SERVER);
    const dir = tempDir("queue");
    const grid = ["--xs", "1,2,3,4", "--ys", "10,20", "--delay-ms", "1000"];
    const local = runToy([
      ...grid,
      "--threads",
      "2",
      "--out",
      join(dir, "local"),
      "--cache-dir",
      join(dir, "cache-local"),
    ]);
    expect(local.status, local.stderr).toBe(0);

    const log = join(dir, "evaluations.log");
    const a = startWorker(redis.url, { TOY_LOG: log });
    const b = startWorker(redis.url, { TOY_LOG: log });
    try {
      await until("both workers to connect", () => /taking jobs/.test(a.stderr) && /taking jobs/.test(b.stderr));
      const coordinator = spawnToy([
        ...grid,
        "--queue",
        redis.url,
        "--out",
        join(dir, "queued"),
        "--cache-dir",
        join(dir, "cache-queued"),
      ]);
      let coordinatorErr = "";
      coordinator.stderr.on("data", (d) => (coordinatorErr += d));
      const exit = exitOf(coordinator);
      await until("worker A to start a pair job", () => /started pair /.test(a.stderr));
      await sleep(300); // inside its 1 s evaluation
      const killedKey = /started pair (\w+)/.exec(a.stderr)![1]!;
      expect(a.stderr).not.toContain(`finished pair ${killedKey}`);
      a.child.kill("SIGKILL");
      await a.exited;

      expect(await exit, coordinatorErr).toBe(0);
      for (const file of outputs)
        expect(readFileSync(join(dir, "queued", file)).equals(readFileSync(join(dir, "local", file))), file).toBe(true);
      // The killed job was handed to the surviving worker and finished there.
      expect(b.stderr).toContain(`finished pair ${killedKey}`);
      // Progress and the per-worker summary count each of the 8 distinct pairs once.
      expect(coordinatorErr).toContain("pair: 8 points, 0 cached, 8 distinct computed");
      const summary = /pair: (\d+) jobs computed by \d+ queue worker\(s\): (.*)/.exec(coordinatorErr);
      expect(summary?.[1]).toBe("8");
      const perWorker = summary![2]!.split(", ").map((s) => Number(s.split(" ").at(-1)));
      expect(perWorker.reduce((x, y) => x + y, 0)).toBe(8);
      expect(new ResultStore(join(dir, "cache-queued", "pair")).verify().valid.length).toBe(8);
      // Finished jobs are removed from the queue: the coordinator's store is the only cache.
      const queue = new Queue(QUEUE_NAME, { connection: connectionOf(parseQueueAddress(redis.url)) });
      const counts = await queue.getJobCounts("waiting", "active", "completed", "failed", "delayed");
      await queue.close();
      expect(counts).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 });

      // A rerun is served from the coordinator's store: nothing is enqueued, same bytes.
      const rerun = runToy([
        ...grid,
        "--queue",
        redis.url,
        "--out",
        join(dir, "rerun"),
        "--cache-dir",
        join(dir, "cache-queued"),
      ]);
      expect(rerun.status, rerun.stderr).toBe(0);
      expect(rerun.stderr).toContain("pair: 8 points, 8 cached");
      for (const file of outputs)
        expect(readFileSync(join(dir, "rerun", file)).equals(readFileSync(join(dir, "local", file))), file).toBe(true);
    } finally {
      a.child.kill("SIGKILL");
      b.child.kill("SIGTERM");
      await Promise.all([a.exited, b.exited]);
    }
  }, 300_000);

  it("a coordinator killed with SIGKILL mid-run resumes: the rerun collects what the workers finished meanwhile, evaluates every point once in all, and writes a local run's bytes", async (ctx) => {
    skipWithout(ctx, REDIS_SERVER);
    const dir = tempDir("queue-resume");
    const grid = ["--xs", "1,2,3,4", "--ys", "10,20", "--delay-ms", "1000"];
    const local = runToy([
      ...grid,
      "--threads",
      "2",
      "--out",
      join(dir, "local"),
      "--cache-dir",
      join(dir, "cache-local"),
    ]);
    expect(local.status, local.stderr).toBe(0);
    const log = join(dir, "evaluations.log");
    const workers = [startWorker(redis.url, { TOY_LOG: log }, 5), startWorker(redis.url, { TOY_LOG: log }, 5)];
    try {
      await until("both workers to connect", () => workers.every((w) => /taking jobs/.test(w.stderr)));
      const queuedArgs = [...grid, "--queue", redis.url, "--cache-dir", join(dir, "cache-queued")];
      const first = spawnToy([...queuedArgs, "--out", join(dir, "first")]);
      const firstExit = exitOf(first);
      const store = new ResultStore(join(dir, "cache-queued", "pair"));
      await until("two stored pair results", () => store.keys().length >= 2);
      first.kill("SIGKILL");
      await firstExit;
      const storedBefore = store.verify().valid.length;
      expect(storedBefore).toBeLessThan(8);
      expect(existsSync(join(dir, "first"))).toBe(false);

      const rerun = runToy([...queuedArgs, "--out", join(dir, "rerun")]);
      expect(rerun.status, rerun.stderr).toBe(0);
      expect(rerun.stderr).toContain(`pair: 8 points, ${storedBefore} cached, ${8 - storedBefore} distinct computed`);
      for (const file of outputs)
        expect(readFileSync(join(dir, "rerun", file)).equals(readFileSync(join(dir, "local", file))), file).toBe(true);
      // Jobs the killed coordinator had queued were not queued again: each pair was evaluated once.
      const pairs = readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l.startsWith("pair "));
      expect(pairs.length).toBe(8);
      expect(new Set(pairs).size).toBe(8);
    } finally {
      for (const w of workers) w.child.kill("SIGTERM");
      await Promise.all(workers.map((w) => w.exited));
    }
  }, 300_000);

  it("a worker refuses a job made by another code version, naming both versions, and the job fails with that reason", async (ctx) => {
    skipWithout(ctx, REDIS_SERVER);
    const w = startWorker(redis.url);
    const connection = connectionOf(parseQueueAddress(redis.url));
    const queue = new Queue<QueueJobData>(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    try {
      await until("the worker to connect", () => /taking jobs/.test(w.stderr));
      await events.waitUntilReady();
      const key = contentHash({ test: "other version" });
      const failed = new Promise<string>((resolve) =>
        events.on("failed", ({ jobId, failedReason }) => jobId === jobIdOf("single", key) && resolve(failedReason)),
      );
      await queue.add(
        "single",
        {
          kind: "single",
          module: "packages/dse/test/fixtures/toy-study/evaluate.ts",
          name: "single",
          input: { x: 3 },
          key,
          version: "0".repeat(64),
          dataFiles: [],
        },
        { jobId: jobIdOf("single", key), attempts: 1 },
      );
      const reason = await failed;
      expect(reason).toMatch(
        /refuses job single \w+: it was made by code version 000000000000…, this checkout is \w{12}…/,
      );
      expect(w.stderr).toContain(reason);
      await queue.remove(jobIdOf("single", key));
    } finally {
      await events.close();
      await queue.close();
      w.child.kill("SIGTERM");
      await w.exited;
    }
  }, 60_000);

  it("--queue with a malformed address or no Redis listening exits 2 naming the flag; nothing written", () => {
    const dir = tempDir("queue-bad");
    for (const [value, message] of [
      ["http://127.0.0.1:1", "--queue: expected redis://host:port"],
      ["redis://127.0.0.1:0", "--queue: port must be 1…65535"],
      ["redis://127.0.0.1:1", "--queue redis://127.0.0.1:1: cannot reach Redis"],
    ] as const) {
      const r = runToy(["--queue", value, "--out", join(dir, "out"), "--cache-dir", join(dir, "cache")]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
      expect(existsSync(join(dir, "out"))).toBe(false);
    }
  });
});
