/**
 * Lists every registered network: id, input shape, MACs and parameters (recomputed from the
 * table), one line each; `--json` prints an array of records { id, input, macs, params }.
 * Usage: pnpm zoo [--json]
 */
import { zooRecords, zooTable } from "../src/index.ts";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--json");
if (unknown.length > 0) {
  console.error(`zoo: unknown argument ${unknown[0]}; usage: pnpm zoo [--json]`);
  process.exit(2);
}
const records = zooRecords();
console.log(args.includes("--json") ? JSON.stringify(records) : zooTable(records));
