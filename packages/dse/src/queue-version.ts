import { join } from "node:path";
import { codeVersion } from "./code-version.ts";
import { WORKSPACE_ROOT } from "./queue.ts";

const cache = new Map<string, string>();

/**
 * The code version a queued job carries and a worker checks: what the coordinator and the worker
 * each compute from their own checkout for the job's evaluator module and data files. Computed
 * once per process and module (the process keeps running the code it first loaded).
 *
 * For now this is the content of the whole workspace (packages/, studies/, apps/; node_modules,
 * out/ and hidden folders skipped), so a worker on another commit or with local edits refuses.
 */
export function evaluatorVersion(_module: string, _dataFiles: readonly string[]): string {
  const id = "workspace";
  let v = cache.get(id);
  if (v === undefined) {
    v = codeVersion(["packages", "studies", "apps"].map((d) => join(WORKSPACE_ROOT, d)));
    cache.set(id, v);
  }
  return v;
}
