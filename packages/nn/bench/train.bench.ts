/**
 * Training speed of LeNet-5 (batch 64, SGD momentum) on synthetic 28x28 data: plain-TS GEMM
 * kernels vs WebAssembly SIMD kernels on one thread, then the WASM kernels data-parallel on
 * 2 threads. Prints images/s and the projected seconds per 60 000-image MNIST epoch.
 * Run: pnpm bench (in packages/nn).
 */
import { availableParallelism, loadavg } from "node:os";
import { buildModel } from "../src/engine/model.ts";
import { Rng } from "../src/engine/prng.ts";
import { train, type TrainData } from "../src/engine/train.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { lenet5Spec } from "../test/lenet5-fixture.ts";

const lenet5: NetworkSpec = lenet5Spec("lenet5-bench", "LeNet-5");

const BATCH = 64;
const EPOCH_IMAGES = 60_000;

function synthetic(count: number): TrainData {
  const rng = new Rng(2026);
  const images = new Float32Array(count * 784);
  for (let i = 0; i < images.length; i++) images[i] = rng.float() < 0.8 ? 0 : rng.float();
  const labels = Uint8Array.from({ length: count }, () => rng.int(10));
  return { images, labels, count };
}

interface Measured {
  ips: number;
  /** CPU time of the whole process (all threads) per image, ms: independent of other load. */
  cpuMsPerImage: number;
  /** CPU seconds per wall second the run got (2.0 = both cores to itself). */
  cpuShare: number;
}

async function measure(kernels: "ts" | "wasm", threads: number, steps: number): Promise<Measured> {
  const data = synthetic(BATCH * steps);
  const model = buildModel(lenet5, { seed: 1, kernels });
  const cfg = {
    epochs: 1,
    batchSize: BATCH,
    optimizer: { type: "sgd" as const, lr: 0.05, momentum: 0.9 },
    seed: 1,
    shards: 2,
    threads,
    progress: false,
  };
  await train(model, synthetic(BATCH * 16), cfg); // warm-up (JIT, worker start; workers are pooled)
  const c0 = process.cpuUsage(),
    t0 = performance.now();
  const h = await train(model, data, cfg);
  const cpu = process.cpuUsage(c0),
    wallS = (performance.now() - t0) / 1000,
    cpuS = (cpu.user + cpu.system) / 1e6;
  const e = h.epochs[0];
  return { ips: e.imagesPerSecond, cpuMsPerImage: (1000 * cpuS) / e.images, cpuShare: cpuS / wallS };
}

// The machine is shared and noisy: configurations alternate over ROUNDS rounds and the best
// round of each is reported (the load average is printed alongside).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const runs: [string, "ts" | "wasm", number, number][] = [
  ["plain TS kernels, 1 thread", "ts", 1, 10],
  ["WASM SIMD kernels, 1 thread", "wasm", 1, 50],
  ["WASM SIMD kernels, 2 threads (data-parallel)", "wasm", 2, 100],
];
console.log(
  `LeNet-5 training steps, batch ${BATCH} (2 shards), SGD momentum, synthetic 28x28 data; ${availableParallelism()} CPUs; node ${process.version}`,
);
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}; best of ${ROUNDS} alternating rounds`,
);
const best: Measured[] = runs.map(() => ({ ips: 0, cpuMsPerImage: Infinity, cpuShare: 0 })),
  all: number[][] = runs.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  for (const [i, [, kernels, threads, steps]] of runs.entries()) {
    const m = await measure(kernels, threads, steps);
    all[i].push(m.ips);
    if (m.ips > best[i].ips) best[i] = m;
  }
}
for (const [i, [label]] of runs.entries()) {
  const b = best[i];
  console.log(
    `${label.padEnd(46)} ${b.ips.toFixed(0).padStart(6)} images/s   ${(EPOCH_IMAGES / b.ips).toFixed(1).padStart(6)} s per 60 000-image epoch   cpu ${b.cpuMsPerImage.toFixed(3)} ms/image, got ${b.cpuShare.toFixed(2)} cores   (rounds: ${all[i].map((v) => v.toFixed(0)).join(", ")} images/s)`,
  );
}
console.log(
  `speed-up vs plain TS kernels: WASM 1 thread ${(best[1].ips / best[0].ips).toFixed(1)}x, WASM 2 threads ${(best[2].ips / best[0].ips).toFixed(1)}x; 2 threads vs 1: ${(best[2].ips / best[1].ips).toFixed(2)}x`,
);
const idealTwo = (Math.min(2, availableParallelism()) / best[2].cpuMsPerImage) * 1000;
console.log(
  `on 2 idle cores the 2-thread run's CPU cost (${best[2].cpuMsPerImage.toFixed(3)} ms/image) allows ≈ ${idealTwo.toFixed(0)} images/s = ${(EPOCH_IMAGES / idealTwo).toFixed(1)} s per epoch`,
);
console.log(`floor to beat: 191 s per epoch (direct-loop TS LeNet-5, one core); goal ≤ 45 s`);
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
