import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runToy, tempDir } from "./helpers.ts";

const FILES = ["results.json", "results.csv", "toy.svg", "toy.png"];

describe("byte-identical reruns", () => {
  it("the toy study gives byte-identical results.json/csv/svg/png cold, cold in the main thread, and warm", () => {
    const dir = tempDir("det");
    const runs = [
      ["--out", join(dir, "a"), "--cache-dir", join(dir, "cache-a"), "--threads", "2"],
      ["--out", join(dir, "b"), "--cache-dir", join(dir, "cache-b"), "--threads", "0"],
      ["--out", join(dir, "c"), "--cache-dir", join(dir, "cache-a"), "--threads", "2"],
    ];
    for (const args of runs) {
      const r = runToy(args);
      expect(r.status, r.stderr).toBe(0);
    }
    expect(runToy(runs[2]!).stderr).toContain("pair: 20 points, 20 cached");
    for (const file of FILES) {
      const a = readFileSync(join(dir, "a", file));
      expect(a.length).toBeGreaterThan(0);
      for (const other of ["b", "c"])
        expect(Buffer.compare(readFileSync(join(dir, other, file)), a), `${other}/${file}`).toBe(0);
    }
  });
});
