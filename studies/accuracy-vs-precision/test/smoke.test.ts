import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runStudy } from "@sccnn/dse";
import { accuracyPoints, accuracyVsPrecisionStudy, type AccuracyVsPrecisionConfig } from "../study.ts";

const tmp = mkdtempSync(join(tmpdir(), "accuracy-vs-precision-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("accuracy-vs-precision study", () => {
  it("accuracyPoints(config.json) has one float32 point per network and every (N, arithmetic, fineTuned) point", () => {
    const c = JSON.parse(readFileSync(new URL("../config.json", import.meta.url), "utf8")) as AccuracyVsPrecisionConfig;
    const pts = accuracyPoints(c, "/x");
    expect(pts.length).toBe(
      c.networks.length * (1 + c.bits.length * (c.arithmetics.length + c.fineTuneArithmetics.length)),
    );
    expect(pts.filter((p) => p.arithmetic === "float32").map((p) => p.network)).toEqual(c.networks);
    expect(
      pts.filter((p) => p.fineTuned).every((p) => p.recipe !== null && p.fineTunedDir === "/x/.cache/finetuned"),
    ).toBe(true);
  });

  it("runStudy(--smoke) writes records {network, arithmetic, bitsW, bitsA, fineTuned, accuracy} and the figure", async () => {
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
    // lenet5: float32 + 2 widths × (fixed, sc-bisc, sc-lfsr, sc-bisc fine-tuned)
    expect(res.records.length).toBe(9);
    for (const r of res.records) {
      for (const k of ["network", "arithmetic", "bitsW", "bitsA", "fineTuned", "accuracy"]) expect(r).toHaveProperty(k);
    }
    const acc = (a: string, bits: number | null, ft = false) =>
      res.records.find((r) => r.arithmetic === a && r.bitsW === bits && r.fineTuned === ft)!.accuracy as number;
    expect(acc("float32", null)).toBeGreaterThan(90);
    // 8-bit fixed and BISC stay close to float on the trained network; 3-bit BISC does not beat float
    expect(Math.abs(acc("fixed", 8) - acc("float32", null))).toBeLessThanOrEqual(2);
    expect(Math.abs(acc("sc-bisc", 8) - acc("float32", null))).toBeLessThanOrEqual(2);
    expect(acc("sc-bisc", 3)).toBeLessThanOrEqual(acc("float32", null) + 1);
    expect(res.records.some((r) => r.fineTuned === true && r.arithmetic === "sc-bisc")).toBe(true);
    expect(existsSync(join(out, "accuracy-vs-precision.svg"))).toBe(true);
    expect(existsSync(join(out, "accuracy-vs-precision.png"))).toBe(true);
  });
});
