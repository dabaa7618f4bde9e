import { buildModel, type Model } from "../src/engine/model.ts";
import { Rng } from "../src/engine/prng.ts";
import { Tensor } from "../src/engine/tensor.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { lenet5Spec } from "./lenet5-fixture.ts";

/** LeNet-5 for the engine tests (the zoo registers the official one). */
export const lenet5: NetworkSpec = lenet5Spec("lenet5-test", "LeNet-5 (engine tests)");

export function randomArray(n: number, rng: Rng, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(lo, hi);
  return a;
}

/**
 * Synthetic classification data a small net can learn: class c has a bright c-dependent blob
 * plus seeded noise. Deterministic in `seed`.
 */
export function syntheticImages(
  count: number,
  shape: [number, number, number],
  classes: number,
  seed: number,
): { images: Float32Array; labels: Uint8Array; count: number } {
  const rng = new Rng(seed);
  const [C, H, W] = shape;
  const per = C * H * W;
  const images = new Float32Array(count * per);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const c = rng.int(classes);
    labels[n] = c;
    const cy = Math.floor((((c % 4) + 0.5) * H) / 4),
      cx = Math.floor(((Math.floor(c / 4) + 0.5) * W) / 3);
    for (let ch = 0; ch < C; ch++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const d2 = (y - cy) ** 2 + (x - cx) ** 2;
          images[n * per + (ch * H + y) * W + x] = Math.exp(-d2 / 8) + 0.3 * rng.float();
        }
      }
    }
  }
  return { images, labels, count };
}

export interface GradCheckResult {
  /** max over checked entries of |analytic − numeric| / max(1e-3, |analytic|, |numeric|), per tensor. */
  worst: Record<string, number>;
}

/**
 * Compares the model's analytic gradients of L = Σ y·r (r fixed, float64 sum) with central
 * differences, on up to `samples` entries per parameter tensor and of the input.
 */
export function gradCheck(
  model: Model,
  x: Tensor,
  opts: { train: boolean; seed: number; samples?: number; eps?: number; dropoutSeed?: number },
): GradCheckResult {
  const rng = new Rng(opts.seed);
  const eps = opts.eps ?? 1e-3;
  const samples = opts.samples ?? 12;
  const fwd = (): Tensor => model.forward(x, { train: opts.train, rng: new Rng(opts.dropoutSeed ?? 7) });
  const y0 = fwd();
  const r = new Float64Array(y0.size);
  for (let i = 0; i < r.length; i++) r[i] = rng.uniform(-1, 1);
  const lossOf = (): number => {
    const y = fwd().data;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i] * r[i];
    return s;
  };
  model.zeroGrad();
  fwd();
  const dy = new Tensor(y0.shape, Float32Array.from(r));
  const dx = model.backward(dy, { inputGrad: true })!;
  const analytic: { name: string; value: Float32Array; grad: Float32Array }[] = model.params.map((p) => ({
    name: p.name,
    value: p.value,
    grad: Float32Array.from(p.grad),
  }));
  analytic.push({ name: "input", value: x.data, grad: Float32Array.from(dx.data) });
  const worst: Record<string, number> = {};
  for (const t of analytic) {
    let w = 0;
    const n = t.value.length;
    const idx = n <= samples ? [...Array(n).keys()] : Array.from({ length: samples }, () => rng.int(n));
    for (const i of idx) {
      const orig = t.value[i];
      t.value[i] = orig + eps;
      const lp = lossOf();
      t.value[i] = orig - eps;
      const lm = lossOf();
      t.value[i] = orig;
      const num = (lp - lm) / (2 * eps);
      const a = t.grad[i];
      w = Math.max(w, Math.abs(a - num) / Math.max(1e-2, Math.abs(a), Math.abs(num)));
    }
    worst[t.name] = w;
  }
  return { worst };
}

export function smallModel(spec: NetworkSpec, seed = 1, kernels: "ts" | "wasm" = "ts"): Model {
  return buildModel(spec, { seed, kernels });
}
