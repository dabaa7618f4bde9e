import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkpointPath,
  fineTunedDir,
  loadNetworkPackages,
  networkIds,
  WEIGHTS_DIR,
  weightsDir,
} from "../src/index.ts";

/** A network package's main module: a zooEntry for `id` (spec.id given separately to test the mismatch). */
const entrySource = (specId: string) => `export const zooEntry = {
  spec: {
    id: ${JSON.stringify(specId)},
    title: "tiny",
    input: [1, 28, 28],
    classes: 10,
    dataset: "mnist",
    layers: [{ type: "flatten" }, { type: "linear", name: "fc", outFeatures: 10 }],
    published: { macs: 7840, params: 7850, source: "declared: hand count" },
  },
  countCheck: "exact",
};
`;

describe("network packages (package.json /sccnn/network)", () => {
  const root = mkdtempSync(join(tmpdir(), "sccnn-zoo-packages-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
  const pkg = (dir: string, id: string, specId = id) => {
    mkdirSync(join(root, "packages", dir, "src"), { recursive: true });
    writeFileSync(
      join(root, "packages", dir, "package.json"),
      JSON.stringify({ name: `@x/${dir}`, exports: { ".": "./src/index.ts" }, sccnn: { network: { id } } }),
    );
    writeFileSync(join(root, "packages", dir, "src", "index.ts"), entrySource(specId));
  };

  it("loadNetworkPackages imports each package's zooEntry and points its weights at the package's weights/", async () => {
    pkg("network-tiny", "tiny-net");
    const entries = await loadNetworkPackages(root);
    expect(entries.map((e) => [e.spec.id, e.weightsDir])).toEqual([
      ["tiny-net", join(root, "packages", "network-tiny", "weights")],
    ]);
  });

  it("refuses a zooEntry whose spec.id differs from the package.json id, naming both", async () => {
    pkg("network-odd", "odd-net", "other-id");
    await expect(loadNetworkPackages(root)).rejects.toThrow(
      /@x\/network-odd .*zooEntry\.spec\.id is "other-id", package\.json \/sccnn\/network\/id is "odd-net"/,
    );
    rmSync(join(root, "packages", "network-odd"), { recursive: true });
  });

  it("refuses a package that reuses a built-in id", async () => {
    pkg("network-lenet", "lenet5");
    await expect(loadNetworkPackages(root)).rejects.toThrow(/id "lenet5" is already a built-in zoo network/);
    rmSync(join(root, "packages", "network-lenet"), { recursive: true });
  });

  it("built-in networks keep their weights in the zoo's weights/ (and fine-tuned ones in weights/finetuned)", () => {
    expect(networkIds()).toContain("lenet5");
    expect(weightsDir("lenet5")).toBe(WEIGHTS_DIR);
    expect(checkpointPath("lenet5")).toBe(join(WEIGHTS_DIR, "lenet5.ckpt"));
    expect(fineTunedDir("fashion-cnn")).toBe(join(WEIGHTS_DIR, "finetuned"));
  });
});
