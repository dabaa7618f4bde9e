import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Which output folder a run writes to when no `--out` is given:
 * - `default`: the study's own config.json, unchanged → `out/` (what the README, the explorer and
 *   the paper read);
 * - `smoke`: `--smoke` → `out-smoke/`;
 * - `custom`: any override or `--config` that changes the configuration → `out-custom/`.
 * So a smoke or ad-hoc run never replaces the default run's results.
 */
export type RunKind = "default" | "smoke" | "custom";

export function defaultOutDir(studyDir: string, kind: RunKind): string {
  return join(studyDir, kind === "default" ? "out" : `out-${kind}`);
}

let sequence = 0;
/** Temporary folders and files of this process still on disk (removed on failure and on signals). */
const live = new Set<string>();

/** Removes every temporary folder/file this process still has (for exit paths: errors, SIGINT/SIGTERM). */
export function removeLiveTemporaries(): void {
  for (const p of live) {
    rmSync(p, { recursive: true, force: true });
    live.delete(p);
  }
}

const TEMP = /^(.*)\.(tmp|old)-(\d+)-\d+$/;

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Cleans what killed runs (kill -9, power loss) left beside `outDir`: `<out>.tmp-<pid>-<n>` folders
 * of dead processes are removed; an `<out>.old-<pid>-<n>` folder (a run killed between its two
 * renames) is put back as `<out>` when `<out>` is missing, removed otherwise.
 */
export function recoverOutDir(outDir: string): void {
  const parent = dirname(outDir);
  const base = basename(outDir);
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent).sort()) {
    const m = TEMP.exec(name);
    if (!m || m[1] !== base || isAlive(Number(m[3]))) continue;
    const path = join(parent, name);
    if (m[2] === "old" && !existsSync(outDir)) renameSync(path, outDir);
    else rmSync(path, { recursive: true, force: true });
  }
}

/**
 * A new temporary folder name beside `outDir` (`<out>.tmp-<pid>-<n>`), tracked so that every exit
 * path removes it (removeLiveTemporaries) and the next run after a kill -9 does (recoverOutDir).
 */
export function temporaryBeside(outDir: string): string {
  recoverOutDir(outDir);
  const path = `${outDir}.tmp-${process.pid}-${sequence++}`;
  live.add(path);
  return path;
}

/** Stops tracking a temporary the caller has removed (or renamed into place). */
export function forgetTemporary(path: string): void {
  live.delete(path);
}

/** The bytes of an output file: text, bytes, or text produced a chunk at a time (written as it comes, never held whole). */
export type FileData = string | Uint8Array | Iterable<string>;

function writeWhole(path: string, data: FileData): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "w");
  try {
    const write = (bytes: Uint8Array) => {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    };
    if (typeof data === "string") write(Buffer.from(data, "utf8"));
    else if (data instanceof Uint8Array) write(data);
    else for (const chunk of data) write(Buffer.from(chunk, "utf8"));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces the folder `outDir` by exactly `files` (relative path → bytes), as a set: everything is
 * written into a new sibling folder `<out>.tmp-<pid>-<n>`, which is renamed into place only when
 * complete (the previous folder is moved aside first and removed after). Readers see the old set
 * or the new one, never a mix; on any error the new folder is removed and the old one kept; a
 * kill -9 leaves at most a temporary sibling that the next run cleans (recoverOutDir).
 */
export function writeOutputSet(outDir: string, files: readonly (readonly [string, FileData])[]): void {
  mkdirSync(dirname(outDir), { recursive: true });
  const tmp = temporaryBeside(outDir);
  const old = tmp.replace(/\.tmp-(\d+-\d+)$/, ".old-$1");
  try {
    mkdirSync(tmp);
    for (const [name, data] of files) writeWhole(join(tmp, name), data);
    if (existsSync(outDir)) {
      live.add(old);
      renameSync(outDir, old);
      try {
        renameSync(tmp, outDir);
      } catch (e) {
        renameSync(old, outDir);
        throw e;
      }
    } else renameSync(tmp, outDir);
    live.delete(tmp);
    rmSync(old, { recursive: true, force: true });
    live.delete(old);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    live.delete(tmp);
    live.delete(old);
    throw e;
  }
}
