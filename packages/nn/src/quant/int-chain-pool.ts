import { Worker } from "node:worker_threads";
import type { IntegerBackendName } from "./backend.ts";
import { INT_CHAIN_RUNTIME, planIntChain, runIntChain, type IntChainPlan } from "./int-chain.ts";
import type { IntChainReply, IntChainRequest } from "./int-chain-worker.ts";
import type { QuantizedNetwork } from "./quantized-network.ts";

type Pending = { resolve: (r: IntChainReply) => void; reject: (e: Error) => void };

class ChainWorker {
  readonly worker = new Worker(new URL("./int-chain-worker.mjs", import.meta.url));
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor() {
    this.worker.on("message", (m: IntChainReply) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.type === "error") p.reject(new Error(`${INT_CHAIN_RUNTIME} worker: ${m.message}`));
      else p.resolve(m);
    });
    const fail = (e: Error): void => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`${INT_CHAIN_RUNTIME} worker exited (code ${code})`)));
  }

  request(msg: IntChainRequest, transfer: ArrayBuffer[] = []): Promise<IntChainReply> {
    return new Promise<IntChainReply>((resolve, reject) => {
      this.pending.set(msg.id, { resolve, reject });
      this.worker.postMessage(msg, transfer);
    });
  }

  id(): number {
    return this.nextId++;
  }
}

export interface IntChainPoolOptions {
  /** Threads in all, the calling thread included (it runs the first shard): 1 … 64. */
  threads: number;
  backend?: IntegerBackendName;
  batchSize?: number;
}

/**
 * The int-chain runtime on several threads: the images are cut into `threads` contiguous shards;
 * the calling thread runs the first, worker threads (started once, kept until `close`) the others.
 * Every image is computed alone, so the logits are those of `runIntChain` (tested).
 */
export class IntChainPool {
  private constructor(
    private readonly plan: IntChainPlan,
    private readonly workers: ChainWorker[],
    private readonly batchSize: number,
  ) {}

  static async create(qnet: QuantizedNetwork, opts: IntChainPoolOptions): Promise<IntChainPool> {
    const { threads } = opts;
    if (!Number.isInteger(threads) || threads < 1 || threads > 64)
      throw new RangeError(`${INT_CHAIN_RUNTIME} pool: threads must be an integer 1…64, got ${threads}`);
    const backend = opts.backend ?? "sc-core-wasm";
    const batchSize = opts.batchSize ?? 100;
    const plan = planIntChain(qnet, backend);
    const workers = Array.from({ length: threads - 1 }, () => new ChainWorker());
    try {
      await Promise.all(workers.map((w) => w.request({ type: "init", id: w.id(), qnet, backend, batchSize })));
    } catch (e) {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      throw e;
    }
    return new IntChainPool(plan, workers, batchSize);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Logits [n, classes] of `images`, bit-identical to `runIntChain` / `runQuantized`. */
  async run(images: Float32Array): Promise<Float32Array> {
    const [C, H, W] = this.plan.qnet.spec.input;
    const per = C * H * W;
    if (images.length % per !== 0)
      throw new RangeError(`${INT_CHAIN_RUNTIME} pool: images length ${images.length} is not a multiple of ${per}`);
    const n = images.length / per;
    const classes = this.plan.qnet.spec.classes;
    const shard = Math.ceil(n / this.threads);
    const replies = this.workers.map((w, i) => {
      const from = Math.min(n, (i + 1) * shard);
      const to = Math.min(n, (i + 2) * shard);
      if (from >= to) return Promise.resolve(null);
      // a copy of the shard alone (posting a view would clone its whole buffer)
      const part = images.slice(from * per, to * per);
      return w.request({ type: "run", id: w.id(), images: part }, [part.buffer]).then((r) => ({ from, r }));
    });
    const out = new Float32Array(n * classes);
    out.set(runIntChain(this.plan, images.subarray(0, Math.min(n, shard) * per), { batchSize: this.batchSize }));
    for (const p of await Promise.all(replies)) {
      if (!p) continue;
      if (p.r.type !== "run") throw new Error(`${INT_CHAIN_RUNTIME} pool: unexpected reply ${p.r.type}`);
      out.set(p.r.logits, p.from * classes);
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
