// Issue 11: a cached or written result must never mix runs or outlive the code that made it.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { evaluatePoints, moduleGraph, moduleVersion, recoverOutDir } from "../src/index.ts";
import { runToy, spawnToy, tempDir, toyDir } from "./helpers.ts";

const enospc = fileURLToPath(new URL("./fixtures/enospc.mjs", import.meta.url));
const temporaries = (dir: string) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((n) => /\.(tmp|old)-/.test(n));

/** A small module graph in a temporary folder: ev.ts → lib/helper.ts → data.bin (by URL). */
function graphFixture(): string {
  const dir = tempDir("graph");
  mkdirSync(join(dir, "lib"));
  writeFileSync(
    join(dir, "ev.ts"),
    `import { scale } from "./lib/helper.ts";\nexport function ev(input: { x: number }) { return { y: scale * input.x }; }\n`,
  );
  writeFileSync(
    join(dir, "lib", "helper.ts"),
    `import { readFileSync } from "node:fs";\nexport const scale = 2;\nexport const data = () => readFileSync(new URL("../data.bin", import.meta.url));\n`,
  );
  writeFileSync(join(dir, "data.bin"), "v1");
  writeFileSync(join(dir, "unrelated.ts"), "export const z = 1;\n");
  return dir;
}

describe("cache keys from the import graph", () => {
  it("moduleGraph follows imports and new URL(…, import.meta.url) files, not unrelated files", async () => {
    const dir = graphFixture();
    const g = await moduleGraph([join(dir, "ev.ts")]);
    expect(g.files).toEqual([join(dir, "data.bin"), join(dir, "ev.ts"), join(dir, "lib", "helper.ts")]);
    expect(g.packages).toEqual([]);
  });

  it("moduleVersion changes when an imported file or a file it reads changes, not for an unrelated one", async () => {
    const dir = graphFixture();
    const v1 = await moduleVersion([join(dir, "ev.ts")]);
    writeFileSync(join(dir, "unrelated.ts"), "export const z = 2;\n");
    expect(await moduleVersion([join(dir, "ev.ts")])).toBe(v1);
    writeFileSync(join(dir, "data.bin"), "v2");
    const v2 = await moduleVersion([join(dir, "ev.ts")]);
    expect(v2).not.toBe(v1);
    writeFileSync(
      join(dir, "lib", "helper.ts"),
      readFileSync(join(dir, "lib", "helper.ts"), "utf8").replace("2", "-2"),
    );
    const v3 = await moduleVersion([join(dir, "ev.ts")]);
    expect(v3).not.toBe(v2);
    // remembered versions are recomputed graph and all: a file newly imported by an edit counts from then on
    writeFileSync(
      join(dir, "ev.ts"),
      `import { z } from "./unrelated.ts";\nexport const zz = z;\n${readFileSync(join(dir, "ev.ts"), "utf8")}`,
    );
    const v4 = await moduleVersion([join(dir, "ev.ts")]);
    expect(v4).not.toBe(v3);
    writeFileSync(join(dir, "unrelated.ts"), "export const z = 3;\n");
    expect(await moduleVersion([join(dir, "ev.ts")])).not.toBe(v4);
  });

  it("the same checkout in another folder has the same moduleVersion", async () => {
    const a = graphFixture();
    const b = join(tempDir("graph-copy"), "with space");
    cpSync(a, b, { recursive: true });
    expect(await moduleVersion([join(b, "ev.ts")])).toBe(await moduleVersion([join(a, "ev.ts")]));
  });

  it("evaluatePoints misses after an edit of a file the evaluator imports (no codeVersion given); --no-cache recomputes; a new point leaves the others cached", async () => {
    const dir = graphFixture();
    const cacheDir = join(dir, "cache");
    const run = (xs: number[], noCache = false) =>
      evaluatePoints<{ x: number }, { y: number }>({
        kind: "k",
        points: xs.map((x) => ({ x })),
        evaluator: { module: join(dir, "ev.ts"), name: "ev" },
        cacheDir,
        threads: 0,
        noCache,
        stream: { write: () => true } as unknown as NodeJS.WriteStream,
      });
    expect((await run([1, 2])).computed).toBe(2);
    expect((await run([1, 2])).cached).toBe(2);
    expect(await run([1, 2, 3])).toMatchObject({ cached: 2, computed: 1 });
    expect(await run([1, 2], true)).toMatchObject({ cached: 0, computed: 2 });
    writeFileSync(
      join(dir, "lib", "helper.ts"),
      readFileSync(join(dir, "lib", "helper.ts"), "utf8").replace("2;", "3;"),
    );
    expect(await run([1, 2])).toMatchObject({ cached: 0, computed: 2 });
  });
});

describe("outputs as a set", () => {
  it("--smoke and ad-hoc overrides write out-smoke/ and out-custom/, never the default out/; an override equal to config.json is the default run", () => {
    const dir = tempDir("sets");
    cpSync(join(toyDir, "config.json"), join(dir, "config.json"));
    const cache = ["--cache-dir", join(dir, "c"), "--threads", "0"];
    const toy = (args: string[]) => runToy([...args, ...cache], { TOY_DIR: dir });
    expect(toy([]).status).toBe(0);
    const full = readFileSync(join(dir, "out", "results.json"), "utf8");
    expect(JSON.parse(full).records).toHaveLength(20);
    expect(toy(["--smoke"]).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "out-smoke", "results.json"), "utf8")).records).toHaveLength(2);
    expect(toy(["--xs", "1"]).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "out-custom", "results.json"), "utf8")).records).toHaveLength(4);
    expect(readFileSync(join(dir, "out", "results.json"), "utf8")).toBe(full);
    const same = toy(["--xs", "1,2,3,4,5"]);
    expect(same.stdout).toContain(join(dir, "out", "results.json"));
    expect(temporaries(dir)).toEqual([]);
  });

  it("a failing run (bad record) leaves the previous out/ untouched and no temporary files", () => {
    const dir = tempDir("fail");
    const out = join(dir, "out");
    const common = ["--out", out, "--cache-dir", join(dir, "c"), "--threads", "0"];
    expect(runToy(common).status).toBe(0);
    const before = readdirSync(out).sort();
    const good = readFileSync(join(out, "results.json"));
    const r = runToy([...common, "--label", "other"], { TOY_FAIL_IN_RUN: "1" });
    expect(r.status).toBe(1);
    expect(readdirSync(out).sort()).toEqual(before);
    expect(readFileSync(join(out, "results.json"))).toEqual(good);
    expect(temporaries(dir)).toEqual([]);
  });

  it("what a kill -9 leaves (a new folder half written, or the old set moved aside) is cleaned or put back by the next run", () => {
    const dir = tempDir("recover");
    const out = join(dir, "out");
    const dead = 2 ** 22 + 17; // above pid_max on Linux: never a live process
    mkdirSync(`${out}.tmp-${dead}-0`);
    writeFileSync(`${out}.tmp-${dead}-0/results.json`, "{");
    mkdirSync(`${out}.old-${dead}-1`);
    writeFileSync(`${out}.old-${dead}-1/results.json`, "old");
    recoverOutDir(out);
    expect(readdirSync(dir)).toEqual(["out"]);
    expect(readFileSync(join(out, "results.json"), "utf8")).toBe("old");
  });

  it("a full disk while writing outputs: one line naming the file, exit 2, old out/ kept, no temporary left", () => {
    const dir = tempDir("enospc");
    const out = join(dir, "out");
    const common = ["--out", out, "--cache-dir", join(dir, "c"), "--threads", "0"];
    expect(runToy(common).status).toBe(0);
    const good = readFileSync(join(out, "results.json"));
    const r = runToy([...common, "--label", "other"], {
      NODE_OPTIONS: `--import ${enospc}`,
      ENOSPC_UNDER: `${out}.tmp-`,
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split("\n").at(-1)).toMatch(
      /^toy: file system error, nothing written: cannot write .*out\.tmp-\d+-\d+\/results\.json: ENOSPC/,
    );
    expect(r.stderr).not.toContain("    at ");
    expect(readFileSync(join(out, "results.json"))).toEqual(good);
    expect(temporaries(dir)).toEqual([]);
  });

  it("a full disk or an unusable cache folder while storing results: one line, exit 2, no temporary left", () => {
    const dir = tempDir("store");
    const full = runToy(["--out", join(dir, "out"), "--cache-dir", join(dir, "c"), "--threads", "0"], {
      NODE_OPTIONS: `--import ${enospc}`,
      ENOSPC_UNDER: join(dir, "c"),
    });
    expect(full.status, full.stderr).toBe(2);
    expect(full.stderr).toMatch(
      /file system error, nothing written: cannot write .*\/c\/pair\/[0-9a-f]+\.json\.tmp-\d+-\d+: ENOSPC/,
    );
    expect(full.stderr).not.toContain("    at ");
    expect(existsSync(join(dir, "out"))).toBe(false);
    expect(temporaries(dir)).toEqual([]);
    writeFileSync(join(dir, "afile"), "");
    const notDir = runToy(["--out", join(dir, "out"), "--cache-dir", join(dir, "afile"), "--threads", "0"]);
    expect(notDir.status).toBe(2);
    expect(notDir.stderr).toMatch(/nothing written: cannot write .*afile.*: (ENOTDIR|EEXIST)/);
    expect(notDir.stderr).not.toContain("    at ");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("before a sweep", () => {
  it("prints the number of design points and refuses a grid above the limit without --yes (exit 2, nothing written)", () => {
    const dir = tempDir("grid");
    const xs = Array.from({ length: 400 }, (_, i) => i + 1).join(",");
    const ys = Array.from({ length: 300 }, (_, i) => i + 1).join(",");
    const r = runToy(["--xs", xs, "--ys", ys, "--out", join(dir, "out"), "--cache-dir", join(dir, "c")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("toy: 120000 design points");
    expect(r.stderr).toContain("above the limit of 100000; narrow the lists or add --yes");
    expect(readdirSync(dir)).toEqual([]);
    const small = runToy(["--out", join(dir, "out"), "--cache-dir", join(dir, "c"), "--threads", "0"]);
    expect(small.stderr).toContain("toy: 20 design points, no earlier run to estimate the time from");
    const again = runToy(["--out", join(dir, "out"), "--cache-dir", join(dir, "c"), "--threads", "0"]);
    expect(again.stderr).toMatch(/toy: 20 design points, ~\d+ s at the last run's pace/);
  });

  it("refuses a number in hex or binary notation for a numeric option (Number() would read 0x10 as 16)", () => {
    const dir = tempDir("hex");
    const r = runToy(["--delay-ms", "0x10", "--out", join(dir, "out"), "--cache-dir", join(dir, "c")]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      'toy: invalid configuration, nothing written: --delay-ms $.delayMs: must be integer (got "0x10")',
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("signals", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s stops the run: exit %i, outputs untouched, no temporary files", async (signal, code) => {
    const dir = tempDir("signal");
    const out = join(dir, "out");
    const cache = join(dir, "c");
    const child = spawnToy(["--out", out, "--cache-dir", cache, "--delay-ms", "300", "--threads", "1"]);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    const deadline = Date.now() + 60_000;
    while (!(existsSync(join(cache, "pair")) && readdirSync(join(cache, "pair")).length >= 1) && Date.now() < deadline)
      await sleep(20);
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(existsSync(out)).toBe(false);
    expect(temporaries(dir)).toEqual([]);
  });
});
