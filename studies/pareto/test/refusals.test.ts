// Issue 11: option combinations and files that give no meaningful run are refused before anything
// runs: one line naming the option or file, exit 2, nothing written.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, runStudyForTest } from "@sccnn/dse";
import { describe, expect, it } from "vitest";
import { checkParetoConfig } from "../src/check.ts";
import type { ParetoConfig } from "../src/config.ts";

const studyDir = fileURLToPath(new URL("..", import.meta.url));
const base = JSON.parse(readFileSync(join(studyDir, "config.json"), "utf8")) as ParetoConfig;
const problemsOf = (c: Partial<ParetoConfig>): string[] => {
  try {
    checkParetoConfig({ ...base, ...c }, studyDir);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  }
};

describe("pareto refusals", () => {
  it("the default config passes the checks", () => {
    expect(problemsOf({})).toEqual([]);
  });

  it("--flexible-max-bits below every --bits value is refused (the precision-flexible scenario would be empty)", () => {
    expect(problemsOf({ flexibleMaxBits: 2, bits: [4] })).toEqual([
      "--flexible-max-bits 2: below every --bits value (smallest 4), so the precision-flexible scenario has no design point",
    ]);
    expect(problemsOf({ flexibleMaxBits: 2, bits: [4], scenarios: ["fixed-precision"] })).toEqual([]);
  });

  it("--parallel values all above 2^N for some --bits N are refused (that N would have no design point)", () => {
    expect(problemsOf({ bits: [2], parallel: [8, 16] })).toEqual([
      "--parallel 8,16: every value is above 2^2 = 4 cycles of a 2-bit multiply, so --bits 2 has no design point",
    ]);
    expect(problemsOf({ bits: [2, 4], parallel: [4, 16] })).toEqual([]);
  });

  it("a missing or broken .onnx/.ckpt in --networks and a missing or foreign --accuracy-from file are refused by name", () => {
    const dir = mkdtempSync(join(tmpdir(), "pareto-refuse-"));
    const broken = join(dir, "broken.onnx");
    writeFileSync(broken, "not a protobuf at all");
    const p = problemsOf({ networks: ["lenet5", broken, join(dir, "typo.onnx")] });
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/^--networks .*broken\.onnx: cannot be loaded: /);
    expect(p[1]).toMatch(/^--networks .*typo\.onnx: file not found$/);
    expect(problemsOf({ accuracyFrom: "/nonexistent" })).toEqual(["--accuracy-from /nonexistent: no such file"]);
    const foreign = join(dir, "x.json");
    writeFileSync(foreign, "{}");
    expect(problemsOf({ accuracyFrom: foreign })[0]).toMatch(/^--accuracy-from .*x\.json: no "config" object/);
  });

  it.each([
    [["--bits", "2", "--parallel", "8,16"], "--parallel 8,16: every value is above 2^2"],
    [["--clock-hz", "0x10"], "--clock-hz $.clockHz: must be"],
    [["--networks", "typo.onnx"], "--networks typo.onnx: file not found"],
  ])("study.ts %j: exit 2, one line, nothing written", (args, message) => {
    const dir = mkdtempSync(join(tmpdir(), "pareto-refuse-cli-"));
    const r = runStudyForTest(studyDir, ["--smoke", ...args], dir);
    expect(r.status, r.stderr).toBe(2);
    const lines = r.stderr
      .trim()
      .split("\n")
      .filter((l) => !/design points/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("pareto: invalid configuration, nothing written: ");
    expect(lines[0]).toContain(message);
    expect(existsSync(r.outDir)).toBe(false);
  });
});
