/**
 * Compares the engine's float32 inference with onnxruntime-node on an exported network and
 * prints the largest absolute and relative output difference and the argmax agreement.
 *
 *   pnpm onnx:check <network-id | file.onnx | file.ckpt> [--images N] [--seed S]
 *
 * A zoo id without trained weights is exported with a seeded initialisation (as onnx:export does).
 * Inputs are seeded uniform [0, 1) images. Prints figures; the tests hold the assertions.
 */
import * as ort from "onnxruntime-node";
import { buildModel, type NetworkSpec, type WeightRecord } from "@sccnn/nn";
import { exportOnnx } from "@sccnn/onnx";
import { loadNetworkSource } from "../src/index.ts";

const args = process.argv.slice(2);
const ref = args[0];
if (!ref || ref.startsWith("--")) {
  console.error("usage: check-onnxruntime.ts <network-id | file.onnx | file.ckpt> [--images N] [--seed S]");
  process.exit(2);
}
const opt = (flag: string, dflt: number) => {
  const i = args.indexOf(flag);
  if (i < 0) return dflt;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${flag}: expected a non-negative integer, got ${args[i + 1]}`);
    process.exit(2);
  }
  return n;
};
const images = opt("--images", 2),
  seed = opt("--seed", 1);

const src = loadNetworkSource(ref);
const spec: NetworkSpec = src.spec;
const model = buildModel(spec, { seed });
if (src.weights) model.loadWeights(src.weights);
const weights: WeightRecord = model.weights;
const per = spec.input.reduce((a, b) => a * b, 1);
const x = new Float32Array(images * per);
let s = seed >>> 0;
for (let i = 0; i < x.length; i++) {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  x[i] = s / 2 ** 32;
}

let t = performance.now();
const y = model.forward(x).data;
const engineS = (performance.now() - t) / 1000;
const session = await ort.InferenceSession.create(exportOnnx(spec, weights));
t = performance.now();
const out = await session.run({ input: new ort.Tensor("float32", x, [images, ...spec.input]) });
const ortS = (performance.now() - t) / 1000;
const yo = out.output.data as Float32Array;
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
for (let r = 0; r < images; r++) if (argmax(y, r) === argmax(yo, r)) agree++;
console.log(
  `${spec.id} (${src.weights ? src.source : `seeded initialisation, seed ${seed}`}): ${images} images, max |engine − onnxruntime| ${maxAbs.toExponential(3)}, max |output| ${maxY.toExponential(3)}, relative ${(maxAbs / Math.max(1, maxY)).toExponential(3)}, argmax agree ${agree}/${images}; engine ${engineS.toFixed(2)} s, onnxruntime ${ortS.toFixed(2)} s`,
);
