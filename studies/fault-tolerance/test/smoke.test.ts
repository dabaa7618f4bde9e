import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runStudy } from "@sccnn/dse";
import { faultToleranceStudy, seriesOf, type FaultToleranceConfig } from "../study.ts";

const tmp = mkdtempSync(join(tmpdir(), "fault-tolerance-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Rec = Record<string, unknown>;

describe("fault-tolerance study", () => {
  it("seriesOf(config.json) has one series per design pair × (SC sites at the SC design's N and b + binary sites at the binary N)", () => {
    const c = JSON.parse(readFileSync(new URL("../config.json", import.meta.url), "utf8")) as FaultToleranceConfig;
    const s = seriesOf(c, c.designs);
    expect(s.length).toBe(c.designs.length * (c.scSites.length + c.binarySites.length));
    for (const d of c.designs) {
      expect(
        s
          .filter((x) => x.network === d.network && x.arithmetic === "sc-bisc")
          .every((x) => x.bits === d.scBits && x.parallel === d.scParallel),
      ).toBe(true);
      expect(
        s
          .filter((x) => x.network === d.network && x.arithmetic === "fixed")
          .every((x) => x.bits === d.binaryBits && x.parallel === 1),
      ).toBe(true);
    }
    expect(
      s.filter((x) => x.arithmetic === "sc-bisc").every((x) => x.site === "memory" || x.site.startsWith("sc-")),
    ).toBe(true);
  });

  it("runStudy(--smoke) writes accuracy records per (design, site, p, seed), summary records with the SC/binary ratio, summary.json and the figure; a rerun gives the same bytes", async () => {
    const out = join(tmp, "out");
    const cache = join(tmp, "cache");
    expect(await runStudy(faultToleranceStudy, ["--smoke", "--threads", "0", "--out", out, "--cache-dir", cache])).toBe(
      0,
    );
    const first = readFileSync(join(out, "results.json"), "utf8");
    const res = JSON.parse(first) as { records: Rec[] };
    const acc = res.records.filter((r) => r.kind === "accuracy");
    for (const r of acc)
      for (const k of ["network", "design", "site", "faultRate", "seed", "accuracy", "lossPt"])
        expect(r).toHaveProperty(k);
    const clean = (a: string) => acc.find((r) => r.arithmetic === a && r.faultRate === 0)!.accuracy as number;
    expect(clean("sc-bisc")).toBeGreaterThan(90);
    expect(clean("fixed")).toBeGreaterThan(90);
    // faults only ever hurt here: at the largest rate every measured series is at or below its clean accuracy + 2 (test noise)
    for (const r of acc.filter((r) => (r.faultRate as number) > 0))
      expect(r.accuracy as number).toBeLessThanOrEqual(clean(r.arithmetic as string) + 2);
    const summary = res.records.filter((r) => r.kind === "summary");
    expect(summary.map((r) => r.group)).toEqual(expect.arrayContaining(["multiplier", "accumulator"]));
    for (const r of summary)
      for (const k of ["network", "site", "p1ptSc", "p1ptBinary", "faultToleranceRatio"]) expect(r).toHaveProperty(k);
    const stuck = res.records.filter((r) => r.kind === "stuck-at");
    // smoke: 2 stuck sites × 1 fraction × 1 seed
    expect(stuck.map((r) => `${r.site as string}@${r.stuckLaneFraction as number}`).sort()).toEqual([
      "bin-product@0.01",
      "sc-stream@0.01",
    ]);
    expect(existsSync(join(out, "accuracy-vs-stuck-lanes.png"))).toBe(true);
    const sj = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { claim: string; rows: Rec[] };
    expect(sj.claim).toMatch(/fault-tolerant/);
    // each design at its own N and b; per-operation rates = per-cycle × the SC lane's cycles per MAC (b = 8: about 1)
    const accRow = summary.find((r) => r.group === "accumulator")!;
    expect(accRow.designs).toBe("SC N=4 b=8 vs binary N=3");
    expect(accRow.scCyclesPerMac as number).toBeGreaterThanOrEqual(1);
    expect(accRow.scCyclesPerMac as number).toBeLessThan(2);
    if (typeof accRow.p1ptSc === "number")
      expect(accRow.p1ptScPerOp as number).toBeCloseTo(
        (accRow.p1ptSc as number) * (accRow.scCyclesPerMac as number),
        2,
      );
    expect(sj.rows.length).toBe(summary.length);
    expect(existsSync(join(out, "accuracy-vs-fault-rate.svg"))).toBe(true);
    expect(existsSync(join(out, "accuracy-vs-fault-rate.png"))).toBe(true);
    const out2 = join(tmp, "out2");
    expect(
      await runStudy(faultToleranceStudy, [
        "--smoke",
        "--threads",
        "0",
        "--out",
        out2,
        "--cache-dir",
        join(tmp, "cache2"),
      ]),
    ).toBe(0);
    expect(readFileSync(join(out2, "results.json"), "utf8")).toBe(first);
    expect(readFileSync(join(out2, "summary.json"), "utf8")).toBe(readFileSync(join(out, "summary.json"), "utf8"));
  }, 900_000);
});

describe("designsFromHeadline", () => {
  it("designsFromHeadline reads each network's best SC (N, b) and binary N of a scenario from pareto's headline.csv; a bad point names the column", async () => {
    const { designsFromHeadline } = await import("../study.ts");
    const dir = mkdtempSync(join(tmpdir(), "ft-headline-"));
    const f = join(dir, "headline.csv");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      f,
      'network,scenario,status,scPoint,binaryPoint\nlenet5,fixed-precision,ok,N=3 M=16 P=4 b=4 fine-tuned,N=2 M=16 P=4 fine-tuned\nlenet5,precision-flexible,ok,N=4 M=16 P=4 b=8,N=4 M=16 P=4\nfashion-cnn,fixed-precision,ok,N=6 M=16 P=4 b=4,"N=4 M=16 P=4"\n',
    );
    expect(designsFromHeadline(f, "fixed-precision")).toEqual([
      { network: "lenet5", scBits: 3, scParallel: 4, binaryBits: 2, scFineTuned: true, binaryFineTuned: true },
      { network: "fashion-cnn", scBits: 6, scParallel: 4, binaryBits: 4, scFineTuned: false, binaryFineTuned: false },
    ]);
    // with pareto's baseline column: the row against the exact baseline (the binary fault model's MAC)
    writeFileSync(
      f,
      "network,scenario,baseline,status,scPoint,binaryPoint\nlenet5,fixed-precision,strongest,ok,N=3 M=16 P=4 b=4,N=2 M=16 P=4\nlenet5,fixed-precision,exact,ok,N=3 M=16 P=4 b=4,N=5 M=16 P=4\nlenet5,fixed-precision,iso-bisc,ok,N=3 M=16 P=4 b=4,N=3 M=16 P=4\n",
    );
    expect(designsFromHeadline(f, "fixed-precision").map((d) => d.binaryBits)).toEqual([5]);
    writeFileSync(f, "network,scenario,status,scPoint,binaryPoint\nlenet5,fixed-precision,ok,N=4 M=16,N=3\n");
    expect(() => designsFromHeadline(f, "fixed-precision")).toThrow(/scPoint/);
  });
});

describe("the designs' networks", () => {
  it("a fault-free point runs exactly pareto's network of the same design (PTQ and fine-tuned): the same correct count", async () => {
    const { evaluateFaulty } = await import("../src/evaluator/evaluate.ts");
    const { evaluateAccuracy } = await import("../../pareto/src/eval/accuracy.ts");
    const { fineTunedRef, trainedWeightsHash } = await import("@sccnn/zoo");
    const trained = trainedWeightsHash(["lenet5"]);
    for (const [arithmetic, bits, fineTuned] of [
      ["sc-bisc", 3, true],
      ["fixed", 2, true],
      ["sc-bisc", 4, false],
    ] as const) {
      const ref = fineTuned ? fineTunedRef("lenet5", arithmetic, bits) : null;
      const weightsPath = ref?.path ?? null;
      const mine = evaluateFaulty({
        network: "lenet5",
        arithmetic,
        bits,
        weightsPath,
        weightsSha256: ref?.sha256 ?? trained,
        site: null,
        faultRate: 0,
        parallel: 1,
        zeroWeightCycles: 1,
        seed: 0,
        testLimit: 300,
        calibrationImages: 200,
        calibration: "mse",
        perChannel: false,
      });
      const pareto = evaluateAccuracy({
        network: "lenet5",
        arithmetic,
        bits,
        fineTuned,
        weightsPath,
        weightsSha256: ref?.sha256 ?? trained,
        trainedSha256: trained,
        testLimit: 300,
        validationLimit: 1,
        calibrationImages: 200,
        calibration: "mse",
        percentile: 99.99,
        perChannel: false,
      });
      expect([mine.correct, mine.total], `${arithmetic} N=${bits}${fineTuned ? " fine-tuned" : ""}`).toEqual([
        pareto.correct,
        pareto.total,
      ]);
    }
  }, 300_000);
});
