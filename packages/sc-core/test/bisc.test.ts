import { describe, expect, it } from "vitest";
import { biscCount, biscPlaneGain, biscStreamBit } from "../src/bisc.ts";
import { biscStream } from "../src/streams.ts";

describe("BISC closed form", () => {
  it("biscCount(x, w, N) equals the ones in the first w bits of x's ctz-order stream for all x, w at N = 1…8", () => {
    let mismatches = 0;
    for (let N = 1; N <= 8; N++) {
      const size = 2 ** N;
      for (let x = 0; x < size; x++) {
        let ones = 0;
        for (let w = 0; w < size; w++) {
          if (biscCount(x, w, N) !== ones) mismatches++;
          ones += biscStreamBit(x, N, w + 1);
        }
      }
    }
    expect(mismatches).toBe(0);
  });
  it("biscCount equals Σ_j w_j·G_j(x) (bit-plane identity) for all x, w at N = 1…8", () => {
    let mismatches = 0;
    for (let N = 1; N <= 8; N++) {
      const size = 2 ** N;
      for (let x = 0; x < size; x++) {
        for (let w = 0; w < size; w++) {
          let s = 0;
          for (let j = 0; j < N; j++) if ((w >>> j) & 1) s += biscPlaneGain(x, j, N);
          if (s !== biscCount(x, w, N)) mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
  });
  it("biscPlaneGain(x, j, N) is round-half-up of x·2^j/2^N", () => {
    for (const N of [3, 8, 12]) {
      for (let x = 0; x < 2 ** N; x += N === 12 ? 7 : 1) {
        for (let j = 0; j < N; j++) expect(biscPlaneGain(x, j, N)).toBe(Math.floor((x * 2 ** j) / 2 ** N + 0.5));
      }
    }
  });
  it("biscStream(x, N) holds exactly x ones and emits the MSB on every odd cycle", () => {
    for (const N of [1, 4, 8, 12]) {
      for (const x of [0, 1, 2 ** N - 1, 2 ** (N - 1), (2 ** N / 3) | 0]) {
        const s = biscStream(x, N);
        expect(s.length).toBe(2 ** N);
        expect(s.reduce((a, b) => a + b, 0)).toBe(x);
        for (let t = 1; t <= 2 ** N; t += 2) expect(s[t - 1]).toBe((x >>> (N - 1)) & 1);
      }
    }
  });
  it("biscStream(0b1011, 4) is the pinned golden stream", () => {
    // t = 1…16, ctz(t) = 0 1 0 2 0 1 0 3 0 1 0 2 0 1 0 4 selects x[3 − ctz]; ctz 4 ≥ N gives 0.
    expect(Array.from(biscStream(0b1011, 4)).join("")).toBe("1011101110111010");
  });
  it("biscCount at N = 16 equals the stream prefix count on sampled x, w", () => {
    const N = 16;
    for (const x of [1, 12345, 65535, 32768]) {
      let ones = 0;
      for (let w = 0; w < 2 ** N; w++) {
        if (w % 997 === 0 || w === 65535) expect(biscCount(x, w, N)).toBe(ones);
        ones += biscStreamBit(x, N, w + 1);
      }
    }
  });
  it("biscCount(1, 0, 0) throws naming bits (N)", () => {
    expect(() => biscCount(1, 0, 0)).toThrow("bits (N) must be an integer in 1…16, got 0");
    expect(() => biscCount(1, 0, 17)).toThrow(/bits \(N\)/);
    expect(() => biscCount(16, 0, 4)).toThrow(/^x must be/);
    expect(() => biscCount(1, -1, 4)).toThrow(/^w must be/);
  });
});
