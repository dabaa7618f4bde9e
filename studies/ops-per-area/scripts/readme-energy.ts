// npx tsx scripts/readme-energy.ts [results.json] [--clock parameter] [--scenario fixed-precision]
// Prints the README's energy table from a run's results (default out/results.json of
// `pnpm study ops-per-area`): per network and N, SC at its b with the most GOPS/mm² among the
// records that have an energy, and each binary baseline: GOPS/mm², energy per inference (nJ) and
// GOPS/W. Records without energy (off, or refused by the table) are counted and listed by reason.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { OpsPerAreaRecord } from "../src/evaluate.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args.splice(i, 2)[1]! : fallback;
};
const clock = flag("clock", "parameter");
const scenario = flag("scenario", "fixed-precision");
const networks = flag("networks", "lenet5,fashion-cnn").split(",");
const bitsWanted = flag("bits", "2,4,6,8").split(",").map(Number);
const file = args[0] ?? fileURLToPath(new URL("../out/results.json", import.meta.url));
let records: OpsPerAreaRecord[];
try {
  records = (JSON.parse(readFileSync(file, "utf8")) as { records: OpsPerAreaRecord[] }).records;
} catch (e) {
  console.error(`readme-energy: ${file}: ${(e as Error).message} (run pnpm study ops-per-area first)`);
  process.exit(2);
}
const mine = records.filter((r) => r.clock === clock && r.scenario === scenario && networks.includes(r.network));
if (mine.length === 0) {
  console.error(`readme-energy: no records for clock ${clock}, scenario ${scenario}, networks ${networks.join(",")}`);
  process.exit(2);
}
const sig = (v: number, d = 3) => Number(v.toPrecision(d)).toLocaleString("en-US").replace(/,/g, " ");
const baselines = [...new Set(mine.map((r) => r.baseline))];

console.log(`${scenario}, clock ${clock}: GOPS/mm² · nJ per inference · GOPS/W`);
console.log(`| network | N | SC (best b with energy) | ${baselines.join(" | ")} |`);
console.log(`|---|---|---|${baselines.map(() => "---").join("|")}|`);
for (const network of networks)
  for (const bits of bitsWanted) {
    const at = mine.filter((r) => r.network === network && r.bits === bits);
    const sc = at
      .filter((r) => r.design === "sc" && r.energyPerInferencePj !== null)
      .reduce<OpsPerAreaRecord | null>((a, b) => (!a || b.gopsPerMm2 > a.gopsPerMm2 ? b : a), null);
    if (!sc) continue;
    const cell = (r: OpsPerAreaRecord | undefined) =>
      r && r.energyPerInferencePj !== null
        ? `${sig(r.gopsPerMm2)} · ${sig(r.energyPerInferencePj / 1e3)} · ${sig(r.gopsPerW!)}`
        : "–";
    const bin = (b: string) => at.find((r) => r.design === "binary" && r.baseline === b && r.parallel === sc.parallel);
    console.log(
      `| ${network} | ${bits} | b=${sc.parallel}: ${cell(sc)} | ${baselines.map((b) => cell(bin(b))).join(" | ")} |`,
    );
  }
const missing = new Map<string, number>();
for (const r of records)
  if (r.energyPerInferencePj === null) {
    const why = r.energyModel.replace(/ \(.*\)$/, "");
    missing.set(why, (missing.get(why) ?? 0) + 1);
  }
console.log("");
console.log(
  `${records.length} records, ${records.length - [...missing.values()].reduce((a, b) => a + b, 0)} with energy`,
);
for (const [why, n] of [...missing].sort((a, b) => b[1] - a[1])) console.log(`  ${n} without: ${why}`);
