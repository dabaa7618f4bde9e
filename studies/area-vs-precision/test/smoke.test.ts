import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readStudyConfigFiles, resolveConfig, runStudyForTest } from "@sccnn/dse";
import { describe, expect, it } from "vitest";
import type { ComponentRecord, LaneRecord } from "../src/evaluate.ts";

const studyDir = fileURLToPath(new URL("..", import.meta.url));
const FILES = [
  "results.json",
  "results.csv",
  "lane-area.svg",
  "lane-area.png",
  "component-area.svg",
  "component-area.png",
];

describe("area-vs-precision study", () => {
  it("study.ts --smoke writes component and lane areas for both models; SC lanes are smaller than binary from N = 4; reruns byte-identically", () => {
    const dir = mkdtempSync(join(tmpdir(), "area-vs-precision-"));
    const first = runStudyForTest(studyDir, ["--smoke"], dir);
    expect(first.status, first.stderr).toBe(0);
    const { records } = first.readJson<{ records: (ComponentRecord | LaneRecord)[] }>("results.json");
    const lanes = records.filter((r): r is LaneRecord => r.record === "lane");
    const comps = records.filter((r): r is ComponentRecord => r.record === "component");
    expect(new Set(records.map((r) => r.model))).toEqual(new Set(["yosys-osu018", "analytic-gates"]));
    // smoke: N {2, 4, 8}, b {1, 4} (b = 4 ≤ 2^2): per model 3 binary lanes + 6 SC lanes
    expect(lanes.length).toBe(2 * (3 + 6));
    for (const r of records) expect(r.areaUm2).toBeGreaterThan(0);
    for (const model of ["yosys-osu018", "analytic-gates"]) {
      const bin = (N: number) => lanes.find((r) => r.model === model && r.design === "binary" && r.bits === N)!.areaUm2;
      const sc = (N: number) =>
        lanes.find((r) => r.model === model && r.design === "sc" && r.bits === N && r.parallel === 1)!.areaUm2;
      for (const N of [4, 8]) expect(sc(N), `${model} N=${N}`).toBeLessThan(bin(N));
      expect(bin(8) / sc(8)).toBeGreaterThan(bin(4) / sc(4));
    }
    // The two models agree within a factor of 2 on every component of ≥ 2000 µm² (within 3 below:
    // the analytic model overcounts the tiny select logic of narrow b-parallel fronts).
    for (const c of comps.filter((r) => r.model === "yosys-osu018")) {
      const a = comps.find(
        (r) =>
          r.model === "analytic-gates" &&
          r.kind === c.kind &&
          r.bits === c.bits &&
          r.parallel === c.parallel &&
          r.accBits === c.accBits,
      )!;
      const limit = c.areaUm2 >= 2000 ? 2 : 3;
      expect(a.areaUm2 / c.areaUm2, `${c.kind} N=${c.bits} b=${c.parallel}`).toBeGreaterThan(1 / limit);
      expect(a.areaUm2 / c.areaUm2, `${c.kind} N=${c.bits} b=${c.parallel}`).toBeLessThan(limit);
    }
    const second = runStudyForTest(studyDir, ["--smoke"], dir, "out2");
    expect(second.status, second.stderr).toBe(0);
    for (const f of FILES) expect(Buffer.compare(second.read(f), first.read(f)), f).toBe(0);
  });

  it("config.json satisfies config.schema.json and config.smoke.json keeps it valid", () => {
    const { schema, configPath, smokeConfig } = readStudyConfigFiles(studyDir);
    expect(resolveConfig<{ bits: number[] }>({ schema, configPath }).bits.length).toBe(15);
    expect(resolveConfig<{ bits: number[] }>({ schema, configPath, smokeConfig, smoke: true }).bits).toEqual([2, 4, 8]);
  });
});
