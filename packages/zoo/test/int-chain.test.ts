import { describe, expect, it } from "vitest";
import { calibrateNetwork, quantizeCalibrated, runIntChain, runQuantized } from "@sccnn/nn";
import { loadDataset } from "@sccnn/datasets";
import { loadTrainedWeights } from "../src/index.ts";

// The int-chain runtime (nn, integers between layers; the bench's fast sc-bisc path) against the
// layer-by-layer reference path on the trained LeNet-5, calibrated as the bench calibrates it.
describe("int-chain runtime on the trained LeNet-5", () => {
  const ck = loadTrainedWeights("lenet5");
  const net = calibrateNetwork(ck.spec, ck.weights, loadDataset("mnist", "train", { limit: 1000 }).images);
  const test = loadDataset("mnist", "test", { limit: 400 });
  for (const bits of [2, 3, 4, 6, 8]) {
    it(`sc-bisc ${bits}/${bits}: every logit of 400 test images is bit-identical to runQuantized's`, () => {
      const q = quantizeCalibrated(net, { arithmetic: "sc-bisc", bitsW: bits, bitsA: bits });
      const ref = runQuantized(q, test.images);
      const got = runIntChain(q, test.images);
      expect(got.length).toBe(4000);
      let diff = 0;
      for (let i = 0; i < ref.length; i++) if (!Object.is(ref[i], got[i])) diff++;
      expect(diff).toBe(0);
    });
  }
});
