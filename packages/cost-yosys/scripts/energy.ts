// pnpm cost:energy [--tech osu018] [--bits 2,3,…] [--parallel 1,2,…,128] [--acc-networks lenet5,…]
//                  [--designs sc,exact,iso-bisc,bit-serial,trunc,bit-fusion,sc-lfsr,sc-sobol,register]
//                  [--extend] [--date YYYY-MM-DD] [--quick]
// --designs builds only those lanes' rows; --extend merges the rows built into the committed table
// (a rebuilt row replaces the row with the same key, every other row is kept), so a subset can be
// rebuilt (e.g. `nice -n 10 pnpm cost:energy --designs iso-bisc,bit-serial --extend`). trunc: the
// trunc-g<g> lanes, g = 0…2 (g < N; g ≥ N is the exact lane); bit-fusion: its lanes built for N,
// run at every precision 2…N (its mode), with their 3B²-bit operand registers.
// Synthesizes the SC and binary lane designs and the operand registers (as the area tables),
// clocks them in EnergySim on operand sequences of the trained zoo networks (lenet5, fashion-cnn)
// quantised at N, and writes tables/energy-<tech>.json (committed; the cost model reads it).
// Accumulator widths are the ones the --acc-networks need (default: the ops-per-area study's six
// networks; N + ceil(log2 max fan-in) + 1 for SC, 2N + … for binary), driven with the operands of
// lenet5 / fashion-cnn (the networks with trained weights); the conventional SC lanes, which the
// studies run on lenet5 / fashion-cnn only, get those two networks' widths. Other widths are
// refused by the model.
import { mkdirSync, writeFileSync } from "node:fs";
import { binaryAccumulatorBits, scAccumulatorBits } from "@sccnn/cost";
import { energyGridSize, mergeEnergyEntries } from "../src/build-energy.ts";
import cliProgress from "cli-progress";
import {
  buildEnergyTable,
  energyTablePath,
  LibraryMissingError,
  loadEnergyTable,
  resolveLibrary,
  type EnergyGridPoint,
} from "../src/index.ts";
import { DEFAULT_OPERANDS, networkMaxFanIn, operandSequences } from "./operands.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const tech = arg("--tech") ?? "osu018";
const quick = process.argv.includes("--quick");
const date = arg("--date") ?? new Date().toISOString().slice(0, 10);
const bitsList = (arg("--bits") ?? (quick ? "4" : "2,3,4,5,6,7,8,9,10")).split(",").map(Number);
for (const b of bitsList)
  if (!Number.isInteger(b) || b < 2 || b > 16) {
    console.error(`cost:energy: --bits must list integers 2…16, got ${b}`);
    process.exit(2);
  }
const parallelList = (arg("--parallel") ?? (quick ? "1,4" : "1,2,4,8,16,32,64,128")).split(",").map(Number);
for (const b of parallelList)
  if (!Number.isInteger(b) || b < 1 || b > 128 || (b & (b - 1)) !== 0) {
    console.error(`cost:energy: --parallel must list powers of two 1…128, got ${b}`);
    process.exit(2);
  }
const DESIGNS = [
  "sc",
  "exact",
  "iso-bisc",
  "bit-serial",
  "trunc",
  "bit-fusion",
  "sc-lfsr",
  "sc-sobol",
  "register",
] as const;
/** Guard bits of the truncated-multiplier baselines (@sccnn/cost BINARY_BASELINES: trunc-g0…g2). */
const TRUNC_GUARDS = [0, 1, 2];
const designs = new Set((arg("--designs") ?? DESIGNS.join(",")).split(","));
for (const d of designs)
  if (!(DESIGNS as readonly string[]).includes(d)) {
    console.error(`cost:energy: --designs must list some of ${DESIGNS.join(", ")}, got ${d}`);
    process.exit(2);
  }
const extend = process.argv.includes("--extend");
if (extend && quick) {
  console.error("cost:energy: --extend merges into the committed table; --quick writes out/ (use one)");
  process.exit(2);
}
let lib;
try {
  lib = resolveLibrary({ technology: tech });
} catch (e) {
  if (e instanceof LibraryMissingError || e instanceof RangeError) {
    console.error(`cost:energy: ${(e as Error).message}`);
    process.exit(2);
  }
  throw e;
}
/** The ops-per-area study's default networks: every lane but conventional SC gets their accumulator widths. */
const ACC_NETWORKS = ["lenet5", "fashion-cnn", "vgg-small-cifar", "resnet20-cifar", "mobilenet-v1", "resnet18"];
const accNetworks = (arg("--acc-networks") ?? ACC_NETWORKS.join(",")).split(",");
let fanIns: number[];
let operandFanIns: number[];
try {
  fanIns = accNetworks.map(networkMaxFanIn);
  operandFanIns = DEFAULT_OPERANDS.networks.map(networkMaxFanIn);
} catch (e) {
  console.error(`cost:energy: --acc-networks: ${(e as Error).message}`);
  process.exit(2);
}
const uniq = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
const grid: EnergyGridPoint[] = bitsList.map((N) => ({
  bits: N,
  parallel: designs.has("sc") ? parallelList.filter((b) => b <= 2 ** N) : [],
  scAccBits: uniq(fanIns.map((f) => scAccumulatorBits(N, f))),
  binaryAccBits: designs.has("exact") ? uniq(fanIns.map((f) => binaryAccumulatorBits(N, f))) : [],
  isoAccBits: designs.has("iso-bisc") ? uniq(fanIns.map((f) => binaryAccumulatorBits(N, f, "iso-bisc"))) : [],
  bitSerialAccBits: designs.has("bit-serial") ? uniq(fanIns.map((f) => binaryAccumulatorBits(N, f, "bit-serial"))) : [],
  register: designs.has("register"),
  trunc: designs.has("trunc")
    ? TRUNC_GUARDS.filter((g) => g < N).flatMap((guard) =>
        uniq(fanIns.map((f) => binaryAccumulatorBits(N, f, `trunc-g${guard}`))).map((accBits) => ({ guard, accBits })),
      )
    : [],
  ...(designs.has("bit-fusion")
    ? {
        fusion: {
          accBits: uniq(fanIns.map((f) => binaryAccumulatorBits(N, f, "bit-fusion"))),
          runBits: Array.from({ length: N - 1 }, (_, i) => i + 2),
        },
      }
    : {}),
  conventional: {
    sngs: (["lfsr", "sobol"] as const).filter((s) => designs.has(`sc-${s}`)),
    accBits: uniq(operandFanIns.map((f) => scAccumulatorBits(N, f))),
  },
}));
const o = DEFAULT_OPERANDS;
const source = `zoo ${o.networks.join(" + ")} trained weights, fixed-point quantised at N (per-layer max-abs weights, MSE activation clips on ${o.calibrationImages} training images); ${o.images} seeded test images per network; per conv/linear layer up to ${o.dotsPerLayer} seeded output neurons, ≤ ${o.maxSteps} steps per layer, in (c, r, s) order; picks from sc-core's Rng(${o.seed}, N)`;
const bar = new cliProgress.SingleBar(
  { format: `${tech} energy [{bar}] {value}/{total} | {what} | {duration}s`, noTTYOutput: true, notTTYSchedule: 5000 },
  cliProgress.Presets.legacy,
);
const total = grid.reduce((s, g) => s + energyGridSize(g), 0);
bar.start(total, 0, { what: "" });
const t0 = Date.now();
const table = await buildEnergyTable(grid, lib, (N) => ({ sequences: operandSequences(N, o), source, seed: o.seed }), {
  date,
  onProgress: (done, _t, what) => bar.update(done, { what }),
});
bar.stop();
const outDir = new URL("../out/", import.meta.url).pathname;
if (quick) mkdirSync(outDir, { recursive: true });
const out = quick ? `${outDir}energy-${tech}.quick.json` : energyTablePath(tech);
if (extend) {
  const old = loadEnergyTable(tech);
  if (old) table.entries = mergeEnergyEntries(old.entries, table.entries);
}
writeFileSync(out, `${JSON.stringify(table, null, 1)}\n`);
console.log(`${tech}: ${table.entries.length} energy rows in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${out}`);
