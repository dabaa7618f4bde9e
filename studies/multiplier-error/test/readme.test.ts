import { readFileSync } from "node:fs";
import { errorStats } from "@sccnn/sc-core";
import { describe, expect, it } from "vitest";
import { evaluateLatency } from "../src/evaluate.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const config = JSON.parse(readFileSync(new URL("../config.json", import.meta.url), "utf8")) as {
  gaussianSamples: number;
  seed: number;
  clipSigma: number;
};

describe("README numbers", () => {
  it("the README's BISC max |error| and RMS figures equal errorStats at N = 4, 6, 8, 12", () => {
    const stats = [4, 6, 8, 12].map((bits) => errorStats({ scheme: "bisc", bits }));
    expect(readme).toContain(
      `BISC max |error| is\n${stats.map((s) => s.maxAbsErrLsb.toFixed(2)).join(" / ")} LSB at N = 4 / 6 / 8 / 12`,
    );
    expect(readme).toContain(`(RMS ${stats.map((s) => s.rmsErrLsb.toFixed(2)).join(" / ")}`);
  });

  it("the README's latencies at N = 8 equal evaluateLatency with the default config", () => {
    const gaussian = { samples: config.gaussianSamples, seed: config.seed, clipSigma: config.clipSigma };
    const at = (distribution: "uniform" | "gaussian", parallel: number, scaling: "clip" | "max-abs" = "clip") =>
      evaluateLatency({
        distribution,
        bits: 8,
        parallel,
        zeroWeightCycles: 1,
        gaussian: distribution === "gaussian" ? { ...gaussian, scaling } : null,
      }).meanLatencyCycles;
    expect(readme).toContain(`uniform weights\ntake ${at("uniform", 1).toFixed(1)} cycles`);
    expect(readme).toContain(`Gaussian weights ${at("gaussian", 1).toFixed(1)} cycles`);
    expect(readme).toContain(
      `at b = 16 they take ${at("uniform", 16).toFixed(1)} and ${at("gaussian", 16).toFixed(1)} cycles`,
    );
    expect(readme).toContain(`(${at("gaussian", 1, "max-abs").toFixed(1)} cycles)`);
  });
});
