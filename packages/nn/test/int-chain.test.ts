import { describe, expect, it } from "vitest";
import {
  accumulatorUnit,
  accuracyOf,
  argmaxRows,
  calibrateNetwork,
  evaluateQuantized,
  cycleLevelBackend,
  IntChainPool,
  maxPoolInt,
  planIntChain,
  pool2d,
  quantizeCalibrated,
  quantizeTensor,
  quantizeLayerInput,
  relu,
  rescale,
  runIntChain,
  runQuantized,
  tryPlanIntChain,
  wasmBackend,
  type Arithmetic,
  type IntegerBackend,
  type QuantizedNetwork,
} from "../src/quant/index.ts";
import {
  fakeQuantizeWasm,
  poolRequant2x2Wasm,
  quantizeWasm,
  requantWasm,
  rescaleWasm,
} from "../src/engine/wasm-kernels.ts";
import { rescaleReference } from "../src/quant/layer-forward.ts";
import { fakeQuantizeReference } from "../src/quant/quantize.ts";
import { requantize, requantizeDenseReference, requantTable, type RequantTable } from "../src/quant/int-chain.ts";
import { lenet5Spec } from "./lenet5-fixture.ts";
import { lenetShaped, lenetShapedWeights, seededFloats } from "./quant-helpers.ts";

const calibrated = calibrateNetwork(lenetShaped, lenetShapedWeights(3), seededFloats(8 * 784, 4, 0, 1));

function sameBits(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) diff++;
  return diff;
}

describe("int-chain runtime (integers between layers) is bit-identical to runQuantized", () => {
  const cases: [Arithmetic, number][] = [
    ["sc-bisc", 2],
    ["sc-bisc", 4],
    ["sc-bisc", 6],
    ["sc-bisc", 8],
    ["sc-bisc", 10],
    ["fixed", 4],
    ["sc-bitrev", 5],
    ["fixed-trunc-g1", 6],
  ];
  for (const [arithmetic, bits] of cases) {
    it(`${arithmetic} ${bits}/${bits}: every logit of 60 images equal to runQuantized's (sc-core-wasm kernels)`, () => {
      const q = quantizeCalibrated(calibrated, { arithmetic, bitsW: bits, bitsA: bits });
      const x = seededFloats(60 * 784, 5, 0, 1);
      const ref = runQuantized(q, x, { batchSize: 25 });
      const got = runIntChain(q, x, { batchSize: 25 });
      expect(got.length).toBe(600);
      expect(sameBits(got, ref)).toBe(0);
      expect(new Set(Array.from(got.subarray(0, 10))).size).toBeGreaterThan(5);
    });
  }

  it("one plan over calls of different sizes (its buffers kept between calls, grown and reused) gives runQuantized's logits every time", () => {
    const q = quantizeCalibrated(calibrated, { arithmetic: "sc-bisc", bitsW: 8, bitsA: 8 });
    const x = seededFloats(60 * 784, 6, 0, 1);
    const ref = runQuantized(q, x, { batchSize: 25 });
    const plan = planIntChain(q);
    let from = 0;
    for (const n of [7, 40, 3, 10]) {
      const got = runIntChain(plan, x.subarray(from * 784, (from + n) * 784), { batchSize: 25 });
      expect(sameBits(got, ref.subarray(from * 10, (from + n) * 10)), `${n} images from ${from}`).toBe(0);
      from += n;
    }
  });

  it("sc-bisc 5/5 with the cycle-level lane as the kernel equals runQuantized on the cycle-level lane (per-MAC reference, 1 image)", () => {
    const q = quantizeCalibrated(calibrated, { arithmetic: "sc-bisc", bitsW: 5, bitsA: 5 });
    const x = seededFloats(784, 8, 0, 1);
    const ref = runQuantized(q, x, { backend: cycleLevelBackend });
    expect(sameBits(runIntChain(q, x, { backend: "cycle-level" }), ref)).toBe(0);
  });

  it("mixed widths per layer (SC operand alignment) and per-channel scales", () => {
    const q = quantizeCalibrated(calibrated, {
      arithmetic: "sc-bisc",
      bitsW: 6,
      bitsA: 4,
      perChannel: true,
      layers: { conv2: { bitsW: 3, bitsA: 7 }, fc2: { arithmetic: "fixed", bitsW: 5, bitsA: 5 } },
    });
    const x = seededFloats(30 * 784, 9, 0, 1);
    expect(sameBits(runIntChain(q, x), runQuantized(q, x))).toBe(0);
  });

  it("the requantisation table equals the reference's rescale → ReLU → max pool → quantize chain on every accumulator value it is asked about", () => {
    const q = quantizeCalibrated(calibrated, { arithmetic: "sc-bisc", bitsW: 8, bitsA: 8 });
    const c1 = q.layers.conv1;
    const c2 = q.layers.conv2;
    const unit = accumulatorUnit(c1);
    const t = requantTable(unit, c1.bias, [{ type: "relu" }, { type: "maxpool", kernel: 2 }], c2);
    // accumulators: every value around each channel's table, plus extremes, as a [1, 6, 2, W] tensor
    const values: number[] = [-(2 ** 31), 2 ** 31 - 1, -1, 0, 1];
    for (let k = 0; k < 6; k++) for (let d = -3; d <= t.len[k] + 3; d++) values.push(t.base[k] + d);
    const W = values.length;
    const acc = new Int32Array(6 * 2 * W);
    for (let k = 0; k < 6; k++) for (let r = 0; r < 2; r++) acc.set(values, (k * 2 + r) * W);
    const y = rescale(acc, [1, 6, 2, W], unit, c1.bias);
    const ref = quantizeLayerInput(c2, relu({ data: y, shape: [1, 6, 2, W] }).data);
    for (let k = 0; k < 6; k++)
      for (let i = 0; i < W; i++) {
        let d = values[i] - t.base[k];
        d = d < 0 ? 0 : d >= t.len[k] ? t.len[k] - 1 : d;
        expect(t.table[t.off[k] + d], `channel ${k}, accumulator ${values[i]}`).toBe(ref[k * 2 * W + i]);
      }
    // the table spans where the map changes: more than one value per channel, all non-decreasing
    for (let k = 0; k < 6; k++) {
      expect(t.len[k]).toBeGreaterThan(1);
      for (let i = 1; i < t.len[k]; i++)
        expect(t.table[t.off[k] + i]).toBeGreaterThanOrEqual(t.table[t.off[k] + i - 1]);
    }
  });

  it("a wide table kept as step points (above denseMax) gives the dense table's value for every accumulator", () => {
    const q = quantizeCalibrated(calibrated, { arithmetic: "fixed", bitsW: 8, bitsA: 8 });
    const c1 = q.layers.conv1!;
    const c2 = q.layers.conv2!;
    const unit = accumulatorUnit(c1);
    const post = [{ type: "relu" as const }, { type: "maxpool" as const, kernel: 2 }];
    const dense = requantTable(unit, c1.bias, post, c2);
    const stepped = requantTable(unit, c1.bias, post, c2, 0);
    expect(dense.steps).toBeNull();
    expect(stepped.steps).not.toBeNull();
    expect(stepped.table.length).toBe(0);
    // every accumulator of each channel's span and beyond, and the int32 extremes, as a [1, 6, 1, W] tensor
    const K = 6;
    const span = Math.max(...Array.from(dense.len)) + 6;
    const W = span + 2;
    const acc = new Int32Array(K * W);
    for (let k = 0; k < K; k++) {
      for (let d = 0; d < span; d++) acc[k * W + d] = dense.base[k] + d - 3;
      acc[k * W + span] = -(2 ** 31);
      acc[k * W + span + 1] = 2 ** 31 - 1;
    }
    const want = requantize(acc, [1, K, 1, W], dense, [], 0);
    expect(Array.from(requantize(acc, [1, K, 1, W], stepped, [], 0))).toEqual(Array.from(want));
    // one step point per value g takes above its bottom value
    for (let k = 0; k < K; k++)
      expect(stepped.steps!.from[k + 1]! - stepped.steps!.from[k]!).toBe(
        new Set(Array.from(want.subarray(k * W, k * W + span))).size - 1,
      );
  });

  it("fixed 8/8 on step-point tables (a network whose dense tables exceed the cap) equals runQuantized", () => {
    const q = quantizeCalibrated(calibrated, { arithmetic: "fixed", bitsW: 8, bitsA: 8 });
    const plan = planIntChain(q);
    const x = seededFloats(20 * 784, 13, 0, 1);
    const wide = {
      ...plan,
      tables: plan.tables.map((t, i) =>
        i % 2 === 0
          ? requantTable(
              accumulatorUnit(plan.stages[i]!.layer),
              plan.stages[i]!.layer.bias,
              plan.stages[i]!.post,
              plan.stages[i + 1]!.layer,
              0,
            )
          : t,
      ),
    };
    expect(wide.tables[0]!.steps).not.toBeNull();
    expect(sameBits(runIntChain(wide, x, { batchSize: 10 }), runQuantized(q, x, { batchSize: 10 }))).toBe(0);
  });

  it("integer max pooling equals the float pool2d on the same values (2×2/2 and 3×3/2 padded)", () => {
    const x = Int32Array.from(seededFloats(2 * 3 * 7 * 7, 12, -500, 500), (v) => Math.round(v));
    for (const [k, s, p] of [
      [2, 2, 0],
      [3, 2, 1],
    ]) {
      const got = maxPoolInt(x, [2, 3, 7, 7], k, s, p);
      const ref = pool2d({ data: Float32Array.from(x), shape: [2, 3, 7, 7] }, "max", k, s, p);
      expect(got.shape).toEqual(ref.shape);
      expect(Array.from(got.acc)).toEqual(Array.from(ref.data));
    }
  });

  it("the SIMD pool + requantisation kernel equals maxPoolInt then requantize (odd sizes, tails, int32 extremes)", () => {
    const K = 5;
    const base = Int32Array.from([-(2 ** 31), -40, 0, 17, 2 ** 31 - 4]);
    const len = Int32Array.from([3, 90, 1, 25, 4]);
    const off = new Int32Array(K);
    for (let k = 1; k < K; k++) off[k] = off[k - 1] + len[k - 1];
    const table = Int32Array.from(seededFloats(off[K - 1] + len[K - 1], 21, -300, 300), (v) => Math.round(v));
    const t: RequantTable = { base, len, off, table, steps: null };
    const extremes = [-(2 ** 31), -(2 ** 31) + 1, 2 ** 31 - 1, 2 ** 31 - 2, 0, -1];
    for (const [N, H, W] of [
      [2, 8, 8],
      [1, 7, 9],
      [3, 24, 24],
      [1, 2, 18],
      [2, 3, 3],
    ]) {
      const acc = Int32Array.from(seededFloats(N * K * H * W, H * 31 + W, -200, 200), (v, i) =>
        i % 11 === 0 ? extremes[i % extremes.length] : Math.round(v),
      );
      const pooled = maxPoolInt(acc, [N, K, H, W], 2, 2, 0);
      const want = requantizeDenseReference(pooled.acc, pooled.shape, t);
      const got = new Int32Array(want.length).fill(7777);
      poolRequant2x2Wasm(acc, [N, K, H, W], t, got);
      expect(Array.from(got), `[${N}, ${K}, ${H}, ${W}]`).toEqual(Array.from(want));
      // without pooling (the SIMD requant kernel; inner sizes with and without a tail of < 4)
      const plain = new Int32Array(acc.length).fill(7777);
      requantWasm(acc, [N, K, H, W], t, plain);
      const ref = requantizeDenseReference(acc, [N, K, H, W], t);
      expect(Array.from(plain), `requant [${N}, ${K}, ${H}, ${W}]`).toEqual(Array.from(ref));
      expect(Array.from(requantize(acc, [N, K, H * W], t, [], 0))).toEqual(Array.from(ref));
    }
    expect(() => requantWasm(new Int32Array(10), [1, K, 2, 2], t, new Int32Array(10))).toThrow(/acc has 10 values/);
    expect(() => poolRequant2x2Wasm(new Int32Array(10), [1, K, 2, 2], t, new Int32Array(K))).toThrow(
      /acc has 10 values/,
    );
  });

  it("the SIMD input quantiser equals quantizeTensor · 2^shift on halves, ±0, NaN, ±Infinity, out-of-range and random values (every length's tail)", () => {
    const special = [
      0.5,
      1.5,
      2.5,
      -0.5,
      -1.5,
      0,
      -0,
      NaN,
      Infinity,
      -Infinity,
      1e9,
      -1e9,
      254.5,
      255.49999,
      -254.5,
      3.4e38,
    ];
    for (const n of [0, 1, 3, 4, 7, 16, 1001]) {
      const data = Float32Array.from({ length: n }, (_, i) =>
        i < special.length ? special[i]! : seededFloats(1, i * 7 + n, -300, 300)[0]!,
      );
      for (const [scale, bits, signed, shift] of [
        [1, 8, false, 0],
        [1, 8, true, 0],
        [0.37, 5, true, 3],
        [1 / 255, 8, false, 0],
        [2.5e-3, 12, true, 4],
      ] as const) {
        const want = quantizeTensor(data, scale, bits, signed).map((v) => v * 2 ** shift);
        const got = quantizeWasm(data, scale, bits, signed, shift);
        expect(Array.from(got), `n ${n}, scale ${scale}, ${bits} bits, signed ${signed}, shift ${shift}`).toEqual(
          Array.from(want),
        );
      }
    }
    expect(() => quantizeWasm(new Float32Array(4), 1, 16, true, 16)).toThrow(/does not fit an int32/);
  });

  it("the SIMD fake quantiser equals fakeQuantizeReference bit for bit (−0, NaN, halves, out of range, every length's tail)", () => {
    const special = [0.5, 1.5, 2.5, -0.5, -1.5, 0, -0, NaN, Infinity, -Infinity, 1e9, -1e9, -1e-9, 254.5, -254.5];
    for (const n of [0, 1, 3, 4, 7, 16, 1001]) {
      const data = Float32Array.from({ length: n }, (_, i) =>
        i < special.length ? special[i]! : seededFloats(1, i * 5 + n, -300, 300)[0]!,
      );
      for (const [scale, bits, signed] of [
        [1, 8, false],
        [1, 8, true],
        [0.37, 5, true],
        [Math.fround(1 / 3), 4, false],
        [2.5e-3, 12, true],
      ] as const) {
        const want = fakeQuantizeReference(data, scale, bits, signed);
        const got = fakeQuantizeWasm(data, scale, bits, signed);
        for (let i = 0; i < n; i++)
          expect(
            Object.is(got[i], want[i]),
            `n ${n} [${i}] = ${data[i]}, scale ${scale}, ${bits} bits, signed ${signed}`,
          ).toBe(true);
      }
    }
    expect(() => fakeQuantizeWasm(new Float32Array(4), 1, 4, true, new Float32Array(3))).toThrow(/out has 3 values/);
  });

  it("the SIMD rescale equals rescaleReference bit for bit (int32 extremes, units that round, every inner length's tail)", () => {
    for (const [N, K, inner] of [
      [1, 1, 1],
      [2, 3, 5],
      [3, 6, 784],
      [2, 16, 100],
      [5, 10, 1],
    ] as const) {
      const acc = Int32Array.from({ length: N * K * inner }, (_, i) =>
        i % 11 === 0 ? 2 ** 31 - 1 : i % 13 === 0 ? -(2 ** 31) : Math.round(seededFloats(1, i + 3, -5e4, 5e4)[0]!),
      );
      const unit = Float64Array.from({ length: K }, (_, k) => (k % 2 ? 1 / 3 : 1.000000123e-3) * (k + 1));
      const bias = Float32Array.from({ length: K }, (_, k) => (k % 3 === 0 ? -0 : seededFloats(1, k, -2, 2)[0]!));
      const want = rescaleReference(acc, [N, K, inner], unit, bias);
      const got = rescaleWasm(acc, [N, K, inner], unit, bias);
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++)
        expect(Object.is(got[i], want[i]), `[${N}, ${K}, ${inner}] [${i}]`).toBe(true);
    }
    expect(() => rescaleWasm(new Int32Array(10), [1, 3, 3], new Float64Array(3), new Float32Array(3))).toThrow(
      /acc has 10 values/,
    );
  });

  it("refuses a network with a layer it cannot keep in integers, naming the layer, and an unknown backend", () => {
    const spec = lenet5Spec("lenet-avg", "LeNet-5 with average pooling", ["conv1", "conv2", "fc1", "fc2", "fc3"]);
    spec.layers[2] = { type: "avgpool", kernel: 2 };
    const net = calibrateNetwork(spec, lenetShapedWeights(3), seededFloats(784, 4, 0, 1));
    const q: QuantizedNetwork = quantizeCalibrated(net, { arithmetic: "sc-bisc", bitsW: 4, bitsA: 4 });
    expect(() => planIntChain(q)).toThrow(/layers\[2\] \(avgpool\) is not supported/);
    const qf = quantizeCalibrated(calibrated, {
      arithmetic: "sc-bisc",
      bitsW: 4,
      bitsA: 4,
      layers: { fc3: { arithmetic: "float32" } },
    });
    expect(() => planIntChain(qf)).toThrow(/fc3\) is float32/);
    // @ts-expect-error an unknown backend name
    expect(() => planIntChain(qf, "fast")).toThrow(/integer backend "fast" is unknown/);
  });

  it("evaluateQuantized runs the int chain where it fits and the reference path elsewhere, with the reference's accuracy", () => {
    const x = seededFloats(40 * 784, 9, 0, 1);
    const q = quantizeCalibrated(calibrated, { arithmetic: "sc-bisc", bitsW: 4, bitsA: 4 });
    const ref = runQuantized(q, x);
    // labels: the reference's own argmax on half the images and a wrong class on the rest, so a
    // logit that moved would change the count
    const pred = argmaxRows(ref, 10);
    const labels = Array.from(pred, (p, i) => (i % 2 === 0 ? p : (p + 1) % 10));
    expect(tryPlanIntChain(q)).not.toBeNull();
    expect(evaluateQuantized(q, x, labels)).toEqual(accuracyOf(ref, labels, 10));
    expect(evaluateQuantized(q, x, labels).correct).toBe(20);
    const qf = quantizeCalibrated(calibrated, {
      arithmetic: "sc-bisc",
      bitsW: 4,
      bitsA: 4,
      layers: { fc3: { arithmetic: "float32" } },
    });
    expect(tryPlanIntChain(qf)).toBeNull();
    const refF = runQuantized(qf, x);
    expect(evaluateQuantized(qf, x, labels)).toEqual(accuracyOf(refF, labels, 10));
  });

  it("a backend object that perturbs accumulators by its call count (as a seeded fault injector draws) gives runQuantized's logits", () => {
    // each call adds a pseudo-random ±k to a few accumulators, drawn from a state advanced per call:
    // equal logits need the same calls, with the same operands, in the same order
    const perturbing = (): IntegerBackend => {
      let state = 12345;
      const next = () => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return state;
      };
      const hit = (r: Int32Array, x: Int32Array) => {
        let h = 0;
        for (let i = 0; i < x.length; i += 7) h = (h * 31 + x[i]!) | 0;
        const out = r.slice();
        for (let j = 0; j < 5; j++) out[next() % out.length]! += ((next() ^ h) % 9) - 4;
        return out;
      };
      return {
        name: "perturbing",
        conv2d: (spec, x, xs, w, ws, g) => hit(wasmBackend.conv2d(spec, x, xs, w, ws, g), x),
        gemm: (spec, a, b, m, k, n) => hit(wasmBackend.gemm(spec, a, b, m, k, n), a),
      };
    };
    for (const arithmetic of ["sc-bisc", "fixed"] as const) {
      const q = quantizeCalibrated(calibrated, { arithmetic, bitsW: 5, bitsA: 5 });
      const x = seededFloats(30 * 784, 11, 0, 1);
      const ref = runQuantized(q, x, { backend: perturbing(), batchSize: 10 });
      expect(sameBits(ref, runQuantized(q, x, { batchSize: 10 }))).toBeGreaterThan(0);
      expect(sameBits(runIntChain(q, x, { backend: perturbing(), batchSize: 10 }), ref)).toBe(0);
      const labels = Array.from(argmaxRows(ref, 10));
      expect(evaluateQuantized(q, x, labels, { backend: perturbing(), batchSize: 10 }).correct).toBe(30);
    }
  });

  it("IntChainPool on 2 and 3 threads (worker threads) gives the logits of runQuantized, and refuses 0 threads", async () => {
    const q = quantizeCalibrated(calibrated, { arithmetic: "sc-bisc", bitsW: 6, bitsA: 6 });
    const x = seededFloats(47 * 784, 13, 0, 1);
    const ref = runQuantized(q, x, { batchSize: 20 });
    for (const threads of [2, 3]) {
      const pool = await IntChainPool.create(q, { threads, batchSize: 20 });
      try {
        expect(pool.threads).toBe(threads);
        const got = await pool.run(x);
        expect(sameBits(got, ref)).toBe(0);
        // fewer images than threads: the empty shards are skipped
        expect(sameBits(await pool.run(x.subarray(0, 784)), ref.subarray(0, 10))).toBe(0);
      } finally {
        await pool.close();
      }
    }
    await expect(IntChainPool.create(q, { threads: 0 })).rejects.toThrow(/threads must be an integer 1…64, got 0/);
  });

  it("IntChainPool's workers alone (callerRuns false) claim every chunk and give the logits of runQuantized", async () => {
    const q = quantizeCalibrated(calibrated, { arithmetic: "sc-bisc", bitsW: 5, bitsA: 5 });
    const x = seededFloats(53 * 784, 17, 0, 1);
    const ref = runQuantized(q, x, { batchSize: 4 });
    const pool = await IntChainPool.create(q, { threads: 3, batchSize: 4, callerRuns: false });
    try {
      expect(sameBits(await pool.run(x), ref)).toBe(0);
      // 53 images in chunks of 4 (one batch each): 14 chunks, all run by the two workers
      expect(pool.lastChunks.length).toBe(2);
      expect(pool.lastChunks.reduce((a, b) => a + b, 0)).toBe(14);
      expect(await pool.run(x.subarray(0, 0))).toEqual(new Float32Array(0));
    } finally {
      await pool.close();
    }
  });
});
