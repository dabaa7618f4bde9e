import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const SKIPPED = new Set(["node_modules", "out", "dist", "build"]);

function listFiles(root: string, dir: string, into: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".") || SKIPPED.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listFiles(root, path, into);
    else into.push(path);
  }
}

/**
 * The code version of an evaluation: SHA-256 over the relative paths and bytes of every file under
 * the given source folders (hidden folders, node_modules and out/ skipped). Pass the `src/`
 * folders of the packages an evaluation runs, e.g.
 * `codeVersion([new URL("../../packages/sc-core/src", import.meta.url)])`; editing any of them
 * invalidates the cached results of that evaluation only. No folders give one fixed version.
 */
export function codeVersion(dirs: readonly (string | URL)[]): string {
  const hash = createHash("sha256");
  for (const d of dirs) {
    const dir = d instanceof URL ? fileURLToPath(d) : d;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`codeVersion: ${dir} is not a folder`);
    const files: string[] = [];
    listFiles(dir, dir, files);
    hash.update(`dir\u0000${files.length}\u0000`);
    for (const f of files) {
      const bytes = readFileSync(f);
      hash.update(`${relative(dir, f)}\u0000${bytes.length}\u0000`);
      hash.update(bytes);
    }
  }
  return hash.digest("hex");
}
