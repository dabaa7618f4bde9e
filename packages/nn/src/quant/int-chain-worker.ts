/**
 * Worker of `IntChainPool`: holds one int-chain plan and runs image shards on request.
 *   { type: "init", id, qnet, backend, batchSize } → { type: "ready", id }
 *   { type: "run", id, images, logits, next, chunk } → { type: "run", id, chunks }  (shared memory:
 *     claims chunks of `chunk` images with Atomics.add on next[0] and writes their logits in place)
 *   any failure                                    → { type: "error", id, message }
 */
import { parentPort } from "node:worker_threads";
import type { IntegerBackendName } from "./backend.ts";
import { planIntChain, runClaimedChunks, type IntChainPlan } from "./int-chain.ts";
import type { QuantizedNetwork } from "./quantized-network.ts";

export type IntChainRequest =
  | { type: "init"; id: number; qnet: QuantizedNetwork; backend: IntegerBackendName; batchSize: number }
  | {
      type: "run";
      id: number;
      /** Views on shared memory: the images, the logits to fill, the next chunk's index. */
      images: Float32Array;
      logits: Float32Array;
      next: Int32Array;
      chunk: number;
    };
export type IntChainReply =
  | { type: "ready"; id: number }
  | { type: "run"; id: number; chunks: number }
  | { type: "error"; id: number; message: string };

const port = parentPort;
if (!port) throw new Error("int-chain-worker.ts must run in a worker thread");

let plan: IntChainPlan | null = null;
let batchSize = 100;

port.on("message", (msg: IntChainRequest) => {
  try {
    if (msg.type === "init") {
      plan = planIntChain(msg.qnet, msg.backend);
      batchSize = msg.batchSize;
      port.postMessage({ type: "ready", id: msg.id } satisfies IntChainReply);
      return;
    }
    if (!plan) throw new Error("run before a successful init");
    const chunks = runClaimedChunks(plan, msg.images, msg.logits, msg.next, msg.chunk, batchSize);
    port.postMessage({ type: "run", id: msg.id, chunks } satisfies IntChainReply);
  } catch (e) {
    port.postMessage({ type: "error", id: msg.id, message: (e as Error).stack ?? String(e) } satisfies IntChainReply);
  }
});
