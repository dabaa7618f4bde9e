/**
 * Evaluates a network — a zoo id, an .onnx file or an engine .ckpt — on the test split of a data
 * set, in float or in any of the quantised arithmetics, and prints its accuracy with a 95 %
 * interval (Wilson score).
 *
 *   pnpm eval <network-id | file.onnx | file.ckpt> [--dataset mnist | fashion-mnist | cifar10 | <cifar10-dir>]
 *             [--arithmetic float32 | fixed | sc-bisc | sc-lfsr | sc-sobol | sc-bitrev] [--bits N]
 *             [--limit N] [--calibration N] [--json]
 *
 * --dataset defaults to the data set the network records (a zoo network's, or the one given at
 * onnx:import); a folder is read as CIFAR-10's binary version. Quantised arithmetics calibrate
 * activation clips on the first --calibration (default 500) training images with batch norm
 * folded, bitsW = bitsA = --bits (default 8). Progress (done/total, rate, ETA) goes to stderr.
 * Bad input: one line naming the option, exit 2.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { loadDataset, type Dataset } from "@sccnn/datasets";
import { progressLines } from "@sccnn/dse";
import {
  ARITHMETICS,
  accuracyOf,
  binomialInterval95Pct,
  buildModel,
  calibrateNetwork,
  floatOnlyLayers,
  quantizeCalibrated,
  runQuantized,
  type Arithmetic,
} from "@sccnn/nn";
import { loadNetworkSource } from "../src/index.ts";

const USAGE =
  "usage: pnpm eval <network-id | file.onnx | file.ckpt> [--dataset mnist|fashion-mnist|cifar10|<cifar10-dir>] [--arithmetic float32|fixed|sc-bisc|sc-lfsr|sc-sobol|sc-bitrev] [--bits N] [--limit N] [--calibration N] [--json]";

function fail(message: string): never {
  console.error(`eval: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
const ref = args[0];
if (!ref || ref.startsWith("--")) fail(`missing the network\n${USAGE}`);
const flags: Record<string, string> = {};
let json = false;
for (let i = 1; i < args.length; i++) {
  const a = args[i];
  if (a === "--json") {
    json = true;
    continue;
  }
  if (!["--dataset", "--arithmetic", "--bits", "--limit", "--calibration"].includes(a))
    fail(`unknown option ${a}\n${USAGE}`);
  const v = args[i + 1];
  if (v === undefined || v.startsWith("--")) fail(`${a} needs a value`);
  flags[a] = v;
  i++;
}
const intFlag = (name: string, dflt: number | undefined, min: number): number | undefined => {
  const v = flags[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail(`${name}: expected an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return n;
};
const arithmetic = (flags["--arithmetic"] ?? "float32") as Arithmetic;
if (!ARITHMETICS.includes(arithmetic))
  fail(`--arithmetic: ${JSON.stringify(arithmetic)} is not one of ${ARITHMETICS.join(", ")}`);
const bits = intFlag("--bits", 8, 1)!;
if (bits > 16) fail(`--bits: ${bits} is above 16`);
const limit = intFlag("--limit", undefined, 1);
const calibration = intFlag("--calibration", 500, 1)!;

// pnpm runs this in packages/zoo: a relative path is the user's, from the folder pnpm was run in.
const userPath = (p: string) => resolve(process.env.INIT_CWD ?? process.cwd(), p);
const isFile = /\.(onnx|ckpt)$/i.test(ref);
let src: ReturnType<typeof loadNetworkSource>;
try {
  src = loadNetworkSource(isFile ? userPath(ref) : ref);
} catch (e) {
  fail((e as Error).message);
}
if (!src.weights) fail(`${ref}: ${src.source}; there is nothing to evaluate (train it with pnpm train ${ref})`);
const { spec, weights } = src;

// The data set: --dataset, else the network's own.
const datasetFlag = flags["--dataset"];
let datasetId: string;
let dir: string | undefined;
if (datasetFlag && !["mnist", "fashion-mnist", "cifar10"].includes(datasetFlag)) {
  const d = userPath(datasetFlag);
  if (!existsSync(d) || !statSync(d).isDirectory())
    fail(`--dataset: ${JSON.stringify(datasetFlag)} is not mnist, fashion-mnist, cifar10 or a CIFAR-10 folder`);
  datasetId = "cifar10";
  dir = d;
} else datasetId = datasetFlag ?? spec.dataset;
if (!["mnist", "fashion-mnist", "cifar10"].includes(datasetId))
  fail(
    `${ref} records no data set we can load (${JSON.stringify(spec.dataset)}); pass --dataset mnist|fashion-mnist|cifar10|<cifar10-dir>`,
  );
let test: Dataset;
try {
  test = loadDataset(datasetId, "test", { limit, dir });
} catch (e) {
  fail(`--dataset ${datasetId}: ${(e as Error).message}`);
}
const per = spec.input.reduce((a, b) => a * b, 1);
if (test.images.length / test.count !== per)
  fail(
    `--dataset ${datasetId}: its images have ${test.images.length / test.count} values, ${spec.id} takes [${spec.input.join(", ")}] = ${per}`,
  );

for (const n of src.notes) console.error(`note: ${n}`);
const floatOnly = floatOnlyLayers(spec.layers);
if (arithmetic !== "float32" && floatOnly.length)
  console.error(
    `warning: ${spec.id} has ${floatOnly.join(" and ")} layers; ${arithmetic} evaluates them in float (no ${arithmetic} form), so this accuracy is not all-${arithmetic}`,
  );

const started = Date.now();
const progress = progressLines(`eval ${spec.id}`, test.count, process.stderr, { unit: " images" });
const batch = 100;
let logits: Float32Array;
if (arithmetic === "float32") {
  const model = buildModel(spec, { seed: 0 });
  model.loadWeights(weights);
  logits = new Float32Array(test.count * spec.classes);
  for (let s = 0; s < test.count; s += batch) {
    const b = Math.min(batch, test.count - s);
    logits.set(model.forward(test.images.subarray(s * per, (s + b) * per)).data, s * spec.classes);
    progress.tick(b);
  }
} else {
  const train = loadDataset(datasetId, "train", { limit: calibration, dir });
  const cal = calibrateNetwork(spec, weights, train.images);
  const q = quantizeCalibrated(cal, { arithmetic, bitsW: bits, bitsA: bits });
  let done = 0;
  logits = runQuantized(q, test.images, {
    batchSize: batch,
    onBatch: (d) => {
      progress.tick(d - done);
      done = d;
    },
  });
}
const acc = accuracyOf(logits, test.labels, spec.classes);
const p = acc.accuracy;
const n = acc.total;
const interval = binomialInterval95Pct(acc.correct, n);
const result = {
  network: spec.id,
  source: src.source,
  dataset: datasetId,
  images: n,
  arithmetic,
  bits: arithmetic === "float32" ? null : bits,
  correct: acc.correct,
  accuracyPct: Number((100 * p).toFixed(2)),
  interval95Pct: [Number(interval.lo.toFixed(2)), Number(interval.hi.toFixed(2))],
  floatOnlyLayers: floatOnly,
  seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
};
if (json) console.log(JSON.stringify(result));
else
  console.log(
    `${spec.id} on ${datasetId} test (${n} images), ${arithmetic}${result.bits ? ` N=${bits}` : ""}: accuracy ${result.accuracyPct.toFixed(2)} % (${acc.correct}/${n}), 95 % interval [${result.interval95Pct[0].toFixed(2)}, ${result.interval95Pct[1].toFixed(2)}] %`,
  );
