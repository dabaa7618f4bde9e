import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStudyConfigFiles, runStudyForTest, runStudyScript } from "../src/index.ts";
import { tempDir, toyDir } from "./helpers.ts";

describe("study test helpers", () => {
  it("runStudyForTest(toy, --smoke) runs study.ts into <dir>/<outName> and reads its outputs back", () => {
    const dir = tempDir("study-test");
    const first = runStudyForTest(toyDir, ["--smoke"], dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.outDir).toBe(join(dir, "out"));
    const results = first.readJson<{ study: string; config: { xs: number[] } }>("results.json");
    expect(results.study).toBe("toy");
    expect(results.config.xs).toEqual([1, 2]);
    expect(first.readText("results.json")).toBe(first.read("results.json").toString("utf8"));
    const second = runStudyForTest(toyDir, ["--smoke"], dir, "out2");
    expect(second.outDir).toBe(join(dir, "out2"));
    expect(Buffer.compare(second.read("results.json"), first.read("results.json"))).toBe(0);
  });

  it("runStudyScript(toy, bad override) returns the child's exit status 2 and its stderr", () => {
    const r = runStudyScript(toyDir, ["--nosuch", "1", "--out", join(tempDir("study-test-bad"), "out")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("nosuch");
  });

  it("readStudyConfigFiles(dir) parses config.schema.json and config.smoke.json and names config.json", () => {
    const dir = tempDir("study-test-config");
    writeFileSync(join(dir, "config.schema.json"), JSON.stringify({ type: "object" }));
    writeFileSync(join(dir, "config.smoke.json"), JSON.stringify({ n: 1 }));
    expect(readStudyConfigFiles(dir)).toEqual({
      schema: { type: "object" },
      configPath: join(dir, "config.json"),
      smokeConfig: { n: 1 },
    });
  });
});
