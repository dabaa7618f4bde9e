// `pnpm worker --queue redis://host:port [--threads N] [--stall-seconds S]`: evaluates the jobs
// that studies run with the same --queue enqueue, until stopped (SIGINT/SIGTERM finish the jobs in
// flight first; a second signal exits at once).
import { availableParallelism } from "node:os";
import { checkQueueReachable, parseQueueAddress, type QueueAddress } from "./queue.ts";
import { startQueueWorker } from "./queue-worker.ts";

const USAGE = `usage: pnpm worker --queue redis://host:port [--threads N] [--stall-seconds S]
  --queue redis://H:P   the Redis that the coordinator (pnpm study <name> --queue redis://H:P) uses
  --threads N           jobs evaluated at once, one worker thread each (default: all cores)
  --stall-seconds S     a job whose worker stops renewing its lock for S seconds (killed, host down)
                        is handed to another worker (default 30; the same on every worker)`;

function parse(argv: readonly string[]): { address: QueueAddress; threads: number; stallSeconds: number } | number {
  let address: QueueAddress | undefined;
  let threads = availableParallelism();
  let stallSeconds = 30;
  const fail = (message: string) => {
    process.stderr.write(`pnpm worker: ${message}\n`);
    return 2;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg];
    if (flag === "--help" || flag === "-h") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) return fail(`${flag}: needs a value`);
    if (flag === "--queue") {
      try {
        address = parseQueueAddress(value);
      } catch (e) {
        return fail((e as Error).message);
      }
    } else if (flag === "--threads") {
      threads = Number(value);
      if (!Number.isInteger(threads) || threads < 1)
        return fail(`--threads: must be a positive integer (got "${value}")`);
    } else if (flag === "--stall-seconds") {
      stallSeconds = Number(value);
      if (!Number.isFinite(stallSeconds) || stallSeconds < 0.5)
        return fail(`--stall-seconds: must be a number ≥ 0.5 (got "${value}")`);
    } else return fail(`unknown option ${flag}\n${USAGE}`);
  }
  if (!address) return fail(`--queue redis://host:port is required\n${USAGE}`);
  return { address, threads, stallSeconds };
}

const parsed = parse(process.argv.slice(2));
if (typeof parsed === "number") process.exit(parsed);
try {
  await checkQueueReachable(parsed.address);
} catch (e) {
  process.stderr.write(`pnpm worker: ${(e as Error).message}\n`);
  process.exit(2);
}
const worker = await startQueueWorker(parsed);
process.stderr.write(
  `worker ${worker.name}: taking jobs from ${parsed.address.url} on ${parsed.threads} thread(s); stop with Ctrl-C\n`,
);
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`worker ${worker.name}: finishing the jobs in flight, then stopping\n`);
    void worker.close().then(() => process.exit(0));
  });
}
