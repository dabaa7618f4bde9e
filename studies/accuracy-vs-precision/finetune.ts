// Fine-tunes one zoo network for one arithmetic and width, and saves the weights under
// packages/zoo/weights/finetuned/<network>-<arithmetic>-w<N>a<N>.ckpt with the run's log (.log):
//   pnpm --filter @sccnn/study-accuracy-vs-precision finetune --network lenet5 --arithmetic sc-bisc --bits 4
// Options (defaults in RECIPE below): --train-limit --epochs --batch-size --lr --momentum --seed
// --calibration-images. Prints float32, post-training-quantised and fine-tuned test accuracy.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { checkArithmetic, evaluateQuantized, quantizeCalibrated, quantizeNetwork, type Arithmetic } from "@sccnn/nn";
import {
  calibratedNetwork,
  fineTuneFor,
  quantConfigOf,
  type FineTuneRecipe,
  type QuantSettings,
} from "./src/evaluate.ts";
import {
  deterministicLog,
  FINE_TUNED_DIR,
  fineTunedName,
  getNetwork,
  loadTrainedWeights,
  networkDataset,
  saveFineTuned,
} from "@sccnn/zoo";

const OUT_DIR = FINE_TUNED_DIR;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}
function num(name: string, dflt: number): number {
  const v = arg(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${v}`);
  return n;
}

const network = arg("network") ?? "lenet5";
const arithmetic: Arithmetic = checkArithmetic(arg("arithmetic") ?? "sc-bisc", "--arithmetic");
const bits = num("bits", 4);
const recipe: FineTuneRecipe = {
  trainLimit: num("train-limit", 60000),
  epochs: num("epochs", 2),
  batchSize: num("batch-size", 64),
  optimizer: "sgd",
  learningRate: num("lr", 0.005),
  momentum: num("momentum", 0.9),
  schedule: "cosine",
  seed: num("seed", 1),
};
const q: QuantSettings = {
  calibrationImages: num("calibration-images", 1000),
  calibration: "mse",
  percentile: 99.99,
  perChannel: false,
  lfsrSeed: 1,
};
const command = `pnpm --filter @sccnn/study-accuracy-vs-precision finetune ${process.argv.slice(2).join(" ")}`.trim();

const lines: string[] = [];
const log = (s: string) => {
  lines.push(s);
  process.stderr.write(`${s}\n`);
};
log(`# ${command}`);
log(
  `network ${network}, arithmetic ${arithmetic}, bitsW = bitsA = ${bits}, recipe ${JSON.stringify(recipe)}, calibration ${JSON.stringify(q)}`,
);
const spec = getNetwork(network);
const net = calibratedNetwork(spec, loadTrainedWeights(network).weights, q.calibrationImages, network);
const test = networkDataset(spec, "test", 10000);
const acc = (a: { accuracy: number }) => `${(a.accuracy * 100).toFixed(2)} %`;
log(
  `float32 test accuracy: ${acc(evaluateQuantized(quantizeCalibrated(net, quantConfigOf(q, "float32", bits)), test.images, test.labels))}`,
);
log(
  `post-training quantised ${arithmetic} ${bits}/${bits}: ${acc(evaluateQuantized(quantizeCalibrated(net, quantConfigOf(q, arithmetic, bits)), test.images, test.labels))}`,
);
const t = performance.now();
const ft = fineTuneFor(net, q, arithmetic, bits, recipe, (m) => process.stderr.write(`${m}\n`));
for (const e of ft.log)
  log(
    `epoch ${e.epoch + 1}: mean loss ${e.meanLoss.toFixed(4)}, train accuracy ${(e.trainAccuracy * 100).toFixed(2)} %`,
  );
const tuned = evaluateQuantized(quantizeNetwork(net.spec, ft.weights, net.stats, ft.config), test.images, test.labels);
log(`fine-tuned ${arithmetic} ${bits}/${bits}: ${acc(tuned)} (${tuned.correct}/${tuned.total})`);
process.stderr.write(`fine-tuning took ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
const name = fineTunedName(network, arithmetic, bits, bits);
mkdirSync(OUT_DIR, { recursive: true });
const path = saveFineTuned(
  OUT_DIR,
  name,
  net.spec,
  recipe.seed,
  {
    kind: arithmetic === "fixed" ? "quantisation-aware-training" : "sc-aware-fine-tuning",
    network,
    arithmetic,
    bitsW: bits,
    bitsA: bits,
    quantConfig: ft.config,
    recipe,
    log: deterministicLog(ft.log),
    command,
  },
  ft.weights,
  { test: tuned.accuracy, dataset: spec.dataset, testImages: tuned.total },
);
log(`wrote ${path}`);
writeFileSync(join(OUT_DIR, `${name}.log`), `${lines.join("\n")}\n`);
