import { join, relative } from "node:path";

/** The parts of the paper config that decide how each study is run. */
export interface RunPlanConfig {
  studies: string[];
  run: boolean;
  studyArgs: Record<string, string[]>;
  shareAccuracy: boolean;
}

export interface RunPlanContext {
  smoke: boolean;
  studiesDir: string;
  /** The paper's cache folder: studies run with overrides write to <cacheDir>/runs/<study>/. */
  cacheDir: string;
  /** --study-out-root, resolved (null: default folders). */
  outRoot: string | null;
}

/**
 * Where each study writes (and the paper reads) its outputs, and the extra arguments it runs with:
 * its `studyArgs` (full scale only), plus, for pareto with `shareAccuracy`, `--accuracy-from` pointing
 * at the results accuracy-vs-precision wrote earlier in the same run (relative to pareto's folder, so
 * the report holds no machine path). A study with overrides writes under the paper's cache, so its own
 * out/ keeps the results of its own grid.
 */
export function runPlan(c: RunPlanConfig, ctx: RunPlanContext) {
  const outDirOf = (name: string): string =>
    ctx.outRoot
      ? join(ctx.outRoot, name)
      : !ctx.smoke && (c.studyArgs[name]?.length ?? 0) > 0
        ? join(ctx.cacheDir, "runs", name)
        : join(ctx.studiesDir, name, "out");
  const avp = c.studies.indexOf("accuracy-vs-precision");
  const shares = !ctx.smoke && c.run && c.shareAccuracy && avp >= 0 && avp < c.studies.indexOf("pareto");
  /** The arguments of a study; `accuracyOk`: accuracy-vs-precision succeeded earlier in this run. */
  const argsOf = (name: string, accuracyOk: boolean): string[] => {
    if (ctx.smoke) return [];
    const args = c.studyArgs[name] ?? [];
    if (name !== "pareto" || !shares || !accuracyOk) return args;
    return [
      ...args,
      "--accuracy-from",
      relative(join(ctx.studiesDir, "pareto"), join(outDirOf("accuracy-vs-precision"), "results.json")),
    ];
  };
  return { outDirOf, argsOf };
}
