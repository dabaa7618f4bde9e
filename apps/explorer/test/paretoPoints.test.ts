import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { applyFilter, arithmeticFamily, filterOptions, fullFilter, paretoPoints } from "../src/paretoPoints.ts";
import { accuracyScale } from "../src/format.ts";
import { chartDefaults, fieldsOf, seriesHaveUniqueX, splitByMeasure } from "../src/records.ts";

const read = (study: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "studies", study, "out", "results.json"), "utf8"))
    .records;

describe("pareto points and filters", () => {
  test("filterOptions(fixture points) lists the values present, array sizes by total lanes", () => {
    const { points, dropped } = paretoPoints(read("pareto"));
    expect(points).toHaveLength(80);
    expect(dropped).toBe(0);
    expect(filterOptions(points)).toEqual({
      network: ["fashion-cnn", "lenet5"],
      arithmetic: ["fixed", "sc-bisc"],
      weights: ["trained", "fine-tuned"],
      scenario: ["fixed-precision", "precision-flexible"],
      array: ["M16×P4", "M32×P8"],
      parallelB: [1, 4],
      bits: [4, 6, 8],
      series: ["fixed", "sc-bisc", "sc-bisc (fine-tuned)"],
    });
  });

  test("applyFilter(points, filter) keeps exactly the points matching every field", () => {
    const { points } = paretoPoints(read("pareto"));
    const all = fullFilter(filterOptions(points));
    expect(applyFilter(points, all)).toHaveLength(80);
    const some = applyFilter(points, { ...all, network: ["lenet5"], bitsMin: 6, parallelB: [1] });
    expect(some).toHaveLength(
      points.filter((p) => p.network === "lenet5" && p.bits >= 6 && (Number.isNaN(p.parallelB) || p.parallelB === 1))
        .length,
    );
    expect(some.length).toBe(16); // 2 scenarios × 2 arrays × 2 N × (sc b=1, binary: it has no b)
    expect(applyFilter(points, { ...all, arithmetic: [] })).toHaveLength(0);
  });

  test("paretoPoints(records) drops records without both objectives and names missing fields", () => {
    const r = paretoPoints([{ accuracy: 0.9, gopsPerMm2: 10, network: "n" }, { accuracy: 0.9 }, { gopsPerMm2: "x" }]);
    expect(r.points).toHaveLength(1);
    expect(r.points[0]).toMatchObject({
      network: "n",
      arithmetic: "—",
      design: "binary",
      weights: "trained",
      array: "M?×P?",
    });
    expect(r.dropped).toBe(2);
    expect(paretoPoints([{ accuracy: 1 }]).missingFields).toEqual(["gopsPerMm2"]);
  });

  test("chartDefaults picks each known study's natural axes, and a guess for unknown studies", () => {
    const [error, latency] = splitByMeasure(read("multiplier-error"));
    expect([error.value, error.records.length, latency.value, latency.records.length]).toEqual([
      "error",
      21,
      "latency",
      28,
    ]);
    expect(chartDefaults("multiplier-error", fieldsOf(error.records), "error")).toEqual({
      x: "bits",
      y: "maxAbsErrLsb",
      color: "scheme",
    });
    expect(chartDefaults("multiplier-error", fieldsOf(latency.records), "latency")).toEqual({
      x: "bits",
      y: "meanLatencyCycles",
      color: "parallel",
      facet: "distribution",
      logY: true,
    });
    expect(
      chartDefaults(
        "something-new",
        fieldsOf([
          { size: 1, costUsd: 3, kind: "a" },
          { size: 2, costUsd: 4, kind: "b" },
        ]),
      ),
    ).toEqual({ x: "size", y: "costUsd", color: "kind" });
    expect(chartDefaults("x", fieldsOf([{ name: "only text" }]))).toEqual({
      x: undefined,
      y: undefined,
      color: undefined,
    });
  });

  test("splitByMeasure(records) keeps one part when no measure/kind field tells kinds apart", () => {
    expect(splitByMeasure([{ a: 1 }, { a: 2 }])).toEqual([{ records: [{ a: 1 }, { a: 2 }] }]);
    expect(splitByMeasure([{ measure: "x", a: 1 }, { a: 2 }])).toHaveLength(1); // not in every record
    expect(splitByMeasure([{ kind: "x" }, { kind: "y" }]).map((p) => p.value)).toEqual(["x", "y"]);
    // area-vs-precision: `record` tells lanes from components; `kind` only exists on components.
    const area = [
      { record: "lane", design: "sc" },
      { record: "component", kind: "mux" },
      { record: "component", kind: "counter" },
    ];
    expect(splitByMeasure(area).map((p) => [p.field, p.value, p.records.length])).toEqual([
      ["record", "lane", 1],
      ["record", "component", 2],
    ]);
  });

  test("accuracyScale(values) shows fractions and percentages both in percent", () => {
    expect(accuracyScale([0.5, 0.99])).toEqual({ factor: 100, unit: "%" });
    expect(accuracyScale([9.8, 99.1])).toEqual({ factor: 1, unit: "%" });
    expect(accuracyScale([3, 250])).toEqual({ factor: 1, unit: "" });
  });

  test("seriesHaveUniqueX(records, x, keys) is false when another field varies inside a series", () => {
    const rs = [
      { a: "s", ft: false, n: 4 },
      { a: "s", ft: true, n: 4 },
      { a: "s", ft: false, n: 6 },
    ];
    expect(seriesHaveUniqueX(rs, "n", ["a"])).toBe(false);
    expect(seriesHaveUniqueX(rs, "n", ["a", "ft"])).toBe(true);
  });

  test("arithmeticFamily(name) puts every sc-… arithmetic in SC and the rest in binary", () => {
    expect(["sc-bisc", "sc-lfsr", "SC", "bisc", "fixed", "float32", "scaled-int"].map(arithmeticFamily)).toEqual([
      "SC",
      "SC",
      "SC",
      "SC",
      "binary",
      "binary",
      "binary",
    ]);
  });
});
