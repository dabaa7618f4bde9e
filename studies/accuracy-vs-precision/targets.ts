// Checks issue 3's accuracy targets on the 10 000-image test sets and prints a table:
//   pnpm --filter @sccnn/study-accuracy-vs-precision targets [--networks lenet5,fashion-cnn]
// 8/8 targets use post-training quantisation of the zoo's trained weights; 4/4 targets use the
// committed checkpoints trained with the arithmetic in the loop (pnpm train <id> --arithmetic A --bits 4).
import { evaluateQuantized, quantizeCalibrated, quantizeNetwork, type Arithmetic } from "@sccnn/nn";
import { calibratedZooNetwork, loadArithmeticCheckpoint, QUANT_SETTINGS as q, quantConfigOf } from "@sccnn/zoo";
import { getNetwork as networkSpec, networkDataset as dataset } from "@sccnn/zoo";

const i = process.argv.indexOf("--networks");
const networks = i >= 0 ? process.argv[i + 1]!.split(",") : ["lenet5", "fashion-cnn"];

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
  const spec = networkSpec(network);
  const net = calibratedZooNetwork(network, q);
  const test = dataset(spec, "test", 10000);
  const float = evaluateQuantized(
    quantizeCalibrated(net, quantConfigOf(q, "float32", 8)),
    test.images,
    test.labels,
  ).accuracy;
  for (const t of targets.filter((x) => x.network === network)) {
    let qnet = quantizeCalibrated(net, quantConfigOf(q, t.arithmetic, t.bits));
    if (t.fineTuned) {
      const ft = loadArithmeticCheckpoint(network, t.arithmetic, t.bits);
      if (!ft) {
        console.log(
          `${network.padEnd(12)} ${t.arithmetic.padEnd(11)} ${t.bits}/${t.bits}  yes         (no trained checkpoint; run pnpm train ${network} --arithmetic ${t.arithmetic} --bits ${t.bits})`,
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
