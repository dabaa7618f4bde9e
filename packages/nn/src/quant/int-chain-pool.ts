import { Worker } from "node:worker_threads";
import type { IntegerBackendName } from "./backend.ts";
import { INT_CHAIN_RUNTIME, planIntChain, runClaimedChunks, type IntChainPlan } from "./int-chain.ts";
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
  /**
   * Whether the calling thread claims chunks too (default true). False leaves every chunk to the
   * worker threads (the caller stays free; the tests use it to check the workers' logits).
   */
  callerRuns?: boolean;
}

/**
 * The int-chain runtime on several threads: the calling thread and worker threads (started once,
 * kept until `close`) claim chunks of the images from a shared counter. Every image is computed
 * alone, so the logits are those of `runIntChain` whoever computes it (tested).
 */
export class IntChainPool {
  private constructor(
    private readonly plan: IntChainPlan,
    private readonly workers: ChainWorker[],
    private readonly batchSize: number,
    private readonly callerRuns: boolean,
  ) {}

  /** Chunks each thread ran in the last `run` (the caller first when it runs chunks). */
  lastChunks: number[] = [];

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
    return new IntChainPool(plan, workers, batchSize, opts.callerRuns ?? true);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Logits [n, classes] of `images`, bit-identical to `runIntChain` / `runQuantized`. The images
   * go to shared memory once; every thread (the caller included) claims one batch at a time
   * from a shared counter until none are left, so a thread that runs slower (this machine's
   * second core often does) takes fewer instead of holding everyone up.
   */
  async run(images: Float32Array): Promise<Float32Array> {
    const [C, H, W] = this.plan.qnet.spec.input;
    const per = C * H * W;
    if (images.length % per !== 0)
      throw new RangeError(`${INT_CHAIN_RUNTIME} pool: images length ${images.length} is not a multiple of ${per}`);
    const n = images.length / per;
    const classes = this.plan.qnet.spec.classes;
    if (n === 0) return new Float32Array(0);
    const shared = new Float32Array(new SharedArrayBuffer(images.byteLength));
    shared.set(images);
    const logits = new Float32Array(new SharedArrayBuffer(n * classes * 4));
    const next = new Int32Array(new SharedArrayBuffer(4));
    // One batch per claim: a claim costs an Atomics.add and a runIntChain call on buffers the plan
    // keeps, and the last claims leave the other threads idle for at most one batch. On LeNet-5
    // (10 000 images, 2 threads) best of 12 runs: 194-200 ms against 208-209 ms with chunks of 6.
    const chunk = this.batchSize;
    const replies = this.workers.map((w) =>
      w.request({ type: "run", id: w.id(), images: shared, logits, next, chunk }).then((r) => {
        if (r.type !== "run") throw new Error(`${INT_CHAIN_RUNTIME} pool: unexpected reply ${r.type}`);
        return r.chunks;
      }),
    );
    const mine = this.callerRuns ? [runClaimedChunks(this.plan, shared, logits, next, chunk, this.batchSize)] : [];
    this.lastChunks = [...mine, ...(await Promise.all(replies))];
    return logits.slice();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
