import { importPlugin, workspacePlugins, type Plugin } from "@sccnn/workspace";
import type { CostModel } from "./component.ts";
import { CostRegistry } from "./registry.ts";

/**
 * Cost-model packages: any workspace package whose package.json says
 * `"sccnn": { "costModel": { "id": "<id>", "timing": <bool> } }` and whose main module exports
 * `createCostModel(options: { technology: string }): CostModel`. `timing: true` promises a
 * `clockPeriodS` on the lane components it estimates (what the "library" clock policy needs).
 * Studies take cost-model ids from here, so a new package is offered everywhere with no other edit.
 */
export interface CostModelPackage {
  /** The id configs use ("yosys", "analytic", …). */
  id: string;
  /** npm package name. */
  name: string;
  /** Absolute folder of the package (its code and data are part of the cache key of costs). */
  dir: string;
  /** Whether its estimates carry clockPeriodS. */
  timing: boolean;
  plugin: Plugin;
}

/** Options a cost-model package's `createCostModel` receives. */
export interface CostModelOptions {
  /** Technology the study asks for ("osu018", …); a model may refuse others per query. */
  technology: string;
}

/** Every cost-model package in the workspace, sorted by id. */
export function costModelPackages(root?: string): CostModelPackage[] {
  return workspacePlugins("costModel", root).map((plugin) => {
    const timing = plugin.declaration.timing ?? false;
    if (typeof timing !== "boolean")
      throw new Error(`${plugin.package.dir}/package.json: /sccnn/costModel/timing must be true or false`);
    return { id: plugin.id, name: plugin.package.name, dir: plugin.package.dir, timing, plugin };
  });
}

/** Ids of the cost-model packages (what a study schema's `costModels` accepts). */
export function costModelIds(root?: string): string[] {
  return costModelPackages(root).map((p) => p.id);
}

function packageOf(id: string, root?: string): CostModelPackage {
  const all = costModelPackages(root);
  const p = all.find((x) => x.id === id);
  if (!p)
    throw new Error(`cost model ${JSON.stringify(id)}: no such package; known: ${all.map((x) => x.id).join(", ")}`);
  return p;
}

/** Folders of the packages of `ids` (code and data): what a cache key of costs computed with them must hash. */
export function costModelDirs(ids: readonly string[], root?: string): string[] {
  return ids.map((id) => packageOf(id, root).dir);
}

/**
 * Why clock policy "library" cannot run with these models, or null when it can: it takes each
 * design's clock from its components' delays, so at least one chosen model must provide timing.
 */
export function libraryClockProblem(ids: readonly string[], root?: string): string | null {
  const chosen = ids.map((id) => packageOf(id, root));
  if (chosen.some((p) => p.timing)) return null;
  return `clock "library" needs component delays, and no chosen cost model has timing (${chosen
    .map((p) => `${p.id}: ${p.name} declares no "timing": true in package.json /sccnn/costModel`)
    .join("; ")}); drop "library" from clocks or add a model with timing`;
}

/** The cost model of package `id` for a technology (imports its main module). */
export async function loadCostModel(id: string, options: CostModelOptions, root?: string): Promise<CostModel> {
  const p = packageOf(id, root);
  const mod = await importPlugin(p.plugin);
  const create = mod.createCostModel;
  if (typeof create !== "function")
    throw new Error(`cost model ${id}: ${p.plugin.entry} does not export createCostModel(options)`);
  const model = (create as (o: CostModelOptions) => CostModel)(options);
  if (!model || typeof model.estimate !== "function" || typeof model.id !== "string")
    throw new Error(`cost model ${id}: createCostModel did not return a CostModel (id, priority, estimate)`);
  return model;
}

/**
 * The one cost registry a study uses: the models of `ids` (registered in that order; the registry
 * tries them by priority) plus `extra` models the study adds itself (e.g. SRAM buffers).
 */
export async function loadCostRegistry(options: {
  technology: string;
  models: readonly string[];
  extra?: readonly CostModel[];
  root?: string;
}): Promise<CostRegistry> {
  const r = new CostRegistry();
  for (const m of options.extra ?? []) r.register(m);
  for (const id of options.models)
    r.register(await loadCostModel(id, { technology: options.technology }, options.root));
  return r;
}
