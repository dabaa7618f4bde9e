// LeNet-5 inference over the 10 000 MNIST test images: our float32 engine, our bit-exact sc-bisc
// (N = 8, WASM kernels; the layer-by-layer reference path and the int-chain runtime, which keeps
// integers between layers, on sc-core's default build — relaxed SIMD where the engine takes it —
// and on its plain-SIMD build) and onnxruntime-node (native) on the same exported network, in one
// process, batch 100. Prints images/s, CPU time and the ratios (issue 14 goal: sc-bisc ≥ 1/3 of
// onnxruntime's throughput at the same thread count).
//   pnpm --filter @sccnn/zoo bench [--limit 10000] [--threads 1]
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-node";
import { loadDataset } from "@sccnn/datasets";
import {
  buildModel,
  calibrateNetwork,
  INT_CHAIN_RUNTIME,
  IntChainPool,
  planIntChain,
  quantizeCalibrated,
  runIntChain,
  runQuantized,
  Tensor,
} from "@sccnn/nn";
import { exportOnnx, INPUT_NAME, OUTPUT_NAME } from "@sccnn/onnx";
import { kernelVariant, useKernelVariant } from "@sccnn/sc-core";
import { loadTrainedWeights } from "../src/index.ts";

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`--${name} must be a positive integer, got ${process.argv[i + 1]}`);
  return v;
}
const limit = flag("limit", 10_000);
const threads = flag("threads", 1);
const batch = 100;

const ck = loadTrainedWeights("lenet5");
const test = loadDataset("mnist", "test", { limit });
const calib = loadDataset("mnist", "train", { limit: 1000 });
const per = 28 * 28;
const model = buildModel(ck.spec, { seed: 0 });
model.loadWeights(ck.weights);
const session = await ort.InferenceSession.create(exportOnnx(ck.spec, model.weights), {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
});
const net = calibrateNetwork(ck.spec, ck.weights, calib.images);
const scNet = quantizeCalibrated(net, { arithmetic: "sc-bisc", bitsW: 8, bitsA: 8 });

function accuracy(logits: Float32Array): number {
  let ok = 0;
  for (let n = 0; n < test.count; n++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (logits[n * 10 + c] > logits[n * 10 + best]) best = c;
    if (best === test.labels[n]) ok++;
  }
  return ok / test.count;
}

/** CPU seconds of this process (every thread: onnxruntime's pool, our workers) per run, best of 3. */
const cpu: Record<string, number> = {};
/** Logits of each run (the last of its 3 runs), to check that the sc-bisc paths agree bit for bit. */
const outputs: Record<string, Float32Array> = {};
async function time(name: string, run: () => Promise<Float32Array> | Float32Array): Promise<number> {
  await run(); // warm-up
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let logits: Float32Array = new Float32Array(0);
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    logits = await run();
    const dc = process.cpuUsage(c);
    seconds.push((performance.now() - t) / 1000);
    cpuSeconds.push((dc.user + dc.system) / 1e6);
  }
  const best = Math.min(...seconds);
  cpu[name] = Math.min(...cpuSeconds);
  outputs[name] = logits;
  console.log(
    `${name.padEnd(64)} ${(test.count / best).toFixed(0).padStart(7)} images/s  ${best.toFixed(3)} s (best of 3)  CPU ${cpu[name]!.toFixed(3)} s  accuracy ${(accuracy(logits) * 100).toFixed(2)} %`,
  );
  return best;
}

console.log(
  `LeNet-5 (trained, zoo), ${test.count} MNIST test images, batch ${batch}; onnxruntime intra-op threads ${threads}; node ${process.version}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
const ortName = `onnxruntime-node ${ort.env.versions?.common ?? ""} (native, float32)`;
const ortSeconds = await time(ortName, async () => {
  const out = new Float32Array(test.count * 10);
  for (let s = 0; s < test.count; s += batch) {
    const b = Math.min(batch, test.count - s);
    const x = new ort.Tensor("float32", test.images.subarray(s * per, (s + b) * per), [b, 1, 28, 28]);
    const y = await session.run({ [INPUT_NAME]: x });
    out.set(y[OUTPUT_NAME].data as Float32Array, s * 10);
  }
  return out;
});
// Released before our runs, so that onnxruntime's intra-op worker threads (which spin-wait after a
// run) cannot take a core from the runs timed after it.
await session.release();
const engineSeconds = await time(`sccnn engine float32 (${model.kernels.name} kernels)`, () => {
  const out = new Float32Array(test.count * 10);
  for (let s = 0; s < test.count; s += batch) {
    const b = Math.min(batch, test.count - s);
    out.set(model.forward(new Tensor([b, 1, 28, 28], test.images.subarray(s * per, (s + b) * per))).data, s * 10);
  }
  return out;
});
const scName = "sccnn sc-bisc 8/8 bit-exact, layer by layer";
const scSeconds = await time(scName, () => runQuantized(scNet, test.images));
const plan = planIntChain(scNet, "sc-core-wasm");
const variant = kernelVariant();
const chainName = `sccnn sc-bisc 8/8 bit-exact, ${INT_CHAIN_RUNTIME} (1 thread, ${variant})`;
const chainSeconds = await time(chainName, () => runIntChain(plan, test.images));
// sc-core's other build, for the record (the same logits, checked below)
const otherVariant = variant === "simd" ? null : "simd";
const plainName = `sccnn sc-bisc 8/8 bit-exact, ${INT_CHAIN_RUNTIME} (1 thread, simd)`;
let plainSeconds = chainSeconds;
if (otherVariant) {
  useKernelVariant(otherVariant);
  plainSeconds = await time(plainName, () => runIntChain(plan, test.images));
  useKernelVariant("auto");
}
// The same runtime on `threads` threads (the calling thread + worker threads over image shards).
const pool = await IntChainPool.create(scNet, { threads, backend: "sc-core-wasm", batchSize: batch });
const poolName = `sccnn sc-bisc 8/8 bit-exact, ${INT_CHAIN_RUNTIME} (${threads} thread${threads > 1 ? "s" : ""}, ${variant})`;
const poolSeconds = threads > 1 ? await time(poolName, () => pool.run(test.images)) : chainSeconds;
await pool.close();
for (const name of [chainName, ...(otherVariant ? [plainName] : []), ...(threads > 1 ? [poolName] : [])]) {
  if (!outputs[scName]!.every((v, i) => Object.is(v, outputs[name]![i]))) {
    console.error(`${name}: logits differ from ${scName} (must be bit-identical)`);
    process.exit(2);
  }
}
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
console.log(`engine float32 time / onnxruntime time: ${(engineSeconds / ortSeconds).toFixed(2)} (goal ≤ 3)`);
console.log(
  `${INT_CHAIN_RUNTIME} logits bit-identical to the layer-by-layer path: yes (${outputs[scName]!.length} logits)`,
);
// Under load (other jobs on the cores) wall time favours the shorter run; CPU time does not depend
// on the load: onnxruntime CPU / sc-bisc CPU is the throughput ratio per core used.
for (const [name, seconds, thr] of [
  [scName, scSeconds, 1],
  [chainName, chainSeconds, 1],
  ...(otherVariant ? ([[plainName, plainSeconds, 1]] as const) : []),
  ...(threads > 1 ? ([[poolName, poolSeconds, threads]] as const) : []),
] as const) {
  console.log(
    `sc-bisc / onnxruntime (${name}; ${thr} thread vs ${threads}): wall ${(ortSeconds / seconds).toFixed(3)}, CPU ${(cpu[ortName]! / cpu[name]!).toFixed(3)} (issue 14 goal ≥ 0.333)`,
  );
}
console.log(`load average after ${load()}`);
