/**
 * The ONNX corpus (packages/onnx/corpus, written by make_corpus.py): each file is imported and
 * our engine's float inference is compared with onnxruntime-node running the file itself, on
 * seeded uniform [0, 1) images. Shared by test/corpus.test.ts and scripts/corpus.ts.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { buildModel } from "@sccnn/nn";
import { importOnnx, type ImportedNetwork } from "../../src/index.ts";

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "corpus");

export interface CorpusEntry {
  file: string;
  exporter: string;
  opset: number;
  batch: number | "dynamic";
  input: number[];
  operators: string[];
  exercises: string;
}

export function corpusManifest(): CorpusEntry[] {
  return (JSON.parse(readFileSync(join(CORPUS_DIR, "MANIFEST.json"), "utf8")) as { files: CorpusEntry[] }).files;
}

export interface CorpusResult {
  entry: CorpusEntry;
  imported: ImportedNetwork;
  images: number;
  maxAbsDiff: number;
  maxAbsOutput: number;
  argmaxAgree: number;
}

function seededImages(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32;
  }
  return x;
}

/** Imports one corpus file and compares the engine with onnxruntime on `images` seeded images. */
export async function checkCorpusFile(entry: CorpusEntry, images = 4): Promise<CorpusResult> {
  const path = join(CORPUS_DIR, entry.file);
  const bytes = readFileSync(path);
  const imported = importOnnx(bytes, { source: path });
  const { spec, weights } = imported;
  const per = spec.input.reduce((a, b) => a * b, 1);
  const x = seededImages(images * per, 17);
  const model = buildModel(spec, { seed: 0, kernels: "ts" });
  model.loadWeights(weights);
  const y = model.forward(x).data;
  const session = await ort.InferenceSession.create(bytes);
  const inputName = session.inputNames[0];
  // A file exported at a fixed batch takes that batch only: run it image by image.
  const step = entry.batch === "dynamic" ? images : entry.batch;
  const yo = new Float32Array(y.length);
  const classes = spec.classes;
  for (let i = 0; i < images; i += step) {
    const out = await session.run({
      [inputName]: new ort.Tensor("float32", x.slice(i * per, (i + step) * per), [step, ...spec.input]),
    });
    yo.set(out[session.outputNames[0]].data as Float32Array, i * classes);
  }
  let maxAbsDiff = 0,
    maxAbsOutput = 0,
    argmaxAgree = 0;
  for (let i = 0; i < y.length; i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(y[i] - yo[i]));
    maxAbsOutput = Math.max(maxAbsOutput, Math.abs(yo[i]));
  }
  const argmax = (a: Float32Array, r: number) => {
    let b = 0;
    for (let c = 1; c < classes; c++) if (a[r * classes + c] > a[r * classes + b]) b = c;
    return b;
  };
  for (let r = 0; r < images; r++) if (argmax(y, r) === argmax(yo, r)) argmaxAgree++;
  return { entry, imported, images, maxAbsDiff, maxAbsOutput, argmaxAgree };
}
