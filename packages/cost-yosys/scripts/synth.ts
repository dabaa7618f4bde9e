// pnpm cost:synth [--tech osu018|osu035|osu050|all] [--liberty <path> --name <id>] [--quick] [--date YYYY-MM-DD]
// Synthesizes every component of the grid with Yosys onto the Liberty cells and writes
// tables/<tech>.json (committed; the cost model reads it).
import { mkdirSync, writeFileSync } from "node:fs";
import cliProgress from "cli-progress";
import { buildSynthTable, DEFAULT_GRID, gridQueries, QUICK_GRID, resolveLibrary, TECHNOLOGIES, tablePath, LibraryMissingError } from "../src/index.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes("--quick");
const liberty = arg("--liberty");
const techArg = arg("--tech") ?? "osu018";
const techs = liberty ? [arg("--name") ?? "custom"] : techArg === "all" ? Object.keys(TECHNOLOGIES) : [techArg];
const date = arg("--date") ?? new Date().toISOString().slice(0, 10);
const queries = gridQueries(quick ? QUICK_GRID : DEFAULT_GRID);

for (const tech of techs) {
  let lib;
  try {
    lib = resolveLibrary(liberty ? { libertyPath: liberty, technology: tech } : { technology: tech });
  } catch (e) {
    if (e instanceof LibraryMissingError || e instanceof RangeError) {
      console.error(`cost:synth: ${(e as Error).message}`);
      process.exit(2);
    }
    throw e;
  }
  const bar = new cliProgress.SingleBar({ format: `${tech} [{bar}] {value}/{total} designs | {duration}s`, noTTYOutput: true, notTTYSchedule: 5000 }, cliProgress.Presets.legacy);
  bar.start(queries.length, 0);
  const t0 = Date.now();
  const table = await buildSynthTable(queries, lib, { date, onProgress: (done) => bar.update(done) });
  bar.stop();
  // A quick grid never overwrites the committed table.
  const outDir = new URL("../out/", import.meta.url).pathname;
  if (quick) mkdirSync(outDir, { recursive: true });
  const out = quick ? `${outDir}${tech}.quick.json` : tablePath(tech);
  writeFileSync(out, JSON.stringify(table, null, 1) + "\n");
  console.log(`${tech}: ${table.entries.length} designs in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${out}`);
}
