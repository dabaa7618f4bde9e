/**
 * Prints weights/finetuned/README.md from the headers of the checkpoints in weights/finetuned/
 * (each one's float weights, whether those are today's, kept period, validation and test
 * accuracy). Run after retraining any of them:
 *   npx tsx scripts/finetuned-readme.ts > weights/finetuned/README.md
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadCheckpoint } from "@sccnn/nn";
import { floatWeightsStatus, type ArithmeticTraining } from "../src/arithmetic-training.ts";

const dir = fileURLToPath(new URL("../weights/finetuned/", import.meta.url));
const pct = (c: number, n: number) => ((100 * c) / n).toFixed(2);
const rows = readdirSync(dir)
  .filter((f) => f.endsWith(".ckpt"))
  .sort()
  .map((f) => {
    const training = loadCheckpoint(`${dir}${f}`).header.training as unknown as ArithmeticTraining;
    const { status, trainedOn } = floatWeightsStatus(training);
    return `| ${f} | ${trainedOn} | ${status} | ${training.bestPeriod} | ${pct(training.validationCorrect, training.validationImages)} | ${pct(training.testCorrect, training.testImages)} |`;
  });
console.log(`# Checkpoints trained with the arithmetic in the loop

Written by \`pnpm train <id> --arithmetic <fixed|sc-bisc> --bits N [--seed S]\` (see ../../README.md);
each \`.log\` beside its checkpoint is that run's output. This list is printed from the checkpoint
headers (\`training.floatWeights\`, \`floatWeightsStatus\`) by \`npx tsx scripts/finetuned-readme.ts\`
(packages/zoo): "current" = trained from today's \`weights/<id>.ckpt\`; "superseded" = trained from
float weights since retrained, waiting to be retrained with the same command (its validation split
was seen by those float weights).

| checkpoint | float weights trained on | float weights | kept period | validation % | test % |
| - | - | - | - | - | - |
${rows.join("\n")}`);
