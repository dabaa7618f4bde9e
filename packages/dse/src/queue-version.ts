import { fileURLToPath } from "node:url";
import { moduleVersion } from "./module-version.ts";
import { fromJobPath } from "./queue.ts";

const cache = new Map<string, Promise<string>>();

/**
 * The code version a queued job carries and a worker checks: moduleVersion of the job's evaluator
 * module and data files (every workspace file in its import graph, the npm package versions it
 * imports, the data files' bytes; paths relative to their common folder), the same value the
 * coordinator puts into the store key. Each side computes it from its own checkout, from the
 * job's paths (relative to the workspace root). Computed once per process and module: a worker
 * keeps running the code it first loaded.
 */
export function evaluatorVersion(module: string, dataFiles: readonly string[]): Promise<string> {
  const id = JSON.stringify([module, dataFiles]);
  let v = cache.get(id);
  if (v === undefined) {
    v = moduleVersion([fromJobPath(module)], { files: dataFiles.map((f) => fileURLToPath(fromJobPath(f))) });
    cache.set(id, v);
    v.catch(() => cache.delete(id));
  }
  return v;
}
