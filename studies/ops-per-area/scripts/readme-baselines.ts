// Prints the README's "Against each binary baseline" table: trained LeNet-5, P = M = 16, 200 MHz,
// osu018 Yosys tables, SC's GOPS/mm² over each baseline's at four points (the same evaluateNetwork
// the study runs; BN-folded weights). Run: npx tsx scripts/readme-baselines.ts
import { BINARY_BASELINES, loadCostRegistry } from "@sccnn/cost";
import { networkLayerWeights } from "@sccnn/zoo";
import { evaluateNetwork, type OpsPerAreaConfig } from "../src/evaluate.ts";

const base: OpsPerAreaConfig = {
  networks: ["lenet5"],
  useTrainedWeights: true,
  syntheticSeed: 1,
  bits: [8],
  parallel: [128],
  scenarios: ["fixed-precision"],
  baselines: [...BINARY_BASELINES],
  flexibleMaxBits: 8,
  units: 16,
  lanesPerUnit: 16,
  batch: 1,
  lockstep: true,
  zeroWeightCycles: 1,
  registers: "io",
  memoryBits: 0,
  technology: "osu018",
  costModels: ["yosys"],
  clockHz: 2e8,
  clocks: ["parameter"],
  energy: false,
};
const points = [
  { label: "N = 8, b = 128, fixed-precision", bits: 8, parallel: 128, scenario: "fixed-precision" },
  { label: "N = 4, b = 8, fixed-precision", bits: 4, parallel: 8, scenario: "fixed-precision" },
  { label: "N = 4, b = 8, precision-flexible (8 bit)", bits: 4, parallel: 8, scenario: "precision-flexible" },
  { label: "N = 2, b = 4, precision-flexible (8 bit)", bits: 2, parallel: 4, scenario: "precision-flexible" },
] as const;
const net = networkLayerWeights("lenet5", { seed: 1, useTrained: true });
const costs = await loadCostRegistry({ technology: "osu018", models: ["yosys"] });
const pct = (v: number) => `${v >= 0 ? "+" : "−"}${Math.abs(v * 100).toFixed(1)} %`;
console.log(`| point | ${BINARY_BASELINES.map((b) => `vs ${b}`).join(" | ")} |`);
console.log(`| --- | ${BINARY_BASELINES.map(() => "---").join(" | ")} |`);
for (const p of points) {
  const recs = evaluateNetwork(
    net,
    { ...base, bits: [p.bits], parallel: [p.parallel], scenarios: [p.scenario] },
    costs,
  );
  const cells = BINARY_BASELINES.map((b) => {
    const r = recs.find((x) => x.design === "sc" && x.baseline === b);
    return r ? pct(r.improvement) : "—";
  });
  console.log(`| ${p.label} | ${cells.join(" | ")} |`);
}
