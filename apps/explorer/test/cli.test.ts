import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

const appDir = join(import.meta.dirname, "..");
const run = (...args: string[]) =>
  spawnSync(join(appDir, "node_modules", ".bin", "tsx"), ["scripts/explorer.ts", ...args], {
    cwd: appDir,
    encoding: "utf8",
  });

describe("pnpm explorer command line", () => {
  test("explorer --bogus exits 2 naming the argument and printing the usage", () => {
    const r = run("--bogus");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown argument "--bogus"');
    expect(r.stderr).toContain("usage: pnpm explorer");
  });

  test("explorer --port 99999 exits 2 naming --port", () => {
    const r = run("--port", "99999");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--port 99999");
  });

  test("explorer --studies <missing folder> exits 1 naming the folder, before building", () => {
    const r = run("--studies", "/nonexistent-studies", "--no-serve");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--studies /nonexistent-studies: not a folder");
  });
});
