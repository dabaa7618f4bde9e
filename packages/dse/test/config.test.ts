import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseOverrides, pointerToJsonPath, resolveConfig, type JsonSchema } from "../src/index.ts";
import { tempDir, toyDir } from "./helpers.ts";

const schema = JSON.parse(readFileSync(join(toyDir, "schema.json"), "utf8")) as JsonSchema;
const nested: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    bits: { type: "array", items: { type: "integer" } },
    cost: {
      type: "object",
      additionalProperties: false,
      properties: { clockHz: { type: "number", exclusiveMinimum: 0 }, lockstep: { type: "boolean" } },
    },
  },
};

function writeConfig(value: unknown): string {
  const path = join(tempDir("cfg"), "config.json");
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

const good = { xs: [1, 2], ys: [3], delayMs: 0, label: "toy" };

describe("resolveConfig", () => {
  it("resolveConfig returns the file's config when it is valid", () => {
    expect(resolveConfig({ schema, configPath: writeConfig(good) })).toEqual(good);
  });

  it.each([
    ["a wrong item type", { ...good, xs: [1, "two"] }, ["$.xs[1]: must be integer"]],
    ["an out-of-range item", { ...good, ys: [3, 5000] }, ["$.ys[1]: must be <= 1000 (got 5000)"]],
    ["an unknown field", { ...good, bitz: [4] }, ["$.bitz: is not a known field"]],
    ["a missing field", { xs: [1], ys: [2], label: "toy" }, ["$.delayMs: is required"]],
    ["a value outside the enum", { ...good, label: "nope" }, ['$.label: must be one of "toy", "other" (got "nope")']],
    ["an empty axis", { ...good, xs: [] }, ["$.xs: must NOT have fewer than 1 items"]],
  ])("resolveConfig rejects %s, naming the JSON path", (_what, config, expected) => {
    const path = writeConfig(config);
    const problems = problemsOf(() => resolveConfig({ schema, configPath: path }));
    for (const e of expected)
      expect(
        problems.some((p) => p.startsWith(path) && p.includes(e)),
        `${problems.join("\n")}\n  lacks ${e}`,
      ).toBe(true);
  });

  it("resolveConfig reports every error of a config at once", () => {
    const problems = problemsOf(() =>
      resolveConfig({ schema, configPath: writeConfig({ xs: ["a"], ys: [-1], delayMs: 0.5, label: 3, extra: true }) }),
    );
    expect(problems.length).toBeGreaterThanOrEqual(5);
    for (const path of ["$.xs[0]", "$.ys[0]", "$.delayMs", "$.label", "$.extra"])
      expect(problems.join("\n")).toContain(path);
  });

  it("resolveConfig names the file for malformed JSON and for a missing file", () => {
    const bad = writeConfig("{ not json");
    expect(problemsOf(() => resolveConfig({ schema, configPath: bad }))[0]).toMatch(
      new RegExp(`^${bad}: not valid JSON`),
    );
    expect(problemsOf(() => resolveConfig({ schema, configPath: "/nonexistent/config.json" }))[0]).toBe(
      "/nonexistent/config.json: file not found",
    );
  });

  it("resolveConfig applies --smoke then command-line overrides over the file", () => {
    const config = resolveConfig({
      schema,
      configPath: writeConfig(good),
      smoke: true,
      smokeConfig: { xs: [7], ys: [8, 9] },
      args: ["--ys", "4,5", "--label=other"],
    });
    expect(config).toEqual({ xs: [7], ys: [4, 5], delayMs: 0, label: "other" });
  });

  it("resolveConfig validates overrides with the schema and names the flag and JSON path", () => {
    const problems = problemsOf(() =>
      resolveConfig({ schema, configPath: writeConfig(good), args: ["--xs", "4,x", "--delay-ms", "-3"] }),
    );
    expect(problems).toContain('--xs $.xs[1]: must be integer (got "x")');
    expect(problems).toContain("--delay-ms $.delayMs: must be >= 0 (got -3)");
  });

  it("resolveConfig rejects an override naming an unknown field, naming it", () => {
    const problems = problemsOf(() =>
      resolveConfig({ schema, configPath: writeConfig(good), args: ["--networks", "lenet5"] }),
    );
    expect(problems).toEqual(['--networks: unknown field "networks" (known fields: xs, ys, delayMs, label)']);
  });

  it("resolveConfig rejects --smoke when the study has no smoke configuration", () => {
    expect(problemsOf(() => resolveConfig({ schema, configPath: writeConfig(good), smoke: true }))[0]).toMatch(
      /^--smoke:/,
    );
  });
});

describe("parseOverrides", () => {
  it("parseOverrides converts kebab-case, dotted, comma-list and bare boolean flags by the schema", () => {
    const { overrides, problems } = parseOverrides(
      ["--bits", "4,6,8", "--cost.clock-hz", "5e8", "--cost.lockstep"],
      nested,
    );
    expect(problems).toEqual([]);
    expect(overrides.map((o) => [o.path.join("."), o.value])).toEqual([
      ["bits", [4, 6, 8]],
      ["cost.clockHz", 5e8],
      ["cost.lockstep", true],
    ]);
  });

  it("parseOverrides leaves $-keys such as $schema out of the known fields it lists", () => {
    const withSchemaKey: JsonSchema = {
      type: "object",
      properties: { $schema: { type: "string" }, bits: { type: "array" } },
    };
    expect(parseOverrides(["--nope", "1"], withSchemaKey).problems).toEqual([
      '--nope: unknown field "nope" (known fields: bits)',
    ]);
  });

  it("parseOverrides reports a stray argument, a missing value and an unknown nested field", () => {
    const { problems } = parseOverrides(["stray", "--cost.volts", "1", "--bits"], nested);
    expect(problems).toEqual([
      "stray: unexpected argument (overrides look like --field value)",
      '--cost.volts: unknown field "cost.volts" (known fields: clockHz, lockstep)',
      "--bits: needs a value",
    ]);
  });
});

describe("pointerToJsonPath", () => {
  it("pointerToJsonPath turns JSON pointers into $-paths with indices and quoted odd keys", () => {
    expect(pointerToJsonPath("")).toBe("$");
    expect(pointerToJsonPath("/bits/0")).toBe("$.bits[0]");
    expect(pointerToJsonPath("/a~1b/c d")).toBe('$["a/b"]["c d"]');
  });
});
