import { checkInteger } from "./validate.ts";

/**
 * The workspace's one home of seeded pseudo-random numbers (nothing reads Math.random) and of the
 * one normal sampler:
 * - `Rng`: xoshiro128** (Blackman & Vigna) seeded through splitmix32, with independent streams per
 *   (seed, stream…): the one seeded generator: NN engine (weight init, shuffling, dropout), fault
 *   injection, synthetic weights, test data, fixtures.
 * - `gaussian(uniform)`: standard normal draws (Marsaglia polar, both outputs used); `Rng.normal`
 *   is this sampler over `Rng.float`.
 * The splitmix32 step (a Weyl sequence, step 0x9E3779B9, the 32-bit golden ratio as in SplitMix64,
 * finalised by the 32-bit integer hash with multipliers 0x21F0AAAD / 0x735A2D97 and shifts
 * 16/15/15, C. Wellons' hash-prospector) is only Rng's seeding, not a generator of its own.
 * Golden first draws are pinned in test/prng.test.ts and packages/nn/test/engine-prng.test.ts
 * (every committed checkpoint and training log is drawn from Rng: its draws must not change).
 */

/** One splitmix32 step (Rng's seeding): advances `state.s` and returns a uniform uint32. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Standard normal draws by Marsaglia's polar method from a uniform [0, 1) generator (both outputs used). */
export function gaussian(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = 0,
      v = 0,
      r2 = 0;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      r2 = u * u + v * v;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    spare = v * f;
    return u * f;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** xoshiro128** (Blackman & Vigna) seeded through splitmix32, with independent streams; the NN engine's generator. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private normalDraw: (() => number) | null = null;

  /**
   * @param seed integer in [0, 2^32)
   * @param streams optional further integers that select an independent stream of the same seed
   *   (e.g. epoch, step, shard), so derived generators need no shared state.
   */
  constructor(seed: number, ...streams: number[]) {
    checkInteger(seed, "seed", 0, 2 ** 32 - 1);
    const st = { s: seed | 0 };
    for (const [i, k] of streams.entries()) {
      checkInteger(k, `stream[${i}]`, 0, 2 ** 32 - 1);
      st.s = (splitmix32(st) ^ k) | 0;
    }
    this.s0 = splitmix32(st) | 0;
    this.s1 = splitmix32(st) | 0;
    this.s2 = splitmix32(st) | 0;
    this.s3 = splitmix32(st) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator with the raw xoshiro128** state (for checking against published test vectors). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Rng {
    const r = new Rng(0);
    r.s0 = s0 | 0;
    r.s1 = s1 | 0;
    r.s2 = s2 | 0;
    r.s3 = s3 | 0;
    return r;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 24 random bits (exactly representable in float32). */
  float(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /**
   * Uniform in [0, 1) on the 2^-32 grid (one draw), for event probabilities (fault rates) far
   * below float()'s 2^-24 grid, where `unit() < p` must hold with probability p.
   */
  unit(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x100000000)
      throw new Error(`int(n): n must be an integer in [1, 2^32], got ${n}`);
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Uniform integer in lo…hi, both included (hi − lo < 2^32): lo + int(hi − lo + 1). */
  between(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo)
      throw new Error(`between(lo, hi): lo and hi must be integers with lo <= hi, got ${lo}, ${hi}`);
    return lo + this.int(hi - lo + 1);
  }

  /** Standard normal: the one normal sampler (`gaussian`, Marsaglia polar) over float(). */
  normal(): number {
    this.normalDraw ??= gaussian(() => this.float());
    return this.normalDraw();
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
