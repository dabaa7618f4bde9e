// `pnpm new network <id>` and `pnpm new cost-model <name>`: scaffold a working, tested workspace
// package that the zoo registry / the cost registry discovers (package.json "sccnn" field), so every
// study offers it with no other file edited. Then links it (`pnpm install --offline`, falling back to
// `pnpm install`, both --no-frozen-lockfile: a new package is a new lockfile importer, and pnpm
// freezes the lockfile when CI is set) and, for a network, trains its tiny starting table
// (`pnpm train <id>`, seconds).
// `--no-install` / `--no-train` skip those steps. See README.md "Extending".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pnpmCommand } from "../packages/workspace/src/index.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const USAGE = "usage: pnpm new network <id> | pnpm new cost-model <name>  [--no-install] [--no-train]";

function fail(message: string): never {
  console.error(`pnpm new: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("--")));
const [kind, id, ...extra] = args.filter((a) => !a.startsWith("--"));
for (const f of flags) if (f !== "--no-install" && f !== "--no-train") fail(`unknown flag ${f}\n${USAGE}`);
if (kind === undefined || id === undefined || extra.length > 0) fail(USAGE);
if (kind !== "network" && kind !== "cost-model") fail(`unknown kind ${JSON.stringify(kind)}\n${USAGE}`);
if (!/^[a-z][a-z0-9-]*$/.test(id))
  fail(`${kind} id ${JSON.stringify(id)}: use lower-case letters, digits and "-", starting with a letter`);

const dirName = kind === "network" ? `network-${id}` : `cost-${id}`;
const dir = join(root, "packages", dirName);
const npmName = `@sccnn/${dirName}`;
if (existsSync(dir)) fail(`packages/${dirName} exists already; choose another ${kind} id`);

// Ids already taken (built-in networks and packages, cost-model packages): the registries refuse twins.
const taken: string[] =
  kind === "network"
    ? (await import("../packages/zoo/src/registry.ts")).networkIds()
    : (await import("../packages/cost/src/models.ts")).costModelIds();
if (taken.includes(id)) fail(`${kind} id "${id}" is taken (known: ${taken.join(", ")})`);

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const devDependencies = {
  "@types/node": "catalog:",
  tsx: "catalog:",
  typescript: "catalog:",
  vite: "catalog:",
  vitest: "catalog:",
};
const scripts = {
  test: "vitest run --reporter=default --reporter=json --outputFile=.vitest/results.json",
  "check-types": "tsc -p tsconfig.json",
};
/** package.json of a scaffolded package: the plug-in declaration and its dependencies. */
const manifest = (
  description: string,
  sccnn: Record<string, unknown>,
  dependencies: Record<string, string>,
  dev: Record<string, string>,
) =>
  json({
    name: npmName,
    version: "0.1.0",
    private: true,
    type: "module",
    description,
    exports: { ".": "./src/index.ts" },
    sccnn,
    scripts,
    dependencies,
    devDependencies: { ...dev, ...devDependencies },
  });
const common: Record<string, string> = {
  "tsconfig.json": json({ extends: "../../tsconfig.base.json", include: ["src", "test", "*.ts"] }),
  "vitest.config.ts": `import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
  },
});
`,
};

function networkFiles(): Record<string, string> {
  return {
    ...common,
    "package.json": manifest(
      `Network package "${id}" for the zoo registry: table, training recipe, weights and log`,
      { network: { id } },
      {},
      { "@sccnn/nn": "workspace:*", "@sccnn/zoo": "workspace:*" },
    ),
    "src/index.ts": `import type { ZooEntry } from "@sccnn/zoo";

/**
 * Network "${id}" (scaffolded by \`pnpm new network ${id}\`): a tiny MNIST CNN to start from. Edit
 * the table (layers: packages/nn/src/spec.ts), its published counts (MACs = conv + linear
 * multiply-accumulates per image, params = weights + biases + batch-norm gamma/beta) and the
 * recipe, then \`pnpm train ${id}\` writes weights/${id}.ckpt and weights/${id}.train.log.
 * Import weights instead with \`pnpm onnx:import model.onnx --out weights/${id}.ckpt --id ${id}\`.
 * Only type imports from @sccnn/zoo here: the zoo registry imports this module while loading.
 */
export const zooEntry: ZooEntry = {
  spec: {
    id: "${id}",
    title: "${id} (MNIST, tiny CNN)",
    input: [1, 28, 28],
    classes: 10,
    dataset: "mnist",
    layers: [
      { type: "conv", name: "c1", outChannels: 4, kernel: 5 },
      { type: "relu" },
      { type: "maxpool", kernel: 2 },
      { type: "flatten" },
      { type: "linear", name: "f1", outFeatures: 10 },
    ],
    published: {
      // c1 4·25·24·24 + f1 576·10
      macs: 63_360,
      // c1 100+4, f1 5760+10
      params: 5_874,
      source: "declared: hand count of this table",
    },
  },
  countCheck: "exact",
  training: {
    seed: 1,
    epochs: 1,
    batchSize: 32,
    optimizer: "sgd",
    learningRate: 0.05,
    momentum: 0.9,
    schedule: "constant",
    trainLimit: 6000,
  },
};
`,
    "test/network.test.ts": `import { countMacs, countParams } from "@sccnn/nn";
import { getZooEntry, loadTrainedWeights, networkIds } from "@sccnn/zoo";
import { describe, expect, it } from "vitest";
import { zooEntry } from "../src/index.ts";

const id = zooEntry.spec.id;

describe(\`network package \${id}\`, () => {
  it("the zoo registry finds it (package.json /sccnn/network)", () => {
    expect(networkIds()).toContain(id);
    expect(getZooEntry(id).spec).toEqual(zooEntry.spec);
  });

  it("the published counts equal the counts recomputed from the table", () => {
    expect(countMacs(zooEntry.spec)).toBe(zooEntry.spec.published?.macs);
    expect(countParams(zooEntry.spec)).toBe(zooEntry.spec.published?.params);
  });

  it(\`weights/\${id}.ckpt fits the table and records a test accuracy above chance\`, () => {
    const ckpt = loadTrainedWeights(id);
    expect(ckpt.spec).toEqual(zooEntry.spec);
    expect(ckpt.header.accuracy?.test).toBeGreaterThan(0.5);
  });
});
`,
    "README.md": `# ${npmName}

Network \`${id}\` for the zoo registry, found through \`"sccnn": { "network": { "id": "${id}" } }\` in
package.json; every study offers it (\`pnpm study pareto --networks ${id}\`).

- \`src/index.ts\`: the table (\`zooEntry\`), its published counts and the training recipe.
- \`weights/${id}.ckpt\`, \`weights/${id}.train.log\`: written by \`pnpm train ${id}\` (commit both).
- \`test/\`: the registry finds it, counts match the table, the weights fit it.

Scaffolded by \`pnpm new network ${id}\`.
`,
  };
}

function costModelFiles(): Record<string, string> {
  return {
    ...common,
    "package.json": manifest(
      `Cost-model package "${id}" for the cost registry`,
      { costModel: { id, timing: false } },
      { "@sccnn/cost": "workspace:*", "@sccnn/cost-analytic": "workspace:*" },
      {},
    ),
    "src/index.ts": `import {
  CostRefusal,
  type ComponentCost,
  type ComponentQuery,
  type CostModel,
  type CostModelOptions,
} from "@sccnn/cost";
import { analyticCellCounts, CELL_AREAS_UM2, countsArea, type CellAreas } from "@sccnn/cost-analytic";

/**
 * Cost model "${id}" (scaffolded by \`pnpm new cost-model ${id}\`): structural cell counts of each
 * component (@sccnn/cost-analytic's analyticCellCounts, which refuses what it cannot count) times the
 * cell areas of YOUR library below. Replace CELL_AREAS and REFERENCE with your library's
 * Liberty areas and operating point, or replace estimate() entirely; keep refusing (CostRefusal,
 * naming the parameter) whatever the model cannot estimate. It declares no timing
 * (package.json /sccnn/costModel/timing: false): clock "library" needs a model with clockPeriodS.
 */
export const MODEL_ID = "${id}";

/** Technology id this model answers for; other technologies are refused. */
export const TECHNOLOGY = "osu018";

/** µm² per cell of your library (starting values: @sccnn/cost-analytic's OSU 0.18 µm areas; replace). */
export const CELL_AREAS: CellAreas = { ...CELL_AREAS_UM2.osu018! };

export const REFERENCE = { technology: TECHNOLOGY, library: "OSU 0.18 µm standard cells (replace)" };

export function createCostModel(options: CostModelOptions): CostModel {
  return {
    id: MODEL_ID,
    description: \`\${MODEL_ID}: cell counts x \${REFERENCE.library}\`,
    priority: 2,
    estimate(q: ComponentQuery): ComponentCost {
      const technology = q.technology ?? options.technology;
      if (technology !== TECHNOLOGY)
        throw new CostRefusal(MODEL_ID, "technology", technology, \`this model has cell areas for \${TECHNOLOGY} only\`);
      const counts = analyticCellCounts(q);
      const areaUm2 = countsArea(counts, CELL_AREAS);
      return {
        areaUm2,
        cellCount: Object.values(counts).reduce((a, b) => a + b, 0),
        model: MODEL_ID,
        referencePoint: REFERENCE,
        provenance: { source: "structural cell counts (@sccnn/cost-analytic) x CELL_AREAS (src/index.ts)" },
      };
    },
  };
}
`,
    "test/model.test.ts": `import { CostRefusal, costModelIds, loadCostModel } from "@sccnn/cost";
import { describe, expect, it } from "vitest";
import { CELL_AREAS, MODEL_ID, TECHNOLOGY, createCostModel } from "../src/index.ts";

describe(\`cost model \${MODEL_ID}\`, () => {
  it("the cost registry finds it (package.json /sccnn/costModel)", async () => {
    expect(costModelIds()).toContain(MODEL_ID);
    const model = await loadCostModel(MODEL_ID, { technology: TECHNOLOGY });
    expect(model.id).toBe(MODEL_ID);
  });

  it("a register of 8 bits is 8 load-enabled flip-flops (DFF + MUX2) of the library", () => {
    const c = createCostModel({ technology: TECHNOLOGY }).estimate({ kind: "register", widthBits: 8, technology: TECHNOLOGY });
    expect(c.areaUm2).toBeCloseTo(8 * (CELL_AREAS.DFF + CELL_AREAS.MUX2), 6);
  });

  it("a wider multiplier costs more area than a narrower one", () => {
    const m = createCostModel({ technology: TECHNOLOGY });
    const area = (bits: number) => m.estimate({ kind: "multiplier", bits, technology: TECHNOLOGY }).areaUm2;
    expect(area(8)).toBeGreaterThan(area(4));
  });

  it("refuses another technology and an impossible parameter with a CostRefusal naming it", () => {
    const m = createCostModel({ technology: TECHNOLOGY });
    expect(() => m.estimate({ kind: "multiplier", bits: 4, technology: "other" })).toThrow(CostRefusal);
    expect(() => m.estimate({ kind: "multiplier", bits: 0, technology: TECHNOLOGY })).toThrow(/bits/);
  });
});
`,
    "README.md": `# ${npmName}

Cost model \`${id}\` for the cost registry, found through
\`"sccnn": { "costModel": { "id": "${id}", "timing": false } }\` in package.json; every study's
\`costModels\` accepts it (\`pnpm study pareto --cost-models ${id}\`).

- \`src/index.ts\`: \`createCostModel({ technology })\` returning a \`CostModel\` (packages/cost/src/component.ts)
  that states its reference point and refuses what it cannot estimate.
- \`test/\`: the registry finds it, estimates behave, refusals name the parameter.

Scaffolded by \`pnpm new cost-model ${id}\`.
`,
  };
}

const files = kind === "network" ? networkFiles() : costModelFiles();
for (const [rel, text] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}
console.log(`pnpm new: wrote packages/${dirName}/ (${Object.keys(files).sort().join(", ")})`);

function pnpm(argv: string[]): number {
  const [cmd, pre] = pnpmCommand();
  return spawnSync(cmd, [...pre, ...argv], { cwd: root, stdio: "inherit" }).status ?? 1;
}

if (!flags.has("--no-install")) {
  console.log("pnpm new: linking the package (pnpm install --offline)");
  if (pnpm(["install", "--offline", "--no-frozen-lockfile"]) !== 0 && pnpm(["install", "--no-frozen-lockfile"]) !== 0)
    fail(`pnpm install failed; packages/${dirName}/ is written, run \`pnpm install\` yourself`);
}
if (kind === "network" && !flags.has("--no-train")) {
  console.log(`pnpm new: training the starting table (pnpm train ${id})`);
  if (pnpm(["--filter", "@sccnn/zoo", "run", "train", id]) !== 0)
    fail(`pnpm train ${id} failed; packages/${dirName}/ is written, train it with \`pnpm train ${id}\``);
}
console.log(
  `pnpm new: done. Next: edit packages/${dirName}/src/index.ts, run \`pnpm --filter ${npmName} test\`${kind === "network" ? `, \`pnpm train ${id}\`` : ""}, and \`pnpm study pareto --smoke --${kind === "network" ? "networks" : "cost-models"} ${id}\`.`,
);
