// Issue 11: the cache key of each evaluation comes from what the evaluator really runs. The old
// hand-kept folder list missed packages/zoo/src/trained.ts (negated weights were served from cache).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { costModelDirs } from "@sccnn/cost";
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

  it("the cost evaluator's key covers the cost code it imports and the cost-model packages it discovers", async () => {
    const files = await graphOf("cost.ts");
    for (const pkg of ["cost", "cost-yosys"])
      expect(
        files.some((f) => f.startsWith(`packages/${pkg}/src/`)),
        pkg,
      ).toBe(true);
    // cost-model packages are imported at run time by id (not in the static graph): study.ts hashes their folders
    expect(costModelDirs(["yosys", "analytic"]).map((d) => d.slice(repo.length))).toEqual([
      "packages/cost-yosys",
      "packages/cost-analytic",
    ]);
    const study = readFileSync(new URL("../study.ts", import.meta.url), "utf8");
    expect(study).toContain("codeVersion(costModelDirs(c.costModels))");
    // and a network package's source per network (not in the static graph either)
    expect(study).toContain("networkSource: sourceOf(");
  });
});
