import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runToy, tempDir } from "./helpers.ts";

describe("runStudy as a command", () => {
  it.each([
    [
      "a wrong type and an unknown field in the file",
      { xs: [1, "b"], ys: [1], delayMs: 0, label: "toy", extra: 1 },
      [],
      ["$.xs[1]: must be integer", "$.extra: is not a known field"],
    ],
    ["a missing field", { xs: [1], ys: [1], label: "toy" }, [], ["$.delayMs: is required"]],
    [
      "an invalid override",
      { xs: [1], ys: [1], delayMs: 0, label: "toy" },
      ["--ys", "1,-5"],
      ["--ys $.ys[1]: must be >= 0 (got -5)"],
    ],
    [
      "an unknown override field",
      { xs: [1], ys: [1], delayMs: 0, label: "toy" },
      ["--bits", "4,6"],
      ['--bits: unknown field "bits"'],
    ],
    [
      "a bad runner flag",
      { xs: [1], ys: [1], delayMs: 0, label: "toy" },
      ["--threads", "two"],
      ['--threads: must be a non-negative integer (got "two")'],
    ],
  ])(
    "a study run with %s exits 2, prints every error with its path and writes nothing",
    (_what, config, args, expected) => {
      const dir = tempDir("cli");
      const configPath = join(dir, "config.json");
      writeFileSync(configPath, JSON.stringify(config));
      const out = join(dir, "out");
      const cache = join(dir, "cache");
      const r = runToy(["--config", configPath, "--out", out, "--cache-dir", cache, ...(args as string[])]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain("invalid configuration, nothing written");
      for (const e of expected) expect(r.stderr).toContain(e);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(cache)).toBe(false);
      expect(r.stdout).toBe("");
    },
  );

  it("a study run with --help prints the runner options and exits 0", () => {
    const r = runToy(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--smoke");
    // every config field with its type, its config.json value and the schema's description
    expect(r.stdout).toContain("  --xs  (integer (0…1000))[]  (default [1,2,3,4,5])");
    expect(r.stdout).toContain(
      "  --delay-ms  integer (0…)  (default 0)\n      sleep per point, to make runs slow enough to kill",
    );
    expect(r.stdout).toContain('  --label  toy | other  (default "toy")');
  });
});
