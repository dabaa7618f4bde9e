import { checkInteger } from "./validate.ts";

/**
 * A small seeded PRNG for tests, property checks and studies (never Math.random): "splitmix32",
 * a Weyl sequence (step 0x9E3779B9, the 32-bit golden ratio as in SplitMix64) finalised by the
 * 32-bit integer hash with multipliers 0x21F0AAAD / 0x735A2D97 and shifts 16/15/15 (C. Wellons,
 * hash-prospector, "lowbias32"-style). Output: uniform uint32. Golden first draws are pinned in
 * test/prng.test.ts.
 */
export class SplitMix32 {
  private state: number;
  constructor(seed: number) {
    checkInteger(seed, "seed (PRNG)", 0, 2 ** 32 - 1);
    this.state = seed | 0;
  }
  /** Next uniform uint32. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let t = this.state ^ (this.state >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  }
  /** Uniform float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextU32() / 2 ** 32;
  }
  /** Uniform integer in lo…hi (inclusive), hi − lo < 2^32; rejection sampling, no modulo bias. */
  int(lo: number, hi: number): number {
    const span = hi - lo + 1;
    const limit = 2 ** 32 - (2 ** 32 % span);
    let v = this.nextU32();
    while (v >= limit) v = this.nextU32();
    return lo + (v % span);
  }
  /** Standard normal draw (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
