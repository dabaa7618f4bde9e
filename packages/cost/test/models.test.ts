import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { costModelDirs, costModelIds, libraryClockProblem, loadCostModel, loadCostRegistry } from "../src/index.ts";

describe("cost-model packages found in the workspace", () => {
  it("costModelIds() lists the packages declaring /sccnn/costModel (yosys with timing, analytic without)", () => {
    expect(costModelIds()).toEqual(expect.arrayContaining(["analytic", "yosys"]));
    expect(costModelDirs(["analytic"])[0]).toMatch(/packages\/cost-analytic$/);
  });

  it("loadCostRegistry(osu018, [yosys, analytic]) uses the synthesized table and falls back to the analytic model off the grid", async () => {
    const r = await loadCostRegistry({ technology: "osu018", models: ["yosys", "analytic"] });
    expect(r.estimate({ kind: "multiplier", bits: 8, technology: "osu018" }).model).toBe("yosys-osu018");
    expect(r.estimate({ kind: "multiplier", bits: 20, technology: "osu018" }).model).toBe("analytic-gates");
    const yosysOnly = await loadCostRegistry({ technology: "osu018", models: ["yosys"] });
    expect(() => yosysOnly.estimate({ kind: "multiplier", bits: 20, technology: "osu018" })).toThrow(
      /refuses bits = 20/,
    );
  });

  it("an unknown id is refused naming the known ones", async () => {
    await expect(loadCostModel("nope", { technology: "osu018" })).rejects.toThrow(
      /"nope": no such package; known: .*analytic/,
    );
  });

  it("libraryClockProblem: null when a chosen model has timing, one line naming the package when none has", () => {
    expect(libraryClockProblem(["yosys", "analytic"])).toBeNull();
    const why = libraryClockProblem(["analytic"]);
    expect(why).toMatch(
      /clock "library" needs component delays.*analytic: @sccnn\/cost-analytic declares no "timing": true/,
    );
    expect(why).not.toContain("\n");
  });
});

describe("a cost-model package added to a workspace", () => {
  const root = mkdtempSync(join(tmpdir(), "sccnn-cost-models-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("is found by its package.json field alone, and two packages with one id are refused naming both files", async () => {
    writeFileSync(join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n  - extra\n");
    const make = (dir: string, id: string) => {
      mkdirSync(join(root, dir, "src"), { recursive: true });
      writeFileSync(
        join(root, dir, "package.json"),
        JSON.stringify({
          name: `@x/${id}`,
          type: "module",
          exports: { ".": "./src/index.js" },
          sccnn: { costModel: { id } },
        }),
      );
      writeFileSync(
        join(root, dir, "src/index.js"),
        `export function createCostModel(o) { return { id: "${id}-" + o.technology, description: "", priority: 1, estimate: () => ({ areaUm2: 1, model: "${id}", referencePoint: { technology: o.technology, library: "none" }, provenance: { source: "test" } }) }; }\n`,
      );
    };
    make("packages/mine", "mine");
    mkdirSync(join(root, "packages/not-a-plugin"));
    writeFileSync(join(root, "packages/not-a-plugin/package.json"), JSON.stringify({ name: "plain" }));
    expect(costModelIds(root)).toEqual(["mine"]);
    expect(libraryClockProblem(["mine"], root)).toMatch(/mine: @x\/mine declares no "timing"/);
    const r = await loadCostRegistry({ technology: "t1", models: ["mine"], root });
    expect(r.models().map((m) => m.id)).toEqual(["mine-t1"]);
    cpSync(join(root, "packages/mine"), join(root, "extra"), { recursive: true });
    expect(() => costModelIds(root)).toThrow(
      /packages\/mine\/package.json: \/sccnn\/costModel\/id "mine" is also declared by .*extra\/package.json/,
    );
  });
});
