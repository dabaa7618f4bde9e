import { buildModel, type NetworkSpec } from "@sccnn/nn";
import { exportOnnx, importOnnx } from "../../src/index.ts";

/** A seeded input batch in [0, 1). */
export function seededInput(spec: NetworkSpec, batch: number, seed: number): Float32Array {
  const n = batch * spec.input.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32;
  }
  return x;
}

/** Builds a seeded model, perturbs batchnorm statistics away from their init (so they matter), exports, imports, and runs both. */
export function roundTrip(spec: NetworkSpec, seed: number) {
  const model = buildModel(spec, { seed, kernels: "ts" });
  for (const [name, w] of Object.entries(model.weights)) {
    if (name.endsWith(".runningVar")) w.forEach((_, i) => (w[i] = 0.5 + ((i * 7919) % 13) / 10));
    if (name.endsWith(".runningMean") || name.endsWith(".beta"))
      w.forEach((_, i) => (w[i] = (((i * 104729) % 11) - 5) / 50));
  }
  const bytes = exportOnnx(spec, model.weights);
  const imported = importOnnx(bytes, { source: `${spec.id}.onnx` });
  const copy = buildModel(imported.spec, { seed: seed + 1, kernels: "ts" });
  copy.loadWeights(imported.weights);
  const x = seededInput(spec, 2, seed);
  return { model, imported, y: model.forward(x).data, yImported: copy.forward(x).data };
}

export const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
