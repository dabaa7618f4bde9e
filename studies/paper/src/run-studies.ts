import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** True when studies/<name>/study.ts exists. */
export function studyExists(studiesDir: string, name: string): boolean {
  return existsSync(join(studiesDir, name, "study.ts"));
}

/** The README's `**Question:**` line of a study, without the label ("" when absent). */
export function studyQuestion(studiesDir: string, name: string): string {
  const readme = join(studiesDir, name, "README.md");
  if (!existsSync(readme)) return "";
  const line = readFileSync(readme, "utf8")
    .split("\n")
    .find((l) => l.startsWith("**Question:**"));
  return line ? line.replace("**Question:**", "").trim() : "";
}

export interface SubStudyOptions {
  smoke: boolean;
  /** Output folder (default: the study's out/). */
  outDir?: string;
  /** Cache folder (default: the study's .cache/). */
  cacheDir?: string;
  /** Extra config overrides (`--field value` pairs). */
  args?: readonly string[];
  /** `redis://host:port`: the sub-study hands its evaluations to queue workers (dse --queue). */
  queue?: string;
}

/**
 * Runs studies/<name>/study.ts in its folder as `node --import tsx study.ts` (one process, so a
 * kill reaches it), with its progress and "wrote" lines on our stderr.
 */
export function runSubStudy(
  studiesDir: string,
  name: string,
  options: SubStudyOptions,
): Promise<{ exitCode: number | null; wallS: number }> {
  const args = ["--import", "tsx", "study.ts"];
  if (options.smoke) args.push("--smoke");
  if (options.outDir) args.push("--out", options.outDir);
  if (options.cacheDir) args.push("--cache-dir", options.cacheDir);
  if (options.args) args.push(...options.args);
  if (options.queue) args.push("--queue", options.queue);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: join(studiesDir, name), stdio: ["ignore", 2, 2] });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ exitCode: code, wallS: (Date.now() - started) / 1000 }));
  });
}

/** Figure names in an output folder: every `<name>.svg` that has a `<name>.png`, sorted. */
export function figureNames(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  const files = new Set(readdirSync(outDir));
  return [...files]
    .filter((f) => f.endsWith(".svg") && files.has(`${f.slice(0, -4)}.png`))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** Every file of an output folder (sorted, top level only). */
export function outputFiles(outDir: string): string[] {
  return existsSync(outDir)
    ? readdirSync(outDir)
        .filter((f) => !f.includes(".tmp-"))
        .sort()
    : [];
}
