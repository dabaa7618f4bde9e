// pnpm study paper: runs the other studies and writes out/REPORT.md, the paper's claims against our numbers (see README.md).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { main, type StudyDefinition, type StudyRecord } from "@sccnn/dse";
import {
  accuracyClaim,
  determinismClaim,
  faultToleranceClaim,
  headlineClaim,
  opsPerAreaClaim,
  type ClaimRow,
  type DeterminismCheck,
  type StudyOutcome,
} from "./src/claims.ts";
import { buildReport, describeGrid, shellWords, type StudySection } from "./src/report.ts";
import { readHeadline, readResults, readSummary } from "./src/results.ts";
import { runPlan, runScheduled } from "./src/run-plan.ts";
import { figureNames, outputFiles, runSubStudy, studyExists, studyQuestion } from "./src/run-studies.ts";

export interface PaperConfig {
  studies: string[];
  run: boolean;
  determinismStudy: string;
  accuracyMaxBits: number;
  opsPerAreaBits: number;
  studyOutRoot: string | null;
  studyCacheRoot: string | null;
  /** Extra overrides per study for the full-scale run (not applied with --smoke). */
  studyArgs: Record<string, string[]>;
  /** Pass accuracy-vs-precision's results to pareto (--accuracy-from) when both run. */
  shareAccuracy: boolean;
}

const here = new URL(".", import.meta.url);
const studiesDir = fileURLToPath(new URL("..", here));
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, here), "utf8")) as Record<string, unknown>;

/** Runs a study twice at smoke scale from two empty caches and compares every output file's bytes. */
async function checkDeterminism(name: string): Promise<DeterminismCheck | { study: string; failed: string }> {
  const root = mkdtempSync(join(tmpdir(), "paper-determinism-"));
  try {
    const runs = ["a", "b"].map((k) => ({ out: join(root, k, "out"), cache: join(root, k, "cache") }));
    for (const r of runs) {
      const { exitCode } = await runSubStudy(studiesDir, name, { smoke: true, outDir: r.out, cacheDir: r.cache });
      if (exitCode !== 0)
        return {
          study: name,
          failed: `${name} --smoke exited ${exitCode ?? "by signal"} during the determinism check`,
        };
    }
    const names = [...new Set([...outputFiles(runs[0]!.out), ...outputFiles(runs[1]!.out)])].sort();
    const read = (dir: string, f: string) => {
      try {
        return readFileSync(join(dir, f));
      } catch {
        return undefined;
      }
    };
    return {
      study: name,
      files: names.map((f) => {
        const a = read(runs[0]!.out, f);
        const b = read(runs[1]!.out, f);
        return { name: f, identical: a !== undefined && b !== undefined && Buffer.compare(a, b) === 0 };
      }),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export const paperStudy: StudyDefinition<PaperConfig> = {
  name: "paper",
  dir: here,
  schema: readJson("config.schema.json"),
  smokeConfig: readJson("config.smoke.json"),
  async run(ctx) {
    const c = ctx.config;
    const outRoot = c.studyOutRoot === null ? null : resolve(ctx.dir, c.studyOutRoot);
    const cacheRoot = c.studyCacheRoot === null ? null : resolve(ctx.dir, c.studyCacheRoot);
    const plan = runPlan(c, { smoke: ctx.smoke, studiesDir, cacheDir: ctx.cacheDir, outRoot });
    const outDirOf = plan.outDirOf;
    const argsOf = (name: string) =>
      plan.argsOf(
        name,
        outcomes.get("accuracy-vs-precision")?.status === "ok",
        (s) => outcomes.get(s)?.status === "ok",
      );

    const outcomes = new Map<string, StudyOutcome>();
    const sections: StudySection[] = [];
    const problems: string[] = [];
    const files: { path: string; data: Buffer }[] = [];
    const records: StudyRecord[] = [];
    // Studies run as soon as the studies whose outputs they read have ended (pareto after
    // accuracy-vs-precision and mixed-precision, fault-tolerance after pareto), two at a time, and the
    // determinism check beside them: a cached rerun spends most of its time starting processes, which
    // the two cores now do in parallel. A study with no earlier run in its cache (no dse pace.json:
    // everything to compute) runs alone, since its worker pool already takes both cores: two such
    // studies side by side took 221 s where one after the other took 193 s (accuracy-vs-precision
    // and mixed-precision, 2026-12-07). The report keeps the order of `studies`.
    const statusOf = new Map<string, string>();
    const runOne = async (name: string): Promise<void> => {
      let outcome: StudyOutcome;
      let status: string;
      if (!studyExists(studiesDir, name)) {
        outcome = { status: "missing" };
        status = `missing (no studies/${name}/study.ts yet)`;
      } else {
        let exitCode: number | null = 0;
        if (c.run) {
          const args = argsOf(name);
          ctx.log(`paper: running ${name}${ctx.smoke ? " --smoke" : ""}${args.length ? ` ${shellWords(args)}` : ""}`);
          const r = await runSubStudy(studiesDir, name, {
            smoke: ctx.smoke,
            args,
            queue: ctx.queue,
            ...(outRoot || args.length ? { outDir: outDirOf(name) } : {}),
            ...(cacheRoot ? { cacheDir: join(cacheRoot, name) } : {}),
          });
          exitCode = r.exitCode;
          ctx.log(`paper: ${name} exited ${exitCode ?? "by signal"} after ${r.wallS.toFixed(1)} s`);
        }
        if (exitCode !== 0) {
          outcome = { status: "failed", exitCode };
          status = `failed (exit ${exitCode ?? "by signal"})`;
        } else {
          const results = readResults(outDirOf(name));
          outcome = results ? { status: "ok", results } : { status: "no results" };
          status = results ? (c.run ? "ran" : "existing results (not rerun)") : "no results.json";
        }
      }
      outcomes.set(name, outcome);
      statusOf.set(name, status);
    };
    const DETERMINISM = "\0determinism";
    let determinism: DeterminismCheck | { study: string; failed: string } | { study: string; missing: true } = {
      study: c.determinismStudy,
      missing: true,
    };
    await runScheduled(
      [
        ...c.studies.map((name) => ({
          name,
          deps: plan.dependsOn(name),
          run: () => runOne(name),
          exclusive:
            c.run &&
            !existsSync(join(cacheRoot ? join(cacheRoot, name) : join(studiesDir, name, ".cache"), "pace.json")),
        })),
        {
          name: DETERMINISM,
          deps: [],
          run: async () => {
            if (studyExists(studiesDir, c.determinismStudy)) determinism = await checkDeterminism(c.determinismStudy);
          },
        },
      ],
      2,
    );
    for (const name of c.studies) {
      const outcome = outcomes.get(name)!;
      const status = statusOf.get(name)!;
      // in the order of `studies`, whatever order the runs ended in
      if (outcome.status === "failed") problems.push(`study ${name} failed (exit ${outcome.exitCode ?? "by signal"})`);
      const figures = outcome.status === "ok" ? figureNames(outDirOf(name)) : [];
      for (const f of figures)
        for (const ext of ["png", "svg"])
          files.push({ path: `figures/${name}/${f}.${ext}`, data: readFileSync(join(outDirOf(name), `${f}.${ext}`)) });
      const count = outcome.status === "ok" ? outcome.results.records.length : null;
      const grid = outcome.status === "ok" ? describeGrid(outcome.results.config) : "";
      const command = `pnpm study ${name}${ctx.smoke ? " --smoke" : ""}${argsOf(name).length ? ` ${shellWords(argsOf(name))}` : ""}`;
      sections.push({
        name,
        question: studyQuestion(studiesDir, name),
        status,
        records: count,
        figures,
        command: c.run ? command : null,
        grid,
      });
      records.push({ measure: "study", study: name, status, records: count, figures: figures.length });
    }

    // A claim's study that was not in this run: use whatever results it already has in its output folder.
    const outcomeOf = (name: string): StudyOutcome => {
      const known = outcomes.get(name);
      if (known) return known;
      if (!studyExists(studiesDir, name)) return { status: "missing" };
      const results = readResults(outDirOf(name));
      return results ? { status: "ok", results } : { status: "no results" };
    };
    const pareto = outcomeOf("pareto");
    const headline = pareto.status === "ok" ? readHeadline(outDirOf("pareto")) : undefined;
    const claims: ClaimRow[] = [
      accuracyClaim(outcomeOf("accuracy-vs-precision"), c.accuracyMaxBits, pareto),
      headlineClaim(pareto, headline, outcomeOf("accuracy-vs-precision")),
      // one row per binary baseline the pareto study compared with (headline.csv's baseline column)
      ...[...new Set((headline ?? []).map((h) => h.baseline ?? "strongest"))]
        .filter((b) => b !== "strongest")
        .map((b) => headlineClaim(pareto, headline, outcomeOf("accuracy-vs-precision"), b)),
      opsPerAreaClaim(outcomeOf("ops-per-area"), c.opsPerAreaBits),
      determinismClaim(determinism),
      faultToleranceClaim(outcomeOf("fault-tolerance"), readSummary(outDirOf("fault-tolerance"))),
    ];
    for (const claim of claims)
      records.push({
        measure: "claim",
        claim: claim.id,
        study: claim.study,
        measured: claim.measured,
        verdict: claim.verdict,
        reason: claim.reason,
      });
    const report = buildReport({ smoke: ctx.smoke, claims, studies: sections, headline: headline ?? [] });
    return { records, files: [{ path: "REPORT.md", data: Buffer.from(report) }, ...files], problems };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  await main(paperStudy);
  const s = (performance.now() - started) / 1000;
  console.error(
    `paper: wall time ${Math.floor(s / 60)} min ${(s % 60).toFixed(1)} s (load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(", ")})`,
  );
}
