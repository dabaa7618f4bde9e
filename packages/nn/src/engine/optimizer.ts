/**
 * Optimisers over flat parameter/gradient arrays (a model's `paramData` / `gradData`).
 * Weight decay is L2 regularisation added to the gradient (g + λ·w), for every parameter, as
 * PyTorch's SGD and Adam do.
 */
export type OptimizerConfig =
  | { type: "sgd"; lr: number; momentum?: number; weightDecay?: number; nesterov?: boolean }
  | { type: "adam"; lr: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number };

export interface Optimizer {
  readonly config: OptimizerConfig;
  /** One update with learning rate `lr` (the schedule's value for this step). */
  step(params: Float32Array, grads: Float32Array, lr: number): void;
}

function nonNegative(name: string, v: number): number {
  if (!(Number.isFinite(v) && v >= 0)) throw new Error(`optimizer.${name}: expected a non-negative number, got ${v}`);
  return v;
}

/** SGD with momentum (PyTorch form): v = μ·v + g; w −= lr·v (nesterov: w −= lr·(g + μ·v)). */
export class Sgd implements Optimizer {
  private velocity: Float32Array | null = null;
  constructor(readonly config: Extract<OptimizerConfig, { type: "sgd" }>) {
    nonNegative("lr", config.lr);
    nonNegative("momentum", config.momentum ?? 0);
    nonNegative("weightDecay", config.weightDecay ?? 0);
  }

  step(params: Float32Array, grads: Float32Array, lr: number): void {
    const mu = this.config.momentum ?? 0,
      wd = this.config.weightDecay ?? 0,
      nesterov = this.config.nesterov ?? false;
    if (!this.velocity) this.velocity = new Float32Array(params.length);
    const v = this.velocity;
    const n = params.length;
    // one loop per form (the same operations per element as a single loop with the tests inside)
    if (mu === 0) {
      for (let i = 0; i < n; i++) params[i] -= lr * (grads[i] + wd * params[i]);
    } else if (nesterov) {
      for (let i = 0; i < n; i++) {
        const g = grads[i] + wd * params[i];
        v[i] = mu * v[i] + g;
        params[i] -= lr * (g + mu * v[i]);
      }
    } else {
      for (let i = 0; i < n; i++) {
        v[i] = mu * v[i] + (grads[i] + wd * params[i]);
        params[i] -= lr * v[i];
      }
    }
  }
}

/** Adam (Kingma & Ba) with bias correction; defaults β1 0.9, β2 0.999, ε 1e-8. */
export class Adam implements Optimizer {
  private m: Float32Array | null = null;
  private v: Float32Array | null = null;
  private t = 0;
  constructor(readonly config: Extract<OptimizerConfig, { type: "adam" }>) {
    nonNegative("lr", config.lr);
    nonNegative("weightDecay", config.weightDecay ?? 0);
    for (const k of ["beta1", "beta2"] as const) {
      const b = config[k];
      if (b !== undefined && !(b >= 0 && b < 1))
        throw new Error(`optimizer.${k}: expected a number in [0, 1), got ${b}`);
    }
  }

  step(params: Float32Array, grads: Float32Array, lr: number): void {
    const b1 = this.config.beta1 ?? 0.9,
      b2 = this.config.beta2 ?? 0.999,
      eps = this.config.eps ?? 1e-8,
      wd = this.config.weightDecay ?? 0;
    if (!this.m || !this.v) {
      this.m = new Float32Array(params.length);
      this.v = new Float32Array(params.length);
    }
    this.t++;
    const c1 = 1 - b1 ** this.t,
      c2 = 1 - b2 ** this.t;
    const m = this.m,
      v = this.v;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i] + wd * params[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      params[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
  }
}

export function createOptimizer(config: OptimizerConfig): Optimizer {
  if (config.type === "sgd") return new Sgd(config);
  if (config.type === "adam") return new Adam(config);
  throw new Error(
    `optimizer.type: expected "sgd" or "adam", got ${JSON.stringify((config as { type: unknown }).type)}`,
  );
}
