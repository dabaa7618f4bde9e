/**
 * One training epoch of LeNet-5 on the 60 000 MNIST training images (batch 64, SGD momentum 0.9),
 * timed in one process for: the float engine (`train`, 2 shards on `threads` threads, WASM kernels),
 * the float engine on one thread, quantisation-aware training (`fineTune`, fixed N/N) and SC-aware
 * training (`fineTune`, sc-bisc N/N: forward with bit-exact BISC products via sc-core's WASM
 * kernels, straight-through backward). Prints seconds, images/s and the ratios to the float epoch
 * (issue 14's goal: SC-aware ≤ 2× float), and the same epoch in PyTorch CPU (Debian python3-torch,
 * bench/lenet5_epoch_torch.py, at `threads` threads; skipped with the reason when /usr/bin/python3
 * cannot import torch). Weights: He initialisation (speed does not depend on them).
 * Run: pnpm --filter @sccnn/nn bench:aware [N] [threads] [images]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadMnist } from "@sccnn/datasets";
import { buildModel } from "../src/engine/model.ts";
import { train } from "../src/engine/train.ts";
import { calibrateNetwork, fineTune, quantizeCalibrated } from "../src/quant/index.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { lenet5Spec } from "../test/lenet5-fixture.ts";

const lenet5: NetworkSpec = lenet5Spec("lenet5-bench", "LeNet-5");
const bits = Number(process.argv[2] ?? 4);
const threads = Number(process.argv[3] ?? 2);
const images = Number(process.argv[4] ?? 60000);
const data = loadMnist("train", { limit: images });
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
console.log(`LeNet-5, ${data.count} MNIST training images, batch 64; load average before: ${load()}`);

const opt = { type: "sgd" as const, lr: 0.01, momentum: 0.9 };
/** CPU seconds (all threads of this process, or of the PyTorch process) of each row, by name. */
const cpu = new Map<string, number>();
const cpuSince = (c: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e6;
};
async function floatEpoch(t: number): Promise<[number, number]> {
  const model = buildModel(lenet5, { seed: 1, kernels: "wasm" });
  const t0 = performance.now();
  const c = process.cpuUsage();
  await train(model, data, { epochs: 1, batchSize: 64, optimizer: opt, seed: 1, shards: 2, threads: t });
  return [(performance.now() - t0) / 1000, cpuSince(c)];
}
const init = buildModel(lenet5, { seed: 1, kernels: "wasm" }).weights;
const net = calibrateNetwork(lenet5, init, data.images.subarray(0, 1000 * 784));
function awareEpoch(arithmetic: "fixed" | "sc-bisc"): [number, number] {
  const q = quantizeCalibrated(net, { arithmetic, bitsW: bits, bitsA: bits });
  const t0 = performance.now();
  const c = process.cpuUsage();
  fineTune(q, data.images, data.labels, { epochs: 1, batchSize: 64, optimizer: opt, seed: 1, kernels: "wasm" });
  return [(performance.now() - t0) / 1000, cpuSince(c)];
}

const rows: [string, number][] = [];
const row = (name: string, [s, c]: [number, number]) => {
  rows.push([name, s]);
  cpu.set(name, c);
  console.log(`  measured ${name}: ${s.toFixed(1)} s wall, ${c.toFixed(1)} s CPU; load average ${load()}`);
};
row(`float32, train(), 2 shards on ${threads} thread(s)`, await floatEpoch(threads));
if (threads !== 1) row("float32, train(), 2 shards on 1 thread", await floatEpoch(1));
row(`fixed ${bits}/${bits} QAT, fineTune() (1 thread)`, awareEpoch("fixed"));
row(`sc-bisc ${bits}/${bits} SC-aware, fineTune() (1 thread)`, awareEpoch("sc-bisc"));
const torch = torchEpoch();
if (typeof torch !== "string") row(`PyTorch CPU, ${threads} thread(s)`, torch);
else console.log(`PyTorch epoch skipped: ${torch}`);
const base = rows[0]![1];
const baseCpu = cpu.get(rows[0]![0])!;
// Under load wall time depends on what else runs; CPU time (all threads) does not, so both are printed.
for (const [name, s] of rows)
  console.log(
    `${name.padEnd(48)} ${s.toFixed(1).padStart(7)} s  ${(data.count / s).toFixed(0).padStart(6)} img/s  ${(s / base).toFixed(2)}× the float epoch  | CPU ${cpu.get(name)!.toFixed(1).padStart(6)} s, ${(cpu.get(name)! / baseCpu).toFixed(2)}× its CPU`,
  );
console.log(`load average after: ${load()}`);

/** One epoch of the same network in PyTorch CPU ([wall, CPU] seconds), or why it could not run. */
function torchEpoch(): [number, number] | string {
  const dir = mkdtempSync(join(tmpdir(), "bench-torch-"));
  try {
    writeFileSync(
      join(dir, "x.f32"),
      new Uint8Array(data.images.buffer, data.images.byteOffset, data.images.byteLength),
    );
    writeFileSync(join(dir, "y.u8"), data.labels);
    // OpenBLAS tuning variables from the environment slow torch's CPU kernels ~30x here: unset for this command only
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const script = fileURLToPath(new URL("lenet5_epoch_torch.py", import.meta.url));
    const r = spawnSync(
      "/usr/bin/python3",
      [script, join(dir, "x.f32"), join(dir, "y.u8"), String(data.count), String(threads)],
      { env, encoding: "utf8" },
    );
    const m = /seconds ([\d.]+) cpu ([\d.]+)/.exec(r.stdout ?? "");
    return m
      ? [Number(m[1]), Number(m[2])]
      : `/usr/bin/python3 failed (${(r.stderr || String(r.error)).trim().split("\n").pop()})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
