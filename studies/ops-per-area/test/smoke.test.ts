import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readStudyConfigFiles, resolveConfig, runStudyForTest, runStudyScript } from "@sccnn/dse";
import { describe, expect, it } from "vitest";
import { binaryMacsPerCycle } from "@sccnn/cost";
import type { OpsPerAreaRecord } from "../src/evaluate.ts";

const studyDir = fileURLToPath(new URL("..", import.meta.url));
const FILES = [
  "results.json",
  "results.csv",
  "improvement.svg",
  "improvement.png",
  "improvement-best-b.svg",
  "improvement-best-b.png",
];

describe("ops-per-area study", () => {
  it("study.ts --smoke writes records with areaUm2, opsPerCycle, gopsPerMm2, improvement and reruns byte-identically", () => {
    const dir = mkdtempSync(join(tmpdir(), "ops-per-area-"));
    const first = runStudyForTest(studyDir, ["--smoke"], dir);
    expect(first.status, first.stderr).toBe(0);
    const results = first.readJson<{ study: string; records: OpsPerAreaRecord[] }>("results.json");
    expect(results.study).toBe("ops-per-area");
    const recs = results.records;
    // lenet5 x N {4, 8} x 2 clock policies x 4 scenarios x b {1, 8} x 7 baselines x {sc, binary}
    const baselines = ["exact", "iso-bisc", "bit-serial", "bit-fusion", "trunc-g0", "trunc-g1", "trunc-g2"];
    expect(recs.length).toBe(2 * 2 * 4 * 2 * baselines.length * 2);
    expect(new Set(recs.map((r) => r.baseline))).toEqual(new Set(baselines));
    for (const r of recs) {
      for (const f of ["areaUm2", "opsPerCycle", "gopsPerMm2", "improvement"] as const)
        expect(Number.isFinite(r[f]), f).toBe(true);
      expect(r.weights === "trained" || r.weights === "synthetic").toBe(true);
      // the energy table covers lenet5 at N = 4, 8 and b ≤ 8 for SC and every baseline
      expect(r.energyModel, `${r.design} ${r.baseline} N=${r.bits} b=${r.parallel}`).toBe("energy-osu018");
      expect(r.energyPerInferencePj!).toBeGreaterThan(0);
    }
    // GOPS/W · pJ per inference = 2 · MACs · 1e-3, and every record runs the same network's MACs
    const opsTimesPj = recs.map((r) => r.gopsPerW! * r.energyPerInferencePj!);
    for (const v of opsTimesPj) expect(Math.abs(v / opsTimesPj[0]! - 1)).toBeLessThan(1e-5);
    for (let i = 0; i < recs.length; i += 2) {
      const [sc, bin] = [recs[i]!, recs[i + 1]!];
      expect([sc.design, bin.design]).toEqual(["sc", "binary"]);
      expect(sc.baseline).toBe(bin.baseline);
      // Records are rounded to 6 significant digits.
      expect(Math.abs(sc.improvement + 1 - sc.gopsPerMm2 / bin.gopsPerMm2)).toBeLessThan(1e-4 * (sc.improvement + 1));
      // a bit-fusion lane built for 8 bits does up to 4 MACs per cycle at N = 4
      for (const d of [sc, bin])
        expect(d.opsPerCycle).toBeLessThanOrEqual(
          2 *
            d.units *
            d.lanesPerUnit *
            d.copies *
            (d.design === "sc" ? d.parallel : binaryMacsPerCycle(bin.baseline, d.bits, d.builtBits)) +
            1e-9,
        );
      if (sc.clock === "parameter") expect([sc.clockHz, bin.clockHz]).toEqual([2e8, 2e8]);
      // the SC lane's path is shorter than the one-cycle binary lanes' (table delays); the bit-serial
      // lane's path is a 2N-bit add
      else if (sc.baseline === "exact" || sc.baseline === "iso-bisc") expect(sc.clockHz).toBeGreaterThan(bin.clockHz);
      if (sc.scenario === "fixed-precision") expect(bin.builtBits).toBe(sc.bits);
      if (sc.scenario === "precision-flexible") expect(bin.builtBits).toBe(8);
      if (sc.scenario === "iso-area") expect(sc.areaUm2).toBeLessThanOrEqual(bin.areaUm2);
      if (sc.scenario === "iso-throughput") {
        const ref = recs.find(
          (r) =>
            r.scenario === "fixed-precision" &&
            r.clock === sc.clock &&
            r.design === "binary" &&
            r.baseline === sc.baseline &&
            r.bits === sc.bits &&
            r.parallel === sc.parallel,
        )!;
        const refS = ref.cycles / ref.clockHz;
        expect(sc.cycles / sc.clockHz).toBeLessThanOrEqual(refS * (1 + 1e-5));
        expect(bin.cycles / bin.clockHz).toBeLessThanOrEqual(refS * (1 + 1e-5));
      }
    }
    const second = runStudyForTest(studyDir, ["--smoke"], dir, "out2");
    expect(second.status, second.stderr).toBe(0);
    for (const f of FILES) expect(Buffer.compare(second.read(f), first.read(f)), f).toBe(0);
  });

  it("config.json satisfies config.schema.json and config.smoke.json keeps it valid", () => {
    const { schema, configPath, smokeConfig } = readStudyConfigFiles(studyDir);
    expect(resolveConfig<{ networks: string[] }>({ schema, configPath }).networks).toContain("fashion-cnn");
    expect(resolveConfig<{ networks: string[] }>({ schema, configPath, smokeConfig, smoke: true }).networks).toEqual([
      "lenet5",
    ]);
  });

  it("study.ts with an unknown scenario exits 2 naming the JSON path", () => {
    const r = runStudyScript(studyDir, [
      "--smoke",
      "--scenarios",
      "fixed-precision,cheapest",
      "--out",
      join(mkdtempSync(join(tmpdir(), "opa-bad-")), "out"),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/scenarios/);
  });
  it("study.ts with a broken .onnx network exits 2 naming the file, without a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "opa-broken-"));
    const bad = join(dir, "bad.onnx");
    writeFileSync(bad, "not an onnx file");
    const r = runStudyScript(studyDir, ["--smoke", "--networks", bad, "--out", join(dir, "out")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("bad.onnx");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
