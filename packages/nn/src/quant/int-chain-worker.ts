/**
 * Worker of `IntChainPool`: holds one int-chain plan and runs image shards on request.
 *   { type: "init", id, qnet, backend, batchSize } → { type: "ready", id }
 *   { type: "run", id, images }                    → { type: "run", id, logits }  (buffer transferred)
 *   any failure                                    → { type: "error", id, message }
 */
import { parentPort } from "node:worker_threads";
import type { IntegerBackendName } from "./backend.ts";
import { planIntChain, runIntChain, type IntChainPlan } from "./int-chain.ts";
import type { QuantizedNetwork } from "./quantized-network.ts";

export type IntChainRequest =
  | { type: "init"; id: number; qnet: QuantizedNetwork; backend: IntegerBackendName; batchSize: number }
  | { type: "run"; id: number; images: Float32Array };
export type IntChainReply =
  | { type: "ready"; id: number }
  | { type: "run"; id: number; logits: Float32Array }
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
    const logits = runIntChain(plan, msg.images, { batchSize });
    port.postMessage({ type: "run", id: msg.id, logits } satisfies IntChainReply, [logits.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ type: "error", id: msg.id, message: (e as Error).stack ?? String(e) } satisfies IntChainReply);
  }
});
