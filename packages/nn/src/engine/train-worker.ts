/** Data-parallel training worker: holds a model replica and computes shard gradients on request. */
import { parentPort, workerData } from "node:worker_threads";
import type { NetworkSpec } from "../spec.ts";
import type { KernelName } from "./gemm.ts";
import { buildModel, type Model } from "./model.ts";
import { computeShard, type ShardInput, type ShardResult } from "./shard.ts";

export interface WorkerInit {
  spec: NetworkSpec;
  kernels: KernelName | "auto";
  hooksModule?: { url: string; exportName?: string; args?: unknown };
}

export type WorkerRequest = { type: "step"; id: number; params: Float32Array; buffers: Float32Array; shards: ShardInput[] };
export type WorkerReply = { type: "ready" } | { type: "step"; id: number; results: ShardResult[] } | { type: "error"; message: string };

const port = parentPort;
if (!port) throw new Error("train-worker.ts must run in a worker thread");

const init = workerData as WorkerInit;
let model: Model;
try {
  model = buildModel(init.spec, { seed: 0, kernels: init.kernels });
  if (init.hooksModule) {
    const mod = (await import(init.hooksModule.url)) as Record<string, unknown>;
    const name = init.hooksModule.exportName ?? "installHooks";
    const install = mod[name];
    if (typeof install !== "function") throw new Error(`hooksModule: ${init.hooksModule.url} has no exported function "${name}"`);
    await (install as (m: Model, args: unknown) => unknown)(model, init.hooksModule.args);
  }
  port.postMessage({ type: "ready" } satisfies WorkerReply);
} catch (e) {
  port.postMessage({ type: "error", message: (e as Error).stack ?? String(e) } satisfies WorkerReply);
}

port.on("message", (msg: WorkerRequest) => {
  try {
    const results = msg.shards.map((s) => computeShard(model, msg.params, msg.buffers, s));
    const transfer = results.flatMap((r) => [r.grad.buffer, r.buffers.buffer]) as ArrayBuffer[];
    port.postMessage({ type: "step", id: msg.id, results } satisfies WorkerReply, transfer);
  } catch (e) {
    port.postMessage({ type: "error", message: (e as Error).stack ?? String(e) } satisfies WorkerReply);
  }
});
