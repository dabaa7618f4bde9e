import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ParetoConfig } from "../src/config.ts";
import { networkAvailability } from "@sccnn/zoo";
import { planPoints } from "../src/plan.ts";

const config = JSON.parse(readFileSync(new URL("../config.json", import.meta.url), "utf8")) as ParetoConfig;

describe("networkAvailability", () => {
  it("networkAvailability(id, missing checkpoint) is unavailable with a reason naming the file and the train command", () => {
    const a = networkAvailability("fashion-cnn", "/nonexistent/fashion-cnn.ckpt");
    expect(a.available).toBe(false);
    expect(!a.available && a.reason).toContain("/nonexistent/fashion-cnn.ckpt is missing");
    expect(!a.available && a.reason).toContain("pnpm train fashion-cnn");
  });

  it("networkAvailability('lenet5') is available with the SHA-256 of the committed checkpoint", () => {
    const a = networkAvailability("lenet5");
    expect(a.available && a.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("planPoints", () => {
  it("planPoints(…) skips an unavailable network with its reason and plans float32 + each baseline's arithmetic + SC per N for the others (each accuracy once), costs once per (N, weights)", () => {
    const c: ParetoConfig = {
      ...config,
      networks: ["lenet5", "fashion-cnn"],
      bits: [3, 5],
      useFineTuned: false,
      conventionalSngs: ["lfsr", "sobol"],
    };
    const plan = planPoints(c, "t".repeat(64), (n) =>
      n === "lenet5"
        ? { network: n, available: true, weightsSha256: "a".repeat(64) }
        : { network: n, available: false, reason: "no weights here" },
    );
    expect(plan.skipped).toEqual([{ network: "fashion-cnn", reason: "no weights here" }]);
    expect(plan.networks[1]).toBeNull();
    const lenet = plan.networks[0]!;
    // exact, bit-serial and bit-fusion share the fixed accuracy; iso-bisc is SC's (bit-identical)
    expect(lenet.accuracy.map((a) => [a.arithmetic, a.bits])).toEqual([
      ["float32", null],
      ...[3, 5].flatMap((n) => [
        ["fixed", n],
        ["sc-bisc", n],
        ["fixed-trunc-g0", n],
        ["fixed-trunc-g1", n],
        ["fixed-trunc-g2", n],
        ["sc-lfsr", n],
        ["sc-sobol", n],
      ]),
    ]);
    expect(lenet.accuracy[lenet.floatIndex]!.arithmetic).toBe("float32");
    expect(lenet.cost.map((x) => x.bits)).toEqual([3, 5]);
    const arithmeticOf = (v: (typeof lenet.variants)[number]) => lenet.accuracy[v.accuracyIndex]!.arithmetic;
    expect(lenet.variants.map((v) => [v.design, v.baseline, arithmeticOf(v), v.bits, v.costIndex])).toEqual(
      [3, 5].flatMap((n, i) => [
        ["binary", "exact", "fixed", n, i],
        ["binary", "iso-bisc", "sc-bisc", n, i],
        ["binary", "bit-serial", "fixed", n, i],
        ["binary", "bit-fusion", "fixed", n, i],
        ["binary", "trunc-g0", "fixed-trunc-g0", n, i],
        ["binary", "trunc-g1", "fixed-trunc-g1", n, i],
        ["binary", "trunc-g2", "fixed-trunc-g2", n, i],
        ["sc", null, "sc-bisc", n, i],
        ["sc", null, "sc-lfsr", n, i],
        ["sc", null, "sc-sobol", n, i],
      ]),
    );
    for (const a of lenet.accuracy) expect(a.weightsSha256).toBe("a".repeat(64));
  });
});
