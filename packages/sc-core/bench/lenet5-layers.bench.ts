/**
 * The five SC layers of LeNet-5 as the int-chain runtime runs them (batch 100, N = 8 BISC, inputs
 * ≥ 0 as after a ReLU or MNIST's pixels, weights of both signs; uniform random, seeded), each on the
 * WebAssembly kernels of the build this engine takes: milliseconds per 10 000 images, best of 5
 * rounds of 100 calls after 20 warm-up calls. conv1 runs on the direct kernel (no im2col), conv2 on
 * im2col, the three linear layers as 1×1 convolutions (GEMMs).
 *
 * Run: `pnpm tsx bench/lenet5-layers.bench.ts [layer]` in packages/sc-core. Prints; asserts nothing.
 */
import { performance } from "node:perf_hooks";
import { convGeometry, kernelVariant, Rng, wasmScConv2d, wasmScGemm } from "../src/index.ts";
import { directSc } from "../src/wasm/layout.ts";

const spec = { scheme: "bisc", bits: 8 } as const;
const rng = new Rng(20261207);
const operands = (n: number, lo: number) => Int32Array.from({ length: n }, () => rng.between(lo, 255));
const batch = 100;

const layers: [string, string, () => void][] = [];
for (const [name, c, hw, k, pad] of [
  ["conv1", 1, 28, 6, 2],
  ["conv2", 6, 14, 16, 0],
] as const) {
  const inShape = [batch, c, hw, hw];
  const wShape = [k, c, 5, 5];
  const g = convGeometry(inShape, wShape, { padding: pad });
  const x = operands(batch * c * hw * hw, 0);
  const w = operands(k * c * 25, -255);
  const out = new Int32Array(batch * k * g.P * g.Q);
  layers.push([
    name,
    directSc(g) ? "direct" : "im2col",
    () => wasmScConv2d(spec, x, inShape, w, wShape, { padding: pad, out }),
  ]);
}
for (const [name, k, n] of [
  ["fc1", 400, 120],
  ["fc2", 120, 84],
  ["fc3", 84, 10],
] as const) {
  const a = operands(batch * k, 0);
  const b = operands(n * k, -255);
  const out = new Int32Array(batch * n);
  layers.push([name, "gemm", () => wasmScGemm(spec, a, b, batch, k, n, out)]);
}

const only = process.argv[2];
console.log(`LeNet-5 SC layers, batch ${batch}, BISC N = 8, ${kernelVariant()} kernels; ms per 10 000 images`);
let total = 0;
for (const [name, path, run] of layers) {
  if (only && name !== only) continue;
  for (let i = 0; i < 20; i++) run();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < 100; i++) run();
    best = Math.min(best, performance.now() - t);
  }
  total += best;
  console.log(`${name.padEnd(6)} ${path.padEnd(7)} ${best.toFixed(1).padStart(7)} ms`);
}
console.log(`${"sum".padEnd(14)} ${total.toFixed(1).padStart(7)} ms`);
