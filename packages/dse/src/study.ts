import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { configFields, formatConfigFields, type JsonSchemaNode } from "./config-help.ts";
import { renderFigure, type FigureOptions } from "@sccnn/plots";
import { writeFileAtomic } from "./atomic.ts";
import { canonicalJson } from "./canonical.ts";
import { ConfigError, resolveConfig, type JsonSchema } from "./config.ts";
import { evaluatePoints, type EvaluateOptions, type EvaluateResult } from "./evaluate.ts";
import { defaultOutDir, type FileData, removeLiveTemporaries, type RunKind, writeOutputSet } from "./out-set.ts";
import {
  formatResultsCsv,
  formatResultsCsvChunks,
  formatResultsJson,
  formatResultsJsonChunks,
  type StudyRecord,
} from "./outputs.ts";
import { RecordSpool } from "./record-spool.ts";
import { parseQueueAddress, type QueueAddress } from "./queue-address.ts";

/** A figure a study produces: written as `<name>.svg` and `<name>.png` in the output folder. */
export interface StudyFigure {
  name: string;
  options: FigureOptions;
}

export interface StudyResult {
  /**
   * The records: an array, or a RecordSpool (ctx.recordSpool()) for a run whose records should not
   * be held in memory (a large grid); both give the same results.json / results.csv bytes.
   */
  records: StudyRecord[] | RecordSpool;
  figures?: StudyFigure[];
  /**
   * Further files to write into the output folder (e.g. a report), by relative path with "/"
   * separators and no "..": written atomically with the others.
   */
  files?: { path: string; data: string | Buffer }[];
  /**
   * Problems that make the run a failure (e.g. a report whose sub-studies failed, no network could
   * be evaluated): the problems are printed, the exit code is 1, the previous outputs are kept (a
   * failed run never replaces good results) and this run's outputs go to `<out>-failed/`.
   */
  problems?: string[];
}

export interface StudyContext<C> {
  study: string;
  /** The validated configuration (file + smoke patch + command-line overrides). */
  config: C;
  smoke: boolean;
  /** The study folder. */
  dir: string;
  outDir: string;
  cacheDir: string;
  /** Worker threads for evaluatePoints (from --threads; undefined = all cores). */
  threads: number | undefined;
  /** The job queue evaluations go to (from --queue redis://host:port; undefined = the local pool). */
  queue: string | undefined;
  /** --no-cache: evaluate ignores finished results. */
  noCache: boolean;
  /** evaluatePoints with this study's cache folder, thread count, queue, cache policy and output stream filled in. */
  evaluate<P, V, I = P>(
    options: Omit<EvaluateOptions<P, I>, "cacheDir" | "threads" | "queue" | "noCache">,
  ): Promise<EvaluateResult<V>>;
  /** A line on stderr (stdout is kept for the list of written files). */
  log(message: string): void;
  /**
   * A new record spool: records pushed to it go to a temporary file beside the output folder, not
   * memory; return it as `records` (removed with the run's other temporaries on every exit path).
   */
  recordSpool(): RecordSpool;
}

export interface StudyDefinition<C> {
  /** The study's name (its folder under studies/). */
  name: string;
  /** The study folder: holds config.json, and receives .cache/ and out/. */
  dir: string | URL;
  /** JSON Schema (2020-12) of config.json. */
  schema: JsonSchema;
  /** Partial config merged over config.json by --smoke (the smallest grid, runs in seconds). */
  smokeConfig?: unknown;
  /**
   * The number of design points of a configuration (default: the product of the config's list
   * lengths). Printed before the run with a time estimate; above DESIGN_POINT_LIMIT the run needs --yes.
   */
  designPoints?(config: C): number;
  /**
   * Checks across fields the schema cannot express (e.g. flexibleMaxBits ≤ max(bits)); throw a
   * ConfigError naming the options to refuse the run with exit 2 before anything runs.
   */
  check?(config: C): void;
  /** Computes the records and figures; the runner validates the config before and writes after. */
  run(context: StudyContext<C>): Promise<StudyResult>;
}

const USAGE = `options:
  --smoke              run the smallest grid (seconds)
  --config FILE        config file (default: config.json in the study folder)
  --out DIR            output folder (default: out/ in the study folder; out-smoke/ with --smoke,
                       out-custom/ when overrides change the configuration)
  --cache-dir DIR      result cache (default: .cache/ in the study folder)
  --threads N          worker threads (0 = evaluate in the main thread; default: all cores)
  --queue redis://H:P  hand the evaluations to \`pnpm worker --queue redis://H:P\` processes on any
                       hosts (BullMQ); results still go to this run's cache and outputs
  --no-cache           compute every point again (finished results in the cache are not read)
  --yes                run even when the grid is above the design-point limit
  --FIELD VALUE        override a config field (arrays comma-separated, nested fields dotted)
  --help               this text`;

interface RunnerFlags {
  smoke: boolean;
  config?: string;
  out?: string;
  cacheDir?: string;
  threads?: number;
  queue?: QueueAddress;
  noCache: boolean;
  yes: boolean;
  help: boolean;
  rest: string[];
  problems: string[];
}

function splitRunnerFlags(argv: readonly string[]): RunnerFlags {
  const flags: RunnerFlags = { smoke: false, noCache: false, yes: false, help: false, rest: [], problems: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inlineValue] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = () => {
      if (inlineValue !== undefined) return inlineValue;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) {
        flags.problems.push(`${flag}: needs a value`);
        return undefined;
      }
      i++;
      return next;
    };
    switch (flag) {
      case "--smoke":
        flags.smoke = true;
        break;
      case "--no-cache":
        flags.noCache = true;
        break;
      case "--yes":
      case "-y":
        flags.yes = true;
        break;
      case "--help":
      case "-h":
        flags.help = true;
        break;
      case "--config":
        flags.config = value();
        break;
      case "--out":
        flags.out = value();
        break;
      case "--cache-dir":
        flags.cacheDir = value();
        break;
      case "--threads": {
        const v = value();
        if (v === undefined) break;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0)
          flags.problems.push(`--threads: must be a non-negative integer (got "${v}")`);
        else flags.threads = n;
        break;
      }
      case "--queue": {
        const v = value();
        if (v === undefined) break;
        try {
          flags.queue = parseQueueAddress(v);
        } catch (e) {
          flags.problems.push((e as Error).message);
        }
        break;
      }
      default:
        flags.rest.push(arg);
    }
  }
  return flags;
}

/** Above this many design points a run is refused unless `--yes` is given. */
export const DESIGN_POINT_LIMIT = 100_000;

/**
 * The design points of a configuration, as the runner counts them before a run: the study's own
 * `designPoints(config)` when it has one, else the product of the lengths of the config's
 * top-level lists (an upper bound of the grid).
 */
export function countDesignPoints<C>(definition: StudyDefinition<C>, config: C): number {
  if (definition.designPoints) return definition.designPoints(config);
  let n = 1;
  for (const v of Object.values(config as Record<string, unknown>)) if (Array.isArray(v) && v.length > 0) n *= v.length;
  return n;
}

interface Pace {
  designPoints: number;
  seconds: number;
}

function readPace(cacheDir: string): Pace | undefined {
  try {
    const p = JSON.parse(readFileSync(join(cacheDir, "pace.json"), "utf8")) as Pace;
    return p.designPoints > 0 && p.seconds >= 0 ? p : undefined;
  } catch {
    return undefined;
  }
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

const FS_CODES = new Set([
  "ENOSPC",
  "EROFS",
  "EACCES",
  "EPERM",
  "ENOTDIR",
  "EEXIST",
  "EISDIR",
  "EDQUOT",
  "EIO",
  "EMFILE",
]);

/** A file-system failure (disk full, read-only store, …) as one line naming the path; undefined for other errors. */
function fsProblem(e: unknown): string | undefined {
  let err: unknown = e;
  while (err instanceof Error && !(err as NodeJS.ErrnoException).code && err.cause) err = err.cause;
  const x = err as NodeJS.ErrnoException;
  if (!(x instanceof Error) || !x.code || !FS_CODES.has(x.code)) return undefined;
  const reason = x.message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "");
  return `cannot write ${x.path ?? "a file"}: ${x.code} (${reason})`;
}

/**
 * Runs a study from command-line arguments: validates the config (every problem printed with its
 * JSON path, exit code 2, nothing written), counts the design points (above DESIGN_POINT_LIMIT it
 * refuses without `--yes`), runs it, renders every figure, then replaces the output folder as a set
 * (see writeOutputSet). Smoke and ad-hoc runs write to their own folder (see defaultOutDir). Returns
 * the exit code (0 ok, 1 failed, 2 bad configuration, arguments or an unwritable folder); on any
 * failure the previous outputs stay as they were and no temporary file is left.
 */
export async function runStudy<C>(
  definition: StudyDefinition<C>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<number> {
  const started = Date.now();
  const dir = definition.dir instanceof URL ? fileURLToPath(definition.dir) : resolve(definition.dir);
  const flags = splitRunnerFlags(argv);
  if (flags.help) {
    const readme = join(dir, "README.md");
    const question = existsSync(readme)
      ? (readFileSync(readme, "utf8")
          .split("\n")
          .find((l) => l.startsWith("**Question:**")) ?? "")
      : "";
    let defaults: unknown = {};
    try {
      defaults = JSON.parse(readFileSync(flags.config ? resolve(flags.config) : join(dir, "config.json"), "utf8"));
    } catch {
      // no readable config.json: the fields are listed without their values
    }
    const fields = formatConfigFields(configFields(definition.schema as JsonSchemaNode, defaults));
    // The README's Markdown emphasis is for the web page; the terminal gets plain text.
    const plain = question.replace(/\*\*(.+?)\*\*/g, "$1").replace(/`([^`]+)`/g, "$1");
    process.stdout.write(
      `pnpm study ${definition.name} [options] [--FIELD VALUE…]\n${plain}\n\n${USAGE}\n\nconfig fields (type, default from config.json, description):\n${fields}\n`,
    );
    return 0;
  }
  // One problem: one line; several: a header and one line each. Exit 2 either way, nothing written.
  const refuse = (problems: string[], what = "invalid configuration") => {
    process.stderr.write(
      problems.length === 1
        ? `${definition.name}: ${what}, nothing written: ${problems[0]}\n`
        : `${definition.name}: ${what}, nothing written:\n${problems.map((p) => `  ${p}`).join("\n")}\n`,
    );
    return 2;
  };
  let config: C;
  let kind: RunKind = flags.smoke ? "smoke" : flags.config ? "custom" : "default";
  try {
    if (flags.problems.length > 0) throw new ConfigError(flags.problems);
    config = resolveConfig<C>({
      schema: definition.schema,
      configPath: flags.config ? resolve(flags.config) : join(dir, "config.json"),
      smokeConfig: definition.smokeConfig,
      smoke: flags.smoke,
      args: flags.rest,
    });
    definition.check?.(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return refuse(e.problems);
  }
  if (flags.queue) {
    try {
      const { checkQueueReachable } = await import("./queue.ts");
      await checkQueueReachable(flags.queue);
    } catch (e) {
      process.stderr.write(`${definition.name}: ${(e as Error).message}; nothing written\n`);
      return 2;
    }
  }
  if (kind === "default" && flags.rest.length > 0) {
    const plain = resolveConfig<C>({ schema: definition.schema, configPath: join(dir, "config.json"), args: [] });
    if (canonicalJson(plain) !== canonicalJson(config)) kind = "custom";
  }
  const outDir = flags.out ? resolve(flags.out) : defaultOutDir(dir, kind);
  const cacheDir = flags.cacheDir ? resolve(flags.cacheDir) : join(dir, ".cache");

  const designPoints = countDesignPoints(definition, config);
  const pace = readPace(cacheDir);
  const estimate = pace
    ? `~${formatSeconds((pace.seconds / pace.designPoints) * designPoints)} at the last run's pace (${pace.designPoints} points in ${formatSeconds(pace.seconds)}; cached points are faster)`
    : "no earlier run to estimate the time from";
  process.stderr.write(`${definition.name}: ${designPoints} design points, ${estimate}\n`);
  if (designPoints > DESIGN_POINT_LIMIT && !flags.yes)
    return refuse(
      [`${designPoints} design points is above the limit of ${DESIGN_POINT_LIMIT}; narrow the lists or add --yes`],
      "grid too large",
    );

  const context: StudyContext<C> = {
    study: definition.name,
    config,
    smoke: flags.smoke,
    dir,
    outDir,
    cacheDir,
    threads: flags.threads,
    queue: flags.queue?.url,
    noCache: flags.noCache,
    evaluate: (options) =>
      evaluatePoints({ ...options, cacheDir, threads: flags.threads, queue: flags.queue?.url, noCache: flags.noCache }),
    log: (message) => void process.stderr.write(`${message}\n`),
    recordSpool: () => new RecordSpool(outDir),
  };
  try {
    const result = await definition.run(context);
    // Format and render everything before writing anything, so a failure writes nothing.
    const records = result.records;
    const files: [string, FileData][] =
      records instanceof RecordSpool
        ? [
            ["results.json", formatResultsJsonChunks(definition.name, config, records.records(), records.columns())],
            ["results.csv", formatResultsCsvChunks(records.records(), records.columns())],
          ]
        : [
            ["results.json", formatResultsJson({ study: definition.name, config, records })],
            ["results.csv", formatResultsCsv(records)],
          ];
    for (const figure of result.figures ?? []) {
      if (!/^[A-Za-z0-9._-]+$/.test(figure.name))
        throw new Error(`figure name "${figure.name}" must be a plain file name`);
      const rendered = renderFigure(figure.options);
      files.push([`${figure.name}.svg`, rendered.svg], [`${figure.name}.png`, rendered.png]);
    }
    for (const extra of result.files ?? []) {
      const parts = extra.path.split("/");
      if (parts.some((p) => p === "" || p === "." || p === ".." || !/^[A-Za-z0-9._-]+$/.test(p)))
        throw new Error(`output file path "${extra.path}" must be relative, "/"-separated plain names`);
      files.push([join(...parts), extra.data]);
    }
    const wall = ((Date.now() - started) / 1000).toFixed(1);
    if (result.problems && result.problems.length > 0) {
      // A failed run does not replace good results: its outputs go to <out>-failed/ for a look.
      const failedDir = `${outDir}-failed`;
      writeOutputSet(failedDir, files);
      if (records instanceof RecordSpool) records.discard();
      process.stderr.write(
        `${definition.name}: the run failed (${wall} s); ${outDir} left as it was, this run's outputs are in ${failedDir}:\n${result.problems.map((p) => `  ${p}`).join("\n")}\n`,
      );
      return 1;
    }
    writeOutputSet(outDir, files);
    if (records instanceof RecordSpool) records.discard();
    for (const [name] of files) process.stdout.write(`wrote ${join(outDir, name)}\n`);
    try {
      writeFileAtomic(
        join(cacheDir, "pace.json"),
        `${JSON.stringify({ designPoints, seconds: (Date.now() - started) / 1000 })}\n`,
      );
    } catch {
      // the pace is a hint only
    }
    process.stderr.write(`${definition.name}: ${records.length} records, done in ${wall} s\n`);
    return 0;
  } catch (e) {
    removeLiveTemporaries();
    const fs = fsProblem(e);
    if (fs) return refuse([fs], "file system error");
    if (e instanceof ConfigError) return refuse(e.problems);
    process.stderr.write(`${definition.name}: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

/**
 * Entry point for a study's study.ts: `await main(definition)` sets the process exit code. SIGINT
 * and SIGTERM stop the run (worker threads with it), remove its temporary files and exit with
 * 130 / 143; the previous outputs are left as they were.
 */
export async function main<C>(definition: StudyDefinition<C>): Promise<void> {
  const onSignal = (signal: NodeJS.Signals) => {
    removeLiveTemporaries();
    process.stderr.write(`${definition.name}: stopped by ${signal}; outputs left as they were\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.exitCode = await runStudy(definition);
}
