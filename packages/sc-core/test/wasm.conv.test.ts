import { expect, it } from "vitest";
import {
  convGeometry,
  intConv2d,
  scConv2d,
  scGemm,
  Rng,
  type Conv2dOptions,
  type CountOperand,
  type Scheme,
} from "../src/index.ts";
import { truncProductSigned } from "../src/truncated.ts";
import {
  wasmIntConv2d,
  wasmIntGemm,
  wasmScConv2d,
  wasmScGemm,
  wasmTruncConv2d,
  wasmTruncGemm,
} from "../src/wasm/index.ts";
import { directSc } from "../src/wasm/layout.ts";
import { byteTables, nibbleTables } from "../src/wasm/nibble-tables.ts";
import { gaussianSigned, naiveGemm, randomSigned, forEachKernelVariant } from "./helpers.ts";

interface Case {
  name: string;
  inShape: [number, number, number, number];
  k: number;
  rs: [number, number];
  opts: Conv2dOptions;
}

const CASES: Case[] = [
  { name: "LeNet-5 conv2 (6→16, 5×5, 12×12, batch 4)", inShape: [4, 6, 12, 12], k: 16, rs: [5, 5], opts: {} },
  { name: "batch 1, padding 1, 3×3", inShape: [1, 3, 7, 9], k: 5, rs: [3, 3], opts: { padding: 1 } },
  {
    name: "stride 2, padding 2, odd sizes",
    inShape: [2, 4, 11, 13],
    k: 7,
    rs: [3, 5],
    opts: { stride: 2, padding: 2 },
  },
  { name: "groups 2", inShape: [3, 4, 9, 8], k: 6, rs: [3, 2], opts: { groups: 2, padding: 1 } },
  { name: "depthwise (groups = C)", inShape: [2, 6, 10, 10], k: 6, rs: [3, 3], opts: { groups: 6, padding: 1 } },
  {
    name: "depthwise ×2 multiplier, stride 3",
    inShape: [2, 3, 10, 11],
    k: 6,
    rs: [2, 2],
    opts: { groups: 3, stride: 3 },
  },
  { name: "fan-in 300 (three 128-tap rounds), 1×1 output", inShape: [3, 12, 5, 5], k: 3, rs: [5, 5], opts: {} },
  { name: "wide rows (Q = 37 > 16), 1 channel", inShape: [2, 1, 6, 40], k: 2, rs: [2, 4], opts: {} },
  { name: "1×1 filter, 40 output channels", inShape: [2, 5, 4, 4], k: 40, rs: [1, 1], opts: {} },
  { name: "8-pixel rows paired across images (P = 7, Q = 8)", inShape: [3, 4, 9, 10], k: 5, rs: [3, 3], opts: {} },
  { name: "8-pixel rows over two chunks (M = 320)", inShape: [5, 4, 9, 10], k: 6, rs: [2, 3], opts: { groups: 2 } },
  // the direct kernel's geometries when the input is ≥ 0 (see DIRECT_CASES)
  {
    name: "LeNet-5 conv1 (1→6, 5×5, padding 2, 28×28, batch 3)",
    inShape: [3, 1, 28, 28],
    k: 6,
    rs: [5, 5],
    opts: { padding: 2 },
  },
  {
    name: "fan-in 200 (two rounds), groups 2, two chunks per image (Wp = 40: 25 + 15 rows)",
    inShape: [1, 16, 40, 36],
    k: 4,
    rs: [5, 5],
    opts: { groups: 2, padding: 2 },
  },
];

/** Cases whose geometry takes the direct kernel (no im2col) when no input is negative. */
const DIRECT_CASES = [
  "groups 2",
  "wide rows (Q = 37 > 16), 1 channel",
  "LeNet-5 conv1 (1→6, 5×5, padding 2, 28×28, batch 3)",
  "fan-in 200 (two rounds), groups 2, two chunks per image (Wp = 40: 25 + 15 rows)",
];

function wShape(c: Case): [number, number, number, number] {
  return [c.k, c.inShape[1] / (c.opts.groups ?? 1), c.rs[0], c.rs[1]];
}

/** Seeded signed N-bit input and weights of a case, and its weight shape. */
function caseOperands(rng: Rng, c: Case, bits: number) {
  const ws = wShape(c);
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  return { ws, x: randomSigned(rng, bits, size(c.inShape)), w: randomSigned(rng, bits, size(ws)) };
}

/** Direct 7-loop convolution of `mul` products, x·w by default (independent of the kernels under test). */
function naiveIntConv(
  input: Int32Array,
  inShape: number[],
  weight: Int32Array,
  ws: number[],
  opts: Conv2dOptions,
  mul: (x: number, w: number) => number = (x, w) => x * w,
): Int32Array {
  const [n, c, h, w] = inShape as [number, number, number, number];
  const [k, cg, r, s] = ws as [number, number, number, number];
  const stride = opts.stride ?? 1;
  const pad = opts.padding ?? 0;
  const groups = opts.groups ?? 1;
  const kg = k / groups;
  const p = Math.floor((h + 2 * pad - r) / stride) + 1;
  const q = Math.floor((w + 2 * pad - s) / stride) + 1;
  const out = new Int32Array(n * k * p * q);
  for (let b = 0; b < n; b++)
    for (let ko = 0; ko < k; ko++)
      for (let y = 0; y < p; y++)
        for (let x = 0; x < q; x++) {
          let sum = 0;
          const g = Math.floor(ko / kg);
          for (let ci = 0; ci < cg; ci++)
            for (let ry = 0; ry < r; ry++)
              for (let sx = 0; sx < s; sx++) {
                const iy = y * stride - pad + ry;
                const ix = x * stride - pad + sx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                sum += mul(
                  input[((b * c + g * cg + ci) * h + iy) * w + ix]!,
                  weight[((ko * cg + ci) * r + ry) * s + sx]!,
                );
              }
          out[((b * k + ko) * p + y) * q + x] = sum;
        }
  return out;
}

function expectSame(got: Int32Array, want: Int32Array, label: string): void {
  expect(got.length, label).toBe(want.length);
  let bad = -1;
  for (let i = 0; i < want.length && bad < 0; i++) if (got[i] !== want[i]) bad = i;
  if (bad >= 0) expect(got[bad], `${label}: first mismatch at ${bad}`).toBe(want[bad]);
}

forEachKernelVariant("wasmScConv2d", () => {
  it("wasmScConv2d equals scConv2d on seeded random shapes (stride, padding, groups, depthwise, fan-in > 256) at N = 1, 3, 5, 8", () => {
    const rng = new Rng(20261128);
    for (const c of CASES) {
      for (const bits of [1, 3, 5, 8]) {
        const spec = { scheme: "bisc" as Scheme, bits };
        const { ws, x, w } = caseOperands(rng, c, bits);
        const got = wasmScConv2d(spec, x, c.inShape, w, ws, c.opts);
        const want = scConv2d(spec, x, c.inShape, w, ws, c.opts);
        expect(got.shape).toEqual(want.shape);
        expectSame(got.data, want.data, `${c.name}, N = ${bits}`);
      }
    }
  });

  it("wasmScConv2d equals scConv2d at N = 9…16 (split into N = 8, integer and N − 8 kernels), both count operands", () => {
    const rng = new Rng(916);
    for (const c of [CASES[0]!, CASES[2]!, CASES[4]!, CASES[6]!]) {
      for (const bits of [9, 12, 16]) {
        for (const countOperand of ["w", "x"] as CountOperand[]) {
          const spec = { scheme: "bisc" as Scheme, bits, countOperand };
          const ws = wShape(c);
          const x = randomSigned(
            rng,
            bits,
            c.inShape.reduce((a, b) => a * b, 1),
          );
          const w = randomSigned(
            rng,
            bits,
            ws.reduce((a, b) => a * b, 1),
          );
          expectSame(
            wasmScConv2d(spec, x, c.inShape, w, ws, c.opts).data,
            scConv2d(spec, x, c.inShape, w, ws, c.opts).data,
            `${c.name}, N = ${bits}, ${countOperand}`,
          );
        }
      }
    }
  });

  it("wasmScConv2d equals scConv2d with countOperand x and with Gaussian weights", () => {
    const rng = new Rng(7);
    for (const c of CASES.slice(0, 5)) {
      for (const countOperand of ["x", "w"] as CountOperand[]) {
        const spec = { scheme: "bisc" as Scheme, bits: 7, countOperand };
        const ws = wShape(c);
        const x = randomSigned(
          rng,
          7,
          c.inShape.reduce((a, b) => a * b, 1),
        );
        const w = gaussianSigned(
          rng,
          7,
          ws.reduce((a, b) => a * b, 1),
        );
        expectSame(
          wasmScConv2d(spec, x, c.inShape, w, ws, c.opts).data,
          scConv2d(spec, x, c.inShape, w, ws, c.opts).data,
          `${c.name}, ${countOperand}`,
        );
      }
    }
  });

  it("inputs all ≥ 0 (after a ReLU: the two-plane unsigned kernel) equal scConv2d on every case at N = 1…8, both count operands, and one negative input anywhere (SIMD or scalar tail) takes the signed kernel", () => {
    const rng = new Rng(20261206);
    for (const c of CASES) {
      for (const bits of [1, 2, 4, 5, 8]) {
        for (const countOperand of ["w", "x"] as CountOperand[]) {
          const spec = { scheme: "bisc" as Scheme, bits, countOperand };
          const ws = wShape(c);
          const n = c.inShape.reduce((a, b) => a * b, 1);
          // non-negative, a third of them 0 (as after a ReLU); weights of both signs
          const x = randomSigned(rng, bits, n).map((v) => (v < 0 ? 0 : v));
          const w = randomSigned(
            rng,
            bits,
            ws.reduce((a, b) => a * b, 1),
          );
          const label = `${c.name}, N = ${bits}, count ${countOperand}`;
          expectSame(
            wasmScConv2d(spec, x, c.inShape, w, ws, c.opts).data,
            scConv2d(spec, x, c.inShape, w, ws, c.opts).data,
            label,
          );
          for (const at of [0, n >> 1, n - 1]) {
            const y = x.slice();
            y[at] = -(2 ** bits - 1);
            expectSame(
              wasmScConv2d(spec, y, c.inShape, w, ws, c.opts).data,
              scConv2d(spec, y, c.inShape, w, ws, c.opts).data,
              `${label}, input ${at} negative`,
            );
          }
        }
      }
    }
  });

  it("the direct kernel (stride 1, at most 5/4 of the output computed) is chosen for exactly the cases listed as direct, and never for a GEMM", () => {
    for (const c of CASES)
      expect(directSc(convGeometry(c.inShape, wShape(c), c.opts)), c.name).toBe(DIRECT_CASES.includes(c.name));
    expect(directSc(convGeometry([100, 400, 1, 1], [120, 400, 1, 1]))).toBe(false);
    // LeNet-5 conv2 (Wp = 14 for Q = 10) stays on im2col
    expect(directSc(convGeometry([100, 6, 14, 14], [16, 6, 5, 5]))).toBe(false);
  });

  it("wasmScConv2d is exact at the i16 round limits: all operands ±255, all signs equal or all opposite, fan-in 300", () => {
    const inShape: [number, number, number, number] = [2, 12, 5, 5];
    const ws: [number, number, number, number] = [4, 12, 5, 5];
    const spec = { scheme: "bisc" as Scheme, bits: 8 };
    for (const [xv, wv] of [
      [255, 255],
      [-255, 255],
      [255, -255],
      [-255, -255],
    ]) {
      const x = new Int32Array(2 * 12 * 25).fill(xv!);
      const w = new Int32Array(4 * 12 * 25).fill(wv!);
      const got = wasmScConv2d(spec, x, inShape, w, ws);
      expectSame(got.data, scConv2d(spec, x, inShape, w, ws).data, `x = ${xv}, w = ${wv}`);
      expect(Math.abs(got.data[0]!)).toBe(300 * 255);
    } // the same on the direct kernel (x ≥ 0; padding 2 keeps 30 columns of 34): the centre pixel has all 300 taps
    const dShape: [number, number, number, number] = [1, 12, 30, 30];
    expect(directSc(convGeometry(dShape, ws, { padding: 2 }))).toBe(true);
    for (const wv of [255, -255]) {
      const x = new Int32Array(12 * 900).fill(255);
      const w = new Int32Array(4 * 12 * 25).fill(wv);
      const got = wasmScConv2d(spec, x, dShape, w, ws, { padding: 2 });
      expectSame(got.data, scConv2d(spec, x, dShape, w, ws, { padding: 2 }).data, `direct, x = 255, w = ${wv}`);
      expect(got.data[15 * 30 + 15]).toBe(Math.sign(wv) * 300 * 255);
    }
  });

  it("the byte-table kernel (bitrev, lfsr, sobol at N = 5…8, both count operands) equals scConv2d on every case, and wasmScGemm equals scGemm", () => {
    const rng = new Rng(17);
    let checked = 0;
    for (const scheme of ["bitrev", "lfsr", "sobol"] as Scheme[])
      for (const bits of [5, 6, 7, 8])
        for (const countOperand of ["w", "x"] as CountOperand[]) {
          const spec = { scheme, bits, seed: 5, countOperand };
          expect(byteTables(spec), JSON.stringify(spec)).not.toBeNull();
          expect(nibbleTables(spec), JSON.stringify(spec)).toBeNull();
          for (const c of bits === 8 && countOperand === "w" ? CASES : CASES.slice(0, 4)) {
            const ws = wShape(c);
            const x = randomSigned(
              rng,
              bits,
              c.inShape.reduce((a, b) => a * b, 1),
            );
            const w = randomSigned(
              rng,
              bits,
              ws.reduce((a, b) => a * b, 1),
            );
            expectSame(
              wasmScConv2d(spec, x, c.inShape, w, ws, c.opts).data,
              scConv2d(spec, x, c.inShape, w, ws, c.opts).data,
              `${JSON.stringify(spec)} ${c.name}`,
            );
            checked++;
          }
          const [m, k, n] = [7, 150, 5];
          const a = randomSigned(rng, bits, m * k);
          const b = randomSigned(rng, bits, n * k);
          expectSame(wasmScGemm(spec, a, b, m, k, n), scGemm(spec, a, b, m, k, n), `gemm ${JSON.stringify(spec)}`);
        }
    expect(checked).toBe(3 * (CASES.length + 7 * 4));
  });

  it("an 8-bit LFSR count of 256 (|x| = |w| = 255, capped at 255 in the byte table) is restored exactly", () => {
    const spec = { scheme: "lfsr" as Scheme, bits: 8, seed: 5 };
    expect(byteTables(spec)!.overflow).not.toBeNull();
    const inShape: [number, number, number, number] = [2, 3, 6, 6];
    const ws: [number, number, number, number] = [4, 3, 3, 3];
    // mostly ±255 on both sides (every such product overflows), some other values between
    const x = Int32Array.from({ length: 2 * 3 * 36 }, (_, i) => (i % 5 === 0 ? 17 - i : i % 2 ? 255 : -255));
    const w = Int32Array.from({ length: 4 * 27 }, (_, i) => (i % 7 === 0 ? 100 : i % 3 ? -255 : 255));
    const want = scConv2d(spec, x, inShape, w, ws, { padding: 1 }).data;
    expectSame(wasmScConv2d(spec, x, inShape, w, ws, { padding: 1 }).data, want, "lfsr 8 at ±255");
  });

  it("wasmScConv2d takes plain number arrays, N up to 16, and falls back to scConv2d for the other schemes", () => {
    const rng = new Rng(3);
    const c = CASES[1]!;
    const ws = wShape(c);
    for (const spec of [
      { scheme: "bisc" as Scheme, bits: 12 },
      { scheme: "bisc" as Scheme, bits: 16 },
      { scheme: "bitrev" as Scheme, bits: 6 },
      { scheme: "lfsr" as Scheme, bits: 5, seed: 3 },
      { scheme: "sobol" as Scheme, bits: 4 },
      { scheme: "bisc" as Scheme, bits: 6 },
    ]) {
      const x = Array.from(
        randomSigned(
          rng,
          spec.bits,
          c.inShape.reduce((a, b) => a * b, 1),
        ),
      );
      const w = Array.from(
        randomSigned(
          rng,
          spec.bits,
          ws.reduce((a, b) => a * b, 1),
        ),
      );
      expectSame(
        wasmScConv2d(spec, x, c.inShape, w, ws, c.opts).data,
        scConv2d(spec, x, c.inShape, w, ws, c.opts).data,
        JSON.stringify(spec),
      );
    }
  });

  it("an `out` buffer receives the result of every kernel and fallback (same values, returned as is) and a wrong length is refused", () => {
    const rng = new Rng(9);
    const c = CASES[0]!;
    const ws = wShape(c);
    const n = c.inShape[0] * c.k * (c.inShape[2] - c.rs[0] + 1) * (c.inShape[3] - c.rs[1] + 1);
    const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
    for (const spec of [
      { scheme: "bisc" as Scheme, bits: 8 },
      { scheme: "bisc" as Scheme, bits: 12 },
      { scheme: "bitrev" as Scheme, bits: 5 },
    ]) {
      const x = randomSigned(rng, spec.bits, size(c.inShape));
      const w = randomSigned(rng, spec.bits, size(ws));
      const out = new Int32Array(n).fill(-99);
      const r = wasmScConv2d(spec, x, c.inShape, w, ws, { ...c.opts, out });
      expect(r.data).toBe(out);
      expectSame(out, scConv2d(spec, x, c.inShape, w, ws, c.opts).data, JSON.stringify(spec));
      expect(() => wasmScConv2d(spec, x, c.inShape, w, ws, { out: new Int32Array(n - 1) })).toThrow(
        /out has \d+ elements/,
      );
      const gOut = new Int32Array(4 * 5);
      const a = randomSigned(rng, spec.bits, 4 * 30);
      const b = randomSigned(rng, spec.bits, 5 * 30);
      expect(wasmScGemm(spec, a, b, 4, 30, 5, gOut)).toBe(gOut);
      expectSame(gOut, wasmScGemm(spec, a, b, 4, 30, 5), `gemm ${JSON.stringify(spec)}`);
    }
    const x8 = randomSigned(rng, 7, size(c.inShape));
    const w8 = randomSigned(rng, 7, size(ws));
    const out = new Int32Array(n);
    expect(wasmIntConv2d(x8, c.inShape, w8, ws, { out }).data).toBe(out);
    expectSame(out, intConv2d(x8, c.inShape, w8, ws).data, "int");
    const gOut = new Int32Array(6);
    expect(wasmIntGemm(x8.subarray(0, 20), w8.subarray(0, 30), 2, 10, 3, gOut)).toBe(gOut);
    expectSame(gOut, wasmIntGemm(x8.subarray(0, 20), w8.subarray(0, 30), 2, 10, 3), "int gemm");
    expect(() => wasmIntGemm(x8.subarray(0, 20), w8.subarray(0, 30), 2, 10, 3, new Int32Array(7))).toThrow(
      /out has 7 elements/,
    );
  });

  it("wasmScConv2d rejects an out-of-range input or weight with an error naming it", () => {
    const x = new Int32Array(1 * 2 * 4 * 4).fill(3);
    x[17] = 256;
    const w = new Int32Array(2 * 2 * 3 * 3).fill(1);
    expect(() => wasmScConv2d({ scheme: "bisc", bits: 8 }, x, [1, 2, 4, 4], w, [2, 2, 3, 3])).toThrow(/input\[17\]/);
    x[17] = -2147483648;
    expect(() => wasmScConv2d({ scheme: "bisc", bits: 8 }, x, [1, 2, 4, 4], w, [2, 2, 3, 3])).toThrow(/input\[17\]/);
    x[17] = 0;
    w[5] = -16;
    expect(() => wasmScConv2d({ scheme: "bisc", bits: 4 }, x, [1, 2, 4, 4], w, [2, 2, 3, 3])).toThrow(/weight\[5\]/);
    expect(() => wasmScConv2d({ scheme: "bisc", bits: 8 }, x, [1, 2, 4, 4], w, [2, 3, 3, 3])).toThrow(/wShape\[1\]/);
    // Int32Array weights are range-checked in WASM (scProgram): SIMD lanes and the scalar tail, the
    // unsigned (x >= 0) and signed kernels, -2^31 included
    const w3 = new Int32Array(3 * 2 * 1 * 1).fill(1); // 6 weights: one SIMD group of 4 and a tail of 2
    for (const [at, v] of [
      [1, 256],
      [5, 256],
      [2, -2147483648],
      [4, -2147483648],
    ] as const) {
      for (const xs of [0, -1]) {
        const xi = new Int32Array(2 * 2 * 2 * 2).fill(3);
        xi[0] = xs;
        const wi = w3.slice();
        wi[at] = v;
        expect(() => wasmScConv2d({ scheme: "bisc", bits: 8 }, xi, [2, 2, 2, 2], wi, [3, 2, 1, 1])).toThrow(
          new RegExp(`weight\\[${at}\\]`),
        );
        expect(() => wasmScGemm({ scheme: "bisc", bits: 8 }, xi.subarray(0, 4), wi, 2, 2, 3)).toThrow(
          new RegExp(`b\\[${at}\\]`),
        );
      }
    }
  });
});

forEachKernelVariant("wasmIntConv2d", () => {
  it("wasmIntConv2d equals a direct loop and intConv2d on seeded random shapes, int8 and 12-bit operands", () => {
    const rng = new Rng(99);
    for (const c of CASES) {
      for (const [xMax, wMax] of [
        [127, 127],
        [2047, 2047],
        [1, 1],
      ]) {
        const ws = wShape(c);
        const x = Int32Array.from({ length: c.inShape.reduce((a, b) => a * b, 1) }, () => rng.between(-xMax!, xMax!));
        const w = Int32Array.from({ length: ws.reduce((a, b) => a * b, 1) }, () => rng.between(-wMax!, wMax!));
        const got = wasmIntConv2d(x, c.inShape, w, ws, c.opts);
        expectSame(got.data, naiveIntConv(x, c.inShape, w, ws, c.opts), `${c.name}, ±${xMax}`);
        expectSame(got.data, intConv2d(x, c.inShape, w, ws, c.opts).data, `${c.name} vs intConv2d`);
      }
    }
  });

  it("wasmIntConv2d is exact at the i16 limits (±32767, fan-in 2) and falls back to intConv2d beyond them", () => {
    const inShape: [number, number, number, number] = [1, 2, 3, 3];
    const ws: [number, number, number, number] = [3, 2, 1, 1];
    const x = Int32Array.from([32767, -32767, 5, 0, 1, -1, 7, 8, 9, -32767, 32767, 2, 3, 4, 5, 6, 7, 8]);
    const w = Int32Array.from([32767, 32767, -32767, 32767, 1, -1]);
    expectSame(wasmIntConv2d(x, inShape, w, ws).data, naiveIntConv(x, inShape, w, ws, {}), "i16 limits");
    const big = Int32Array.from(x, (v) => v * 3);
    const wSmall = Int32Array.from([1, 2, 3, 4, 5, 6]);
    expectSame(
      wasmIntConv2d(big, inShape, wSmall, ws).data,
      naiveIntConv(big, inShape, wSmall, ws, {}),
      "|x| > 32767 falls back",
    );
    expect(() => wasmIntConv2d(big, inShape, w, ws)).toThrow(/overflow/);
  });

  it("wasmIntConv2d takes plain number arrays and rejects a non-integer like intConv2d", () => {
    const rng = new Rng(12);
    const c = CASES[2]!;
    const ws = wShape(c);
    const x = Array.from({ length: c.inShape.reduce((a, b) => a * b, 1) }, () => rng.between(-100, 100));
    const w = Array.from({ length: ws.reduce((a, b) => a * b, 1) }, () => rng.between(-100, 100));
    expectSame(
      wasmIntConv2d(x, c.inShape, w, ws, c.opts).data,
      naiveIntConv(Int32Array.from(x), c.inShape, Int32Array.from(w), ws, c.opts),
      "number[]",
    );
    x[3] = 1.5;
    expect(() => wasmIntConv2d(x, c.inShape, w, ws, c.opts)).toThrow(/must be an integer/);
  });
});

forEachKernelVariant("wasmTruncConv2d", () => {
  it("equals one truncProductSigned per MAC on every shape, in one part (N + g ≤ 8) and in two (2^g·T_0 + D_g: N = 8, g = 1, 5; N = 7, g = 2), signed and non-negative inputs", () => {
    const rng = new Rng(20261207);
    for (const c of CASES)
      for (const [bits, g] of [
        [2, 0],
        [4, 3],
        [6, 0],
        [6, 2],
        [7, 1],
        [8, 0],
        [8, 1],
        [8, 5],
        [7, 2],
      ] as const) {
        const { ws, x: signed, w } = caseOperands(rng, c, bits);
        const mul = (x: number, v: number) => truncProductSigned(x, v, bits, g);
        for (const x of [signed, signed.map(Math.abs)]) {
          const got = wasmTruncConv2d(bits, g, x, c.inShape, w, ws, c.opts);
          expect(got, `${c.name}, N = ${bits}, g = ${g}: table kernel`).not.toBeNull();
          expectSame(got!.data, naiveIntConv(x, c.inShape, w, ws, c.opts, mul), `${c.name}, N = ${bits}, g = ${g}`);
        }
      }
  });

  it("the GEMM form equals truncProductSigned dots (into an out buffer too); null where D_g exceeds a byte; operands outside N bits refused", () => {
    const rng = new Rng(7);
    const a = randomSigned(rng, 5, 9 * 300);
    const b = randomSigned(rng, 5, 4 * 300);
    const got = wasmTruncGemm(5, 1, a, b, 9, 300, 4);
    expectSame(
      got!,
      naiveGemm(a, b, 9, 300, 4, (x, w) => truncProductSigned(x, w, 5, 1)),
      "gemm N = 5, g = 1",
    );
    const into = new Int32Array(9 * 4);
    const split = wasmTruncGemm(8, 2, a, b, 9, 300, 4, into);
    expect(split).toBe(into);
    expectSame(
      into,
      naiveGemm(a, b, 9, 300, 4, (x, w) => truncProductSigned(x, w, 8, 2)),
      "gemm N = 8, g = 2",
    );
    // D_g, the columns N − g … N − 1, exceeds a byte from g = 6 at N = 7 and 8; N > 8 has no byte tables
    for (const [bits, g] of [
      [8, 6],
      [7, 6],
      [9, 0],
    ] as const)
      expect(wasmTruncGemm(bits, g, new Int32Array(4), new Int32Array(4), 2, 2, 2), `N = ${bits}, g = ${g}`).toBeNull();
    expect(() => wasmTruncGemm(4, 0, Int32Array.of(16, 0), Int32Array.of(1, 1), 1, 2, 1)).toThrow(/16/);
    expect(() => wasmTruncGemm(4, 0, Int32Array.of(1, 0), Int32Array.of(-16, 1), 1, 2, 1)).toThrow(/-16/);
  });
});
