import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runStudyForTest } from "@sccnn/dse";
import { exportOnnx } from "@sccnn/onnx";
import { describe, expect, it } from "vitest";
import { checkpointPath, hardwareWeights, loadTrainedWeights, networkAvailability, sha256File } from "@sccnn/zoo";
import type { ParetoConfig } from "../src/config.ts";
import { planPoints } from "../src/plan.ts";
import type { ParetoRecord } from "../src/records.ts";

const studyDir = fileURLToPath(new URL("..", import.meta.url));

/** lenet5's trained weights exported to <dir>/lenet5.onnx, and the same network labelled with dataset "unknown". */
function exportLenet5(dir: string): { good: string; unknownDataset: string } {
  const ck = loadTrainedWeights("lenet5");
  const good = join(dir, "lenet5.onnx");
  writeFileSync(good, exportOnnx(ck.spec, ck.weights));
  const unknownDataset = join(dir, "mystery.onnx");
  writeFileSync(unknownDataset, exportOnnx({ ...ck.spec, id: "mystery", dataset: "unknown" }, ck.weights));
  return { good, unknownDataset };
}

const key = (r: ParetoRecord) =>
  [r.design, r.baseline, r.arithmetic, r.bits, r.lanesM, r.unitsP, r.parallelB, r.scenario].join("|");

describe("pareto with a network file", () => {
  it("networkAvailability(.onnx or .ckpt file) is available under the spec id with the SHA-256 of the file's bytes, and unavailable with a reason for a missing file or an unknown dataset", () => {
    const dir = mkdtempSync(join(tmpdir(), "pareto-file-av-"));
    const { good, unknownDataset } = exportLenet5(dir);
    const a = networkAvailability(good);
    expect(a).toEqual({ network: "lenet5", available: true, weightsSha256: sha256File(good), ref: good });
    const ckpt = checkpointPath("lenet5");
    expect(networkAvailability(`${ckpt}`)).toEqual({
      network: "lenet5",
      available: true,
      weightsSha256: sha256File(ckpt),
      ref: ckpt,
    });
    const u = networkAvailability(unknownDataset);
    expect(u.available).toBe(false);
    if (!u.available) expect(u.reason).toContain('dataset "unknown" is not one of mnist, fashion-mnist');
    // the study's --dataset names the data set of a file that records none (PyTorch's exports)
    const named = networkAvailability(unknownDataset, undefined, { dataset: "mnist" });
    expect(named).toMatchObject({ network: "mystery", available: true, ref: unknownDataset, dataset: "mnist" });
    expect(hardwareWeights({ network: "lenet5", path: null, ref: unknownDataset, dataset: "mnist" }).spec.dataset).toBe(
      "mnist",
    );
    const missing = networkAvailability(join(dir, "absent.ckpt"));
    expect(missing.available).toBe(false);
    if (!missing.available) expect(missing.reason).toContain("absent.ckpt: file not found");
  });

  it("study.ts --smoke --networks <lenet5.onnx>,<unknown-dataset.onnx> gives the zoo lenet5 run's accuracy and GOPS/mm² at every point and skips the other file with its reason", () => {
    const dir = mkdtempSync(join(tmpdir(), "pareto-file-"));
    const { good, unknownDataset } = exportLenet5(dir);
    const file = runStudyForTest(studyDir, ["--smoke", "--networks", `${good},${unknownDataset}`], dir, "out-file");
    expect(file.status, file.stderr).toBe(0);
    expect(file.stderr).toContain("pareto: skipping");
    const zoo = runStudyForTest(studyDir, ["--smoke", "--networks", "lenet5"], dir, "out-zoo");
    expect(zoo.status, zoo.stderr).toBe(0);
    const fileRecords = file.readJson<{ records: ParetoRecord[] }>("results.json").records;
    const zooRecords = zoo.readJson<{ records: ParetoRecord[] }>("results.json").records.filter((r) => !r.fineTuned);
    // no fine-tuned checkpoints exist for a file: exactly the zoo run's trained-weights points
    expect(fileRecords.length).toBe(zooRecords.length);
    expect(fileRecords.length).toBeGreaterThan(0);
    const byKey = new Map(zooRecords.map((r) => [key(r), r]));
    for (const r of fileRecords) {
      expect(r.network).toBe("lenet5");
      expect(r.fineTuned).toBe(false);
      const z = byKey.get(key(r));
      expect(z, key(r)).toBeDefined();
      expect(r.accuracy, key(r)).toBe(z!.accuracy);
      expect(r.gopsPerMm2, key(r)).toBe(z!.gopsPerMm2);
    }
    const headline = file.readText("headline.csv");
    expect(headline).toContain('dataset ""unknown"" is not one of mnist, fashion-mnist');
    // per scenario: the strongest baseline, then each of the seven
    expect(headline.split("\n").filter((l) => l.startsWith("lenet5,")).length).toBe(2 * 8);
  });

  it("planPoints with dataset mnist evaluates a file network that records no data set (its points carry the data set in their cache key)", () => {
    const dir = mkdtempSync(join(tmpdir(), "pareto-file-ds-"));
    const { unknownDataset } = exportLenet5(dir);
    const base = JSON.parse(readFileSync(new URL("../config.json", import.meta.url), "utf8")) as ParetoConfig;
    const config: ParetoConfig = { ...base, networks: [unknownDataset], bits: [4] };
    const without = planPoints(config, "table");
    expect(without.skipped.map((s) => s.reason)).toEqual([
      'dataset "unknown" is not one of mnist, fashion-mnist (give the study --dataset, or set it with `pnpm onnx:import --dataset`)',
    ]);
    const withSet = planPoints({ ...config, dataset: "mnist" }, "table");
    expect(withSet.skipped).toEqual([]);
    expect(JSON.stringify(withSet.networks[0])).toContain('"dataset":"mnist"');
  });
});
