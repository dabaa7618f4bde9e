import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readStudyConfigFiles, resolveConfig, runStudyForTest, runStudyScript } from "@sccnn/dse";
import { describe, expect, it } from "vitest";
import { evaluateAccuracy, type AccuracyInput } from "../src/eval/evaluate.ts";
import type { DesignRecord, HeadlineRecord } from "../src/records.ts";

const studyDir = fileURLToPath(new URL("..", import.meta.url));
const FILES = [
  "results.json",
  "results.csv",
  "mixed-precision.svg",
  "mixed-precision.png",
  "front.csv",
  "headline.csv",
];

describe("mixed-precision study", () => {
  it("study.ts --smoke writes the greedy path, uniform designs, fronts and a headline chosen on validation, and reruns from the cache byte-identically", () => {
    const dir = mkdtempSync(join(tmpdir(), "mixed-precision-"));
    const first = runStudyForTest(studyDir, ["--smoke"], dir);
    expect(first.status, first.stderr).toBe(0);
    const { records } = first.readJson<{ records: Record<string, unknown>[] }>("results.json");
    const designs = records.filter((r) => r.kind === "design") as DesignRecord[];
    const heads = records.filter((r) => r.kind === "headline") as HeadlineRecord[];
    const sens = records.filter((r) => r.kind === "sensitivity");
    // lenet5 (5 layers), N ∈ {3, 4, 5}: 5 x 2 sensitivity points, 3 x 2 uniform designs, a path of 1 + 5 x 2 designs
    expect(sens.length).toBe(10);
    expect(designs.filter((r) => r.family === "uniform").length).toBe(6);
    const path = designs.filter((r) => r.family === "mixed").sort((a, b) => a.step! - b.step!);
    expect(path.length).toBe(11);
    expect(path[0]!.precision).toBe("5");
    expect(path[10]!.precision).toBe("3");
    for (let i = 1; i < path.length; i++) expect(path[i]!.lowered).not.toBeNull();
    for (const r of designs) {
      expect(r.testTotal).toBe(300);
      expect(r.testLo95).toBeLessThanOrEqual(r.testAccuracy);
      expect(r.testHi95).toBeGreaterThanOrEqual(r.testAccuracy);
      expect(Number.isFinite(r.gopsPerMm2) && r.gopsPerMm2 > 0).toBe(true);
      // energy per inference of the same Design object (lenet5's N 3…5, b 1 / 8 are on the osu018 table's grid)
      expect(r.energyModel, r.energyModel).not.toMatch(/^(off|refused)/);
      expect(r.energyPerInferencePj! > 0 && r.gopsPerW! > 0).toBe(true);
    }
    // the start of the path is the uniform SC design at N = 5 at the same array: same numbers
    const uni5 = designs.find((r) => r.family === "uniform" && r.design === "sc" && r.precision === "5")!;
    expect([path[0]!.gopsPerMm2, path[0]!.testAccuracy, path[0]!.valAccuracy]).toEqual([
      uni5.gopsPerMm2,
      uni5.testAccuracy,
      uni5.valAccuracy,
    ]);
    expect(heads.length).toBe(1);
    const h = heads[0]!;
    if (h.status === "ok") {
      const chosen = path.find((r) => r.selected)!;
      expect(chosen.valLossPt).toBeLessThanOrEqual(1);
      // chosen on validation: nothing on the path within budget on validation is more efficient
      for (const r of path) if (r.valLossPt <= 1) expect(r.gopsPerMm2).toBeLessThanOrEqual(chosen.gopsPerMm2);
      expect(h.mixedScGopsPerMm2).toBe(chosen.gopsPerMm2);
    }
    const second = runStudyForTest(studyDir, ["--smoke"], dir, "out2");
    expect(second.status, second.stderr).toBe(0);
    for (const f of FILES) expect(Buffer.compare(second.read(f), first.read(f)), f).toBe(0);

    // --accuracy-from an accuracy-vs-precision results.json holding these uniform designs as PTQ
    // points: a fresh cache evaluates only the rest, and every output is the same (results.json
    // differs only in its config's accuracyFrom); a changed count shows up, a foreign float32 is refused
    const uniform = designs.filter((r) => r.family === "uniform");
    const float = (split: AccuracyInput["split"]) =>
      evaluateAccuracy({
        network: "lenet5",
        arithmetic: "float32",
        layers: null,
        split,
        images: 300,
        calibrationImages: 200,
        calibration: "mse",
        perChannel: false,
        weightsSha256: "",
        networkSource: "",
      });
    const [fv, ft] = [float("validation"), float("test")];
    const sourceFile = (name: string, bump: number, floatBump = 0) => {
      const path = join(dir, name);
      const records = [
        {
          network: "lenet5",
          arithmetic: "float32",
          bitsW: null,
          method: "float",
          correct: ft.correct + floatBump,
          total: ft.total,
          validationCorrect: fv.correct,
          validationTotal: fv.total,
        },
        ...uniform.map((r, i) => ({
          network: r.network,
          arithmetic: r.design === "sc" ? "sc-bisc" : "fixed",
          bitsW: Number(r.precision),
          method: "ptq",
          correct: r.testCorrect + (i === 0 ? bump : 0),
          total: r.testTotal,
          validationCorrect: Math.round((r.valAccuracy * 300) / 100),
          validationTotal: 300,
        })),
      ];
      const config = {
        testLimit: 300,
        validationLimit: 300,
        calibrationImages: 200,
        calibration: "mse",
        perChannel: false,
      };
      writeFileSync(path, JSON.stringify({ study: "accuracy-vs-precision", config, records }));
      return path;
    };
    const reusing = runStudyForTest(
      studyDir,
      ["--smoke", "--accuracy-from", sourceFile("avp.json", 0)],
      mkdtempSync(join(tmpdir(), "mixed-precision-")),
    );
    expect(reusing.status, reusing.stderr).toBe(0);
    expect(reusing.stderr).toMatch(/float, sensitivity, uniform N: 12 of 24 accuracies from/);
    for (const f of FILES.filter((f) => f !== "results.json"))
      expect(Buffer.compare(reusing.read(f), first.read(f)), f).toBe(0);
    const again = reusing.readJson<{ config: Record<string, unknown>; records: unknown[] }>("results.json");
    expect(again.records).toEqual(records);
    expect(again.config.accuracyFrom).toBe(join(dir, "avp.json"));
    const bumped = runStudyForTest(studyDir, ["--smoke", "--accuracy-from", sourceFile("bumped.json", 1)], dir, "out4");
    expect(bumped.status, bumped.stderr).toBe(0);
    const changed = bumped
      .readJson<{ records: DesignRecord[] }>("results.json")
      .records.find((r) => r.kind === "design" && r.family === "uniform")!;
    expect(changed.testCorrect).toBe(uniform[0]!.testCorrect + 1);
    const foreign = runStudyForTest(
      studyDir,
      ["--smoke", "--accuracy-from", sourceFile("float.json", 0, 1)],
      dir,
      "out5",
    );
    expect(foreign.status).not.toBe(0);
    expect(foreign.stderr).toMatch(/float32 accuracy of lenet5 is .*: not the same weights or images/);
  }, 600_000);

  it("config.json satisfies config.schema.json and --bits with one value exits 2 naming the field", () => {
    const { schema, configPath, smokeConfig } = readStudyConfigFiles(studyDir);
    expect(resolveConfig<{ networks: string[] }>({ schema, configPath }).networks).toEqual(["lenet5", "fashion-cnn"]);
    expect(resolveConfig<{ bits: number[] }>({ schema, configPath, smokeConfig, smoke: true }).bits).toEqual([3, 4, 5]);
    const r = runStudyScript(studyDir, [
      "--smoke",
      "--bits",
      "4",
      "--out",
      join(mkdtempSync(join(tmpdir(), "mp-bad-")), "out"),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bits/);
  });
});
