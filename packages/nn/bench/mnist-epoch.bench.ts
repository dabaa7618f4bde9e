/**
 * Real MNIST training of LeNet-5 (60 000 images per epoch, batch 64, SGD momentum 0.9, lr 0.05
 * with a cosine schedule over the run, weight decay 5e-4, 2 shards, WASM kernels); test accuracy
 * on the 10 000 test images after every epoch. (8 epochs reached 99.33 % here.)
 * Prints the epoch time, CPU time and accuracy. Run: pnpm bench:mnist [epochs] [threads]
 */
import { loadavg } from "node:os";
import { loadMnist } from "@sccnn/datasets";
import { buildModel } from "../src/engine/model.ts";
import { evaluate, train } from "../src/engine/train.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { lenet5Spec } from "../test/lenet5-fixture.ts";

const lenet5: NetworkSpec = lenet5Spec("lenet5-bench", "LeNet-5");

const epochs = Number(process.argv[2] ?? 1);
const threads = Number(process.argv[3] ?? 2);
const trainSet = loadMnist("train"),
  testSet = loadMnist("test");
const model = buildModel(lenet5, { seed: 1, kernels: "wasm" });
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
const c0 = process.cpuUsage(),
  t0 = performance.now();
const h = await train(model, trainSet, {
  epochs,
  batchSize: 64,
  optimizer: { type: "sgd", lr: 0.05, momentum: 0.9, weightDecay: 5e-4 },
  schedule: { type: "cosine" },
  seed: 1,
  shards: 2,
  threads,
  validation: testSet,
});
const cpu = process.cpuUsage(c0),
  cpuS = (cpu.user + cpu.system) / 1e6,
  wallS = (performance.now() - t0) / 1000;
console.log(
  `training + per-epoch test evaluation: cpu ${cpuS.toFixed(1)} s over ${wallS.toFixed(1)} s wall (${(cpuS / wallS).toFixed(2)} cores)`,
);
for (const e of h.epochs) {
  console.log(
    `epoch ${e.epoch}: ${e.seconds.toFixed(1)} s, ${e.imagesPerSecond.toFixed(0)} images/s, train loss ${e.loss.toFixed(4)}, train accuracy ${(100 * e.accuracy).toFixed(2)} %, test accuracy ${(100 * e.validationAccuracy!).toFixed(2)} %`,
  );
}
const t = evaluate(model, testSet);
console.log(
  `test accuracy after ${epochs} epoch(s): ${(100 * t.accuracy).toFixed(2)} % on ${t.count} images (threads ${h.threads}, kernels ${h.kernels})`,
);
