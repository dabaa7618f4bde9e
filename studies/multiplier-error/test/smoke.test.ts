import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveConfig } from "@sccnn/dse";
import { describe, expect, it } from "vitest";

const studyDir = fileURLToPath(new URL("..", import.meta.url));
const FILES = ["results.json", "results.csv", "error-vs-precision.svg", "error-vs-precision.png", "latency-vs-precision.svg", "latency-vs-precision.png"];

function runStudy(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "study.ts", ...args], { cwd: studyDir, encoding: "utf8" });
}

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
    const args = ["--smoke", "--out", join(dir, "out"), "--cache-dir", join(dir, "cache")];
    const first = runStudy(args);
    expect(first.status, first.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8")) as { study: string; config: { bits: number[] }; records: Rec[] };
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
    const csv = readFileSync(join(dir, "out", "results.csv"), "utf8").split("\n");
    expect(csv[0]!.split(",").slice(0, 4)).toEqual(["measure", "scheme", "bits", "products"]);
    expect(csv.length - 2).toBe(results.records.length);
    for (const f of FILES.filter((f) => f.endsWith(".svg"))) expect(readFileSync(join(dir, "out", f), "utf8")).toContain('xmlns="http://www.w3.org/2000/svg"');

    const second = runStudy([...args.slice(0, 1), "--out", join(dir, "out2"), "--cache-dir", join(dir, "cache")]);
    expect(second.status, second.stderr).toBe(0);
    // Cache hits are not asserted here: the key includes sc-core's source hash, which changes while
    // sc-core is edited between the two runs (the runner's cache reuse is tested in packages/dse).
    for (const f of FILES) expect(Buffer.compare(readFileSync(join(dir, "out2", f)), readFileSync(join(dir, "out", f))), f).toBe(0);
  });

  it("config.json satisfies config.schema.json and config.smoke.json keeps it valid", () => {
    const schema = JSON.parse(readFileSync(join(studyDir, "config.schema.json"), "utf8")) as Record<string, unknown>;
    const smokeConfig = JSON.parse(readFileSync(join(studyDir, "config.smoke.json"), "utf8")) as unknown;
    const configPath = join(studyDir, "config.json");
    expect(resolveConfig<{ bits: number[] }>({ schema, configPath }).bits).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(resolveConfig<{ bits: number[] }>({ schema, configPath, smoke: true, smokeConfig }).bits).toEqual([2, 4, 6]);
  });

  it("study.ts with an unknown override exits 2 naming it", () => {
    const r = runStudy(["--networks", "lenet5", "--out", join(tmpdir(), "never-written")]);
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
