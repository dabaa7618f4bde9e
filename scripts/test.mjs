// Runs every workspace package's tests through turbo (--continue: every package runs and reports
// even when one fails), then prints the closing line CI reads: "N passed, N failed, N skipped",
// summed over the JSON reports each package's vitest writes to .vitest/results.json. Tests skipped
// at run time because a system package is missing (see @sccnn/test-support) are listed with their
// reason and install command before it. Exits non-zero if any package or test failed.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const groups = ["packages", "studies", "apps"];
const reports = () =>
  groups.flatMap((g) => {
    const dir = join(root, g);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).map((name) => ({ name: `${g}/${name}`, file: join(dir, name, ".vitest", "results.json") }));
  });

for (const { file } of reports()) rmSync(file, { force: true });

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const args = ["run", "test", "--continue", "--concurrency=2", ...process.argv.slice(2)];
const turbo = spawnSync(join(root, "node_modules", ".bin", "turbo"), args, { stdio: "inherit", env, cwd: root });

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const reasons = new Map();
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
  skipped += r.numPendingTests + r.numTodoTests;
  for (const suite of r.testResults ?? [])
    for (const t of suite.assertionResults ?? []) {
      if (t.status !== "skipped" && t.status !== "pending") continue;
      // describe.skipIf suites record no reason: name their file (their reason is in its output above)
      const reason = t.meta?.skipReason ?? `no reason recorded (${relative(root, suite.name)})`;
      const entry = reasons.get(reason) ?? { count: 0, packages: new Set() };
      entry.count++;
      entry.packages.add(name);
      reasons.set(reason, entry);
    }
}
for (const [reason, { count, packages }] of reasons)
  console.log(`skipped ${count} test${count === 1 ? "" : "s"} (${[...packages].join(", ")}): ${reason}`);
if (missing.length) console.log(`no test report from: ${missing.join(", ")}`);
const code = turbo.status ?? 1;
if (missing.length) failed += missing.length; // a package that crashed before reporting counts as failed
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(code !== 0 ? code : failed > 0 ? 1 : 0);
