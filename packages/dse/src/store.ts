import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { isAtomicTemp, writeFileAtomic } from "./atomic.ts";
import { canonicalJson, contentHash } from "./canonical.ts";

/** What a cache lookup found. */
export type Lookup<V> =
  | { status: "hit"; value: V }
  | { status: "miss" }
  | { status: "corrupt"; reason: string; path: string };

/**
 * A directory of finished results of one evaluation kind (e.g. "accuracy", "cost"), one file per
 * point, named by the SHA-256 of the point's inputs. Each file holds
 * `{ checksum, inputs, key, value }` where checksum = SHA-256 of the canonical JSON of
 * `{ inputs, key, value }`, so a truncated, edited or misplaced entry is detected. Entries are
 * written atomically (temp + rename): a kill -9 leaves whole entries or none.
 */
export class ResultStore<V = unknown> {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** The key of a point: SHA-256 (hex) of the canonical JSON of its inputs. */
  keyOf(inputs: unknown): string {
    return contentHash(inputs);
  }

  pathOf(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  get(inputs: unknown): Lookup<V> {
    const key = this.keyOf(inputs);
    const path = this.pathOf(key);
    if (!existsSync(path)) return { status: "miss" };
    const checked = readEntry<V>(path);
    if (!checked.ok) return { status: "corrupt", reason: checked.reason, path };
    if (checked.entry.key !== key)
      return { status: "corrupt", reason: `entry key ${checked.entry.key} does not match file name ${key}`, path };
    return { status: "hit", value: checked.entry.value };
  }

  put(inputs: unknown, value: V): void {
    const key = this.keyOf(inputs);
    // Round-trip through canonical JSON first so the checksum covers exactly what is stored.
    const body = JSON.parse(canonicalJson({ inputs, key, value })) as { inputs: unknown; key: string; value: V };
    const entry = { checksum: contentHash(body), ...body };
    writeFileAtomic(this.pathOf(key), `${canonicalJson(entry)}\n`);
  }

  /** Keys of all entries on disk (temporary files of killed runs excluded). */
  keys(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((n) => n.endsWith(".json"))
      .map((n) => n.slice(0, -5))
      .sort();
  }

  /** Checks every entry; returns the keys of valid ones and the reasons for the others. */
  verify(): { valid: string[]; corrupt: { key: string; reason: string }[] } {
    const valid: string[] = [];
    const corrupt: { key: string; reason: string }[] = [];
    for (const key of this.keys()) {
      const checked = readEntry(this.pathOf(key));
      if (!checked.ok) corrupt.push({ key, reason: checked.reason });
      else if (checked.entry.key !== key) corrupt.push({ key, reason: "key does not match file name" });
      else valid.push(key);
    }
    return { valid, corrupt };
  }

  /** Removes temporary files left by killed writers (never a finished entry). */
  removeTemporaries(): number {
    if (!existsSync(this.dir)) return 0;
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      if (!isAtomicTemp(name)) continue;
      const pid = Number(/\.tmp-(\d+)-/.exec(name)?.[1]);
      if (pid === process.pid || isAlive(pid)) continue;
      try {
        unlinkSync(join(this.dir, name));
        removed++;
      } catch {
        // another process removed it first
      }
    }
    return removed;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readEntry<V>(path: string): { ok: true; entry: { key: string; value: V } } | { ok: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
  if (parsed === null || typeof parsed !== "object") return { ok: false, reason: "not an object" };
  const { checksum, ...body } = parsed as { checksum?: unknown; key?: unknown; inputs?: unknown; value?: unknown };
  if (typeof checksum !== "string") return { ok: false, reason: "no checksum" };
  if (typeof body.key !== "string" || !("value" in body) || !("inputs" in body))
    return { ok: false, reason: "missing key, inputs or value" };
  let actual: string;
  try {
    actual = contentHash(body);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (actual !== checksum)
    return {
      ok: false,
      reason: `checksum mismatch (stored ${checksum.slice(0, 12)}…, computed ${actual.slice(0, 12)}…)`,
    };
  return { ok: true, entry: body as { key: string; value: V } };
}

/** The store for one evaluation kind under a study's cache folder: `<cacheDir>/<kind>/`. */
export function openStore<V = unknown>(cacheDir: string, kind: string): ResultStore<V> {
  if (!/^[A-Za-z0-9_-]+$/.test(kind)) throw new Error(`openStore: kind "${kind}" must be letters, digits, _ or -`);
  const dir = join(cacheDir, kind);
  mkdirSync(dir, { recursive: true });
  const store = new ResultStore<V>(dir);
  store.removeTemporaries();
  return store;
}
