// `pnpm study <name> [args…]` runs studies/<name>/study.ts with tsx, in that folder, forwarding args.
// `pnpm study --list` lists the studies with the question each answers (first line of its README).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { constants } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url)); // not .pathname: a space would stay %20
// SCCNN_STUDIES_DIR: another folder of studies (tests of this launcher).
const studiesDir = process.env.SCCNN_STUDIES_DIR ?? join(root, "studies");

function studies(): { name: string; question: string }[] {
  return readdirSync(studiesDir)
    .filter((name) => existsSync(join(studiesDir, name, "study.ts")))
    .sort()
    .map((name) => {
      const readme = join(studiesDir, name, "README.md");
      const text = existsSync(readme) ? readFileSync(readme, "utf8") : "";
      const question = text.split("\n").find((l) => /^\*\*Question/i.test(l) || /^> /.test(l)) ?? "";
      return { name, question: question.replace(/^\*\*Question:?\*\*:?\s*|^>\s*/i, "").trim() };
    });
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === "--list" || name === "-l" || name === "--help") {
  const all = studies();
  if (!name || name === "--help") console.log("usage: pnpm study <name> [--smoke] [overrides…]\n");
  for (const s of all) console.log(`${s.name.padEnd(24)} ${s.question}`);
  process.exit(name ? 0 : 2);
}
const dir = join(studiesDir, name);
if (!existsSync(join(dir, "study.ts"))) {
  console.error(
    `pnpm study: no study named "${name}" (looked for studies/${name}/study.ts). Known: ${studies()
      .map((s) => s.name)
      .join(", ")}`,
  );
  process.exit(2);
}
// No build step: the WebAssembly kernels are committed (see @sccnn/sc-core/asm/build).
// The study runs in its own folder; paths the user typed are relative to where they ran pnpm
// (INIT_CWD): resolve path-valued flags (`--out x` and `--out=x`) and .onnx/.ckpt/.json/.csv list items
// against it.
const userCwd = process.env.INIT_CWD ?? process.cwd();
const pathFlags = new Set(["--out", "--cache-dir", "--config", "--accuracy-from"]);
const fromUser = (p: string) => (isAbsolute(p) ? p : resolve(userCwd, p));
const listItems = (value: string) =>
  value
    .split(",")
    .map((item) => (/\.(onnx|ckpt|json|csv)$/i.test(item) ? fromUser(item) : item))
    .join(",");
function userArgs(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      if (eq < 0) return arg;
      const [flag, value] = [arg.slice(0, eq), arg.slice(eq + 1)];
      return `${flag}=${pathFlags.has(flag) ? fromUser(value) : listItems(value)}`;
    }
    if (pathFlags.has(argv[i - 1] ?? "")) return fromUser(arg);
    return listItems(arg);
  });
}

// One process (node --import tsx), in a process group of its own so that a signal reaches the
// study and everything it started (sub-study processes of the paper). SIGINT/SIGTERM/SIGHUP to
// this launcher are forwarded to that group, and the launcher exits only once the study has
// stopped, with its exit code (or 128 + the signal's number).
const child = spawn(
  process.execPath,
  [
    "--import",
    pathToFileURL(createRequire(join(root, "package.json")).resolve("tsx")).href,
    "study.ts",
    ...userArgs(rest),
  ],
  {
    cwd: dir,
    stdio: "inherit",
    detached: true,
  },
);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  });
child.on("error", (e) => {
  console.error(`pnpm study: cannot start ${name}: ${e.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
});
