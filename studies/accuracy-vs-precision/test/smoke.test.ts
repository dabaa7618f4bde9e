import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runStudy } from "@sccnn/dse";
import { accuracyPoints, accuracyVsPrecisionStudy, type AccuracyVsPrecisionConfig } from "../study.ts";
import type { AccuracyRecord } from "../src/figures.ts";
import { accuracyTables } from "../src/table.ts";

const tmp = mkdtempSync(join(tmpdir(), "accuracy-vs-precision-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("accuracy-vs-precision study", () => {
  it("accuracyPoints(config.json) has one float32 point per network, every (N, arithmetic, method) point and trained seed 1 at every trained N", () => {
    const c = JSON.parse(readFileSync(new URL("../config.json", import.meta.url), "utf8")) as AccuracyVsPrecisionConfig;
    const pts = accuracyPoints(c, () => false);
    expect(pts.length).toBe(
      c.networks.length *
        (1 +
          c.bits.length * (c.arithmetics.length + c.compensatedArithmetics.length) +
          c.trainedBits.length * c.trainedArithmetics.length),
    );
    expect(pts.filter((p) => p.arithmetic === "float32").map((p) => p.network)).toEqual(c.networks);
    expect(pts.filter((p) => p.method === "trained").every((p) => p.seed === 1)).toBe(true);
    // further seeds where committed
    const withSeeds = accuracyPoints(c, (p) => p.bits === 4);
    expect(withSeeds.filter((p) => p.method === "trained" && p.seed !== 1).length).toBe(
      c.networks.length * c.trainedArithmetics.length * (c.seeds.length - 1),
    );
  });

  it("runStudy(--smoke) writes records with validation and test accuracy and intervals, the table and the figure", async () => {
    const out = join(tmp, "out");
    const code = await runStudy(accuracyVsPrecisionStudy, [
      "--smoke",
      "--threads",
      "0",
      "--out",
      out,
      "--cache-dir",
      join(tmp, "cache"),
    ]);
    expect(code).toBe(0);
    const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { records: Record<string, unknown>[] };
    // lenet5: float32 + 2 widths × (fixed, sc-bisc, sc-lfsr PTQ, sc-bisc PTQ + comp) + N = 4 × (fixed, sc-bisc trained)
    expect(res.records.length).toBe(11);
    for (const r of res.records) {
      for (const k of [
        "network",
        "arithmetic",
        "bitsW",
        "method",
        "accuracy",
        "testLo",
        "testHi",
        "validationAccuracy",
      ])
        expect(r).toHaveProperty(k);
      expect(r.testLo as number).toBeLessThanOrEqual(r.accuracy as number);
      expect(r.testHi as number).toBeGreaterThanOrEqual(r.accuracy as number);
      expect(r.total).toBe(200);
      expect(r.validationTotal).toBe(200);
      expect(["current", "superseded"]).toContain(r.floatWeights);
      expect(r.floatTrainedOn).toMatch(/^mnist train\[0:\d+\]/);
      if (r.method !== "trained") expect(r.floatWeights).toBe("current");
      // the checkpoint a trained point ran, by hash (pareto reuses accuracies of the same file)
      if (r.method === "trained") expect(r.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
      else expect(r.weightsSha256).toBeNull();
    }
    const acc = (a: string, bits: number | null, method: string) =>
      res.records.find((r) => r.arithmetic === a && r.bitsW === bits && r.method === method)!.accuracy as number;
    expect(acc("float32", null, "float")).toBeGreaterThan(90);
    // 4-bit fixed and BISC stay close to float on the trained network, trained or not
    for (const m of ["ptq", "trained"]) {
      expect(Math.abs(acc("fixed", 4, m) - acc("float32", null, "float"))).toBeLessThanOrEqual(2);
      expect(Math.abs(acc("sc-bisc", 4, m) - acc("float32", null, "float"))).toBeLessThanOrEqual(2);
    }
    expect(acc("sc-bisc", 3, "ptq+comp")).toBeGreaterThan(50);
    // both N = 4 checkpoints kept period 0 (the PTQ start): not evaluated again, the PTQ counts
    for (const a of ["fixed", "sc-bisc"]) {
      const of = (m: string) => res.records.find((r) => r.arithmetic === a && r.bitsW === 4 && r.method === m)!;
      expect(of("trained").trainedPeriod).toBe(0);
      expect([of("trained").correct, of("trained").validationCorrect]).toEqual([
        of("ptq").correct,
        of("ptq").validationCorrect,
      ]);
    }
    expect(readFileSync(join(out, "table.md"), "utf8")).toMatch(/\| 4 \| .* \|/);
    expect(readFileSync(join(out, "table.md"), "utf8")).toMatch(/float weights trained on mnist train\[0:\d+\]/);
    expect(existsSync(join(out, "accuracy-vs-precision.svg"))).toBe(true);
    expect(existsSync(join(out, "accuracy-vs-precision.png"))).toBe(true);
  });

  it("the table marks a trained cell whose checkpoint descends from superseded float weights, and names them", () => {
    const rec = (over: Partial<AccuracyRecord>): AccuracyRecord => ({
      network: "net",
      arithmetic: "fixed",
      bitsW: 4,
      bitsA: 4,
      method: "ptq",
      fineTuned: false,
      seed: null,
      weightsSha256: null,
      trainedPeriod: null,
      floatWeights: "current",
      floatTrainedOn: "mnist train[0:55000]",
      accuracy: 99,
      testLo: 98.8,
      testHi: 99.2,
      lossVsFloatPt: 0.3,
      correct: 9900,
      total: 10000,
      validationAccuracy: 99.1,
      validationLo: 98.8,
      validationHi: 99.3,
      validationLossVsFloatPt: 0.2,
      validationCorrect: 4955,
      validationTotal: 5000,
      ...over,
    });
    const records = [
      rec({ arithmetic: "float32", bitsW: null, bitsA: null, method: "float", accuracy: 99.3 }),
      rec({}),
      rec({ method: "trained", fineTuned: true, seed: 1, trainedPeriod: 2 }),
      rec({
        arithmetic: "sc-bisc",
        method: "trained",
        fineTuned: true,
        seed: 1,
        trainedPeriod: 1,
        floatWeights: "superseded",
        floatTrainedOn: "mnist train[0:60000] (validation split included)",
      }),
    ];
    const md = accuracyTables(records, { networks: ["net"], bits: [4] }).markdown;
    const row = md.split("\n").find((l) => l.startsWith("| 4 |"))!;
    expect(row.match(/†/g)?.length).toBe(1);
    expect(row.split("|")[6]).toContain("†"); // the last column: sc-bisc SC-aware
    expect(md).toContain("float weights trained on mnist train[0:55000]");
    expect(md).toMatch(
      /† trained from float weights other than today's \(mnist train\[0:60000\] \(validation split included\), superseded\): N = 4 sc-bisc SC-aware/,
    );
    const csv = accuracyTables(records, { networks: ["net"], bits: [4] }).csv;
    expect(csv).toMatch(/sc-bisc SC-aware,.*,superseded$/m);
  });
});
