import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NetworkSpec } from "@sccnn/nn";
import { importPlugin, workspacePlugins } from "@sccnn/workspace";
import type { ZooEntry } from "./zoo-entry.ts";
import { lenet5 } from "./networks/lenet5.ts";
import { fashionCnn } from "./networks/fashion-cnn.ts";
import { alexnet } from "./networks/alexnet.ts";
import { vgg16 } from "./networks/vgg16.ts";
import { resnet18 } from "./networks/resnet18.ts";
import { mobilenetV1 } from "./networks/mobilenet-v1.ts";
import { vggSmallCifar, vgg16Cifar } from "./networks/vgg-cifar.ts";
import { resnet20Cifar } from "./networks/resnet20-cifar.ts";

/** Folder of the built-in networks' committed weights (this package's weights/). */
export const BUILT_IN_WEIGHTS_DIR = fileURLToPath(new URL("../weights/", import.meta.url));

/**
 * The networks built into this package, in listing order. To add one here: write a table in
 * networks/<id>.ts with its published counts and their source, and append it here. Users add
 * networks as workspace packages instead (see networkPackages below, `pnpm new network <id>`).
 */
const builtIn: readonly ZooEntry[] = [
  lenet5,
  fashionCnn,
  vggSmallCifar,
  vgg16Cifar,
  resnet20Cifar,
  alexnet,
  vgg16,
  resnet18,
  mobilenetV1,
].map((e) => ({ ...e, weightsDir: BUILT_IN_WEIGHTS_DIR }));

/** A network package found in the workspace. */
export interface NetworkPackage {
  id: string;
  /** npm name. */
  name: string;
  /** Absolute folder of the package. */
  dir: string;
  /** Folder of its main module (its source: part of the cache key of results computed with it). */
  sourceDir: string;
}

/**
 * Network packages: any workspace package whose package.json says
 * `"sccnn": { "network": { "id": "<id>" } }` and whose main module exports `zooEntry: ZooEntry`
 * (its table, published counts, training recipe) with `spec.id === id`. Its weights live in the
 * package: weights/<id>.ckpt and .train.log (`pnpm train <id>`), weights/finetuned/. The main
 * module must import from @sccnn/zoo only types (the registry imports it while loading).
 */
export function findNetworkPackages(root?: string): NetworkPackage[] {
  return workspacePlugins("network", root).map((p) => ({
    id: p.id,
    name: p.package.name,
    dir: p.package.dir,
    sourceDir: join(p.entry, ".."),
  }));
}

/** The network packages of this workspace. */
export const networkPackages: readonly NetworkPackage[] = findNetworkPackages();

/**
 * Source folders of those of `ids` that are network packages: what a cache key of results computed
 * with them must hash besides the evaluator's import graph (a package is imported by id at run
 * time, so it is not in that graph; the built-in networks are, through this package). Per network,
 * so adding or editing one network package leaves the other networks' cached results valid.
 */
export function networkPackageDirs(ids: readonly string[]): string[] {
  return networkPackages.filter((p) => ids.includes(p.id)).map((p) => p.sourceDir);
}

/** The zoo entries of the network packages under `root` (default: this workspace), by id. */
export async function loadNetworkPackages(root?: string): Promise<ZooEntry[]> {
  const out: ZooEntry[] = [];
  for (const plugin of workspacePlugins("network", root)) {
    const where = `network package ${plugin.package.name} (${plugin.entry})`;
    const entry = (await importPlugin(plugin)).zooEntry as ZooEntry | undefined;
    if (!entry || typeof entry !== "object" || !entry.spec)
      throw new Error(`${where}: its main module does not export zooEntry (a ZooEntry)`);
    if (entry.spec.id !== plugin.id)
      throw new Error(
        `${where}: zooEntry.spec.id is ${JSON.stringify(entry.spec.id)}, package.json /sccnn/network/id is ${JSON.stringify(plugin.id)}`,
      );
    if (builtIn.some((b) => b.spec.id === plugin.id))
      throw new Error(`${where}: id ${JSON.stringify(plugin.id)} is already a built-in zoo network`);
    out.push({ ...entry, weightsDir: join(plugin.package.dir, "weights") });
  }
  return out;
}

/**
 * Every registered network: the built-in ones in listing order, then the network packages by id.
 * Each entry's `weightsDir` says where its committed weights are.
 */
export const registry: readonly ZooEntry[] = [...builtIn, ...(await loadNetworkPackages())];

/** Ids of all registered networks, in listing order. */
export function networkIds(): string[] {
  return registry.map((e) => e.spec.id);
}

/** The registry entry of `id`; the error lists the known ids. */
export function getZooEntry(id: string): ZooEntry {
  const entry = registry.find((e) => e.spec.id === id);
  if (!entry) throw new Error(`network id: unknown ${JSON.stringify(id)}; known: ${networkIds().join(", ")}`);
  return entry;
}

/** The network table of `id`; the error lists the known ids. */
export function getNetwork(id: string): NetworkSpec {
  return getZooEntry(id).spec;
}
