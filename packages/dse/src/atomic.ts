import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

let sequence = 0;

/**
 * Writes a file so that readers (and a rerun after kill -9) see either the old content or the
 * whole new content, never a prefix: write a temporary sibling, fsync it, rename over the target.
 * Temporary names carry the pid (`<name>.tmp-<pid>-<n>`) so leftovers of a killed run are
 * recognisable.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${sequence++}`;
  const fd = openSync(tmp, "w");
  try {
    try {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    // ENOSPC, EIO, a read-only remount: leave no temporary behind.
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** True for a temporary file written by writeFileAtomic. */
export function isAtomicTemp(name: string): boolean {
  return /\.tmp-\d+-\d+$/.test(name);
}
