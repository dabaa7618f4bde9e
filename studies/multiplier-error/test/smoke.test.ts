import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readStudyConfigFiles, resolveConfig, runStudyForTest, runStudyScript } from "@sccnn/dse";
import { describe, expect, it } from "vitest";

const studyDir = fileURLToPath(new URL("..", import.meta.url));
const FILES = [
  "results.json",
  "results.csv",
  "error-vs-precision.svg",
  "error-vs-precision.png",
  "latency-vs-precision.svg",
  "latency-vs-precision.png",
];

interface Rec {
  measure: string;
  scheme?: string;
  distribution?: string;
  bits: number;
  parallel?: number;
  maxAbsErrLsb?: number;
  meanLatencyCycles?: number;
  fullStreamCycles?: number;
}

describe("multiplier-error study", () => {
  it("study.ts --smoke writes results and both figures, reproduces BISC max error, and reruns byte-identically", () => {
    const dir = mkdtempSync(join(tmpdir(), "mult-err-"));
    const first = runStudyForTest(studyDir, ["--smoke"], dir);
    expect(first.status, first.stderr).toBe(0);
    const results = first.readJson<{ study: string; config: { bits: number[] }; records: Rec[] }>("results.json");
    expect(results.study).toBe("multiplier-error");
    expect(results.config.bits).toEqual([2, 4, 6]);
    const errors = results.records.filter((r) => r.measure === "error");
    const latencies = results.records.filter((r) => r.measure === "latency");
    expect(errors.length).toBe(4 * 3);
    expect(latencies.length).toBe(2 * 3 * 2);
    // SC-CNN-NOTES: BISC max |error| about 1.06 / 1.39 product LSBs at N = 4 / 6.
    const bisc = (bits: number) => errors.find((r) => r.scheme === "bisc" && r.bits === bits)!.maxAbsErrLsb!;
    expect(bisc(4)).toBeCloseTo(1.06, 2);
    expect(bisc(6)).toBeCloseTo(1.39, 2);
    for (const r of latencies) expect(r.meanLatencyCycles!).toBeLessThan(r.fullStreamCycles! + 1e-9);
    const csv = first.readText("results.csv").split("\n");
    expect(csv[0]!.split(",").slice(0, 4)).toEqual(["measure", "scheme", "bits", "products"]);
    expect(csv.length - 2).toBe(results.records.length);
    for (const f of FILES.filter((f) => f.endsWith(".svg")))
      expect(first.readText(f)).toContain('xmlns="http://www.w3.org/2000/svg"');

    const second = runStudyForTest(studyDir, ["--smoke"], dir, "out2");
    expect(second.status, second.stderr).toBe(0);
    // Cache hits are not asserted here: the key includes sc-core's source hash, which changes while
    // sc-core is edited between the two runs (the runner's cache reuse is tested in packages/dse).
    for (const f of FILES) expect(Buffer.compare(second.read(f), first.read(f)), f).toBe(0);
  });

  it("config.json satisfies config.schema.json and config.smoke.json keeps it valid", () => {
    const { schema, configPath, smokeConfig } = readStudyConfigFiles(studyDir);
    expect(resolveConfig<{ bits: number[] }>({ schema, configPath }).bits).toEqual([
      2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    expect(resolveConfig<{ bits: number[] }>({ schema, configPath, smoke: true, smokeConfig }).bits).toEqual([2, 4, 6]);
  });

  it("study.ts with an unknown override exits 2 naming it", () => {
    const r = runStudyScript(studyDir, ["--networks", "lenet5", "--out", join(tmpdir(), "never-written")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--networks: unknown field "networks"');
  });

  it("README.md starts with the question and shows the command that runs the study", () => {
    const readme = readFileSync(join(studyDir, "README.md"), "utf8");
    const firstContent = readme.split("\n").find((l) => l.trim() !== "" && !l.startsWith("# "));
    expect(firstContent).toMatch(/^\*\*Question:\*\* /);
    expect(readme).toContain("pnpm study multiplier-error");
    for (const f of ["error-vs-precision", "latency-vs-precision"]) expect(readme).toContain(f);
  });
});
