import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Plug-ins are workspace packages that say what they provide in their package.json:
 *
 * ```json
 * "sccnn": { "costModel": { "id": "analytic", "timing": false } }
 * "sccnn": { "network": { "id": "tiny-mlp" } }
 * ```
 *
 * The package's main export (`exports["."]`) is then imported by the registry of that kind (the
 * cost registry in @sccnn/cost, the network registry in @sccnn/zoo). Nothing else names the
 * package: adding one to the workspace is enough for every study to offer it.
 */
export type PluginKind = "costModel" | "network";

export interface WorkspacePackage {
  /** npm name, e.g. "@sccnn/cost-analytic". */
  name: string;
  /** Absolute folder of the package. */
  dir: string;
  /** Parsed package.json. */
  manifest: Record<string, unknown>;
}

export interface Plugin {
  kind: PluginKind;
  /** The id studies and configs use ("analytic", "lenet5", …). */
  id: string;
  /** Everything the package.json field says (id included). */
  declaration: Record<string, unknown>;
  package: WorkspacePackage;
  /** Absolute path of the package's main module. */
  entry: string;
}

/** The folder holding pnpm-workspace.yaml, searched upwards from `from` (default: this package). */
export function workspaceRoot(from: string = fileURLToPath(new URL(".", import.meta.url))): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`workspaceRoot: no pnpm-workspace.yaml above ${from}`);
  }
}

/** The `packages:` globs of pnpm-workspace.yaml ("packages/*", "apps/x"; "!…" exclusions dropped). */
export function workspaceGlobs(root: string): string[] {
  const text = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const globs: string[] = [];
  let inPackages = false;
  for (const line of text.split("\n")) {
    if (/^\S/.test(line)) inPackages = /^packages\s*:/.test(line);
    else if (inPackages) {
      const m = /^\s+-\s*["']?([^"'#\s]+)["']?/.exec(line);
      if (m && !m[1]!.startsWith("!")) globs.push(m[1]!);
    }
  }
  return globs;
}

/** Every workspace package (folders matched by the globs that hold a package.json), sorted by folder. */
export function workspacePackages(root: string = workspaceRoot()): WorkspacePackage[] {
  const dirs: string[] = [];
  for (const glob of workspaceGlobs(root)) {
    if (glob.endsWith("/*")) {
      const parent = join(root, glob.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const name of readdirSync(parent).sort())
        if (!name.startsWith(".") && statSync(join(parent, name)).isDirectory()) dirs.push(join(parent, name));
    } else if (!glob.includes("*")) dirs.push(join(root, glob));
    else throw new Error(`pnpm-workspace.yaml: glob ${glob} not supported (use "dir/*" or a folder)`);
  }
  const out: WorkspacePackage[] = [];
  for (const dir of dirs.sort()) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${file}: not JSON (${(e as Error).message})`);
    }
    out.push({ name: String(manifest.name ?? dir), dir, manifest });
  }
  return out;
}

function mainEntry(pkg: WorkspacePackage): string {
  const exp = pkg.manifest.exports;
  const rel =
    typeof exp === "string"
      ? exp
      : exp && typeof exp === "object" && typeof (exp as Record<string, unknown>)["."] === "string"
        ? ((exp as Record<string, unknown>)["."] as string)
        : typeof pkg.manifest.main === "string"
          ? pkg.manifest.main
          : undefined;
  if (!rel) throw new Error(`${join(pkg.dir, "package.json")}: a plug-in needs exports["."] (its main module)`);
  return join(pkg.dir, rel);
}

/**
 * The plug-ins of one kind, sorted by id. A declaration without a string id, or two packages
 * declaring the same id, is an error naming the package.json files.
 */
export function workspacePlugins(kind: PluginKind, root?: string): Plugin[] {
  const found: Plugin[] = [];
  for (const pkg of workspacePackages(root)) {
    const field = (pkg.manifest.sccnn as Record<string, unknown> | undefined)?.[kind];
    if (field === undefined) continue;
    const where = `${join(pkg.dir, "package.json")}: /sccnn/${kind}`;
    if (!field || typeof field !== "object" || Array.isArray(field)) throw new Error(`${where} must be an object`);
    const declaration = field as Record<string, unknown>;
    if (typeof declaration.id !== "string" || !/^[a-z0-9][a-z0-9._-]*$/.test(declaration.id))
      throw new Error(
        `${where}/id must be a lower-case id (letters, digits, . _ -), got ${JSON.stringify(declaration.id)}`,
      );
    const twin = found.find((p) => p.id === declaration.id);
    if (twin)
      throw new Error(`${where}/id "${declaration.id}" is also declared by ${join(twin.package.dir, "package.json")}`);
    found.push({ kind, id: declaration.id, declaration, package: pkg, entry: mainEntry(pkg) });
  }
  return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Imports a plug-in's main module. */
export async function importPlugin(plugin: Plugin): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(plugin.entry).href)) as Record<string, unknown>;
}

/**
 * How to run pnpm from a script: the pnpm that runs us (`npm_execpath`, a script node runs or
 * pnpm's own executable) when there is one, else `pnpm` on PATH. Returns [command, leading args].
 */
export function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (!execPath || !/pnpm/.test(execPath)) return ["pnpm", []];
  return /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath]] : [execPath, []];
}
