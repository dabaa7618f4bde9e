import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BINARY_BASELINES } from "@sccnn/cost";
import { dominates, resolveConfig } from "@sccnn/dse";
import { describe, expect, it } from "vitest";
import type { HeadlineRecord, ParetoRecord } from "../src/records.ts";

const studyDir = fileURLToPath(new URL("..", import.meta.url));
const FILES = [
  "results.json",
  "results.csv",
  "pareto.svg",
  "pareto.png",
  "pareto-energy.svg",
  "pareto-energy.png",
  "front.csv",
  "front-baselines.csv",
  "headline.csv",
];

function runStudy(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "study.ts", ...args], { cwd: studyDir, encoding: "utf8" });
}

describe("pareto study", () => {
  it("study.ts --smoke writes records, fronts, headline and the figure; fronts are non-dominated; cold, cold and cached reruns are byte-identical", () => {
    const dir = mkdtempSync(join(tmpdir(), "pareto-"));
    const first = runStudy(["--smoke", "--out", join(dir, "out"), "--cache-dir", join(dir, "cache")]);
    expect(first.status, first.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8")) as {
      study: string;
      config: { bits: number[]; testLimit: number };
      records: ParetoRecord[];
    };
    expect(results.study).toBe("pareto");
    expect(results.config.bits).toEqual([2, 4, 6]);
    const records = results.records;
    // smoke grid: 3 N x M ∈ {16, 32} x P = 4; b ∈ {1, 4} (b ≤ 2^N); fixed-precision at every N, precision-flexible at N ≤ 8
    const trained = records.filter((r) => !r.fineTuned);
    expect(trained.filter((r) => r.arithmetic === "sc-bisc" && r.design === "sc").length).toBe(3 * 2 * 2 * 2);
    // the conventional SC arrays (lfsr, sobol): once per (N, M, scenario), b = 1
    for (const a of ["sc-lfsr", "sc-sobol"]) {
      const conv = trained.filter((r) => r.arithmetic === a);
      expect(conv.length, a).toBe(3 * 2 * 2);
      for (const r of conv) expect(r.parallelB).toBe(1);
    }
    // …and each of the 7 binary baselines once per (N, M, scenario)
    expect(trained.filter((r) => r.design === "binary").length).toBe(3 * 2 * 2 * BINARY_BASELINES.length);
    expect(new Set(records.flatMap((r) => (r.baseline ? [r.baseline] : [])))).toEqual(new Set(BINARY_BASELINES));
    // iso-bisc products are bit-identical to BISC: its accuracy is SC's at every N (same weights)
    for (const r of trained.filter((x) => x.baseline === "iso-bisc"))
      expect(r.accuracy).toBe(
        trained.find((x) => x.design === "sc" && x.arithmetic === "sc-bisc" && x.bits === r.bits)!.accuracy,
      );
    for (const r of records) {
      expect(r.network).toBe("lenet5");
      expect(r.accuracy).toBeGreaterThan(0);
      expect(r.accuracy).toBeLessThanOrEqual(100);
      expect(r.areaUm2).toBeGreaterThan(0);
      expect(r.latencyCycles).toBeGreaterThan(0);
      expect(r.gopsPerMm2).toBeGreaterThan(0);
      if (r.design === "sc") {
        // a BISC step costs ceil(|w|/b) ≥ 1 cycles, a binary step 1: never faster, slower once |w| > b somewhere
        const binary = records.find(
          (b) =>
            b.baseline === "exact" &&
            b.bits === r.bits &&
            b.lanesM === r.lanesM &&
            b.unitsP === r.unitsP &&
            b.scenario === r.scenario,
        )!;
        if (r.parallelB === 1 && r.bits >= 4) expect(r.latencyCycles).toBeGreaterThan(binary.latencyCycles);
        else expect(r.latencyCycles).toBeGreaterThanOrEqual(binary.latencyCycles);
      }
      if (r.design === "binary") expect(r.improvement).toBeNull();
      else {
        // against the strongest baseline at the same point: no baseline there has more GOPS/mm²
        const there = records.filter(
          (b) =>
            b.design === "binary" &&
            b.fineTuned === false &&
            b.bits === r.bits &&
            b.lanesM === r.lanesM &&
            b.unitsP === r.unitsP &&
            b.scenario === r.scenario,
        );
        const strongest = Math.max(...there.map((b) => b.gopsPerMm2));
        expect(r.improvementBaseline).not.toBeNull();
        if (!r.fineTuned) expect(r.improvement).toBeCloseTo(r.gopsPerMm2 / strongest - 1, 4);
      }
    }
    // SC accuracy is the same at every array point of one (N, weights): one accuracy per (network, arithmetic, N, weights)
    for (const bits of [2, 4, 6])
      expect(
        new Set(
          trained
            .filter((r) => r.arithmetic === "sc-bisc" && r.design === "sc" && r.bits === bits)
            .map((r) => r.accuracy),
        ).size,
      ).toBe(1);
    // fronts: no front point is dominated within its (network, scenario, design); every other point is
    const groups = new Set(records.map((r) => `${r.scenario}|${r.design}`));
    expect(groups.size).toBe(4);
    for (const g of groups) {
      const group = records.filter((r) => `${r.scenario}|${r.design}` === g);
      for (const r of group)
        expect(group.some((o) => dominates([o.accuracy, o.gopsPerMm2], [r.accuracy, r.gopsPerMm2]))).toBe(!r.onFront);
    }
    for (const sc of new Set(records.map((r) => r.scenario))) {
      const all = records.filter((r) => r.scenario === sc);
      for (const r of all)
        expect(all.some((o) => dominates([o.accuracy, o.gopsPerMm2], [r.accuracy, r.gopsPerMm2]))).toBe(
          !r.onJointFront,
        );
    }
    const frontCsv = readFileSync(join(dir, "out", "front.csv"), "utf8")
      .trim()
      .split("\n");
    expect(frontCsv.length - 1).toBe(records.filter((r) => r.onFront).length);
    const headline = readFileSync(join(dir, "out", "headline.csv"), "utf8");
    expect(headline.split("\n")[0]).toBe(
      "network,scenario,baseline,binaryBaseline,status,accuracyBudgetPt,floatAccuracy,scGopsPerMm2,scAccuracy,scPoint,binaryGopsPerMm2,binaryAccuracy,binaryPoint,improvement,jointFrontSc,jointFrontBinary,scEnergyPj,scEnergyPoint,binaryEnergyPj,binaryEnergyPoint,energyRatio",
    );
    // energy: every smoke point is on the committed energy table's grid; energy fronts are non-dominated
    for (const r of records) {
      expect(r.energyModel).toBe("energy-osu018");
      expect(r.energyPerInferencePj).toBeGreaterThan(0);
      expect(r.gopsPerW).toBeGreaterThan(0);
      expect(r.memoryEnergyPj).toBeNull();
    }
    for (const g of groups) {
      const group = records.filter((r) => `${r.scenario}|${r.design}` === g);
      for (const r of group)
        expect(
          group.some((o) => dominates([o.accuracy, -o.energyPerInferencePj!], [r.accuracy, -r.energyPerInferencePj!])),
        ).toBe(!r.onEnergyFront);
    }
    expect(readFileSync(join(dir, "out", "pareto-energy.svg"), "utf8")).toContain("energy per inference");
    // per scenario: against the strongest baseline, then each baseline by name
    expect(headline.split("\n").filter((l) => l.startsWith("lenet5,")).length).toBe(2 * (1 + BINARY_BASELINES.length));
    expect(headline).toMatch(/^lenet5,fixed-precision,strongest,/m);
    for (const b of BINARY_BASELINES) expect(headline).toContain(`lenet5,fixed-precision,${b},`);
    const svg = readFileSync(join(dir, "out", "pareto.svg"), "utf8");
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain("SC-CNN (BISC)");

    const cold = runStudy(["--smoke", "--out", join(dir, "out-cold"), "--cache-dir", join(dir, "cache-cold")]);
    expect(cold.status, cold.stderr).toBe(0);
    const warm = runStudy(["--smoke", "--out", join(dir, "out-warm"), "--cache-dir", join(dir, "cache")]);
    expect(warm.status, warm.stderr).toBe(0);
    for (const other of ["out-cold", "out-warm"]) {
      for (const f of FILES)
        expect(
          Buffer.compare(readFileSync(join(dir, other, f)), readFileSync(join(dir, "out", f))),
          `${other}/${f}`,
        ).toBe(0);
    }
  });

  it("config.json satisfies config.schema.json and config.smoke.json keeps it valid", () => {
    const schema = JSON.parse(readFileSync(join(studyDir, "config.schema.json"), "utf8")) as Record<string, unknown>;
    const smokeConfig = JSON.parse(readFileSync(join(studyDir, "config.smoke.json"), "utf8")) as unknown;
    const configPath = join(studyDir, "config.json");
    const full = resolveConfig<{ bits: number[]; testLimit: number; networks: string[] }>({ schema, configPath });
    expect(full.testLimit).toBe(10000);
    expect(full.networks).toEqual(["lenet5", "fashion-cnn"]);
    expect(resolveConfig<{ testLimit: number }>({ schema, configPath, smoke: true, smokeConfig }).testLimit).toBe(300);
  });

  it("study.ts with bad overrides exits 2 naming each field and writes nothing", () => {
    const out = join(mkdtempSync(join(tmpdir(), "pareto-bad-")), "out");
    const r = runStudy(["--bits", "1,4", "--networks", "resnet-999", "--parallel", "3", "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("$.bits[0]");
    expect(r.stderr).toContain("$.networks[0]");
    expect(r.stderr).toContain("$.parallel[0]");
    expect(() => readFileSync(join(out, "results.json"))).toThrow();
  });

  it("README.md starts with the question, shows the command and names the outputs", () => {
    const readme = readFileSync(join(studyDir, "README.md"), "utf8");
    const firstContent = readme.split("\n").find((l) => l.trim() !== "" && !l.startsWith("# "));
    expect(firstContent).toMatch(/^\*\*Question:\*\* /);
    expect(readme).toContain("pnpm study pareto");
    for (const f of ["pareto.png", "pareto-energy.png", "front.csv", "headline.csv"]) expect(readme).toContain(f);
  });
});

export type { HeadlineRecord };
