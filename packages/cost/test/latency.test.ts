import { Rng } from "@sccnn/sc-core";
import { describe, expect, it } from "vitest";
import {
  layerLatency,
  layerLatencyReference,
  networkLatency,
  quantiseMagnitudes,
  type LayerWorkload,
  type SchedulingOptions,
} from "../src/index.ts";

// K = 2 output channels, C = 1, R x S = 1 x 2 (2 weight steps), output 1 x 3 pixels.
// Channel 0 weights [3, 0], channel 1 weights [1, 5].
const tiny: LayerWorkload = {
  name: "tiny",
  kind: "conv",
  dims: { N: 1, C: 1, K: 2, R: 1, S: 2, P: 1, Q: 3 },
  groups: 1,
  weightMagnitudes: Uint16Array.from([3, 0, 1, 5]),
};

function both(layer: LayerWorkload, o: SchedulingOptions) {
  const fast = layerLatency(layer, o);
  expect(layerLatencyReference(layer, o)).toEqual(fast);
  return fast;
}

describe("layerLatency on a hand-computed tiny conv", () => {
  it("layerLatency(tiny, P=2, M=2, b=1, lockstep) = 2 tiles x (max(3,1) + max(1,5)) = 16 cycles", () => {
    const l = both(tiny, { units: 2, lanesPerUnit: 2, parallel: 1, zeroWeightCycles: 1, lockstep: true });
    expect(l.scCycles).toBe(16);
    expect(l.binaryCycles).toBe(4);
    expect(l.macs).toBe(12);
    expect(l.binaryUtilisation).toBe(12 / 16);
    expect(l.scUtilisation).toBe(12 / 64);
  });

  it("layerLatency(tiny, independent units) = 2 tiles x busiest unit (1 + 5) = 12 cycles", () => {
    expect(both(tiny, { units: 2, lanesPerUnit: 2, lockstep: false }).scCycles).toBe(12);
  });

  it("layerLatency(tiny, b=2) costs ceil(|w|/2) per step: 2 x (max(2,1) + max(1,3)) = 10", () => {
    expect(both(tiny, { units: 2, lanesPerUnit: 2, parallel: 2 }).scCycles).toBe(10);
  });

  it("layerLatency(tiny, zeroWeightCycles=0, independent) skips the zero weight: 2 x max(3, 6) = 12", () => {
    expect(both(tiny, { units: 2, lanesPerUnit: 2, zeroWeightCycles: 0, lockstep: false }).scCycles).toBe(12);
    expect(both(tiny, { units: 2, lanesPerUnit: 1, zeroWeightCycles: 0, lockstep: false }).scCycles).toBe(18);
  });

  it("layerLatency(tiny, P=1) runs the channels one after another: 2 x (4 + 6) = 20, binary 2 x 2 x 2 = 8", () => {
    const l = both(tiny, { units: 1, lanesPerUnit: 2 });
    expect(l.scCycles).toBe(20);
    expect(l.binaryCycles).toBe(8);
  });

  it("layerLatency(fc, fcRoleSwap) costs ceil(|x|/b) per input per pass of K over P·M lanes", () => {
    const fc: LayerWorkload = {
      name: "fc",
      kind: "linear",
      dims: { N: 1, C: 3, K: 5, R: 1, S: 1, P: 1, Q: 1 },
      groups: 1,
      weightMagnitudes: new Uint16Array(15).fill(9),
      activationMagnitudes: Uint16Array.from([2, 0, 7]),
    };
    const l = both(fc, { units: 2, lanesPerUnit: 2, parallel: 2, fcRoleSwap: true });
    expect(l.scCycles).toBe(2 * (1 + 1 + 4));
    expect(l.binaryCycles).toBe(2 * 3);
    const noSwap = both(fc, { units: 2, lanesPerUnit: 2, parallel: 2 });
    expect(noSwap.scCycles).toBe(3 * 5 * 3); // 3 channel groups (2,2,1) x 3 steps x ceil(9/2)
    expect(noSwap.binaryCycles).toBe(3 * 3);
  });

  it("layerLatency(fc, fcRoleSwap) without activations names activationMagnitudes", () => {
    const fc: LayerWorkload = {
      name: "fc",
      kind: "linear",
      dims: { N: 1, C: 2, K: 1, R: 1, S: 1, P: 1, Q: 1 },
      groups: 1,
      weightMagnitudes: [1, 1],
    };
    expect(() => layerLatency(fc, { units: 1, lanesPerUnit: 1, fcRoleSwap: true })).toThrow(/activationMagnitudes/);
  });

  it("layerLatency rejects a weight array of the wrong length, naming the layer and field", () => {
    expect(() => layerLatency({ ...tiny, weightMagnitudes: [1, 2, 3] }, { units: 1, lanesPerUnit: 1 })).toThrow(
      /"tiny".weightMagnitudes/,
    );
    expect(() => layerLatency(tiny, { units: 1, lanesPerUnit: 1, parallel: 3 })).toThrow(/parallel/);
  });
});

describe("layerLatency equals layerLatencyReference", () => {
  it("layerLatency(random grouped convs, 200 seeded option sets) equals the explicit-loop reference", () => {
    const rng = new Rng(42);
    const rnd = () => rng.unit();
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    for (let trial = 0; trial < 200; trial++) {
      const groups = int(1, 3);
      const C = groups * int(1, 3);
      const K = groups * int(1, 4);
      const R = int(1, 3);
      const S = int(1, 3);
      const steps = (C / groups) * R * S;
      const bits = int(1, 8);
      const weights = Float64Array.from({ length: K * steps }, () => (rnd() - 0.5) * (rnd() < 0.2 ? 0 : 1));
      const layer: LayerWorkload = {
        name: `t${trial}`,
        kind: rnd() < 0.3 ? "linear" : "conv",
        dims: { N: int(1, 2), C, K, R, S, P: int(1, 4), Q: int(1, 4) },
        groups,
        weightMagnitudes: quantiseMagnitudes(weights, bits),
        activationMagnitudes: Uint16Array.from({ length: 2 * C }, () => int(0, 2 ** bits - 1)),
      };
      layer.activationMagnitudes = (layer.activationMagnitudes as Uint16Array).subarray(0, layer.dims.N * C);
      const o: SchedulingOptions = {
        units: int(1, 5),
        lanesPerUnit: int(1, 7),
        parallel: 2 ** int(0, 3),
        zeroWeightCycles: int(0, 1) as 0 | 1,
        lockstep: rnd() < 0.5,
        fcRoleSwap: rnd() < 0.5,
      };
      expect(layerLatency(layer, o)).toEqual(layerLatencyReference(layer, o));
    }
  });

  it("layerLatency with lockstep over one layer at many P (maxima of a P built from a cached divisor's, K not a multiple of P) and b equals the reference; also for magnitudes that are not integers", () => {
    const rng = new Rng(7);
    const K = 11;
    const steps = 2 * 3 * 3;
    for (const integral of [true, false]) {
      const mags = Float64Array.from({ length: K * steps }, () => {
        const v = rng.unit() < 0.2 ? 0 : Math.floor(rng.unit() * 256);
        return integral ? v : v + (v > 0 ? 0.5 : 0);
      });
      const layer: LayerWorkload = {
        name: `lockstep-${integral}`,
        kind: "conv",
        dims: { N: 2, C: 2, K, R: 3, S: 3, P: 3, Q: 2 },
        groups: 1,
        weightMagnitudes: mags,
      };
      // the order matters: 4 is built from 2, 8 from 4, 6 from 3 or 2, 12 from 6, 3 and 5 from the magnitudes
      for (const units of [2, 4, 3, 8, 6, 12, 1, 5, 10, 16, 7])
        for (const parallel of [1, 2, 8, 64])
          for (const zeroWeightCycles of [0, 1] as const) {
            const o: SchedulingOptions = { units, lanesPerUnit: 3, parallel, zeroWeightCycles, lockstep: true };
            expect(layerLatency(layer, o), `P = ${units}, b = ${parallel}, zero = ${zeroWeightCycles}`).toEqual(
              layerLatencyReference(layer, o),
            );
          }
    }
  });

  it("networkLatency sums the layers", () => {
    const n = networkLatency([tiny, tiny], { units: 2, lanesPerUnit: 2 });
    expect(n.scCycles).toBe(32);
    expect(n.binaryCycles).toBe(8);
    expect(n.macs).toBe(24);
  });
});

describe("quantiseMagnitudes", () => {
  it("quantiseMagnitudes(w, N) scales max |w| to 2^N − 1 and rounds", () => {
    expect(Array.from(quantiseMagnitudes([0.5, -1, 0.26, 0], 2))).toEqual([2, 3, 1, 0]);
    expect(Array.from(quantiseMagnitudes([0, 0], 4))).toEqual([0, 0]);
    expect(() => quantiseMagnitudes([1], 17)).toThrow(/bits/);
  });
});
