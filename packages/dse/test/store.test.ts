import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evaluatePoints, openStore } from "../src/index.ts";
import { tempDir, toyDir } from "./helpers.ts";

const evaluator = { module: join(toyDir, "evaluate.ts"), name: "pair" };
const points = [1, 2, 3, 4, 5].map((x) => ({ x, y: 10, delayMs: 0 }));
const silent = { write: () => true } as unknown as NodeJS.WriteStream;

afterEach(() => {
  delete process.env.TOY_LOG;
});

describe("ResultStore", () => {
  it("store.put then store.get returns the value; an unknown input is a miss", () => {
    const store = openStore<{ a: number }>(tempDir("store"), "kind");
    store.put({ p: 1 }, { a: 2 });
    expect(store.get({ p: 1 })).toEqual({ status: "hit", value: { a: 2 } });
    expect(store.get({ p: 2 })).toEqual({ status: "miss" });
  });

  it("store.keyOf is independent of key order in the inputs", () => {
    const store = openStore(tempDir("store"), "kind");
    expect(store.keyOf({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(store.keyOf({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(store.keyOf({ a: 1 })).not.toBe(store.keyOf({ a: 2 }));
  });

  it.each([
    ["bad JSON", (text: string) => text.slice(0, text.length / 2), /not valid JSON/],
    ["an edited value", (text: string) => text.replace('"a":2', '"a":3'), /checksum mismatch/],
    ["a missing checksum", (text: string) => text.replace(/"checksum":"[0-9a-f]+",/, ""), /no checksum/],
  ])("store.get reports an entry with %s as corrupt", (_what, damage, reason) => {
    const store = openStore(tempDir("store"), "kind");
    store.put({ p: 1 }, { a: 2 });
    const path = store.pathOf(store.keyOf({ p: 1 }));
    writeFileSync(path, damage(readFileSync(path, "utf8")));
    const found = store.get({ p: 1 });
    expect(found.status).toBe("corrupt");
    expect(found.status === "corrupt" && found.reason).toMatch(reason);
    expect(store.verify().corrupt.map((c) => c.key)).toEqual([store.keyOf({ p: 1 })]);
  });

  it("store.get reports an entry stored under another point's file name as corrupt", () => {
    const store = openStore(tempDir("store"), "kind");
    store.put({ p: 1 }, { a: 1 });
    store.put({ p: 2 }, { a: 2 });
    writeFileSync(store.pathOf(store.keyOf({ p: 1 })), readFileSync(store.pathOf(store.keyOf({ p: 2 }))));
    expect(store.get({ p: 1 }).status).toBe("corrupt");
  });

  it("openStore removes temporary files of dead writers but keeps entries", () => {
    const cache = tempDir("store");
    const store = openStore(cache, "kind");
    store.put({ p: 1 }, { a: 1 });
    const stale = join(store.dir, `${store.keyOf({ p: 2 })}.json.tmp-999999999-0`);
    writeFileSync(stale, "{");
    expect(openStore(cache, "kind").keys()).toEqual([store.keyOf({ p: 1 })]);
    expect(store.removeTemporaries()).toBe(0);
  });

  it("openStore rejects a kind that is not a plain name", () => {
    expect(() => openStore(tempDir("store"), "../x")).toThrow(/kind "\.\.\/x"/);
  });
});

describe("evaluatePoints and corrupt entries", () => {
  it("evaluatePoints recomputes exactly the corrupted entries and repairs them", async () => {
    const cacheDir = tempDir("corrupt");
    const options = { kind: "pair", points, evaluator, cacheDir, codeVersion: "v1", threads: 0, stream: silent };
    const first = await evaluatePoints<(typeof points)[number], { productUnits: number }>(options);
    expect(first.computed).toBe(5);
    const store = openStore(cacheDir, "pair");
    const keys = store.keys();
    writeFileSync(store.pathOf(keys[0]!), "{ truncated");
    const second = store.pathOf(keys[1]!);
    writeFileSync(second, readFileSync(second, "utf8").replace(/"productUnits":\d+/, '"productUnits":12345'));

    const log = join(cacheDir, "log");
    process.env.TOY_LOG = log;
    const again = await evaluatePoints<(typeof points)[number], { productUnits: number }>(options);
    expect(again.corrupt).toBe(2);
    expect(again.computed).toBe(2);
    expect(again.cached).toBe(3);
    expect(readFileSync(log, "utf8").trim().split("\n").length).toBe(2);
    expect(again.values.map((v) => v.productUnits)).toEqual([10, 20, 30, 40, 50]);
    expect(store.verify().corrupt).toEqual([]);
  });
});
