import { join, relative } from "node:path";
import { defaultOutDir } from "@sccnn/dse";

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
 * its `studyArgs` (full scale only), plus, for pareto and mixed-precision with `shareAccuracy`, `--accuracy-from` pointing
 * at the results accuracy-vs-precision wrote earlier in the same run (relative to pareto's folder, so
 * the report holds no machine path). A study with overrides writes under the paper's cache, so its own
 * out/ keeps the results of its own grid; at --smoke each study writes (and is read from) its
 * out-smoke/, as `pnpm study <name> --smoke` does.
 */
export function runPlan(c: RunPlanConfig, ctx: RunPlanContext) {
  const outDirOf = (name: string): string =>
    ctx.outRoot
      ? join(ctx.outRoot, name)
      : !ctx.smoke && (c.studyArgs[name]?.length ?? 0) > 0
        ? join(ctx.cacheDir, "runs", name)
        : defaultOutDir(join(ctx.studiesDir, name), ctx.smoke ? "smoke" : "default");
  const avp = c.studies.indexOf("accuracy-vs-precision");
  /** `name` reads accuracy-vs-precision's accuracies (shareAccuracy: pareto and mixed-precision, when it runs before them). */
  const sharesWith = (name: string) =>
    !ctx.smoke && c.run && c.shareAccuracy && avp >= 0 && avp < c.studies.indexOf(name);
  const shares = sharesWith("pareto");
  /** `from` ran before `to` in this run (full scale, with `run`). */
  const before = (from: string, to: string) =>
    !ctx.smoke && c.run && c.studies.includes(from) && c.studies.indexOf(from) < c.studies.indexOf(to);
  const fileOf = (to: string, from: string, file: string) =>
    relative(join(ctx.studiesDir, to), join(outDirOf(from), file));
  /**
   * The arguments of a study; `accuracyOk`: accuracy-vs-precision succeeded earlier in this run;
   * `okOf(study)`: that study succeeded earlier in this run. Links between studies (full scale only):
   * pareto and mixed-precision read accuracy-vs-precision's accuracies (shareAccuracy), pareto mixed-precision's per-layer
   * front; fault-tolerance runs at pareto's headline designs (its headline.csv).
   */
  const argsOf = (name: string, accuracyOk: boolean, okOf: (study: string) => boolean = () => false): string[] => {
    if (ctx.smoke) return [];
    const args = [...(c.studyArgs[name] ?? [])];
    if ((name === "pareto" || name === "mixed-precision") && sharesWith(name) && accuracyOk)
      args.push("--accuracy-from", fileOf(name, "accuracy-vs-precision", "results.json"));
    if (name === "pareto" && before("mixed-precision", "pareto") && okOf("mixed-precision"))
      args.push("--mixed-precision-from", fileOf("pareto", "mixed-precision", "results.json"));
    if (name === "fault-tolerance" && before("pareto", "fault-tolerance") && okOf("pareto"))
      args.push("--designs-from", fileOf("fault-tolerance", "pareto", "headline.csv"));
    return args;
  };
  /**
   * The studies of this run whose outputs `name`'s arguments read (argsOf's links), so it must start
   * after they end; every other pair of studies may run at the same time.
   */
  const dependsOn = (name: string): string[] => {
    if (ctx.smoke || !c.run) return [];
    if (name === "mixed-precision") return sharesWith(name) ? ["accuracy-vs-precision"] : [];
    if (name === "pareto")
      return [
        ...(shares ? ["accuracy-vs-precision"] : []),
        ...(before("mixed-precision", "pareto") ? ["mixed-precision"] : []),
      ];
    if (name === "fault-tolerance" && before("pareto", "fault-tolerance")) return ["pareto"];
    return [];
  };
  return { outDirOf, argsOf, dependsOn };
}

/**
 * Runs `jobs` (in list order) with at most `limit` at once, each only after the jobs it depends on
 * have ended (a dependency not among the jobs is ignored). An `exclusive` job runs alone: it starts
 * when nothing runs, nothing starts beside it, and while it waits for the running jobs to end no
 * job after it in the list starts (so it is not overtaken). Resolves to each job's result by name.
 */
export async function runScheduled<T>(
  jobs: readonly { name: string; deps: readonly string[]; run: () => Promise<T>; exclusive?: boolean }[],
  limit: number,
): Promise<Map<string, T>> {
  const names = new Set(jobs.map((j) => j.name));
  const done = new Map<string, T>();
  const started = new Set<string>();
  let running = 0;
  let alone = false;
  return new Promise((resolvePromise, rejectPromise) => {
    const pump = () => {
      if (done.size === jobs.length) return resolvePromise(done);
      for (const j of jobs) {
        if (running >= limit || alone) break;
        if (started.has(j.name) || !j.deps.every((d) => !names.has(d) || done.has(d))) continue;
        if (j.exclusive && running > 0) break;
        started.add(j.name);
        running++;
        alone = j.exclusive === true;
        j.run().then((v) => {
          running--;
          if (j.exclusive) alone = false;
          done.set(j.name, v);
          pump();
        }, rejectPromise);
      }
    };
    pump();
  });
}
