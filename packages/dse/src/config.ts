import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { existsSync, readFileSync } from "node:fs";

/** A JSON Schema (draft 2020-12) as a plain object. */
export type JsonSchema = Record<string, unknown>;

/**
 * A configuration that cannot be used. `problems` holds one line per error, each naming where it
 * comes from (the config file, `--smoke`, or a `--flag`) and the JSON path of the bad value.
 */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** "/bits/0" → "$.bits[0]" (JSON Pointer to JSONPath, as people read it). */
export function pointerToJsonPath(pointer: string): string {
  if (pointer === "") return "$";
  return (
    "$" +
    pointer
      .slice(1)
      .split("/")
      .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
      .map((seg) =>
        /^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`,
      )
      .join("")
  );
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One readable line per ajv error: `$.path: message (got value)`. */
export function formatSchemaError(error: ErrorObject): { path: string; message: string } {
  let path = pointerToJsonPath(error.instancePath);
  let message = error.message ?? "is invalid";
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") {
    path = pointerToJsonPath(
      `${error.instancePath}/${String(params.additionalProperty).replace(/~/g, "~0").replace(/\//g, "~1")}`,
    );
    message = "is not a known field";
  } else if (error.keyword === "required") {
    path = pointerToJsonPath(`${error.instancePath}/${String(params.missingProperty)}`);
    message = "is required";
  } else if (error.keyword === "enum") {
    message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")} (got ${describeValue(error.data)})`;
  } else if (error.keyword !== "type" || error.data !== undefined) {
    message = `${message} (got ${describeValue(error.data)})`;
  }
  return { path, message };
}

/**
 * Marks a schema node whose allowed values come from a registry at run time, e.g.
 * `{ "type": "string", "x-ids": "networks" }`: a config file names no list of ids, so a network or
 * cost-model package added to the workspace is accepted by every study with no schema edit.
 */
export const REGISTRY_KEYWORD = "x-ids";

/**
 * A copy of `schema` whose `"x-ids": "<registry>"` nodes get `enum: ids[registry]` (the marker is
 * kept; compileSchema accepts it). A marker naming a registry not in `ids` is an error, so a study
 * cannot forget to pass one.
 */
export function withRegistryIds(schema: JsonSchema, ids: Record<string, readonly string[]>): JsonSchema {
  const fill = (node: unknown, at: string): unknown => {
    if (Array.isArray(node)) return node.map((n, i) => fill(n, `${at}/${i}`));
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = fill(v, `${at}/${k}`);
    const registry = out[REGISTRY_KEYWORD];
    if (registry !== undefined) {
      const values = typeof registry === "string" ? ids[registry] : undefined;
      if (!values)
        throw new Error(
          `schema ${at || "/"}: ${REGISTRY_KEYWORD} ${JSON.stringify(registry)} has no ids (have: ${Object.keys(ids).join(", ")})`,
        );
      out.enum = [...values];
    }
    return out;
  };
  return fill(schema, "") as JsonSchema;
}

/** Compiles a schema once; returns a validator giving formatted errors (empty when valid). */
export function compileSchema(schema: JsonSchema): (value: unknown) => { path: string; message: string }[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
  ajv.addKeyword({ keyword: REGISTRY_KEYWORD, schemaType: "string" });
  const validate = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return [];
    const seen = new Set<string>();
    const out: { path: string; message: string }[] = [];
    for (const e of validate.errors ?? []) {
      const f = formatSchemaError(e);
      const key = `${f.path}\u0000${f.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(f);
      }
    }
    return out;
  };
}

function resolveRef(root: JsonSchema, node: JsonSchema | undefined): JsonSchema | undefined {
  let current = node;
  for (let guard = 0; current && typeof current.$ref === "string" && guard < 16; guard++) {
    const ref = current.$ref as string;
    if (!ref.startsWith("#/")) return current;
    let target: unknown = root;
    for (const seg of ref.slice(2).split("/"))
      target = (target as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, "/").replace(/~0/g, "~")];
    current = target as JsonSchema | undefined;
  }
  return current;
}

/** The sub-schema describing `path` (property names), or undefined when the schema has no such field. */
export function schemaAt(root: JsonSchema, path: readonly string[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = resolveRef(root, root);
  for (const seg of path) {
    const props = node?.properties as Record<string, JsonSchema> | undefined;
    if (!props || !Object.hasOwn(props, seg)) return undefined;
    node = resolveRef(root, props[seg]);
  }
  return node;
}

function typeOf(_root: JsonSchema, node: JsonSchema | undefined): string | undefined {
  if (!node) return undefined;
  if (typeof node.type === "string") return node.type;
  if (Array.isArray(node.type)) return node.type.find((t) => t !== "null") as string | undefined;
  if (Array.isArray(node.enum) && node.enum.length > 0) {
    const t = typeof node.enum[0];
    return t === "number" ? "number" : t === "boolean" ? "boolean" : t === "string" ? "string" : undefined;
  }
  if (node.const !== undefined) return typeof node.const;
  return undefined;
}

/**
 * Converts one command-line text to the type the schema asks for. Values that do not convert
 * stay strings, so the schema reports them with their JSON path rather than failing here.
 */
function coerce(root: JsonSchema, node: JsonSchema | undefined, text: string): unknown {
  const type = typeOf(root, node);
  switch (type) {
    case "array": {
      const items = resolveRef(root, node?.items as JsonSchema | undefined);
      return text === "" ? [] : text.split(",").map((part) => coerce(root, items, part.trim()));
    }
    case "integer":
    case "number": {
      // Decimal notation only: Number() would also read "0x10" as 16, "0b1" as 1 and " " as 0.
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) return text;
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    case "object":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    case "null":
      return text === "null" ? null : text;
    default:
      return text;
  }
}

function kebabToCamel(s: string): string {
  return s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export interface Override {
  /** The flag as written, e.g. "--bits". */
  flag: string;
  /** Property path inside the config, e.g. ["bits"] or ["cost", "clockHz"]. */
  path: string[];
  value: unknown;
}

/**
 * Parses `--field value` / `--field=value` overrides against the schema. Field names may be
 * camelCase or kebab-case, nested fields dotted (`--cost.clock-hz 5e8`); arrays are
 * comma-separated (`--bits 4,6,8`); a boolean flag alone means true. Problems (unknown field,
 * missing value, stray argument) are collected, not thrown.
 */
export function parseOverrides(
  args: readonly string[],
  schema: JsonSchema,
): { overrides: Override[]; problems: string[] } {
  const overrides: Override[] = [];
  const problems: string[] = [];
  const topFields = Object.keys((resolveRef(schema, schema)?.properties as object | undefined) ?? {});
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      problems.push(`${arg}: unexpected argument (overrides look like --field value)`);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const path = flag.slice(2).split(".").map(kebabToCamel);
    const node = schemaAt(schema, path);
    if (!node) {
      const parent = schemaAt(schema, path.slice(0, -1));
      const known = Object.keys(
        (parent?.properties as object | undefined) ??
          (path.length === 1 ? Object.fromEntries(topFields.map((f) => [f, 1])) : {}),
      ).filter((f) => !f.startsWith("$"));
      problems.push(`${flag}: unknown field "${path.join(".")}" (known fields: ${known.join(", ") || "none"})`);
      if (eq < 0 && i + 1 < args.length && !args[i + 1]!.startsWith("--")) i++;
      continue;
    }
    let text: string | undefined;
    if (eq >= 0) text = arg.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1]!.startsWith("--")) text = args[++i];
    if (text === undefined) {
      if (typeOf(schema, node) === "boolean") {
        overrides.push({ flag, path, value: true });
        continue;
      }
      problems.push(`${flag}: needs a value`);
      continue;
    }
    overrides.push({ flag, path, value: coerce(schema, node, text) });
  }
  return { overrides, problems };
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const seg of path.slice(0, -1)) {
    const next = node[seg];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[seg] = {};
    node = node[seg] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function deepMerge(base: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  if (base === null || typeof base !== "object" || Array.isArray(base)) return structuredClone(patch);
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) out[k] = deepMerge(out[k], v);
  return out;
}

export interface ResolveConfigOptions {
  schema: JsonSchema;
  /** Path of the JSON config file (the full design space). */
  configPath: string;
  /** Applied on top of the file when `smoke` is true (a partial config, merged deeply). */
  smokeConfig?: unknown;
  smoke?: boolean;
  /** Command-line override arguments (runner flags already removed). */
  args?: readonly string[];
}

/**
 * Reads the config file, applies the smoke patch and command-line overrides, and validates the
 * result against the schema. Throws ConfigError listing every problem, each with its source and
 * JSON path. The file is also validated on its own, so an invalid file is reported even when an
 * override would hide the mistake.
 */
export function resolveConfig<C>(options: ResolveConfigOptions): C {
  const { schema, configPath } = options;
  const validate = compileSchema(schema);
  const problems: string[] = [];
  if (!existsSync(configPath)) throw new ConfigError([`${configPath}: file not found`]);
  let fileConfig: unknown;
  try {
    fileConfig = JSON.parse(readFileSync(configPath, "utf8")) as unknown;
  } catch (e) {
    throw new ConfigError([`${configPath}: not valid JSON (${(e as Error).message})`]);
  }
  for (const e of validate(fileConfig)) problems.push(`${configPath} ${e.path}: ${e.message}`);
  const fileIsValid = problems.length === 0;

  const { overrides, problems: argProblems } = parseOverrides(options.args ?? [], schema);
  problems.push(...argProblems);
  if (!fileIsValid) throw new ConfigError(problems);

  let merged = structuredClone(fileConfig);
  const sources: { path: string; label: string }[] = [];
  if (options.smoke) {
    if (options.smokeConfig === undefined)
      throw new ConfigError(["--smoke: this study defines no smoke configuration"]);
    merged = deepMerge(merged, options.smokeConfig);
    for (const key of Object.keys(options.smokeConfig as object)) sources.push({ path: `$.${key}`, label: "--smoke" });
  }
  for (const o of overrides) {
    setAt(merged as Record<string, unknown>, o.path, o.value);
    sources.push({ path: pointerToJsonPath(`/${o.path.join("/")}`), label: o.flag });
  }
  for (const e of validate(merged)) {
    let label = configPath;
    for (const s of sources)
      if (e.path === s.path || e.path.startsWith(`${s.path}.`) || e.path.startsWith(`${s.path}[`)) label = s.label;
    problems.push(`${label} ${e.path}: ${e.message}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return merged as C;
}
