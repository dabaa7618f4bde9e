/**
 * The engine's seeded generator is sc-core's `Rng` (xoshiro128** seeded through splitmix32; one
 * home of seeded randomness: packages/sc-core/src/prng.ts). Nothing in the engine reads
 * Math.random; every random choice (weight init, shuffling, dropout masks) draws from an Rng built
 * from an explicit seed.
 */
export { Rng } from "@sccnn/sc-core";
