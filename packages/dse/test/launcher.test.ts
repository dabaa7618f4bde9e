// Issue 11: the `pnpm study` launcher (scripts/study.ts) forwards SIGINT/SIGTERM to the study's
// process tree and exits only when it has stopped; it works from a checkout whose path holds a
// space; `--out=x` resolves against the user's folder.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir, toyDir, toyStudyFile } from "./helpers.ts";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const dseSrc = fileURLToPath(new URL("../src/index.ts", import.meta.url));
const tsxLoader = pathToFileURL(
  join(fileURLToPath(new URL("..", import.meta.url)), "node_modules", "tsx", "dist", "loader.mjs"),
).href;

/** A checkout at `<tmp>/check out/` holding the launcher and one study "toy" (the dse toy study). */
function checkout(): { root: string; studies: string } {
  const root = join(tempDir("launcher"), "check out");
  mkdirSync(join(root, "scripts"), { recursive: true });
  cpSync(join(repo, "scripts", "study.ts"), join(root, "scripts", "study.ts"));
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"));
  writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
  const studies = join(root, "studies");
  mkdirSync(join(studies, "toy"), { recursive: true });
  cpSync(join(toyDir, "config.json"), join(studies, "toy", "config.json"));
  writeFileSync(
    join(studies, "toy", "study.ts"),
    `import { main } from ${JSON.stringify(dseSrc)};\nimport { toyStudy } from ${JSON.stringify(toyStudyFile)};\nawait main(toyStudy);\n`,
  );
  return { root, studies };
}

function launch(root: string, studies: string, args: string[], cwd: string) {
  const child = spawn(process.execPath, ["--import", tsxLoader, join(root, "scripts", "study.ts"), "toy", ...args], {
    cwd,
    env: { ...process.env, SCCNN_STUDIES_DIR: studies, TOY_DIR: join(studies, "toy"), INIT_CWD: cwd },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe("pnpm study launcher", () => {
  it("runs from a path with a space and resolves --out=rel and --cache-dir rel against the user's folder", async () => {
    const { root, studies } = checkout();
    const user = join(root, "..", "my work");
    mkdirSync(user);
    const run = launch(root, studies, ["--out=res ults", "--cache-dir", "ca che", "--threads", "0"], user);
    expect(await run.exited, run.stderr()).toBe(0);
    expect(existsSync(join(user, "res ults", "results.json"))).toBe(true);
    expect(existsSync(join(user, "ca che", "pair"))).toBe(true);
    expect(existsSync(join(studies, "toy", "res ults"))).toBe(false);
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)(
    "%s to the launcher stops the study before the launcher exits (exit %i), nothing written after",
    async (signal, code) => {
      const { root, studies } = checkout();
      const out = join(root, "..", "out");
      const cache = join(root, "..", "cache");
      const run = launch(
        root,
        studies,
        ["--out", out, "--cache-dir", cache, "--delay-ms", "400", "--threads", "1"],
        root,
      );
      const deadline = Date.now() + 120_000;
      while (
        !(existsSync(join(cache, "pair")) && readdirSync(join(cache, "pair")).length >= 1) &&
        Date.now() < deadline
      )
        await sleep(20);
      run.child.kill(signal);
      expect(await run.exited).toBe(code);
      const entries = readdirSync(join(cache, "pair")).length;
      await sleep(2000); // a study still running would store more points and write out/
      expect(readdirSync(join(cache, "pair")).length).toBe(entries);
      expect(existsSync(out)).toBe(false);
      expect(run.stderr()).toContain(`toy: stopped by ${signal}`);
    },
  );
});
