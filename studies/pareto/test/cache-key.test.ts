// Issue 11: the cache key of each evaluation comes from what the evaluator really runs. The old
// hand-kept folder list missed packages/zoo/src/trained.ts (negated weights were served from cache).
import { fileURLToPath } from "node:url";
import { moduleGraph } from "@sccnn/dse";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const graphOf = async (evaluator: string) =>
  (await moduleGraph([new URL(`../src/eval/${evaluator}`, import.meta.url)])).files.map((f) => f.slice(repo.length));

describe("pareto cache keys", () => {
  it("the accuracy evaluator's key covers the zoo's trained-weights loader and the SC core it runs", async () => {
    const files = await graphOf("accuracy.ts");
    expect(files).toContain("packages/zoo/src/trained.ts");
    expect(files).toContain("packages/sc-core/src/bisc.ts");
    expect(files).toContain("studies/pareto/src/eval/accuracy.ts");
    expect(files.some((f) => f.startsWith("packages/plots/"))).toBe(false);
  });

  it("the cost evaluator's key covers every cost-model package it imports", async () => {
    const files = await graphOf("cost.ts");
    for (const pkg of ["cost", "cost-yosys", "cost-analytic"])
      expect(
        files.some((f) => f.startsWith(`packages/${pkg}/src/`)),
        pkg,
      ).toBe(true);
  });
});
