// `pnpm study <name> [args…]` runs studies/<name>/study.ts with tsx, in that folder, forwarding args.
// `pnpm study --list` lists the studies with the question each answers (first line of its README).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const studiesDir = join(root, "studies");

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
// Build first (the WebAssembly kernels some packages compile with AssemblyScript); turbo caches it,
// so on a second run this costs well under a second. turbo needs a `pnpm` binary on PATH (there is
// one under `npx pnpm@… study`); without it, run each package's build script directly.
function buildDirect(): number {
  for (const group of ["packages", "studies", "apps"]) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const pkgFile = join(groupDir, name, "package.json");
      if (!existsSync(pkgFile)) continue;
      const script = JSON.parse(readFileSync(pkgFile, "utf8")).scripts?.build as string | undefined;
      if (!script) continue;
      const bin = [join(groupDir, name, "node_modules", ".bin"), join(root, "node_modules", ".bin")].join(":");
      const r = spawnSync("sh", ["-c", script], {
        cwd: join(groupDir, name),
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
      });
      if (r.status !== 0) {
        console.error(`pnpm study: build of ${group}/${name} failed (\`${script}\`)`);
        return r.status ?? 1;
      }
    }
  }
  return 0;
}
const turbo = spawnSync(join(root, "node_modules", ".bin", "turbo"), ["run", "build", "--output-logs=errors-only"], {
  cwd: root,
  stdio: ["ignore", "ignore", "pipe"],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  encoding: "utf8",
});
if (turbo.status !== 0) {
  const noPnpm = /package manager binary/i.test(turbo.stderr ?? "");
  if (!noPnpm) process.stderr.write(turbo.stderr ?? "");
  const code = noPnpm ? buildDirect() : (turbo.status ?? 1);
  if (code !== 0) {
    console.error("pnpm study: the build failed (see above); the study was not run");
    process.exit(code);
  }
}
const tsx = join(root, "node_modules", ".bin", "tsx");
// The study runs in its own folder; paths the user typed are relative to where they ran pnpm
// (INIT_CWD): resolve path-valued flags and .onnx/.ckpt/.json/.csv list items against it.
const userCwd = process.env.INIT_CWD ?? process.cwd();
const pathFlags = new Set(["--out", "--cache-dir", "--config"]);
const args = rest.map((arg, i) => {
  if (arg.startsWith("--")) return arg;
  if (pathFlags.has(rest[i - 1] ?? "")) return isAbsolute(arg) ? arg : resolve(userCwd, arg);
  return arg
    .split(",")
    .map((item) => (/\.(onnx|ckpt|json|csv)$/i.test(item) && !isAbsolute(item) ? resolve(userCwd, item) : item))
    .join(",");
});
const r = spawnSync(tsx, ["study.ts", ...args], { cwd: dir, stdio: "inherit" });
process.exit(r.status ?? 1);
