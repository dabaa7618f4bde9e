import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { workspaceGlobs, workspacePackages, workspacePlugins, workspaceRoot } from "../src/index.ts";

describe("workspace packages and plug-ins", () => {
  const root = mkdtempSync(join(tmpdir(), "sccnn-workspace-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const pkg = (dir: string, manifest: Record<string, unknown>) => {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, "package.json"), JSON.stringify(manifest));
  };

  it("workspaceRoot() is the folder of this repository's pnpm-workspace.yaml", () => {
    expect(workspaceGlobs(workspaceRoot())).toEqual(expect.arrayContaining(["packages/*", "studies/*"]));
  });

  it("workspaceGlobs reads the packages: list (quotes, comments, exclusions dropped)", () => {
    writeFileSync(
      join(root, "pnpm-workspace.yaml"),
      'packages:\n  - packages/*\n  - "apps/one" # a comment\n  - "!packages/skip"\ncatalog:\n  - not/this\n',
    );
    expect(workspaceGlobs(root)).toEqual(["packages/*", "apps/one"]);
  });

  it("workspacePlugins(kind) returns the packages declaring /sccnn/<kind>, sorted by id, with their main module", () => {
    pkg("packages/b", { name: "@x/b", exports: { ".": "./src/index.ts" }, sccnn: { network: { id: "net-b" } } });
    pkg("packages/a", {
      name: "@x/a",
      exports: "./main.js",
      sccnn: { network: { id: "net-a" }, costModel: { id: "c" } },
    });
    pkg("apps/one", { name: "@x/one" });
    mkdirSync(join(root, "packages/no-manifest"));
    expect(workspacePackages(root).map((p) => p.name)).toEqual(["@x/one", "@x/a", "@x/b"]);
    const nets = workspacePlugins("network", root);
    expect(nets.map((p) => [p.id, p.entry.slice(root.length)])).toEqual([
      ["net-a", "/packages/a/main.js"],
      ["net-b", "/packages/b/src/index.ts"],
    ]);
    expect(workspacePlugins("costModel", root).map((p) => p.id)).toEqual(["c"]);
  });

  it("a declaration without a valid id is refused naming the file and the JSON path", () => {
    pkg("packages/c", { name: "@x/c", exports: "./x.js", sccnn: { network: { id: "Bad Id" } } });
    expect(() => workspacePlugins("network", root)).toThrow(/packages\/c\/package.json: \/sccnn\/network\/id must be/);
  });
});
