import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const studyDir = fileURLToPath(new URL("..", import.meta.url));

describe("paper study", () => {
  it("study.ts --smoke runs the listed studies and writes REPORT.md with measured and not-yet-measured claims", () => {
    const dir = mkdtempSync(join(tmpdir(), "paper-"));
    const args = [
      "--import",
      "tsx",
      "study.ts",
      "--smoke",
      "--studies",
      "multiplier-error,no-such-study",
      "--study-out-root",
      join(dir, "studies"),
      "--study-cache-root",
      join(dir, "cache"),
      "--out",
      join(dir, "out"),
    ];
    const r = spawnSync(process.execPath, args, { cwd: studyDir, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const report = readFileSync(join(dir, "out", "REPORT.md"), "utf8");
    expect(report).toContain(
      "| 4 | SC-CNN is deterministic and repeatable | `multiplier-error` | 6 of 6 output files byte-identical",
    );
    // Studies outside --studies have no results under the fresh output root: missing or not run.
    expect(report).toMatch(
      /\| 3 \| \+50–100 % operations per area.*\*\*not measured yet\*\* \| study ops-per-area (missing|has no results\.json; run pnpm study ops-per-area) \|/,
    );
    expect(report).toContain(
      "![multiplier-error: error-vs-precision](figures/multiplier-error/error-vs-precision.png)",
    );
    expect(report).toContain("### no-such-study\n\nStatus: missing (no studies/no-such-study/study.ts yet).");
    for (const f of ["error-vs-precision", "latency-vs-precision"]) {
      expect(
        Buffer.compare(
          readFileSync(join(dir, "out", "figures", "multiplier-error", `${f}.png`)),
          readFileSync(join(dir, "studies", "multiplier-error", `${f}.png`)),
        ),
      ).toBe(0);
    }
    const results = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8")) as {
      records: { measure: string; verdict?: string }[];
    };
    expect(results.records.filter((x) => x.measure === "claim").map((x) => x.verdict)).toEqual([
      "not measured yet",
      "not measured yet",
      "not measured yet",
      "supported",
      "not measured yet",
    ]);
  });

  it("study.ts --smoke over every configured study writes a claims row with a measured verdict per claim and links only existing figures", {
    timeout: 600_000,
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), "paper-all-"));
    const out = join(dir, "out");
    const args = [
      "--import",
      "tsx",
      "study.ts",
      "--smoke",
      "--study-out-root",
      join(dir, "studies"),
      "--study-cache-root",
      join(dir, "cache"),
      "--out",
      out,
    ];
    const r = spawnSync(process.execPath, args, { cwd: studyDir, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/paper: wall time \d+ min [\d.]+ s \(load average /);
    const report = readFileSync(join(out, "REPORT.md"), "utf8");
    expect(report).toContain("**smoke scale**");
    const claims = (
      JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
        records: { measure: string; claim?: string; verdict?: string }[];
      }
    ).records.filter((x) => x.measure === "claim");
    // the headline claim against the strongest binary design, then against each baseline by name
    expect(claims.map((c) => c.claim)).toEqual([
      "accuracy",
      "ops-per-area-at-accuracy",
      ...["exact", "iso-bisc", "bit-serial", "bit-fusion", "trunc-g0", "trunc-g1", "trunc-g2"].map(
        (b) => `ops-per-area-at-accuracy-vs-${b}`,
      ),
      "ops-per-area",
      "determinism",
      "fault-tolerance",
    ]);
    const rows = report.split("\n").filter((l) => /^\| \d+ \| /.test(l));
    expect(rows).toHaveLength(claims.length);
    rows.forEach((row, i) => {
      expect(row.startsWith(`| ${i + 1} | `)).toBe(true);
      expect(row).toContain(`| **${claims[i]!.verdict}** |`);
      expect(["supported", "partly supported", "not supported"]).toContain(claims[i]!.verdict);
    });
    const links = [...report.matchAll(/\]\((figures\/[^)]+)\)/g)].map((m) => m[1]!);
    for (const study of [
      "multiplier-error",
      "accuracy-vs-precision",
      "area-vs-precision",
      "ops-per-area",
      "mixed-precision",
      "pareto",
      "fault-tolerance",
    ]) {
      expect(
        links.some((l) => l.startsWith(`figures/${study}/`) && l.endsWith(".png")),
        study,
      ).toBe(true);
      expect(report).toContain(`Ran: \`pnpm study ${study} --smoke\``);
    }
    for (const link of links) expect(existsSync(join(out, link)), link).toBe(true);
  });

  it("study.ts rejects the paper study itself in --studies with exit 2", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "study.ts", "--studies", "paper", "--out", join(tmpdir(), "never")],
      { cwd: studyDir, encoding: "utf8" },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--studies $.studies[0]");
  });
});
