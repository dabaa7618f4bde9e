// Runs every workspace package's tests through turbo, then prints the closing line CI reads:
// "N passed, N failed", summed over the JSON reports each package's vitest writes to
// .vitest/results.json. Exits with turbo's exit code (non-zero if any package failed).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const groups = ["packages", "studies", "apps"];
const reports = () =>
  groups.flatMap((g) => {
    const dir = join(root, g);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).map((name) => ({ name: `${g}/${name}`, file: join(dir, name, ".vitest", "results.json") }));
  });

for (const { file } of reports()) rmSync(file, { force: true });

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const args = ["run", "test", "--concurrency=2", ...process.argv.slice(2)];
const turbo = spawnSync(join(root, "node_modules", ".bin", "turbo"), args, { stdio: "inherit", env, cwd: root });

let passed = 0;
let failed = 0;
const missing = [];
for (const { name, file } of reports()) {
  if (!existsSync(join(file, "..", "..", "package.json"))) continue;
  const pkg = JSON.parse(readFileSync(join(file, "..", "..", "package.json"), "utf8"));
  if (!pkg.scripts?.test) continue;
  if (!existsSync(file)) {
    missing.push(name);
    continue;
  }
  const r = JSON.parse(readFileSync(file, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
}
if (missing.length) console.log(`no test report from: ${missing.join(", ")}`);
const code = turbo.status ?? 1;
if (missing.length && failed === 0) failed += missing.length; // a package that crashed before reporting counts as failed
console.log(`${passed} passed, ${failed} failed`);
process.exit(code !== 0 ? code : failed > 0 ? 1 : 0);
