// `pnpm study <name> [args…]` runs studies/<name>/study.ts with tsx, in that folder, forwarding args.
// `pnpm study --list` lists the studies with the question each answers (first line of its README).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

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
  console.error(`pnpm study: no study named "${name}" (looked for studies/${name}/study.ts). Known: ${studies().map((s) => s.name).join(", ")}`);
  process.exit(2);
}
// Build first (the WebAssembly kernels some packages compile with AssemblyScript); turbo caches it,
// so on a second run this costs well under a second.
const build = spawnSync(join(root, "node_modules", ".bin", "turbo"), ["run", "build", "--output-logs=errors-only"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
});
if (build.status !== 0) {
  console.error("pnpm study: `turbo run build` failed (see above); the study was not run");
  process.exit(build.status ?? 1);
}
const tsx = join(root, "node_modules", ".bin", "tsx");
const r = spawnSync(tsx, ["study.ts", ...rest], { cwd: dir, stdio: "inherit" });
process.exit(r.status ?? 1);
