/**
 * Data-parallel training worker: holds a model replica and computes shard gradients on request.
 * Protocol (every request carries an id that its reply echoes):
 *   { type: "init", spec, kernels, hooksModule? } → { type: "ready" }   (builds a fresh replica)
 *   { type: "step", params, buffers, shards }     → { type: "step", results }
 *   any failure                                   → { type: "error", message }
 */
import { parentPort } from "node:worker_threads";
import type { NetworkSpec } from "../spec.ts";
import type { KernelName } from "./gemm.ts";
import { buildModel, type Model } from "./model.ts";
import { computeShard, type ShardInput, type ShardResult } from "./shard.ts";

export interface WorkerInit {
  spec: NetworkSpec;
  kernels: KernelName;
  hooksModule?: { url: string; exportName?: string; args?: unknown };
}

export type WorkerRequest =
  | ({ type: "init"; id: number } & WorkerInit)
  | { type: "step"; id: number; params: Float32Array; buffers: Float32Array; shards: ShardInput[] };
export type WorkerReply =
  | { type: "ready"; id: number }
  | { type: "step"; id: number; results: ShardResult[] }
  | { type: "error"; id: number; message: string };

const port = parentPort;
if (!port) throw new Error("train-worker.ts must run in a worker thread");

let model: Model | null = null;

async function init(msg: WorkerInit): Promise<void> {
  model = null;
  const m = buildModel(msg.spec, { seed: 0, kernels: msg.kernels });
  if (msg.hooksModule) {
    const mod = (await import(msg.hooksModule.url)) as Record<string, unknown>;
    const name = msg.hooksModule.exportName ?? "installHooks";
    const install = mod[name];
    if (typeof install !== "function")
      throw new Error(`hooksModule: ${msg.hooksModule.url} has no exported function "${name}"`);
    await (install as (model: Model, args: unknown) => unknown)(m, msg.hooksModule.args);
  }
  model = m;
}

port.on("message", (msg: WorkerRequest) => {
  void (async () => {
    try {
      if (msg.type === "init") {
        await init(msg);
        port.postMessage({ type: "ready", id: msg.id } satisfies WorkerReply);
        return;
      }
      if (!model) throw new Error("step before a successful init");
      const m = model;
      const results = msg.shards.map((s) => computeShard(m, msg.params, msg.buffers, s));
      const transfer = results.flatMap((r) => [r.grad.buffer, r.buffers.buffer]) as ArrayBuffer[];
      port.postMessage({ type: "step", id: msg.id, results } satisfies WorkerReply, transfer);
    } catch (e) {
      port.postMessage({ type: "error", id: msg.id, message: (e as Error).stack ?? String(e) } satisfies WorkerReply);
    }
  })();
});
