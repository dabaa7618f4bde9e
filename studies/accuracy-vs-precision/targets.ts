import { evaluateQuantized, quantizeCalibrated, quantizeNetwork, type Arithmetic } from "@sccnn/nn";
import { calibratedNetwork, quantConfigOf, type QuantSettings } from "./src/evaluate.ts";
import {
  FINE_TUNED_DIR,
  fineTunedName,
  getNetwork,
  loadFineTuned,
  loadTrainedWeights,
  networkDataset,
} from "@sccnn/zoo";

const FT_DIR = FINE_TUNED_DIR;
const i = process.argv.indexOf("--networks");
const networks = i >= 0 ? process.argv[i + 1]!.split(",") : ["lenet5", "fashion-cnn"];
const q: QuantSettings = {
  calibrationImages: 1000,
  calibration: "mse",
  percentile: 99.99,
  perChannel: false,
  lfsrSeed: 1,
};

interface Target {
  network: string;
  arithmetic: Arithmetic;
  bits: number;
  fineTuned: boolean;
  maxLossPt: number;
  rule: string;
}
const targets: Target[] = [
  { network: "lenet5", arithmetic: "fixed", bits: 8, fineTuned: false, maxLossPt: 0.2, rule: "≥ float − 0.2 pt" },
  { network: "lenet5", arithmetic: "sc-bisc", bits: 8, fineTuned: false, maxLossPt: 0.5, rule: "≥ float − 0.5 pt" },
  {
    network: "fashion-cnn",
    arithmetic: "sc-bisc",
    bits: 8,
    fineTuned: false,
    maxLossPt: 1,
    rule: "within 1 pt of float",
  },
  {
    network: "lenet5",
    arithmetic: "sc-bisc",
    bits: 4,
    fineTuned: false,
    maxLossPt: Infinity,
    rule: "(post-training only, for reference)",
  },
  {
    network: "lenet5",
    arithmetic: "fixed",
    bits: 4,
    fineTuned: false,
    maxLossPt: Infinity,
    rule: "(post-training only, for reference)",
  },
  {
    network: "lenet5",
    arithmetic: "sc-bisc",
    bits: 4,
    fineTuned: true,
    maxLossPt: 1,
    rule: "within 1 pt of float (QAT + SC-aware FT)",
  },
  {
    network: "lenet5",
    arithmetic: "fixed",
    bits: 4,
    fineTuned: true,
    maxLossPt: 0.5,
    rule: "within 0.5 pt of float (QAT)",
  },
];

const pct = (a: number) => `${(a * 100).toFixed(2)} %`;
let failed = 0;
console.log("network      arithmetic  N/N  fine-tuned  accuracy   float32    loss (pt)  target");
for (const network of networks) {
  const spec = getNetwork(network);
  const net = calibratedNetwork(spec, loadTrainedWeights(network).weights, q.calibrationImages, network);
  const test = networkDataset(spec, "test", 10000);
  const float = evaluateQuantized(
    quantizeCalibrated(net, quantConfigOf(q, "float32", 8)),
    test.images,
    test.labels,
  ).accuracy;
  for (const t of targets.filter((x) => x.network === network)) {
    let qnet = quantizeCalibrated(net, quantConfigOf(q, t.arithmetic, t.bits));
    if (t.fineTuned) {
      const ft = loadFineTuned(FT_DIR, fineTunedName(network, t.arithmetic, t.bits, t.bits));
      if (!ft) {
        console.log(
          `${network.padEnd(12)} ${t.arithmetic.padEnd(11)} ${t.bits}/${t.bits}  yes         (no fine-tuned weights; run finetune.ts)`,
        );
        failed++;
        continue;
      }
      qnet = quantizeNetwork(net.spec, ft.weights, net.stats, ft.training.quantConfig);
    }
    const acc = evaluateQuantized(qnet, test.images, test.labels).accuracy;
    const loss = (float - acc) * 100;
    const ok = loss <= t.maxLossPt + 1e-9;
    if (!ok) failed++;
    console.log(
      `${network.padEnd(12)} ${t.arithmetic.padEnd(11)} ${`${t.bits}/${t.bits}`.padEnd(4)} ${(t.fineTuned ? "yes" : "no").padEnd(11)} ${pct(acc).padEnd(10)} ${pct(float).padEnd(10)} ${loss.toFixed(2).padStart(6)}     ${t.rule}${Number.isFinite(t.maxLossPt) ? (ok ? "  MET" : "  MISSED") : ""}`,
    );
  }
}
process.exitCode = failed ? 1 : 0;
