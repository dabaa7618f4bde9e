/**
 * Trains a zoo network with its registered recipe (src/networks/<id>.ts: seed, epochs, batch
 * size, optimiser, schedule) on the training split (less the last `validationImages` when the
 * recipe holds them out: then the per-epoch curve is on them, e.g. train[55000:60000]), evaluates float32 accuracy on the whole test split, and writes weights/<id>.ckpt (engine checkpoint) and weights/<id>.train.log.
 *
 * Usage: pnpm train <network> [--epochs N] [--train-limit N] [--data DIR] [--out DIR] [--threads N]
 *        pnpm train <network> --arithmetic <fixed|sc-bisc|…> --bits N [--seed S] [--out DIR]
 * The second form trains with the arithmetic in the loop from the float checkpoint
 * (src/arithmetic-training.ts) and writes weights/finetuned/<id>-<arithmetic>-w<N>a<N>[-seed<S>].ckpt
 * and .log; the checkpoint bytes do not depend on the machine or the time.
 * (--data: folder of the dataset files, e.g. the CIFAR-10 binary batches; or set SCCNN_CIFAR10_DIR)
 * The overrides are for experiments; committed weights come from the plain command.
 * Deterministic: the same recipe gives the same checkpoint bytes (threads do not matter).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpus } from "node:os";
import { checkArithmetic, modelCheckpoint, saveCheckpoint, type Arithmetic } from "@sccnn/nn";
import {
  fineTunedDir,
  weightsDir,
  arithmeticCheckpointName,
  getZooEntry,
  saveArithmeticCheckpoint,
  trainNetwork,
  trainWithArithmetic,
  type TrainingRecipe,
} from "../src/index.ts";

function usage(message: string): never {
  console.error(
    `train: ${message}\nusage: pnpm train <network> [--epochs N] [--train-limit N] [--data DIR] [--out DIR] [--threads N]\n       pnpm train <network> --arithmetic <fixed|sc-bisc|sc-lfsr|…> --bits N [--seed S] [--out DIR]`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const id = args[0];
if (!id || id.startsWith("--")) usage("missing network id");
const override: Partial<TrainingRecipe> = {};
let outDir: string | undefined;
let arithmetic: Arithmetic | undefined;
let bits: number | undefined;
let seed = 1;
let threads: number | undefined;
let dataDir: string | undefined;
for (let i = 1; i < args.length; i += 2) {
  const flag = args[i],
    value = args[i + 1];
  if (value === undefined) usage(`${flag} needs a value`);
  const int = () => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) usage(`${flag}: expected a positive integer, got ${value}`);
    return n;
  };
  if (flag === "--epochs") override.epochs = int();
  else if (flag === "--train-limit") override.trainLimit = int();
  else if (flag === "--threads") threads = int();
  else if (flag === "--out") outDir = value;
  else if (flag === "--bits") bits = int();
  else if (flag === "--seed") seed = int();
  else if (flag === "--arithmetic") {
    try {
      arithmetic = checkArithmetic(value, "--arithmetic");
    } catch (e) {
      usage((e as Error).message);
    }
  } else if (flag === "--data") dataDir = value;
  else usage(`unknown option ${flag}`);
}

let entry: ReturnType<typeof getZooEntry>;
try {
  entry = getZooEntry(id);
} catch (e) {
  // one line naming the argument, nothing written (was a stack trace)
  console.error(`train: ${(e as Error).message.split("\n")[0]}`);
  process.exit(2);
}
if ((arithmetic === undefined) !== (bits === undefined)) usage("--arithmetic and --bits go together");
if (arithmetic === undefined && seed !== 1)
  usage("--seed applies with --arithmetic only (float training uses the recipe's seed)");
if (arithmetic !== undefined && Object.keys(override).length > 0)
  usage("--epochs/--train-limit apply to float training only (the arithmetic recipe is fixed)");
const lines: string[] = [];
const log = (line: string) => {
  lines.push(line);
  console.log(line);
};
const started = new Date();
log(`command: pnpm train ${args.join(" ")}`);
log(`date: ${started.toISOString()}`);
log(`node: ${process.version}, cpus: ${cpus().length}`);
log(`network: ${id} (${entry.spec.title}), dataset: ${entry.spec.dataset}`);
if (arithmetic !== undefined && bits !== undefined) {
  const t0 = performance.now();
  const r = trainWithArithmetic(id, arithmetic, bits, {
    recipe: { seed },
    command: `pnpm train ${args.join(" ")}`,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const t = r.training;
  const pct = (a: number) => `${(100 * a).toFixed(2)} %`;
  log(`arithmetic: ${arithmetic}, bitsW = bitsA = ${bits}`);
  log(`recipe: ${JSON.stringify(t.recipe)}`);
  log(`quantisation: ${JSON.stringify(t.quantSettings)}`);
  log(`data: ${JSON.stringify(t.data)}`);
  log(`float weights: ${JSON.stringify(t.floatWeights)}`);
  log(`post-training quantised start: validation ${pct(r.ptqValidationAccuracy)}`);
  for (const e of t.log)
    log(
      `period ${e.period}: train loss ${e.meanLoss.toFixed(4)} acc ${pct(e.trainAccuracy)} | validation ${pct(e.validationAccuracy)} | lr ${e.lr.toExponential(3)}`,
    );
  log(
    `kept period ${t.bestPeriod} (${t.bestPeriod === 0 ? "the post-training-quantised start" : "best validation"}): validation ${pct(t.validationAccuracy)} (${t.validationCorrect}/${t.validationImages}), test ${pct(r.testAccuracy)} (${t.testCorrect}/${t.testImages})`,
  );
  log(`wall time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const dir = outDir ?? fineTunedDir(id);
  mkdirSync(dir, { recursive: true });
  const name = arithmeticCheckpointName(id, arithmetic, bits, seed);
  const path = join(dir, `${name}.ckpt`);
  saveArithmeticCheckpoint(path, r);
  log(`wrote ${path}`);
  writeFileSync(join(dir, `${name}.log`), `${lines.join("\n")}\n`);
  process.exit(0);
}
log(`recipe: ${JSON.stringify({ ...entry.training, ...override })}`);
const curveName = { ...entry.training, ...override }.validationImages !== undefined ? "validation" : "test";
const t0 = performance.now();
const result = await trainNetwork(id, {
  override,
  threads,
  dataDir,
  progress: process.stderr.isTTY === true,
  onEpoch: (e) =>
    log(
      `epoch ${String(e.epoch).padStart(2)}: train loss ${e.loss.toFixed(4)} acc ${(100 * e.accuracy).toFixed(2)} %` +
        ` | ${curveName} loss ${e.validationLoss?.toFixed(4)} acc ${(100 * (e.validationAccuracy ?? 0)).toFixed(2)} %` +
        ` | lr ${e.lr.toExponential(3)} | ${e.seconds.toFixed(1)} s, ${e.imagesPerSecond.toFixed(0)} img/s`,
    ),
});
const seconds = (performance.now() - t0) / 1000;
log(`engine config: ${JSON.stringify(result.engineConfig)}`);
log(`engine: ${result.history.shards} shards on ${result.history.threads} threads, kernels ${result.history.kernels}`);
log(`train images: ${result.trainImages}, test images: ${result.testImages}`);
log(`data: ${JSON.stringify(result.data)}`);
log(
  `final float32 test accuracy: ${(100 * result.testAccuracy).toFixed(2)} % (${Math.round(result.testAccuracy * result.testImages)}/${result.testImages}), test loss ${result.testLoss.toFixed(4)}`,
);
log(`wall time: ${seconds.toFixed(1)} s`);

const floatDir = outDir ?? weightsDir(id);
mkdirSync(floatDir, { recursive: true });
const ckpt = join(floatDir, `${id}.ckpt`);
saveCheckpoint(
  ckpt,
  modelCheckpoint(result.model, {
    training: {
      recipe: result.recipe,
      engine: result.engineConfig,
      trainImages: result.trainImages,
      data: result.data,
      command: `pnpm train ${args.join(" ")}`,
    },
    accuracy: { test: result.testAccuracy, dataset: entry.spec.dataset, testImages: result.testImages },
    notes: `float32 weights trained by packages/zoo/scripts/train.ts; log in ${id}.train.log`,
  }),
);
log(`wrote ${ckpt}`);
writeFileSync(join(floatDir, `${id}.train.log`), `${lines.join("\n")}\n`);
