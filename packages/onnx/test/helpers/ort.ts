import * as ort from "onnxruntime-node";
import { expect } from "vitest";
import { buildModel, type NetworkSpec } from "@sccnn/nn";

export async function runOrt(
  bytes: Uint8Array,
  inputName: string,
  x: Float32Array,
  dims: number[],
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ [inputName]: new ort.Tensor("float32", x, dims) });
  return out[session.outputNames[0]].data as Float32Array;
}

export function engineRun(spec: NetworkSpec, weights: Record<string, Float32Array>, x: Float32Array): Float32Array {
  const m = buildModel(spec, { seed: 0, kernels: "ts" });
  m.loadWeights(weights);
  return m.forward(x).data;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

export const scaleOf = (y: Float32Array) => Math.max(1, ...Array.from(y, Math.abs));

export function seeded(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32;
  }
  return x;
}
