// `pnpm explorer [--studies <dir>] [--out <dir>] [--host <h>] [--port <n>] [--no-serve]`
// Builds the explorer page over a studies tree (default: the repository's studies/) and serves it
// on localhost, printing the URL. Works offline: everything it loads is in the built folder.
import { isAbsolute, join, resolve } from "node:path";
import { appDir, buildExplorer, repoRoot } from "./build.ts";
import { serveStatic } from "./serve.ts";

const USAGE = "usage: pnpm explorer [--studies <dir>] [--out <dir>] [--host 127.0.0.1] [--port 4173] [--no-serve]";

interface Options {
  studies: string;
  out: string;
  host: string;
  port: number;
  serve: boolean;
}

/** Relative paths are taken from where the user typed the command (pnpm sets INIT_CWD). */
const fromUser = (p: string) => (isAbsolute(p) ? p : resolve(process.env.INIT_CWD ?? process.cwd(), p));

export function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    studies: join(repoRoot, "studies"),
    out: join(appDir, "build"),
    host: "127.0.0.1",
    port: 4173,
    serve: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === "--studies") o.studies = fromUser(value());
    else if (arg === "--out") o.out = fromUser(value());
    else if (arg === "--host") o.host = value();
    else if (arg === "--port") {
      const v = value();
      o.port = Number(v);
      if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)
        throw new Error(`--port ${v}: expected an integer 0…65535 (0 = any free port)`);
    } else if (arg === "--no-serve") o.serve = false;
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return o;
}

async function main() {
  let o: Options;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`explorer: ${(e as Error).message}`);
    process.exit(2);
  }
  const t0 = performance.now();
  const s = await buildExplorer(o.studies, o.out);
  console.error(
    `explorer: built ${s.outDir} from ${o.studies}${s.fixture ? " (TEST FIXTURE data)" : ""}: ` +
      `${s.studies} studies, ${s.withResults} with results, ${s.records} records, ${s.claims} claims ` +
      `in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (!o.serve) return;
  let served;
  try {
    served = await serveStatic(o.out, o.host, o.port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE" || o.port === 0) throw e;
    console.error(`explorer: port ${o.port} is busy, using a free port`);
    served = await serveStatic(o.out, o.host, 0);
  }
  // The URL goes to stdout on its own line (tests and scripts read it); Ctrl-C stops the server.
  console.log(`Explorer: ${served.url}`);
  console.error(`explorer: serving ${o.out} as process ${process.pid}; stop it with Ctrl-C or \`kill ${process.pid}\``);
}

main().catch((e) => {
  console.error(`explorer: ${(e as Error).message}`);
  process.exit(1);
});
