/**
 * CIFAR-10 training and evaluation on the binary files.
 *
 *   pnpm cifar:train <vgg-small-cifar | resnet20-cifar> --out <file.ckpt> [--cifar-dir DIR]
 *       [--epochs N] [--train-limit N] [--test-limit N] [--batch-size N] [--threads N]
 *   pnpm cifar:eval <file.ckpt> [--cifar-dir DIR] [--limit N] [--json]
 *
 * The folder holds data_batch_1.bin … data_batch_5.bin and test_batch.bin; without --cifar-dir
 * it is $CIFAR10_DIR (or $SCCNN_CIFAR10_DIR). Training uses the zoo entry's recipe (seed,
 * optimiser, schedule); the options override it for experiments and are recorded in the checkpoint.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { loadCheckpoint, modelCheckpoint, saveCheckpoint } from "@sccnn/nn";
import { evaluateCifar10, resolveCifar10Dir, trainCifar10, type TrainingRecipe } from "../src/index.ts";

const USAGE = `usage: cifar.ts train <vgg-small-cifar | resnet20-cifar> --out <file.ckpt> [--cifar-dir DIR] [--epochs N] [--train-limit N] [--test-limit N] [--batch-size N] [--threads N]
       cifar.ts eval <file.ckpt> [--cifar-dir DIR] [--limit N] [--json]`;

function usage(message: string): never {
  console.error(`cifar: ${message}\n${USAGE}`);
  process.exit(2);
}

const [command, ref, ...rest] = process.argv.slice(2);
if (command !== "train" && command !== "eval") usage(command ? `unknown command ${command}` : "missing command");
if (!ref || ref.startsWith("--")) usage(`${command}: missing ${command === "train" ? "<network-id>" : "<file.ckpt>"}`);

const flags: Record<string, string> = {};
const known =
  command === "train"
    ? ["--out", "--cifar-dir", "--epochs", "--train-limit", "--test-limit", "--batch-size", "--threads"]
    : ["--cifar-dir", "--limit", "--json"];
for (let i = 0; i < rest.length; i++) {
  const flag = rest[i];
  if (!known.includes(flag)) usage(`unknown option ${flag}`);
  if (flag === "--json") {
    flags[flag] = "true";
    continue;
  }
  const value = rest[++i];
  if (value === undefined || value.startsWith("--")) usage(`${flag} needs a value`);
  flags[flag] = value;
}
const int = (flag: string): number | undefined => {
  if (flags[flag] === undefined) return undefined;
  const n = Number(flags[flag]);
  if (!Number.isInteger(n) || n < 1) usage(`${flag}: expected a positive integer, got ${flags[flag]}`);
  return n;
};

try {
  const dir = resolveCifar10Dir(flags["--cifar-dir"]);
  if (command === "train") {
    const out = flags["--out"] ?? usage("train: --out <file.ckpt> is required");
    const override: Partial<TrainingRecipe> = {};
    if (int("--epochs") !== undefined) override.epochs = int("--epochs");
    if (int("--train-limit") !== undefined) override.trainLimit = int("--train-limit");
    if (int("--batch-size") !== undefined) override.batchSize = int("--batch-size");
    const result = await trainCifar10(ref, {
      dir,
      override,
      testLimit: int("--test-limit"),
      threads: int("--threads"),
      progress: process.stderr.isTTY === true,
      onEpoch: (e) =>
        console.log(
          `epoch ${e.epoch}: train loss ${e.loss.toFixed(4)} acc ${(100 * e.accuracy).toFixed(2)} % | test loss ${e.validationLoss?.toFixed(4)} acc ${(100 * (e.validationAccuracy ?? 0)).toFixed(2)} % | ${e.seconds.toFixed(1)} s`,
        ),
    });
    console.log(
      `${ref}: ${result.trainImages} training images, float32 test accuracy ${(100 * result.testAccuracy).toFixed(2)} % (${Math.round(result.testAccuracy * result.testImages)}/${result.testImages}), test loss ${result.testLoss.toFixed(4)}`,
    );
    mkdirSync(dirname(out), { recursive: true });
    saveCheckpoint(
      out,
      modelCheckpoint(result.model, {
        training: {
          recipe: result.recipe,
          engine: result.engineConfig,
          trainImages: result.trainImages,
          cifarDir: dir,
        },
        accuracy: { test: result.testAccuracy, dataset: "cifar10", testImages: result.testImages },
        notes: `trained by packages/onnx/scripts/cifar.ts on the CIFAR-10 binary files in ${dir}`,
      }),
    );
    console.log(`wrote ${out}`);
  } else {
    const ckpt = loadCheckpoint(ref);
    const e = evaluateCifar10(ckpt.spec, ckpt.weights, { dir, limit: int("--limit") });
    if (flags["--json"]) console.log(JSON.stringify(e, null, 2));
    else {
      console.log(
        `${e.network} (${ref}): float32 accuracy ${(100 * e.accuracy).toFixed(2)} % (${e.correct}/${e.images}), loss ${e.loss.toFixed(4)}`,
      );
      for (const c of e.perClass) console.log(`  ${c.class.padEnd(10)} ${c.correct}/${c.images}`);
    }
  }
} catch (e) {
  console.error(`cifar ${command}: ${(e as Error).message}`);
  process.exit(1);
}
