/**
 * README "Extending", followed in a temporary copy of the repository: `pnpm new network <id>` and
 * `pnpm new cost-model <name>` alone (they write their packages, link them offline and train the
 * network's starting table), the scaffolded packages' type check and tests, then `pnpm study pareto --smoke`
 * with both. No other file may change. The copy has the sources (no node_modules, .git or run
 * outputs) and hard links of every node_modules folder, so nothing is downloaded or rebuilt.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pnpmCommand, workspacePackages, workspaceRoot } from "../src/index.ts";

const root = workspaceRoot();
const SKIP = new Set(["node_modules", ".git", ".turbo", ".cache", ".vitest", "build", "dist"]);
/** Folders left out of the copy: dependencies, VCS, caches and run outputs (out/, out-smoke/, …). */
const skipped = (path: string) => {
  const name = path.split("/").pop()!;
  return (SKIP.has(name) || /^out($|-|\.tmp-|\.old-)/.test(name)) && lstatSync(path).isDirectory();
};

/** Every source file under `dir` (relative paths) with its SHA-256. */
function sourceHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (skipped(p)) continue;
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.set(relative(dir, p), createHash("sha256").update(readFileSync(p)).digest("hex"));
    }
  };
  walk(dir);
  return out;
}

/** Hard-links a node_modules tree; pnpm's own state files are real copies (pnpm rewrites them). */
function linkNodeModules(from: string, to: string): void {
  // hard links need one file system; elsewhere (e.g. a tmpfs /tmp) copy, slower but the same tree
  let r = spawnSync("cp", ["-al", from, to], { encoding: "utf8" });
  if (r.status !== 0) {
    rmSync(to, { recursive: true, force: true });
    r = spawnSync("cp", ["-a", from, to], { encoding: "utf8" });
  }
  if (r.status !== 0) throw new Error(`cp -a ${from} ${to}: ${r.stderr}`);
  for (const rel of [".modules.yaml", ".pnpm/lock.yaml", ".pnpm-workspace-state-v1.json"]) {
    const p = join(to, rel);
    if (!existsSync(p)) continue;
    unlinkSync(p);
    copyFileSync(join(from, rel), p);
  }
}

function run(cwd: string, argv: string[]): { status: number | null; out: string } {
  const [cmd, pre] = pnpmCommand();
  const r = spawnSync(cmd, [...pre, ...argv], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, INIT_CWD: cwd, FORCE_COLOR: "0" },
    maxBuffer: 64 << 20,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe("extending with the scaffold commands alone (README Extending)", () => {
  const copy = mkdtempSync(join(tmpdir(), "sccnn-extend-"));
  afterAll(() => rmSync(copy, { recursive: true, force: true }), 300_000);
  const network = "tiny-e2e";
  const costModel = "e2e-cells";

  it("pnpm new network / cost-model, their tests, then pareto --smoke with both; no other file edited", () => {
    cpSync(root, copy, { recursive: true, filter: (src) => !skipped(src) });
    linkNodeModules(join(root, "node_modules"), join(copy, "node_modules"));
    for (const pkg of workspacePackages(root)) {
      const nm = join(pkg.dir, "node_modules");
      if (existsSync(nm)) linkNodeModules(nm, join(copy, relative(root, pkg.dir), "node_modules"));
    }
    const before = sourceHashes(copy);

    const net = run(copy, ["new", "network", network]);
    expect(net.out).toMatch(/final float32 test accuracy: \d+\.\d\d %/);
    expect(net.status, net.out).toBe(0);
    const cost = run(copy, ["new", "cost-model", costModel]);
    expect(cost.status, cost.out).toBe(0);

    // only the two new packages and the lockfile's two new importers
    const after = sourceHashes(copy);
    const changed = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
    const removed = [...before.keys()].filter((f) => !after.has(f));
    expect(removed).toEqual([]);
    expect(changed.filter((f) => !/^packages\/(network-tiny-e2e|cost-e2e-cells)\//.test(f)).sort()).toEqual([
      "pnpm-lock.yaml",
    ]);
    expect(changed).toContain(`packages/network-${network}/weights/${network}.ckpt`);

    for (const pkg of [`@sccnn/network-${network}`, `@sccnn/cost-${costModel}`]) {
      const types = run(copy, ["--filter", pkg, "check-types"]);
      expect(types.status, types.out).toBe(0);
      const t = run(copy, ["--filter", pkg, "test"]);
      expect(t.status, t.out).toBe(0);
    }

    const out = join(copy, "out-e2e");
    const study = run(copy, [
      "study",
      "pareto",
      "--smoke",
      "--networks",
      network,
      "--cost-models",
      costModel,
      "--out",
      out,
    ]);
    expect(study.status, study.out).toBe(0);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
      config: { networks: string[]; costModels: string[] };
      records: { network: string }[];
    };
    expect(results.config.networks).toEqual([network]);
    expect(results.config.costModels).toEqual([costModel]);
    expect(results.records.length).toBeGreaterThan(0);
    expect(new Set(results.records.map((r) => r.network))).toEqual(new Set([network]));
  }, 1_500_000);

  it("pnpm new refuses a taken id, an existing folder, a malformed id and an unknown kind in one line, exit 2, writing nothing", () => {
    const tsx = join(root, "node_modules", ".bin", "tsx");
    const cases: [string[], RegExp][] = [
      [["network", "lenet5"], /^pnpm new: network id "lenet5" is taken \(known: .*lenet5.*\)$/],
      [["cost-model", "analytic"], /^pnpm new: packages\/cost-analytic exists already/],
      [["network", "Bad_Id"], /^pnpm new: network id "Bad_Id": use lower-case letters/],
      [["widget", "x"], /^pnpm new: unknown kind "widget"/],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(tsx, ["scripts/new.ts", ...args, "--no-install", "--no-train"], {
        cwd: root,
        encoding: "utf8",
      });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.split("\n")[0]).toMatch(message);
      expect(r.stdout).toBe("");
    }
    expect(existsSync(join(root, "packages", "network-lenet5"))).toBe(false);
    expect(existsSync(join(root, "packages", "cost-analytic", "src", "index.ts"))).toBe(true);
  }, 300_000);
});
