import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { codeVersion } from "./code-version.ts";

/** What a set of entry modules runs: their workspace files and the npm packages they import. */
export interface ModuleGraph {
  /**
   * Absolute paths of every workspace source file in the import graph (workspace packages are
   * followed through their `@sccnn/*` links), plus every file a graph file names as
   * `new URL("<literal>", import.meta.url)` (a `.wasm` kernel, a worker entry, whose own imports
   * are followed too). Sorted.
   */
  files: string[];
  /** npm packages imported from the graph (not followed): `name@version`, sorted. */
  packages: string[];
}

const toPath = (p: string | URL): string =>
  p instanceof URL ? fileURLToPath(p) : p.startsWith("file:") ? fileURLToPath(p) : resolve(p);

/** The package name of a bare specifier: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** The version of npm package `name` as seen from `fromDir` (node_modules lookup upwards). */
function packageVersion(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const pkg = join(dir, "node_modules", name, "package.json");
    if (existsSync(pkg)) {
      try {
        return String((JSON.parse(readFileSync(pkg, "utf8")) as { version?: unknown }).version ?? "?");
      } catch {
        return "unreadable";
      }
    }
    if (dirname(dir) === dir) return "unresolved";
  }
}

const URL_LITERAL = /new URL\(\s*(["'`])([^"'`$]+)\1\s*,\s*import\.meta\.url\s*\)/g;
const MODULE_FILE = /\.(m?[jt]sx?|cjs|cts|mts)$/;

/**
 * The import graph of `entries` (TypeScript or JavaScript modules), found by esbuild's resolver:
 * workspace packages (`@sccnn/*`) and relative imports are followed, other bare specifiers and
 * `node:` built-ins are recorded (with the installed version) but not followed. Nothing is written.
 */
export async function moduleGraph(entries: readonly (string | URL)[]): Promise<ModuleGraph> {
  if (entries.length === 0) throw new Error("moduleGraph: give at least one entry module");
  const files = new Set<string>();
  const packages = new Set<string>();
  const plugin: Plugin = {
    name: "sccnn-externals",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isAbsolute(args.path) || args.path.startsWith("@sccnn/")) return undefined;
        if (args.path.startsWith("node:")) return { path: args.path, external: true };
        const name = packageName(args.path);
        const version = packageVersion(name, args.resolveDir || dirname(args.importer));
        // Node built-ins imported without the node: prefix resolve to no package; keep the name.
        packages.add(version === "unresolved" ? `${name}@builtin-or-missing` : `${name}@${version}`);
        return { path: args.path, external: true };
      });
    },
  };
  let queue = entries.map(toPath);
  const seenEntries = new Set<string>();
  while (queue.length > 0) {
    const batch = queue.filter((e) => !seenEntries.has(e));
    queue = [];
    if (batch.length === 0) break;
    for (const e of batch) {
      if (!existsSync(e)) throw new Error(`moduleGraph: ${e} does not exist`);
      seenEntries.add(e);
    }
    const result = await build({
      entryPoints: batch,
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      logLevel: "silent",
      outdir: "/nonexistent-esbuild-out",
      plugins: [plugin],
      loader: { ".wasm": "empty", ".node": "empty", ".json": "json" },
    });
    for (const input of Object.keys(result.metafile.inputs)) {
      const path = resolve(input);
      if (files.has(path)) continue;
      files.add(path);
      if (!MODULE_FILE.test(path)) continue;
      const text = readFileSync(path, "utf8");
      for (const m of text.matchAll(URL_LITERAL)) {
        const target = resolve(dirname(path), m[2]!);
        if (!existsSync(target) || !statSync(target).isFile()) continue; // folders: data the caller names
        files.add(target);
        if (MODULE_FILE.test(target) && !seenEntries.has(target)) queue.push(target);
      }
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

/**
 * The code version of an evaluation, derived from what it really runs: SHA-256 over the bytes of
 * every file in the import graph of `entries` (see moduleGraph), the versions of the npm packages
 * they import, and the bytes of each extra data/weight file in `files` (a folder there hashes all
 * the files under it). Paths are hashed relative to `root` (default: the deepest common folder), so
 * the same checkout in another place gives the same version.
 */
export async function moduleVersion(
  entries: readonly (string | URL)[],
  options: { files?: readonly (string | URL)[]; root?: string | URL } = {},
): Promise<string> {
  const extra = (options.files ?? []).map(toPath);
  for (const f of extra) if (!existsSync(f)) throw new Error(`moduleVersion: ${f} does not exist`);
  const key = JSON.stringify([entries.map(toPath), extra, options.root ? toPath(options.root) : null]);
  const known = versions.get(key);
  if (known && stamps(known.files) === known.stamps) return known.version;
  const graph = await moduleGraph(entries);
  const all = [...new Set([...graph.files, ...extra])].sort();
  const root = options.root ? toPath(options.root) : commonDir(all);
  const hash = createHash("sha256");
  hash.update(`packages\u0000${graph.packages.join("\u0000")}\u0000`);
  for (const f of all) {
    const bytes = statSync(f).isDirectory() ? Buffer.from(codeVersion([f])) : readFileSync(f);
    hash.update(`${relative(root, f)}\u0000${bytes.length}\u0000`);
    hash.update(bytes);
  }
  const version = hash.digest("hex");
  // a folder's mtime does not see edits below it: only file-only graphs are remembered
  if (all.every((f) => statSync(f).isFile())) versions.set(key, { version, files: all, stamps: stamps(all) });
  return version;
}

/**
 * Versions computed in this process, with the size and modification time of every file they
 * covered: a study evaluating round by round asks for the same version many times, and each walk
 * of the import graph runs esbuild (~0.2 s). Reused only while every one of those files is
 * unchanged (an edit, which changes its mtime, or a deleted file recomputes the whole version,
 * graph included: a new import can only come from an edited file).
 */
const versions = new Map<string, { version: string; files: string[]; stamps: string }>();

function stamps(files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        const st = statSync(f);
        return `${st.size}:${st.mtimeMs}`;
      } catch {
        return "missing";
      }
    })
    .join("|");
}

function commonDir(paths: readonly string[]): string {
  if (paths.length === 0) return "/";
  let dir = dirname(paths[0]!);
  for (const p of paths) while (!`${p}/`.startsWith(`${dir}/`) && dir !== "/") dir = dirname(dir);
  return dir;
}
