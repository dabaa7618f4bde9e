import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { ResultStore } from "../src/index.ts";
import { runToy, spawnToy, tempDir } from "./helpers.ts";

function finishedInputs(store: ResultStore): string[] {
  return store.verify().valid.map((key) => {
    const entry = JSON.parse(readFileSync(store.pathOf(key), "utf8")) as {
      inputs: { input: { x: number; y: number } };
    };
    return `pair ${entry.inputs.input.x} ${entry.inputs.input.y}`;
  });
}

describe("resume after kill -9", () => {
  it("a study killed with SIGKILL mid-run resumes without recomputing finished points or leaving corrupt entries", async () => {
    const dir = tempDir("resume");
    const cache = join(dir, "cache");
    const out = join(dir, "out");
    const args = [
      "--out",
      out,
      "--cache-dir",
      cache,
      "--xs",
      "1,2,3,4,5,6,7,8",
      "--ys",
      "10,20,30",
      "--delay-ms",
      "200",
      "--threads",
      "2",
    ];
    const total = 24;
    const store = new ResultStore(join(cache, "pair"));

    const child = spawnToy(args);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    // generous: on a loaded machine the child takes tens of seconds to start (tsx, the module graph)
    const deadline = Date.now() + 150_000;
    while (store.keys().length < 4 && Date.now() < deadline) await sleep(10);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const checked = store.verify();
    expect(checked.corrupt).toEqual([]);
    const before = finishedInputs(store);
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(before.length).toBeLessThan(total);
    expect(existsSync(join(out, "results.json"))).toBe(false);

    const log = join(dir, "rerun.log");
    const r = runToy(args, { TOY_LOG: log });
    expect(r.status, r.stderr).toBe(0);
    const recomputed = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("pair "));
    expect(recomputed.length).toBe(total - before.length);
    expect(recomputed.filter((l) => before.includes(l))).toEqual([]);
    expect(store.verify()).toEqual({ valid: store.keys(), corrupt: [] });
    expect(store.keys().length).toBe(total);
    expect(readdirSync(join(cache, "pair")).filter((n) => n.includes(".tmp-"))).toEqual([]);
    const records = (
      JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
        records: { x: number; y: number; productUnits: number }[];
      }
    ).records;
    expect(records.length).toBe(total);
    for (const rec of records) expect(rec.productUnits).toBe(rec.x * rec.y);
  });
});
