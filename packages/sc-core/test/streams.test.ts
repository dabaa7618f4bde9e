import { describe, expect, it } from "vitest";
import { bitrevSequence } from "../src/bit-reverse.ts";
import { Lfsr, LFSR_TAPS, lfsrSequence, reciprocalTaps } from "../src/lfsr.ts";
import { productTable } from "../src/product-table.ts";
import { Rng } from "../src/prng.ts";
import { SOBOL_MAX_DIMENSION, sobolSequence } from "../src/sobol.ts";
import { makeSngSource } from "../src/sng.ts";
import { resolveSpec } from "../src/spec.ts";
import {
  andCountPacked,
  comparatorStream,
  countOnesPacked,
  packStream,
  scStream,
  scStreamPacked,
  unpackStream,
} from "../src/streams.ts";

describe("LFSR", () => {
  it("new Lfsr({ width: n, taps }) has period 2^n − 1 for every table and reciprocal polynomial, n = 1…16, both forms", () => {
    for (let n = 1; n <= 16; n++) {
      for (const taps of [LFSR_TAPS[n]!, reciprocalTaps(LFSR_TAPS[n]!)]) {
        for (const form of ["fibonacci", "galois"] as const) {
          const g = new Lfsr({ width: n, seed: 1, taps, form });
          const seen = new Uint8Array(2 ** n);
          let period = 0;
          let repeats = 0;
          do {
            repeats += seen[g.state]!;
            seen[g.state] = 1;
            g.step();
            period++;
          } while (g.state !== 1 && period < 2 ** n);
          expect(period).toBe(2 ** n - 1);
          expect(repeats).toBe(0);
          expect(seen[0]).toBe(0);
        }
      }
    }
  });
  it("lfsrSequence reproduces the 16-bit Fibonacci and Galois examples (taps 16,14,13,11, seed 0xACE1)", () => {
    // Worked examples of the Wikipedia "Linear-feedback shift register" article: 0xACE1 → 0x5670 (Fibonacci), → 0xE270 (Galois, mask 0xB400).
    expect(Array.from(lfsrSequence({ width: 16, seed: 0xace1, taps: [16, 14, 13, 11] }, 3))).toEqual([
      0xace1, 0x5670, 0xab38,
    ]);
    expect(Array.from(lfsrSequence({ width: 16, seed: 0xace1, taps: [16, 14, 13, 11], form: "galois" }, 3))).toEqual([
      0xace1, 0xe270, 0x7138,
    ]);
  });
  it("lfsrSequence({ width: 4, seed: 1 }) gives the pinned golden states", () => {
    expect(Array.from(lfsrSequence({ width: 4, seed: 1 }, 16))).toEqual([
      1, 8, 4, 2, 9, 12, 6, 11, 5, 10, 13, 14, 15, 7, 3, 1,
    ]);
    expect(Array.from(lfsrSequence({ width: 4, seed: 1, form: "galois" }, 16))).toEqual([
      1, 12, 6, 3, 13, 10, 5, 14, 7, 15, 11, 9, 8, 4, 2, 1,
    ]);
  });
  it("new Lfsr({ seed: 0 }) throws naming seed", () => {
    expect(() => new Lfsr({ width: 8, seed: 0 })).toThrow(/^seed \(LFSR start state\) must be an integer in 1…255/);
    expect(() => new Lfsr({ width: 4, seed: 16 })).toThrow(/^seed/);
    expect(() => new Lfsr({ width: 17, seed: 1 })).toThrow(/^width/);
    expect(() => new Lfsr({ width: 4, seed: 1, taps: [3, 1] })).toThrow(/^taps/);
    expect(() => scStream({ scheme: "lfsr", bits: 6, seed: 0 }, 3)).toThrow(/^spec.seed/);
    expect(() => scStream({ scheme: "lfsr", bits: 6, seedW: 64 }, 3)).toThrow(/^spec.seedW/);
  });
  it("an LFSR comparator stream holds exactly x ones per period (2^N − 1 cycles) and x + [x ≥ seed] over 2^N cycles", () => {
    for (let N = 1; N <= 10; N++) {
      for (const [seed, seedW] of [
        [1, 2 ** N - 1],
        [Math.max(1, 2 ** (N - 1) - 1), Math.max(1, 2 ** N - 3)],
      ] as const) {
        const spec = { scheme: "lfsr" as const, bits: N, seed, seedW };
        for (let x = 0; x < 2 ** N; x += N > 8 ? 37 : 1) {
          for (const [role, s0] of [
            ["stream", seed],
            ["count", seedW],
          ] as const) {
            const st = scStream(spec, x, role);
            const ones = st.reduce((a, b) => a + b, 0);
            expect(ones - st[2 ** N - 1]!).toBe(x);
            expect(ones).toBe(x + (x >= s0 ? 1 : 0));
          }
        }
      }
    }
  });
});

describe("Sobol", () => {
  it("sobolSequence(3, 1|2) equals the unscrambled Sobol points 0, .5, .75, .25, … and 0, .5, .25, .75, …", () => {
    // Published first points of the (Gray-code) Sobol sequence, e.g. SciPy's unscrambled Sobol: x·8.
    expect(Array.from(sobolSequence(3, 1))).toEqual([0, 4, 6, 2, 3, 7, 5, 1]);
    expect(Array.from(sobolSequence(3, 2))).toEqual([0, 4, 2, 6, 3, 7, 1, 5]);
    expect(Array.from(sobolSequence(3, 3))).toEqual([0, 4, 2, 6, 5, 1, 7, 3]);
  });
  it("the first 2^N points of every dimension are a permutation of 0…2^N − 1 (N = 1…12)", () => {
    for (let d = 1; d <= SOBOL_MAX_DIMENSION; d++) {
      for (let N = 1; N <= 12; N++) {
        const seq = sobolSequence(N, d);
        expect(new Set(seq).size).toBe(2 ** N);
      }
    }
  });
  it("dimensions 1 and 2 form a (0, m, 2)-net: every elementary interval of area 2^−N holds one point (N ≤ 10)", () => {
    for (let N = 1; N <= 10; N++) {
      const a = sobolSequence(N, 1);
      const b = sobolSequence(N, 2);
      for (let i = 0; i <= N; i++) {
        const cells = new Uint8Array(2 ** N);
        for (let t = 0; t < 2 ** N; t++) cells[((a[t]! >>> (N - i)) << (N - i)) | (b[t]! >>> i)]!++;
        expect(cells.every((c) => c === 1)).toBe(true);
      }
    }
  });
  it("a Sobol comparator stream holds exactly x ones over 2^N cycles, for both roles", () => {
    for (let N = 1; N <= 10; N++) {
      for (let x = 0; x < 2 ** N; x += N > 8 ? 13 : 1) {
        for (const role of ["stream", "count"] as const) {
          expect(scStream({ scheme: "sobol", bits: N }, x, role).reduce((p, q) => p + q, 0)).toBe(x);
        }
      }
    }
  });
});

describe("bit-reversed counter and packed streams", () => {
  it("bitrevSequence(3) is 0, 4, 2, 6, 1, 5, 3, 7 and a bitrev stream holds exactly x ones", () => {
    expect(Array.from(bitrevSequence(3))).toEqual([0, 4, 2, 6, 1, 5, 3, 7]);
    for (let N = 1; N <= 10; N++) {
      for (let x = 0; x < 2 ** N; x += 3)
        expect(scStream({ scheme: "bitrev", bits: N }, x).reduce((p, q) => p + q, 0)).toBe(x);
    }
  });
  it("SNG sources equal the precomputed sequences (bitrev, LFSR − 1, Sobol dims 1/2) over two periods", () => {
    for (const N of [1, 3, 8]) {
      const size = 2 ** N;
      const br = makeSngSource(resolveSpec({ scheme: "bitrev", bits: N }));
      const seqB = bitrevSequence(N);
      for (let t = 0; t < 2 * size; t++) expect(br.next()).toBe(seqB[t % size]);
      const lf = makeSngSource(resolveSpec({ scheme: "lfsr", bits: N, seed: 1 }));
      const seqL = lfsrSequence({ width: N, seed: 1 }, size);
      for (let t = 0; t < size; t++) expect(lf.next()).toBe(seqL[t]! - 1);
      const lw = makeSngSource(resolveSpec({ scheme: "lfsr", bits: N }), "count");
      const seqLW = lfsrSequence({ width: N, seed: size - 1, taps: reciprocalTaps(LFSR_TAPS[N]!) }, size);
      for (let t = 0; t < size; t++) expect(lw.next()).toBe(seqLW[t]! - 1);
      for (const [role, d] of [
        ["stream", 1],
        ["count", 2],
      ] as const) {
        const so = makeSngSource(resolveSpec({ scheme: "sobol", bits: N }), role);
        const seqS = sobolSequence(N, d);
        for (let t = 0; t < size; t++) expect(so.next()).toBe(seqS[t]);
      }
    }
  });
  it("comparatorStream(x, bitrevSequence(N)) equals scStream bitrev", () => {
    expect(comparatorStream(5, bitrevSequence(4))).toEqual(scStream({ scheme: "bitrev", bits: 4 }, 5));
  });
  it("packStream/unpackStream round-trip and countOnesPacked counts prefixes", () => {
    const rng = new Rng(11);
    for (const len of [1, 31, 32, 33, 100, 256]) {
      const bits = Uint8Array.from({ length: len }, () => rng.between(0, 1));
      const words = packStream(bits);
      expect(unpackStream(words, len)).toEqual(bits);
      for (let p = 0; p <= len; p += 7)
        expect(countOnesPacked(words, p)).toBe(bits.subarray(0, p).reduce((a, b) => a + b, 0));
    }
  });
  it("andCountPacked of the two packed generator streams equals the conventional product table (lfsr, sobol, N = 6)", () => {
    for (const scheme of ["lfsr", "sobol"] as const) {
      const spec = { scheme, bits: 6 };
      const { table } = productTable(spec);
      for (let x = 0; x < 64; x += 3) {
        const px = scStreamPacked(spec, x, "stream");
        for (let w = 0; w < 64; w += 5)
          expect(andCountPacked(px, scStreamPacked(spec, w, "count"), 64)).toBe(table[x * 64 + w]);
      }
    }
  });
  it("scStream rejects a count-role stream for bisc and out-of-range x naming the parameter", () => {
    expect(() => scStream({ scheme: "bisc", bits: 4 }, 3, "count")).toThrow(/role "count"/);
    expect(() => scStream({ scheme: "bisc", bits: 4 }, 16)).toThrow(/^x must be an integer magnitude in 0…15/);
    expect(() => packStream([0, 2])).toThrow(/^stream\[1\]/);
  });
});
