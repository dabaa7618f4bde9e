/**
 * Helpers for a study's own tests: run its study.ts in a child process (as `pnpm study` does) and
 * read what the run wrote, and load the config files the study validates against its schema.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonSchema } from "./config.ts";

export interface StudyScriptRun {
  /** Exit status of the child (null when it was killed), and what it printed. */
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node --import tsx study.ts …args` in `studyDir`: one process, as `pnpm study` runs it.
 */
export function runStudyScript(studyDir: string, args: readonly string[]): StudyScriptRun {
  const r = spawnSync(process.execPath, ["--import", "tsx", "study.ts", ...args], { cwd: studyDir, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface StudyTestRun extends StudyScriptRun {
  /** The folder the run wrote its outputs to (`<dir>/<outName>`). */
  outDir: string;
  /** Bytes of one output file (path relative to outDir). */
  read(file: string): Buffer;
  /** One output file as UTF-8 text. */
  readText(file: string): string;
  /** One output file parsed as JSON. */
  readJson<T>(file: string): T;
}

/**
 * Runs study.ts with `args` plus `--out <dir>/<outName> --cache-dir <dir>/cache`, so runs into the
 * same `dir` share one result cache, and returns the exit status with readers for the outputs.
 */
export function runStudyForTest(studyDir: string, args: readonly string[], dir: string, outName = "out"): StudyTestRun {
  const outDir = join(dir, outName);
  const run = runStudyScript(studyDir, [...args, "--out", outDir, "--cache-dir", join(dir, "cache")]);
  const read = (file: string): Buffer => readFileSync(join(outDir, file));
  return {
    ...run,
    outDir,
    read,
    readText: (file) => read(file).toString("utf8"),
    readJson: <T>(file: string): T => JSON.parse(read(file).toString("utf8")) as T,
  };
}

/** A study's config.schema.json and config.smoke.json (parsed) and the path of its config.json. */
export function readStudyConfigFiles(studyDir: string): {
  schema: JsonSchema;
  configPath: string;
  smokeConfig: unknown;
} {
  return {
    schema: JSON.parse(readFileSync(join(studyDir, "config.schema.json"), "utf8")) as JsonSchema,
    configPath: join(studyDir, "config.json"),
    smokeConfig: JSON.parse(readFileSync(join(studyDir, "config.smoke.json"), "utf8")) as unknown,
  };
}
