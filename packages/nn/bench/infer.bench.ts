// Inference speed over the MNIST test images: float32 (the engine's fastest float path), fixed and
// sc-bisc at N = 8 (sc-core kernels), and the cycle-level reference on a sample; prints images/s
// and the ratio sc-bisc time / float32 time (goal ≤ 1.5).
//   pnpm --filter @sccnn/nn bench:infer [--limit 10000] [--sample 2] [--bits 8]
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadDataset } from "@sccnn/datasets";
import { loadCheckpoint } from "../src/engine/checkpoint.ts";
import { buildModel } from "../src/engine/model.ts";
import { Tensor } from "../src/engine/tensor.ts";
import {
  accuracyOf,
  calibrateNetwork,
  cycleLevelBackend,
  quantizeCalibrated,
  runQuantized,
  scCoreBackend,
  wasmBackend,
  type Arithmetic,
  type IntegerBackend,
} from "../src/quant/index.ts";
import type { NetworkSpec } from "../src/spec.ts";

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`--${name} must be a positive integer, got ${process.argv[i + 1]}`);
  return v;
}
const limit = flag("limit", 10_000);
const sample = flag("sample", 2);
const bits = flag("bits", 8);

const ckptPath = fileURLToPath(new URL("../../zoo/weights/lenet5.ckpt", import.meta.url));
if (!existsSync(ckptPath)) throw new Error(`${ckptPath} is missing: train it with \`pnpm train lenet5\` first`);
const ck = loadCheckpoint(ckptPath);
const spec: NetworkSpec = ck.spec;
const test = loadDataset("mnist", "test", { limit });
const calib = loadDataset("mnist", "train", { limit: 1000 });
const net = calibrateNetwork(spec, ck.weights, calib.images);
const per = 784;
console.log(
  `LeNet-5 (${ckptPath.split("/").slice(-3).join("/")}), ${test.count} MNIST test images, N = ${bits}, batch 100, one thread`,
);

interface Row {
  name: string;
  seconds: number;
  images: number;
  accuracy: number | null;
}
const rows: Row[] = [];
function timeIt(name: string, images: number, f: () => Float32Array, labels: Uint8Array | null): Row {
  f(); // warm-up (JIT, WASM instantiation, product tables)
  const t = performance.now();
  const logits = f();
  const seconds = (performance.now() - t) / 1000;
  const row = { name, seconds, images, accuracy: labels ? accuracyOf(logits, labels, 10).accuracy : null };
  rows.push(row);
  console.log(
    `${name.padEnd(40)} ${(images / seconds).toFixed(0).padStart(8)} images/s  ${seconds.toFixed(2).padStart(7)} s${row.accuracy !== null ? `  accuracy ${(row.accuracy * 100).toFixed(2)} %` : ""}`,
  );
  return row;
}

// float32: the engine's model (WASM SIMD GEMM when built) on the batch-norm-folded network
const model = buildModel(net.spec, { seed: 0 });
model.loadWeights(net.weights);
const engineFloat = () => {
  const out = new Float32Array(test.count * 10);
  for (let s = 0; s < test.count; s += 100) {
    const b = Math.min(100, test.count - s);
    out.set(model.forward(new Tensor([b, 1, 28, 28], test.images.subarray(s * per, (s + b) * per))).data, s * 10);
  }
  return out;
};
const f32 = timeIt(`float32 engine (${model.kernels.name} GEMM)`, test.count, engineFloat, test.labels);
timeIt(
  "float32 quant runtime",
  test.count,
  () => runQuantized(quantizeCalibrated(net, { arithmetic: "float32", bitsW: bits, bitsA: bits }), test.images),
  test.labels,
);

const run = (a: Arithmetic, backend: IntegerBackend, images: Float32Array) => () =>
  runQuantized(quantizeCalibrated(net, { arithmetic: a, bitsW: bits, bitsA: bits }), images, { backend });
timeIt(`fixed ${bits}/${bits} (sc-core TS)`, test.count, run("fixed", scCoreBackend, test.images), test.labels);
timeIt(`fixed ${bits}/${bits} (sc-core WASM)`, test.count, run("fixed", wasmBackend, test.images), test.labels);
timeIt(`sc-bisc ${bits}/${bits} (sc-core TS)`, test.count, run("sc-bisc", scCoreBackend, test.images), test.labels);
const sc = timeIt(
  `sc-bisc ${bits}/${bits} (sc-core WASM)`,
  test.count,
  run("sc-bisc", wasmBackend, test.images),
  test.labels,
);
const sampleImages = test.images.subarray(0, sample * per);
const t0 = performance.now();
const ref = runQuantized(quantizeCalibrated(net, { arithmetic: "sc-bisc", bitsW: bits, bitsA: bits }), sampleImages, {
  backend: cycleLevelBackend,
});
const refSeconds = (performance.now() - t0) / 1000;
const fast = runQuantized(quantizeCalibrated(net, { arithmetic: "sc-bisc", bitsW: bits, bitsA: bits }), sampleImages);
const same = ref.every((v, i) => v === fast[i]);
console.log(
  `${`sc-bisc ${bits}/${bits} cycle-level reference`.padEnd(40)} ${(sample / refSeconds).toFixed(3).padStart(8)} images/s  ${refSeconds.toFixed(2).padStart(7)} s  (${sample} images; logits ${same ? "identical to" : "DIFFER from"} the WASM run)`,
);
console.log(`ratio sc-bisc time / float32 time: ${(sc.seconds / f32.seconds).toFixed(2)} (goal ≤ 1.5)`);
console.log(
  `speed-up of sc-bisc (WASM) over the cycle-level reference: ${(sc.images / sc.seconds / (sample / refSeconds)).toFixed(0)}x`,
);
