// Speed-up of 2 queue workers over 1 on this host: runs a real study cold (empty cache) with
// `--queue` against 1, then 2 `pnpm worker --threads 1` processes on a Redis of its own (loopback,
// free port), prints wall times, the ratio and whether the outputs are byte-identical.
//
//   pnpm --filter @sccnn/dse bench:queue [study] [study args…]
//
// Default: accuracy-vs-precision on LeNet-5, sc-bisc at N = 3…10 on 2 000 test images, no
// fine-tuning: 9 points (float32 + 8) of one evaluation each, each ≥ 1 s on one core.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { mkdtempSync } from "node:fs";
import { startRedis } from "../test/redis.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const workerMain = fileURLToPath(new URL("../src/worker-main.ts", import.meta.url));
const [studyArg, ...studyArgs] = process.argv.slice(2);
const study = studyArg ?? "accuracy-vs-precision";
const args =
  studyArg === undefined
    ? [
        "--networks",
        "lenet5",
        "--arithmetics",
        "sc-bisc",
        "--compensated-arithmetics",
        "",
        "--trained-arithmetics",
        "",
        "--bits",
        "3,4,5,6,7,8,9,10",
        "--test-limit",
        "2000",
      ]
    : studyArgs;
const studyDir = join(root, "studies", study);
const dir = mkdtempSync(join(tmpdir(), "dse-bench-queue-"));

function run(cmd: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...cmd], { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

async function timed(workers: number, url: string): Promise<{ seconds: number; out: string; summary: string }> {
  const procs = Array.from({ length: workers }, () => {
    const child = spawn(process.execPath, ["--import", "tsx", workerMain, "--queue", url, "--threads", "1"], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    });
    const p = { child, stderr: "", exited: new Promise<void>((r) => child.once("exit", () => r())) };
    child.stderr.on("data", (d) => (p.stderr += d));
    return p;
  });
  try {
    while (!procs.every((p) => /taking jobs/.test(p.stderr))) await sleep(50);
    const out = join(dir, `out-${workers}`);
    const started = process.hrtime.bigint();
    const r = await run(
      ["study.ts", ...args, "--queue", url, "--out", out, "--cache-dir", join(dir, `cache-${workers}`)],
      studyDir,
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.code !== 0) throw new Error(`study ${study} with ${workers} worker(s) failed:\n${r.stderr}`);
    const summary = r.stderr
      .split("\n")
      .filter((l) => /jobs computed by/.test(l))
      .join("; ");
    return { seconds, out, summary };
  } finally {
    for (const p of procs) p.child.kill("SIGTERM");
    await Promise.all(procs.map((p) => p.exited));
  }
}

const redis = await startRedis();
try {
  process.stderr.write(`bench: ${study} ${args.map((a) => (a === "" ? '""' : a)).join(" ")}, cold, via ${redis.url}\n`);
  const one = await timed(1, redis.url);
  process.stderr.write(`bench: 1 worker done (${one.summary})\n`);
  const two = await timed(2, redis.url);
  process.stderr.write(`bench: 2 workers done (${two.summary})\n`);
  const files = readdirSync(one.out).sort();
  const same = files.every((f) => readFileSync(join(one.out, f)).equals(readFileSync(join(two.out, f))));
  const jobs = Number(/(\d+) jobs computed/.exec(one.summary)?.[1] ?? Number.NaN);
  console.log(`study ${study}: ${jobs} jobs, ${(one.seconds / jobs).toFixed(2)} s per job on 1 worker (wall)`);
  console.log(`1 worker : ${one.seconds.toFixed(1)} s`);
  console.log(`2 workers: ${two.seconds.toFixed(1)} s`);
  console.log(`speed-up of 2 workers over 1: ${(one.seconds / two.seconds).toFixed(2)}x`);
  console.log(`outputs byte-identical: ${same ? "yes" : "NO"} (${files.length} files)`);
  console.log(`load average (1 min) at the end: ${loadavg()[0]!.toFixed(2)} on this host`);
  if (!same) process.exitCode = 1;
} finally {
  await redis.stop();
}
