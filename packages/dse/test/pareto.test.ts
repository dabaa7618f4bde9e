import { Rng } from "@sccnn/sc-core";
import { describe, expect, it } from "vitest";
import { dominates, ParetoArchive, paretoFront, paretoFrontIndices, paretoFrontsBy } from "../src/index.ts";

type P = { id: string; acc: number; opsPerArea: number };
const objectives = [(p: P) => p.acc, (p: P) => p.opsPerArea];
const ids = (ps: P[]) => ps.map((p) => p.id);
const p = (id: string, acc: number, opsPerArea: number): P => ({ id, acc, opsPerArea });

/** Brute-force reference: keep p when no q is >= in both and > in one. */
function referenceFront(items: P[]): string[] {
  return items
    .filter(
      (a) =>
        !items.some(
          (b) => b.acc >= a.acc && b.opsPerArea >= a.opsPerArea && (b.acc > a.acc || b.opsPerArea > a.opsPerArea),
        ),
    )
    .map((a) => a.id);
}

describe("dominates", () => {
  it("dominates is true only for >= in all objectives and > in one", () => {
    expect(dominates([2, 2], [1, 2])).toBe(true);
    expect(dominates([2, 2], [2, 2])).toBe(false);
    expect(dominates([3, 1], [1, 3])).toBe(false);
  });
});

describe("paretoFront", () => {
  it("paretoFront keeps the non-dominated points of a hand-made set, sorted by the first objective", () => {
    const set = [
      p("a", 0.9, 1),
      p("b", 0.95, 0.5),
      p("c", 0.8, 2),
      p("d", 0.85, 0.9),
      p("e", 0.7, 1.5),
      p("f", 0.99, 0.1),
    ];
    // d is dominated by a (0.9 > 0.85, 1 > 0.9); e by c (0.8 > 0.7, 2 > 1.5).
    expect(ids(paretoFront(set, objectives))).toEqual(["c", "a", "b", "f"]);
  });

  it("paretoFront removes a point tied in one objective and worse in the other", () => {
    const set = [p("a", 0.9, 1), p("b", 0.9, 2), p("c", 0.5, 2)];
    expect(ids(paretoFront(set, objectives))).toEqual(["b"]);
  });

  it("paretoFront keeps exact duplicates by default and only the first with duplicates: first", () => {
    const set = [p("a", 0.9, 1), p("b", 0.9, 1), p("c", 0.5, 3), p("d", 0.4, 0.5)];
    expect(ids(paretoFront(set, objectives))).toEqual(["c", "a", "b"]);
    expect(ids(paretoFront(set, objectives, { duplicates: "first" }))).toEqual(["c", "a"]);
  });

  it("paretoFront of an empty set, a single point and all-equal points", () => {
    expect(paretoFront([], objectives)).toEqual([]);
    expect(ids(paretoFront([p("a", 1, 1)], objectives))).toEqual(["a"]);
    expect(paretoFrontIndices([p("a", 1, 1), p("b", 1, 1), p("c", 1, 1)], objectives)).toEqual([0, 1, 2]);
  });

  it("paretoFrontIndices equals a brute-force reference on seeded random sets with ties", () => {
    const rng = new Rng(12345);
    const rand = () => rng.unit();
    for (let trial = 0; trial < 50; trial++) {
      const set = Array.from({ length: 1 + Math.floor(rand() * 30) }, (_, i) =>
        p(`p${i}`, Math.floor(rand() * 6), Math.floor(rand() * 6)),
      );
      expect(paretoFrontIndices(set, objectives).map((i) => set[i]!.id)).toEqual(referenceFront(set));
    }
  });

  it("paretoFront names the item with a non-finite objective", () => {
    expect(() => paretoFront([p("a", 1, 1), p("b", Number.NaN, 1)], objectives)).toThrow(
      "paretoFront: objective 0 of item 1 is NaN",
    );
  });
});

describe("paretoFrontsBy", () => {
  it("paretoFrontsBy computes one front per group, groups in order of first appearance", () => {
    type G = P & { design: string };
    const set: G[] = [
      { ...p("s1", 0.9, 2), design: "sc" },
      { ...p("b1", 0.95, 1), design: "binary" },
      { ...p("s2", 0.8, 1), design: "sc" },
      { ...p("b2", 0.9, 1.5), design: "binary" },
      { ...p("s3", 0.92, 1.5), design: "sc" },
    ];
    const fronts = paretoFrontsBy(set, (x) => x.design, objectives);
    expect([...fronts.keys()]).toEqual(["sc", "binary"]);
    expect(ids(fronts.get("sc")!)).toEqual(["s1", "s3"]);
    expect(ids(fronts.get("binary")!)).toEqual(["b2", "b1"]);
  });
});

describe("ParetoArchive", () => {
  it("ParetoArchive (items offered one by one) keeps the same indices as paretoFrontIndices, with ties, in 2 and 3 objectives", () => {
    let s = 777;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const dims = trial % 2 === 0 ? 2 : 3;
      const set = Array.from({ length: Math.floor(rand() * 60) }, () =>
        Array.from({ length: dims }, () => Math.floor(rand() * 8)),
      );
      const archive = new ParetoArchive();
      for (const v of set) archive.add(v);
      expect(archive.seen).toBe(set.length);
      const objs = Array.from({ length: dims }, (_, j) => (v: number[]) => v[j]!);
      expect(archive.indices()).toEqual(paretoFrontIndices(set, objs));
    }
  });

  it("ParetoArchive names the item with a non-finite objective", () => {
    const archive = new ParetoArchive();
    archive.add([1, 2]);
    expect(() => archive.add([1, Number.POSITIVE_INFINITY])).toThrow(
      "ParetoArchive: objective 1 of item 1 is Infinity",
    );
  });
});
