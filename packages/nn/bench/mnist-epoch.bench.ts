/**
 * One real MNIST training epoch of LeNet-5 (60 000 images, batch 64, SGD momentum 0.9, lr 0.05,
 * 2 shards on 2 threads, WASM kernels), then test accuracy on the 10 000 test images.
 * Prints the epoch time and accuracy. Run: pnpm exec tsx bench/mnist-epoch.bench.ts [epochs]
 */
import { loadMnist } from "@sccnn/datasets";
import { buildModel } from "../src/engine/model.ts";
import { evaluate, train } from "../src/engine/train.ts";
import type { NetworkSpec } from "../src/spec.ts";

const lenet5: NetworkSpec = {
  id: "lenet5-bench", title: "LeNet-5", input: [1, 28, 28], classes: 10, dataset: "mnist",
  layers: [
    { type: "conv", name: "c1", outChannels: 6, kernel: 5, padding: 2 }, { type: "relu" }, { type: "maxpool", kernel: 2 },
    { type: "conv", name: "c2", outChannels: 16, kernel: 5 }, { type: "relu" }, { type: "maxpool", kernel: 2 },
    { type: "flatten" },
    { type: "linear", name: "f1", outFeatures: 120 }, { type: "relu" },
    { type: "linear", name: "f2", outFeatures: 84 }, { type: "relu" },
    { type: "linear", name: "f3", outFeatures: 10 },
  ],
};

const epochs = Number(process.argv[2] ?? 1);
const trainSet = loadMnist("train"), testSet = loadMnist("test");
const model = buildModel(lenet5, { seed: 1, kernels: "wasm" });
const h = await train(model, trainSet, {
  epochs, batchSize: 64, optimizer: { type: "sgd", lr: 0.05, momentum: 0.9 }, seed: 1, shards: 2, threads: 2,
});
for (const e of h.epochs) {
  console.log(`epoch ${e.epoch}: ${e.seconds.toFixed(1)} s, ${e.imagesPerSecond.toFixed(0)} images/s, train loss ${e.loss.toFixed(4)}, train accuracy ${(100 * e.accuracy).toFixed(2)} %`);
}
const t = evaluate(model, testSet);
console.log(`test accuracy after ${epochs} epoch(s): ${(100 * t.accuracy).toFixed(2)} % on ${t.count} images (threads ${h.threads}, kernels ${h.kernels})`);
