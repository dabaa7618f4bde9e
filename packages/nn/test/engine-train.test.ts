import { describe, expect, it } from "vitest";
import { buildModel } from "../src/engine/model.ts";
import { Adam, Sgd } from "../src/engine/optimizer.ts";
import { learningRate } from "../src/engine/schedule.ts";
import { describeTrainConfig, evaluate, reduceShards, train, type TrainConfig } from "../src/engine/train.ts";
import type { ShardResult } from "../src/engine/shard.ts";
import { Rng } from "../src/engine/prng.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { lenet5, syntheticImages } from "./engine-helpers.ts";

const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Small CNN with batchnorm and dropout, so determinism covers shard statistics and masks. */
const smallCnn: NetworkSpec = {
  id: "small",
  title: "small",
  input: [1, 12, 12],
  classes: 10,
  dataset: "synthetic",
  layers: [
    { type: "conv", name: "c1", outChannels: 8, kernel: 3, padding: 1 },
    { type: "batchnorm", name: "bn1" },
    { type: "relu" },
    { type: "maxpool", kernel: 2 },
    { type: "residual", body: [{ type: "conv", name: "c2", outChannels: 8, kernel: 3, padding: 1 }, { type: "relu" }] },
    { type: "maxpool", kernel: 2 },
    { type: "flatten" },
    { type: "dropout", p: 0.1 },
    { type: "linear", name: "fc", outFeatures: 10 },
  ],
};

const base: TrainConfig = {
  epochs: 1,
  batchSize: 32,
  optimizer: { type: "sgd", lr: 0.05, momentum: 0.9 },
  seed: 7,
  shards: 2,
  progress: false,
};

describe("train", () => {
  it("train with the same seed gives byte-identical LeNet-5 weights after a few steps; another seed does not", async () => {
    const data = syntheticImages(160, [1, 28, 28], 10, 1);
    const run = async (seed: number): Promise<Float32Array> => {
      const m = buildModel(lenet5, { seed: 1 });
      await train(m, data, { ...base, seed, maxSteps: 4 });
      return m.paramData;
    };
    const a = await run(7),
      b = await run(7),
      c = await run(8);
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
  });

  it("train results (weights and batchnorm running statistics) do not depend on the thread count", async () => {
    const data = syntheticImages(200, [1, 12, 12], 10, 2);
    const run = async (threads: number, shards: number) => {
      const m = buildModel(smallCnn, { seed: 3 });
      const h = await train(m, data, { ...base, epochs: 2, threads, shards, optimizer: { type: "adam", lr: 0.01 } });
      return { p: Float32Array.from(m.paramData), b: Float32Array.from(m.bufferData), h };
    };
    const one = await run(1, 2),
      two = await run(2, 2);
    expect(two.h.threads).toBe(2);
    expect(bytes(one.p).equals(bytes(two.p))).toBe(true);
    expect(bytes(one.b).equals(bytes(two.b))).toBe(true);
    expect(one.h.epochs.map((e) => e.loss)).toEqual(two.h.epochs.map((e) => e.loss));
    const four = await run(2, 4);
    expect(bytes(four.p).equals(bytes(one.p))).toBe(false);
  });

  it("train learns a synthetic 10-class task: loss falls and held-out accuracy exceeds 90 %", async () => {
    const data = syntheticImages(640, [1, 12, 12], 10, 3);
    const test = syntheticImages(300, [1, 12, 12], 10, 4);
    const m = buildModel(smallCnn, { seed: 5 });
    const before = evaluate(m, test);
    const h = await train(m, data, {
      ...base,
      epochs: 4,
      optimizer: { type: "adam", lr: 0.01 },
      schedule: { type: "cosine" },
      validation: test,
    });
    expect(h.epochs).toHaveLength(4);
    expect(h.epochs[3].loss).toBeLessThan(0.5 * h.epochs[0].loss);
    expect(h.epochs[3].validationAccuracy).toBeGreaterThan(0.9);
    expect(before.accuracy).toBeLessThan(0.3);
    expect(h.epochs[0].steps).toBe(20);
    expect(h.epochs[0].imagesPerSecond).toBeGreaterThan(0);
  });

  it("train with dropLast false also trains on the last partial batch", async () => {
    const data = syntheticImages(70, [1, 12, 12], 10, 5);
    const m = buildModel(smallCnn, { seed: 5 });
    const h = await train(m, data, { ...base, dropLast: false, threads: 1 });
    expect(h.epochs[0]).toMatchObject({ steps: 3, images: 70 });
    const h2 = await train(buildModel(smallCnn, { seed: 5 }), data, { ...base, threads: 1 });
    expect(h2.epochs[0]).toMatchObject({ steps: 2, images: 64 });
  });

  it("describeTrainConfig keeps the result-defining fields as JSON and drops callbacks, data and threads", () => {
    const validation = syntheticImages(12, [1, 12, 12], 10, 7);
    const d = describeTrainConfig({
      ...base,
      threads: 2,
      validation,
      schedule: { type: "step", everyEpochs: 2, gamma: 0.1 },
      onEpoch: () => undefined,
    });
    expect(d).toEqual({
      epochs: 1,
      batchSize: 32,
      optimizer: { type: "sgd", lr: 0.05, momentum: 0.9 },
      seed: 7,
      shards: 2,
      dropLast: true,
      schedule: { type: "step", everyEpochs: 2, gamma: 0.1 },
      validationImages: 12,
    });
  });

  it("train rejects bad configuration naming the field", async () => {
    const data = syntheticImages(40, [1, 12, 12], 10, 6);
    const m = buildModel(smallCnn, { seed: 1 });
    await expect(train(m, data, { ...base, batchSize: 0 })).rejects.toThrow(
      /config.batchSize: expected a positive integer, got 0/,
    );
    await expect(train(m, data, { ...base, batchSize: 64 })).rejects.toThrow(
      /config.batchSize: 64 exceeds the 40 training images/,
    );
    await expect(train(m, { ...data, count: 41 }, base)).rejects.toThrow(
      /data.images: 5760 values, expected count·144 = 5904/,
    );
    await expect(train(m, data, { ...base, optimizer: { type: "sgd", lr: -1 } })).rejects.toThrow(
      /optimizer.lr: expected a non-negative number, got -1/,
    );
  });
});

describe("optimisers and schedules", () => {
  it("reduceShards gives the floats of zeroing and adding each shard's count/B-weighted values in order (2 and 3 shards, −0, denormals)", () => {
    const rng = new Rng(3);
    const n = 1001;
    const special = [-0, 0, 1e-45, -1e-45, 3.4e38, -3.4e38, 1.5e-38];
    const shard = (count: number, k: number): ShardResult => {
      const grad = Float32Array.from({ length: n }, (_, i) =>
        i < special.length ? special[(i + k) % special.length]! : rng.uniform(-1, 1) * 10 ** rng.int(6),
      );
      return { grad, buffers: grad.slice(0, 7), count, lossSum: 0, correct: 0 };
    };
    for (const counts of [
      [32, 32],
      [21, 22],
      [10, 11, 11],
    ]) {
      const B = counts.reduce((a, b) => a + b, 0);
      const shards = counts.map((c, k) => shard(c, k));
      for (const key of ["grad", "buffers"] as const) {
        const want = new Float32Array(shards[0]![key].length);
        for (const r of shards) for (let i = 0; i < want.length; i++) want[i] += (r.count / B) * r[key][i]!;
        const got = new Float32Array(want.length).fill(7);
        reduceShards(got, shards, key, B);
        for (let i = 0; i < want.length; i++) expect(Object.is(got[i], want[i]), `${counts} ${key}[${i}]`).toBe(true);
      }
    }
  });

  it("Sgd.step is the same floats as the textbook loop (g = grad + λw, v = μv + g, w −= lr·v; nesterov w −= lr·(g + μv); no momentum w −= lr·g)", () => {
    const rng = new Rng(8);
    for (const cfg of [
      { momentum: 0.9, weightDecay: 5e-4 },
      { momentum: 0.9, weightDecay: 1e-3, nesterov: true },
      { momentum: 0, weightDecay: 1e-4 },
    ]) {
      const w = Float32Array.from({ length: 257 }, () => rng.uniform(-1, 1));
      const ref = w.slice();
      const v = new Float32Array(w.length);
      const opt = new Sgd({ type: "sgd", lr: 0.05, ...cfg });
      for (let step = 0; step < 3; step++) {
        const g = Float32Array.from({ length: w.length }, () => rng.uniform(-1, 1));
        opt.step(w, g, 0.05);
        for (let i = 0; i < w.length; i++) {
          const gi = g[i]! + cfg.weightDecay * ref[i]!;
          if (cfg.momentum === 0) {
            ref[i] -= 0.05 * gi;
            continue;
          }
          v[i] = cfg.momentum * v[i]! + gi;
          ref[i] -= 0.05 * (cfg.nesterov ? gi + cfg.momentum * v[i]! : v[i]!);
        }
        for (let i = 0; i < w.length; i++)
          expect(Object.is(w[i], ref[i]), `${JSON.stringify(cfg)} step ${step} [${i}]`).toBe(true);
      }
    }
  });

  it("Sgd.step with momentum and weight decay follows v = μv + g + λw, w -= lr·v", () => {
    const w = Float32Array.of(1, -2),
      g = Float32Array.of(0.5, 0.25);
    const opt = new Sgd({ type: "sgd", lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
    opt.step(w, g, 0.1);
    const v1 = [0.5 + 0.01, 0.25 - 0.02];
    expect(w[0]).toBeCloseTo(1 - 0.1 * v1[0], 6);
    expect(w[1]).toBeCloseTo(-2 - 0.1 * v1[1], 6);
    const w1 = [w[0], w[1]];
    opt.step(w, g, 0.1);
    expect(w[0]).toBeCloseTo(w1[0] - 0.1 * (0.9 * v1[0] + 0.5 + 0.01 * w1[0]), 6);
  });

  it("Adam.step moves each weight by about lr against the gradient sign on the first step", () => {
    const w = Float32Array.of(1, 1, 1),
      g = Float32Array.of(3, -0.001, 0);
    new Adam({ type: "adam", lr: 0.01 }).step(w, g, 0.01);
    expect(w[0]).toBeCloseTo(0.99, 6);
    expect(w[1]).toBeCloseTo(1.01, 4);
    expect(w[2]).toBe(1);
  });

  it("learningRate gives step decay per epoch and a cosine from lr to minLr over all steps", () => {
    const clock = (epoch: number, step: number) => ({ epoch, step, stepsPerEpoch: 10, epochs: 4 });
    expect(learningRate(0.1, { type: "step", everyEpochs: 2, gamma: 0.5 }, clock(1, 19))).toBeCloseTo(0.1, 12);
    expect(learningRate(0.1, { type: "step", everyEpochs: 2, gamma: 0.5 }, clock(2, 20))).toBeCloseTo(0.05, 12);
    expect(learningRate(0.1, { type: "cosine", minLr: 0.001 }, clock(0, 0))).toBeCloseTo(0.1, 12);
    expect(learningRate(0.1, { type: "cosine", minLr: 0.001 }, clock(2, 20))).toBeCloseTo(0.0505, 12);
    expect(learningRate(0.1, { type: "cosine", minLr: 0.001 }, clock(3, 40))).toBeCloseTo(0.001, 12);
    expect(learningRate(0.1, { type: "cosine", warmupEpochs: 1 }, clock(0, 4))).toBeCloseTo(0.05, 12);
    expect(learningRate(0.1, undefined, clock(3, 39))).toBe(0.1);
  });
});
