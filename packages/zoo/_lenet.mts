import { loadDataset } from "@sccnn/datasets";
import { calibrateNetwork, planIntChain, quantizeCalibrated, runIntChain } from "@sccnn/nn";
import { loadTrainedWeights } from "/work/main/packages/zoo/src/index.ts";
const ck = loadTrainedWeights("lenet5");
const test = loadDataset("mnist", "test", { limit: 10000 });
const calib = loadDataset("mnist", "train", { limit: 1000 });
const net = calibrateNetwork(ck.spec, ck.weights, calib.images);
const q = quantizeCalibrated(net, { arithmetic: "sc-bisc", bitsW: 8, bitsA: 8 });
const plan = planIntChain(q, "sc-core-wasm");
for (let i = 0; i < Number(process.argv[2] ?? 5); i++) {
  const t = performance.now();
  runIntChain(plan, test.images, { batchSize: 100 });
  const s = (performance.now() - t) / 1000;
  console.log((10000 / s / 1000).toFixed(1), "k img/s");
}
