import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
/**
 * Studies run as `node --import tsx study.ts`: one process (the tsx CLI would start node as a
 * grandchild, which a SIGKILL of the child would not reach).
 */
const nodeArgs = ["--import", "tsx"];
export const toyStudyFile = fileURLToPath(new URL("./fixtures/toy-study/study.ts", import.meta.url));
export const toyDir = fileURLToPath(new URL("./fixtures/toy-study/", import.meta.url));

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `dse-${prefix}-`));
}

/** Runs the toy study as a child process (as `pnpm study` would) and returns its exit code and output. */
export function runToy(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...nodeArgs, toyStudyFile, ...args], {
    cwd: packageDir,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function spawnToy(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [...nodeArgs, toyStudyFile, ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
