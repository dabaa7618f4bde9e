// pnpm cost:synth [--tech osu018|osu035|osu050|all] [--liberty <path> --name <id>] [--quick] [--extend] [--date YYYY-MM-DD]
// Synthesizes every component of the grid with Yosys onto the Liberty cells and writes
// tables/<tech>.json (committed; the cost model reads it). --extend keeps the rows of the existing
// table (same Yosys version and scripts; every design is synthesized on its own, so rows do not
// depend on each other) and synthesizes only the grid points it lacks.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ComponentQuery } from "@sccnn/cost";
import cliProgress from "cli-progress";
import {
  ABC_SCRIPT,
  buildSynthTable,
  DEFAULT_GRID,
  gridQueries,
  QUICK_GRID,
  resolveLibrary,
  SYNTH_SCRIPT,
  TECHNOLOGIES,
  tablePath,
  LibraryMissingError,
  YOSYS_VERSION,
  type SynthTable,
  type SynthTableEntry,
} from "../src/index.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes("--quick");
const extend = process.argv.includes("--extend");
const keyOf = (q: ComponentQuery | SynthTableEntry) =>
  JSON.stringify([q.kind, q.bits, q.parallel, q.accBits, q.widthBits]);
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
  const kept = new Map<string, SynthTableEntry>();
  if (extend && !quick && existsSync(tablePath(tech))) {
    const old = JSON.parse(readFileSync(tablePath(tech), "utf8")) as SynthTable;
    const same =
      old.provenance.toolVersion === YOSYS_VERSION &&
      old.provenance.abcScript === ABC_SCRIPT &&
      JSON.stringify(old.provenance.script) === JSON.stringify(SYNTH_SCRIPT);
    if (!same)
      console.error(
        `cost:synth --extend: ${tech} table was made with another Yosys version or script; regenerating all rows`,
      );
    else for (const e of old.entries) kept.set(keyOf(e), e);
  }
  const todo = queries.filter((q) => !kept.has(keyOf(q)));
  const bar = new cliProgress.SingleBar(
    { format: `${tech} [{bar}] {value}/{total} designs | {duration}s`, noTTYOutput: true, notTTYSchedule: 5000 },
    cliProgress.Presets.legacy,
  );
  bar.start(todo.length, 0);
  const t0 = Date.now();
  const fresh = await buildSynthTable(todo, lib, { date, onProgress: (done) => bar.update(done) });
  bar.stop();
  const made = new Map(fresh.entries.map((e) => [keyOf(e), e]));
  const table: SynthTable = { ...fresh, entries: queries.map((q) => kept.get(keyOf(q)) ?? made.get(keyOf(q))!) };
  // A quick grid never overwrites the committed table.
  const outDir = fileURLToPath(new URL("../out/", import.meta.url));
  if (quick) mkdirSync(outDir, { recursive: true });
  const out = quick ? `${outDir}${tech}.quick.json` : tablePath(tech);
  writeFileSync(out, `${JSON.stringify(table, null, 1)}\n`);
  console.log(
    `${tech}: ${table.entries.length} designs (${todo.length} synthesized, ${kept.size > 0 ? table.entries.length - todo.length : 0} kept) in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${out}`,
  );
}
