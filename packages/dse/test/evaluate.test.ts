import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { closeEvaluationPools, codeVersion, evaluatePoints, EvaluationError } from "../src/index.ts";
import { tempDir, toyDir } from "./helpers.ts";

const module = join(toyDir, "evaluate.ts");
const silent = { write: () => true } as unknown as NodeJS.WriteStream;
const points = [1, 2, 3].flatMap((x) => [10, 20].map((y) => ({ x, y, delayMs: 0 })));

afterEach(() => {
  delete process.env.TOY_LOG;
});

describe("evaluatePoints", () => {
  it("evaluatePoints on 2 worker threads gives the same values, in point order, as in the main thread", async () => {
    const run = (threads: number) =>
      evaluatePoints<(typeof points)[number], { productUnits: number; sumUnits: number }>({
        kind: "pair",
        points,
        evaluator: { module, name: "pair" },
        cacheDir: tempDir("eval"),
        codeVersion: "v",
        threads,
        stream: silent,
      });
    const [pooled, inline] = await Promise.all([run(2), run(0)]);
    expect(pooled.values).toEqual(inline.values);
    expect(pooled.values.map((v) => v.productUnits)).toEqual(points.map((p) => p.x * p.y));
    expect(Object.keys(pooled.values[0]!)).toEqual(["productUnits", "sumUnits"]);
  });

  it("back-to-back calls share one worker pool (loaded modules kept) until it is closed", async () => {
    const run = (xs: number[]) =>
      evaluatePoints<{ x: number }, { x: number; nthInModule: number }>({
        kind: "counted",
        points: xs.map((x) => ({ x })),
        evaluator: { module, name: "counted" },
        cacheDir: tempDir("eval"),
        threads: 1,
        stream: silent,
      });
    await closeEvaluationPools();
    expect((await run([1, 2])).values.map((v) => v.nthInModule)).toEqual([1, 2]);
    // the same worker, its module still loaded: it goes on counting
    expect((await run([3])).values.map((v) => v.nthInModule)).toEqual([3]);
    await closeEvaluationPools();
    expect((await run([4])).values.map((v) => v.nthInModule)).toEqual([1]);
    await closeEvaluationPools();
  });

  it("costOf hands out the most expensive points first (stable for equal costs); values stay in point order", async () => {
    const run = (costOf?: (p: { x: number }) => number) =>
      evaluatePoints<{ x: number }, { x: number; nthInModule: number }>({
        kind: "counted",
        points: [1, 5, 2, 5, 3].map((x, i) => ({ x: x * 10 + i })),
        evaluator: { module, name: "counted" },
        cacheDir: tempDir("eval"),
        threads: 1,
        stream: silent,
        ...(costOf ? { costOf } : {}),
      });
    await closeEvaluationPools();
    const plain = await run();
    expect(plain.values.map((v) => v.nthInModule)).toEqual([1, 2, 3, 4, 5]);
    await closeEvaluationPools();
    const byCost = await run((p) => Math.floor(p.x / 10));
    expect(byCost.values.map((v) => v.x)).toEqual([10, 51, 22, 53, 34]);
    // costs 1 5 2 5 3: the two 5s first in point order, then 3, 2, 1
    expect(byCost.values.map((v) => v.nthInModule)).toEqual([5, 1, 4, 2, 3]);
    await closeEvaluationPools();
  });

  it("evaluatePoints computes points that share inputs once and reuses them across runs", async () => {
    const cacheDir = tempDir("eval");
    const log = join(cacheDir, "log");
    process.env.TOY_LOG = log;
    const options = {
      kind: "single",
      points,
      evaluator: { module, name: "single" },
      cacheDir,
      codeVersion: "v",
      threads: 0,
      stream: silent,
      inputOf: (p: (typeof points)[number]) => ({ x: p.x }),
    };
    const first = await evaluatePoints<(typeof points)[number], { squareUnits: number }, { x: number }>(options);
    expect(first.computed).toBe(3);
    expect(first.values.map((v) => v.squareUnits)).toEqual([1, 1, 4, 4, 9, 9]);
    const second = await evaluatePoints<(typeof points)[number], { squareUnits: number }, { x: number }>(options);
    expect(second).toMatchObject({ computed: 0, cached: 6 });
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual(["single 1", "single 2", "single 3"]);
  });

  it("evaluatePoints keys results by code version and weights hash", async () => {
    const cacheDir = tempDir("eval");
    const base = {
      kind: "single",
      points: [{ x: 2 }],
      evaluator: { module, name: "single" },
      cacheDir,
      threads: 0,
      stream: silent,
    };
    expect((await evaluatePoints({ ...base, codeVersion: "v1" })).computed).toBe(1);
    expect((await evaluatePoints({ ...base, codeVersion: "v1" })).computed).toBe(0);
    expect((await evaluatePoints({ ...base, codeVersion: "v2" })).computed).toBe(1);
    expect((await evaluatePoints({ ...base, codeVersion: "v1", weightsHash: "w" })).computed).toBe(1);
  });

  it("evaluatePoints names the failing point's inputs and keeps the others' results", async () => {
    const cacheDir = tempDir("eval");
    const options = {
      kind: "failing",
      points: [{ x: 1 }, { x: 3 }, { x: 5 }],
      evaluator: { module, name: "failing" },
      cacheDir,
      codeVersion: "v",
      stream: silent,
    };
    for (const threads of [0, 2]) {
      const error = await evaluatePoints({ ...options, threads }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EvaluationError);
      expect((error as Error).message).toBe('failing: evaluation of {"x":3} failed: x = 3 is not allowed');
    }
    expect((await evaluatePoints({ ...options, points: [{ x: 1 }, { x: 5 }], threads: 0 })).cached).toBe(2);
  });

  it("evaluatePoints names the point whose value JSON cannot store, and stores nothing for it", async () => {
    const cacheDir = tempDir("eval");
    const options = {
      kind: "nan",
      points: [{ x: 1 }, { x: 2 }],
      evaluator: { module, name: "nan" },
      cacheDir,
      codeVersion: "v",
      stream: silent,
    };
    for (const threads of [0, 2]) {
      await expect(evaluatePoints({ ...options, threads })).rejects.toThrow(
        'nan: evaluation of {"x":2} failed: returned a value JSON cannot store: $.value is NaN',
      );
    }
    expect((await evaluatePoints({ ...options, points: [{ x: 1 }], threads: 0 })).cached).toBe(1);
  });

  it("evaluatePoints names a missing evaluator export", async () => {
    await expect(
      evaluatePoints({
        kind: "k",
        points: [{ x: 1 }],
        evaluator: { module, name: "nope" },
        cacheDir: tempDir("eval"),
        codeVersion: "v",
        threads: 0,
        stream: silent,
      }),
    ).rejects.toThrow(/no exported function "nope"/);
  });
});

describe("codeVersion", () => {
  it("codeVersion changes when a source file changes and names a missing folder", async () => {
    const { writeFileSync, mkdirSync } = await import("node:fs");
    const dir = tempDir("code");
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "a.ts"), "export const a = 1;\n");
    const v1 = codeVersion([join(dir, "src")]);
    expect(codeVersion([join(dir, "src")])).toBe(v1);
    writeFileSync(join(dir, "src", "a.ts"), "export const a = 2;\n");
    expect(codeVersion([join(dir, "src")])).not.toBe(v1);
    expect(() => codeVersion([join(dir, "missing")])).toThrow(/missing is not a folder/);
  });
});
