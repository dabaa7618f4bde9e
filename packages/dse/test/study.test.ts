import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runStudy, type StudyDefinition, type StudyResult } from "../src/index.ts";
import { tempDir } from "./helpers.ts";

const schema = { type: "object", additionalProperties: false, properties: { n: { type: "integer" } } };

function definition(dir: string, run: () => Promise<StudyResult>): StudyDefinition<{ n: number }> {
  writeFileSync(join(dir, "config.json"), JSON.stringify({ n: 1 }));
  return { name: "inline", dir, schema, run };
}

beforeEach(() => {
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("runStudy", () => {
  it("runStudy writes extra files by relative path next to results.json", async () => {
    const dir = tempDir("study");
    const code = await runStudy(
      definition(dir, async () => ({ records: [{ n: 1 }], files: [{ path: "report/REPORT.md", data: "# hi\n" }] })),
      [],
    );
    expect(code).toBe(0);
    expect(readFileSync(join(dir, "out", "report", "REPORT.md"), "utf8")).toBe("# hi\n");
    expect(JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8"))).toEqual({
      study: "inline",
      config: { n: 1 },
      records: [{ n: 1 }],
    });
  });

  it("runStudy returns 1 when the result lists problems, keeps out/ and writes this run to out-failed/", async () => {
    const dir = tempDir("study");
    expect(
      await runStudy(
        definition(dir, async () => ({ records: [{ n: 1 }] })),
        [],
      ),
    ).toBe(0);
    const good = readFileSync(join(dir, "out", "results.json"), "utf8");
    const code = await runStudy(
      definition(dir, async () => ({
        records: [],
        files: [{ path: "REPORT.md", data: "x" }],
        problems: ["sub-study failed"],
      })),
      [],
    );
    expect(code).toBe(1);
    expect(readFileSync(join(dir, "out", "results.json"), "utf8")).toBe(good);
    expect(existsSync(join(dir, "out", "REPORT.md"))).toBe(false);
    expect(readFileSync(join(dir, "out-failed", "REPORT.md"), "utf8")).toBe("x");
  });

  it.each([
    ["run() throws", async (): Promise<StudyResult> => Promise.reject(new Error("boom"))],
    [
      "an extra file path climbs out of the folder",
      async (): Promise<StudyResult> => ({ records: [], files: [{ path: "../escape.md", data: "x" }] }),
    ],
    ["a record has a NaN field", async (): Promise<StudyResult> => ({ records: [{ a: Number.NaN }] })],
  ])("runStudy returns 1 and writes nothing when %s", async (_what, run) => {
    const dir = tempDir("study");
    expect(await runStudy(definition(dir, run), [])).toBe(1);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("runStudy passes the validated config, --smoke and folders to run()", async () => {
    const dir = tempDir("study");
    let seen: unknown;
    const def = { ...definition(dir, async () => ({ records: [] })), smokeConfig: { n: 5 } };
    def.run = async (ctx) => {
      seen = { config: ctx.config, smoke: ctx.smoke, outDir: ctx.outDir, cacheDir: ctx.cacheDir, threads: ctx.threads };
      return { records: [] };
    };
    expect(await runStudy(def, ["--smoke", "--threads", "1", "--out", join(dir, "o")])).toBe(0);
    expect(seen).toEqual({
      config: { n: 5 },
      smoke: true,
      outDir: join(dir, "o"),
      cacheDir: join(dir, ".cache"),
      threads: 1,
    });
  });
});
