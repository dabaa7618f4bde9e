/**
 * Compares the engine's float32 inference with onnxruntime-node and prints the largest absolute
 * and relative output difference and the argmax agreement.
 *
 *   pnpm onnx:check <network-id | file.onnx | file.ckpt> [--images N] [--dataset mnist|fashion-mnist|cifar10|<dir>] [--random] [--seed S]
 *
 * Inputs: the first N (default 64) test images of the network's data set (or --dataset; a folder
 * is CIFAR-10); --random, or a network whose data set cannot be loaded, uses seeded uniform
 * [0, 1) images instead, and the output line says which. onnxruntime runs the .onnx file itself
 * for a file network (image by image when the file fixes its batch), else our export of the
 * network. A zoo id without trained weights is exported with a seeded initialisation (as
 * onnx:export does). Prints figures; the tests hold the assertions.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import * as ort from "onnxruntime-node";
import { loadDataset } from "@sccnn/datasets";
import { buildModel, type NetworkSpec, type WeightRecord } from "@sccnn/nn";
import { exportOnnx } from "@sccnn/onnx";
import { loadNetworkSource } from "../src/index.ts";

const USAGE =
  "usage: check-onnxruntime.ts <network-id | file.onnx | file.ckpt> [--images N] [--dataset mnist|fashion-mnist|cifar10|<dir>] [--random] [--seed S]";
function fail(m: string): never {
  console.error(`onnx:check: ${m}`);
  process.exit(2);
}
const args = process.argv.slice(2);
const ref = args[0];
if (!ref || ref.startsWith("--")) fail(USAGE);
const value = (flag: string) => {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : (args[i + 1] ?? fail(`${flag} needs a value`));
};
const opt = (flag: string, dflt: number, min: number) => {
  const v = value(flag);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail(`${flag}: expected an integer ≥ ${min}, got ${v}`);
  return n;
};
const images = opt("--images", 64, 1),
  seed = opt("--seed", 1, 0);
const userPath = (p: string) => resolve(process.env.INIT_CWD ?? process.cwd(), p);
const isOnnx = /\.onnx$/i.test(ref);
const path = /\.(onnx|ckpt)$/i.test(ref) ? userPath(ref) : ref;

let src: ReturnType<typeof loadNetworkSource>;
try {
  src = loadNetworkSource(path);
} catch (e) {
  fail((e as Error).message);
}
const spec: NetworkSpec = src.spec;
const model = buildModel(spec, { seed });
if (src.weights) model.loadWeights(src.weights);
const weights: WeightRecord = model.weights;
const per = spec.input.reduce((a, b) => a * b, 1);

// The inputs: real test images unless --random or the data set cannot be loaded.
let x: Float32Array;
let inputs: string;
const datasetFlag = value("--dataset");
const random = () => {
  const r = new Float32Array(images * per);
  let s = seed >>> 0;
  for (let i = 0; i < r.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    r[i] = s / 2 ** 32;
  }
  return r;
};
if (args.includes("--random")) {
  x = random();
  inputs = `${images} seeded uniform-noise images (--random)`;
} else {
  let id = datasetFlag ?? spec.dataset;
  let dir: string | undefined;
  if (datasetFlag && !["mnist", "fashion-mnist", "cifar10"].includes(datasetFlag)) {
    const d = userPath(datasetFlag);
    if (!existsSync(d) || !statSync(d).isDirectory())
      fail(`--dataset: ${JSON.stringify(datasetFlag)} is not mnist, fashion-mnist, cifar10 or a CIFAR-10 folder`);
    id = "cifar10";
    dir = d;
  }
  try {
    const test = loadDataset(id, "test", { limit: images, dir });
    if (test.images.length / test.count !== per)
      throw new Error(`its images have ${test.images.length / test.count} values, ${spec.id} takes ${per}`);
    x = test.images;
    inputs = `the first ${test.count} ${id} test images`;
  } catch (e) {
    if (datasetFlag) fail(`--dataset ${datasetFlag}: ${(e as Error).message}`);
    x = random();
    inputs = `${images} seeded uniform-noise images (data set ${JSON.stringify(spec.dataset)} not loadable: ${(e as Error).message.split("\n")[0]}; pass --dataset)`;
  }
}
const n = x.length / per;

let t = performance.now();
const y = model.forward(x).data;
const engineS = (performance.now() - t) / 1000;
const bytes = isOnnx ? readFileSync(path) : exportOnnx(spec, weights);
const session = await ort.InferenceSession.create(bytes);
const batchDim = isOnnx
  ? (session.inputMetadata?.[0] as { shape?: (number | string)[] } | undefined)?.shape?.[0]
  : undefined;
const step = typeof batchDim === "number" && batchDim > 0 ? batchDim : n;
const yo = new Float32Array(y.length);
t = performance.now();
for (let i = 0; i < n; i += step) {
  const out = await session.run({
    [session.inputNames[0]]: new ort.Tensor("float32", x.slice(i * per, (i + step) * per), [step, ...spec.input]),
  });
  yo.set(out[session.outputNames[0]].data as Float32Array, i * spec.classes);
}
const ortS = (performance.now() - t) / 1000;
let maxAbs = 0,
  maxY = 0,
  agree = 0;
for (let i = 0; i < y.length; i++) {
  maxAbs = Math.max(maxAbs, Math.abs(y[i] - yo[i]));
  maxY = Math.max(maxY, Math.abs(y[i]));
}
const argmax = (a: Float32Array, r: number) => {
  let b = 0;
  for (let c = 1; c < spec.classes; c++) if (a[r * spec.classes + c] > a[r * spec.classes + b]) b = c;
  return b;
};
for (let r = 0; r < n; r++) if (argmax(y, r) === argmax(yo, r)) agree++;
console.log(
  `${spec.id} (${src.weights ? src.source : `seeded initialisation, seed ${seed}`}; onnxruntime on ${isOnnx ? "the file itself" : "our export"}): ${inputs}: max |engine − onnxruntime| ${maxAbs.toExponential(3)}, max |output| ${maxY.toExponential(3)}, relative ${(maxAbs / Math.max(1, maxY)).toExponential(3)}, argmax agree ${agree}/${n}; engine ${engineS.toFixed(2)} s, onnxruntime ${ortS.toFixed(2)} s`,
);
