import { describe, expect, it } from "vitest";
import { runPlan, runScheduled } from "../src/run-plan.ts";

const config = {
  studies: ["accuracy-vs-precision", "pareto", "fault-tolerance"],
  run: true,
  shareAccuracy: true,
  studyArgs: { pareto: ["--bits", "2,3"], "accuracy-vs-precision": ["--bits", "2,3"] },
};
const ctx = { smoke: false, studiesDir: "/s", cacheDir: "/s/paper/.cache", outRoot: null };

describe("runPlan", () => {
  it("runPlan sends studies with overrides to the paper's cache and the others to their own out/", () => {
    const p = runPlan(config, ctx);
    expect(p.outDirOf("pareto")).toBe("/s/paper/.cache/runs/pareto");
    expect(p.outDirOf("fault-tolerance")).toBe("/s/fault-tolerance/out");
    expect(p.argsOf("fault-tolerance", true)).toEqual([]);
  });

  it("runPlan gives pareto --accuracy-from (relative to its folder) only when accuracy-vs-precision ran first and succeeded", () => {
    const p = runPlan(config, ctx);
    expect(p.argsOf("pareto", true)).toEqual([
      "--bits",
      "2,3",
      "--accuracy-from",
      "../paper/.cache/runs/accuracy-vs-precision/results.json",
    ]);
    expect(p.argsOf("pareto", false)).toEqual(["--bits", "2,3"]);
    expect(runPlan({ ...config, shareAccuracy: false }, ctx).argsOf("pareto", true)).toEqual(["--bits", "2,3"]);
    expect(runPlan({ ...config, studies: ["pareto", "accuracy-vs-precision"] }, ctx).argsOf("pareto", true)).toEqual([
      "--bits",
      "2,3",
    ]);
  });

  it("runPlan gives mixed-precision --accuracy-from (relative to its folder) on the same terms as pareto", () => {
    const c = { ...config, studies: ["accuracy-vs-precision", "mixed-precision", "pareto"] };
    const p = runPlan(c, ctx);
    expect(p.argsOf("mixed-precision", true)).toEqual([
      "--accuracy-from",
      "../paper/.cache/runs/accuracy-vs-precision/results.json",
    ]);
    expect(p.dependsOn("mixed-precision")).toEqual(["accuracy-vs-precision"]);
    expect(p.argsOf("mixed-precision", false)).toEqual([]);
    expect(runPlan({ ...c, shareAccuracy: false }, ctx).argsOf("mixed-precision", true)).toEqual([]);
    const later = runPlan({ ...c, studies: ["mixed-precision", "accuracy-vs-precision"] }, ctx);
    expect(later.argsOf("mixed-precision", true)).toEqual([]);
    expect(later.dependsOn("mixed-precision")).toEqual([]);
    expect(runPlan(c, { ...ctx, smoke: true }).argsOf("mixed-precision", true)).toEqual([]);
  });

  it("runPlan links pareto to mixed-precision's results and fault-tolerance to pareto's headline designs when those ran first and succeeded", () => {
    const c = { ...config, studies: ["mixed-precision", "pareto", "fault-tolerance"] };
    const p = runPlan(c, ctx);
    expect(p.argsOf("pareto", false, (s) => s === "mixed-precision")).toEqual([
      "--bits",
      "2,3",
      "--mixed-precision-from",
      "../mixed-precision/out/results.json",
    ]);
    expect(p.argsOf("fault-tolerance", false, (s) => s === "pareto")).toEqual([
      "--designs-from",
      "../paper/.cache/runs/pareto/headline.csv",
    ]);
    expect(p.argsOf("fault-tolerance", false, () => false)).toEqual([]);
    expect(
      runPlan({ ...c, studies: ["fault-tolerance", "pareto"] }, ctx).argsOf("fault-tolerance", true, () => true),
    ).toEqual([]);
    expect(runPlan(c, { ...ctx, smoke: true }).argsOf("fault-tolerance", true, () => true)).toEqual([]);
  });

  it("runPlan applies no overrides at --smoke and honours --study-out-root", () => {
    const smoke = runPlan(config, { ...ctx, smoke: true });
    expect(smoke.argsOf("pareto", true)).toEqual([]);
    expect(smoke.outDirOf("pareto")).toBe("/s/pareto/out-smoke");
    expect(runPlan(config, { ...ctx, outRoot: "/tmp/o" }).outDirOf("pareto")).toBe("/tmp/o/pareto");
  });

  it("dependsOn names the studies whose outputs a study reads, none at --smoke or when they run later", () => {
    const all = {
      ...config,
      studies: ["multiplier-error", "accuracy-vs-precision", "mixed-precision", "pareto", "fault-tolerance"],
    };
    const p = runPlan(all, ctx);
    expect(p.dependsOn("pareto")).toEqual(["accuracy-vs-precision", "mixed-precision"]);
    expect(p.dependsOn("fault-tolerance")).toEqual(["pareto"]);
    expect(p.dependsOn("multiplier-error")).toEqual([]);
    expect(p.dependsOn("accuracy-vs-precision")).toEqual([]);
    expect(runPlan(all, { ...ctx, smoke: true }).dependsOn("pareto")).toEqual([]);
    expect(runPlan({ ...all, studies: ["fault-tolerance", "pareto"] }, ctx).dependsOn("fault-tolerance")).toEqual([]);
  });

  it("runScheduled starts a job only after its dependencies ended and never runs more than the limit at once", async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const job = (name: string, deps: string[], ms: number) => ({
      name,
      deps,
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        running--;
        return name.toUpperCase();
      },
    });
    const out = await runScheduled(
      [job("a", [], 30), job("b", [], 5), job("c", ["a"], 5), job("d", ["c", "unknown"], 5), job("e", [], 5)],
      2,
    );
    expect(peak).toBe(2);
    expect([...out.keys()].sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect(out.get("d")).toBe("D");
    expect(log.indexOf("start c")).toBeGreaterThan(log.indexOf("end a"));
    expect(log.indexOf("start d")).toBeGreaterThan(log.indexOf("end c"));
    // e needs nothing: it runs beside a while a is still going
    expect(log.indexOf("start e")).toBeLessThan(log.indexOf("end a"));
  });

  it("an exclusive job runs alone and is not overtaken while it waits; the others still run two at a time", async () => {
    const log: string[] = [];
    let running = 0;
    const overlaps: string[] = [];
    const job = (name: string, deps: string[], ms: number, exclusive = false) => ({
      name,
      deps,
      exclusive,
      run: async () => {
        running++;
        if (
          running > 1 &&
          (exclusive || log.some((l) => l.startsWith("start X") && !log.includes(`end ${l.slice(6)}`)))
        )
          overlaps.push(name);
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        running--;
        return name;
      },
    });
    await runScheduled(
      [
        job("a", [], 20),
        job("X1", [], 10, true),
        job("b", [], 5),
        job("c", [], 5),
        job("X2", ["c"], 10, true),
        job("d", [], 5),
      ],
      2,
    );
    expect(overlaps, log.join(", ")).toEqual([]);
    // X1, ready, waits for a alone (b does not start beside a); then b and c run together; d, ready
    // while X2 still waits for c, starts when b ends; X2 runs once c and d have ended
    expect(log.join(", ")).toBe(
      "start a, end a, start X1, end X1, start b, start c, end b, start d, end c, end d, start X2, end X2",
    );
  });
});
