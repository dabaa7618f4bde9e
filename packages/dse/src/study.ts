import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { configFields, formatConfigFields, type JsonSchemaNode } from "./config-help.ts";
import { renderFigure, type FigureOptions } from "@sccnn/plots";
import { writeFileAtomic } from "./atomic.ts";
import { ConfigError, resolveConfig, type JsonSchema } from "./config.ts";
import { evaluatePoints, type EvaluateOptions, type EvaluateResult } from "./evaluate.ts";
import { formatResultsCsv, formatResultsJson, type StudyRecord } from "./outputs.ts";
import { parseQueueAddress, type QueueAddress } from "./queue-address.ts";

/** A figure a study produces: written as `<name>.svg` and `<name>.png` in the output folder. */
export interface StudyFigure {
  name: string;
  options: FigureOptions;
}

export interface StudyResult {
  records: StudyRecord[];
  figures?: StudyFigure[];
  /**
   * Further files to write into the output folder (e.g. a report), by relative path with "/"
   * separators and no "..": written atomically with the others.
   */
  files?: { path: string; data: string | Buffer }[];
  /**
   * Problems that make the run a failure although its outputs are worth writing (e.g. a report
   * whose sub-studies failed): outputs are written, the problems printed, and the exit code is 1.
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
  /** evaluatePoints with this study's cache folder, thread count, queue and output stream filled in. */
  evaluate<P, V, I = P>(
    options: Omit<EvaluateOptions<P, I>, "cacheDir" | "threads" | "queue">,
  ): Promise<EvaluateResult<V>>;
  /** A line on stderr (stdout is kept for the list of written files). */
  log(message: string): void;
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
  /** Computes the records and figures; the runner validates the config before and writes after. */
  run(context: StudyContext<C>): Promise<StudyResult>;
}

const USAGE = `options:
  --smoke              run the smallest grid (seconds)
  --config FILE        config file (default: config.json in the study folder)
  --out DIR            output folder (default: out/ in the study folder)
  --cache-dir DIR      result cache (default: .cache/ in the study folder)
  --threads N          worker threads (0 = evaluate in the main thread; default: all cores)
  --queue redis://H:P  hand the evaluations to \`pnpm worker --queue redis://H:P\` processes on any
                       hosts (BullMQ); results still go to this run's cache and outputs
  --FIELD VALUE        override a config field (arrays comma-separated, nested fields dotted)
  --help               this text`;

interface RunnerFlags {
  smoke: boolean;
  config?: string;
  out?: string;
  cacheDir?: string;
  threads?: number;
  queue?: QueueAddress;
  help: boolean;
  rest: string[];
  problems: string[];
}

function splitRunnerFlags(argv: readonly string[]): RunnerFlags {
  const flags: RunnerFlags = { smoke: false, help: false, rest: [], problems: [] };
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

/**
 * Runs a study from command-line arguments: validates the config (every problem printed with its
 * JSON path, exit code 2, nothing written), runs it, renders every figure, then writes
 * results.json, results.csv and the figures atomically. Returns the exit code (0 ok, 1 failed,
 * 2 bad configuration or arguments).
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
  let config: C;
  try {
    if (flags.problems.length > 0) throw new ConfigError(flags.problems);
    config = resolveConfig<C>({
      schema: definition.schema,
      configPath: flags.config ? resolve(flags.config) : join(dir, "config.json"),
      smokeConfig: definition.smokeConfig,
      smoke: flags.smoke,
      args: flags.rest,
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(
      `${definition.name}: invalid configuration, nothing written:\n${e.problems.map((p) => `  ${p}`).join("\n")}\n`,
    );
    return 2;
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
  const outDir = flags.out ? resolve(flags.out) : join(dir, "out");
  const cacheDir = flags.cacheDir ? resolve(flags.cacheDir) : join(dir, ".cache");
  const context: StudyContext<C> = {
    study: definition.name,
    config,
    smoke: flags.smoke,
    dir,
    outDir,
    cacheDir,
    threads: flags.threads,
    queue: flags.queue?.url,
    evaluate: (options) => evaluatePoints({ ...options, cacheDir, threads: flags.threads, queue: flags.queue?.url }),
    log: (message) => void process.stderr.write(`${message}\n`),
  };
  try {
    const result = await definition.run(context);
    // Format and render everything before writing anything, so a failure writes nothing.
    const files: [string, string | Buffer][] = [
      ["results.json", formatResultsJson({ study: definition.name, config, records: result.records })],
      ["results.csv", formatResultsCsv(result.records)],
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
    for (const [name, data] of files) {
      writeFileAtomic(join(outDir, name), data);
      process.stdout.write(`wrote ${join(outDir, name)}\n`);
    }
    const wall = ((Date.now() - started) / 1000).toFixed(1);
    if (result.problems && result.problems.length > 0) {
      process.stderr.write(
        `${definition.name}: outputs written, but the run failed (${wall} s):\n${result.problems.map((p) => `  ${p}`).join("\n")}\n`,
      );
      return 1;
    }
    process.stderr.write(`${definition.name}: ${result.records.length} records, done in ${wall} s\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${definition.name}: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

/** Entry point for a study's study.ts: `await main(definition)` sets the process exit code. */
export async function main<C>(definition: StudyDefinition<C>): Promise<void> {
  process.exitCode = await runStudy(definition);
}
