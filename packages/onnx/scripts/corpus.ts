/**
 * Prints, for every file of the ONNX corpus (corpus/MANIFEST.json), the largest absolute
 * difference between our engine and onnxruntime-node running the file itself, and the argmax
 * agreement. The assertions are in test/corpus.test.ts.
 *
 *   pnpm --filter @sccnn/onnx onnx:corpus [--images N]
 */
import { checkCorpusFile, corpusManifest } from "../test/helpers/corpus.ts";

const i = process.argv.indexOf("--images");
const images = i < 0 ? 8 : Number(process.argv[i + 1]);
if (!Number.isInteger(images) || images < 1) {
  console.error(`--images: expected a positive integer, got ${process.argv[i + 1]}`);
  process.exit(2);
}
console.log("| file | exporter | opset | max abs diff | max abs output | argmax agree | notes |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
let worst = 0;
for (const entry of corpusManifest()) {
  const r = await checkCorpusFile(entry, images);
  worst = Math.max(worst, r.maxAbsDiff);
  console.log(
    `| ${entry.file} | ${entry.exporter} | ${entry.opset} | ${r.maxAbsDiff.toExponential(2)} | ${r.maxAbsOutput.toFixed(3)} | ${r.argmaxAgree}/${images} | ${r.imported.notes.length} |`,
  );
}
console.log(
  `\nworst max |engine − onnxruntime| over the corpus: ${worst.toExponential(2)} (${images} seeded images per file)`,
);
