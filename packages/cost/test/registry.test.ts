import { describe, expect, it } from "vitest";
import { CostRefusal, CostRegistry, NoCostModelError } from "../src/index.ts";
import { fakeModel } from "./fake-model.ts";

describe("CostRegistry", () => {
  it("registry.estimate(q) uses the highest-priority model that accepts", () => {
    const r = new CostRegistry().register(fakeModel("low", 1, "t1", 1)).register(fakeModel("high", 5, "t1", 2));
    expect(r.models().map((m) => m.id)).toEqual(["high", "low"]);
    const c = r.estimate({ kind: "multiplier", bits: 4, technology: "t1" });
    expect(c.model).toBe("high");
    expect(c.areaUm2).toBe(2 * 50 * 16);
  });

  it("registry.estimate(q) falls back to the next model when the first refuses", () => {
    const r = new CostRegistry().register(fakeModel("only-t2", 9, "t2")).register(fakeModel("t1-model", 1, "t1"));
    const c = r.estimate({ kind: "register", widthBits: 5, technology: "t1" });
    expect(c.model).toBe("t1-model");
    expect(c.areaUm2).toBe(40);
  });

  it("registry.estimate(q) throws NoCostModelError listing every refusal with its parameter", () => {
    const r = new CostRegistry().register(fakeModel("a", 2, "t1")).register(fakeModel("b", 1, "t2"));
    let err: unknown;
    try {
      r.estimate({ kind: "register", widthBits: 5, technology: "t3" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NoCostModelError);
    const refusals = (err as NoCostModelError).refusals;
    expect(refusals.map((x) => [x.model, x.parameter])).toEqual([
      ["a", "technology"],
      ["b", "technology"],
    ]);
    expect((err as Error).message).toMatch(/technology = "t3"/);
  });

  it("registry.estimate(q, { model }) does not fall back and rejects unknown ids", () => {
    const r = new CostRegistry().register(fakeModel("a", 2, "t1")).register(fakeModel("b", 1, "t2"));
    expect(() => r.estimate({ kind: "register", widthBits: 5, technology: "t2" }, { model: "a" })).toThrow(
      NoCostModelError,
    );
    expect(() => r.estimate({ kind: "register", widthBits: 5 }, { model: "zzz" })).toThrow(/options.model "zzz"/);
  });

  it("registry.estimate propagates errors that are not refusals", () => {
    const broken = {
      ...fakeModel("x", 3, "t1"),
      estimate: () => {
        throw new TypeError("bug");
      },
    };
    const r = new CostRegistry().register(broken).register(fakeModel("y", 1, "t1"));
    expect(() => r.estimate({ kind: "register", widthBits: 1, technology: "t1" })).toThrow(TypeError);
  });

  it("registry.register rejects a duplicate id", () => {
    const r = new CostRegistry().register(fakeModel("a", 2, "t1"));
    expect(() => r.register(fakeModel("a", 1, "t1"))).toThrow(/already registered/);
  });

  it("new CostRefusal names model, parameter and value in its message", () => {
    const e = new CostRefusal("m", "bits", 40, "beyond the table");
    expect(e.message).toBe('cost model "m" refuses bits = 40: beyond the table');
  });
});
