// pnpm cost:synth [--tech osu018|osu035|osu050|all] [--liberty <path> --name <id>] [--quick] [--extend] [--date YYYY-MM-DD]
//                 [--only components|timing] [--target-ps 5000] [--kinds sc-unit-shared,…]
// Synthesizes every component of the grid with Yosys onto the Liberty cells and writes
// tables/<tech>.json (committed; the cost model reads it). --extend keeps the rows of the existing
// table (same Yosys version and scripts; every design is synthesized on its own, so rows do not
// depend on each other) and synthesizes only the grid points it lacks. Then tables/<tech>.timing.json:
// whole lanes (SC, exact, iso-bisc) synthesized at the ABC delay target --target-ps (default 5000 ps =
// 200 MHz), with slack, and a pipelined variant of each lane that misses the target.
// --kinds (with --extend) synthesizes only the missing rows of those component kinds (other missing
// rows stay missing), e.g. after a generator change: drop the kind's rows, then
// `pnpm cost:synth --tech all --extend --only components --kinds sc-unit-shared`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ComponentQuery } from "@sccnn/cost";
import cliProgress from "cli-progress";
import {
  ABC_SCRIPT,
  buildSynthTable,
  buildTimingTable,
  timingTablePath,
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
  type TimingTable,
  type SynthTableEntry,
} from "../src/index.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes("--quick");
const extend = process.argv.includes("--extend");
const keyOf = (q: ComponentQuery | SynthTableEntry) =>
  JSON.stringify([
    q.kind,
    q.bits,
    q.parallel,
    q.accBits,
    q.productBits,
    q.widthBits,
    q.guardBits,
    q.signedProduct,
    q.sng,
  ]);
const liberty = arg("--liberty");
const techArg = arg("--tech") ?? "osu018";
const techs = liberty ? [arg("--name") ?? "custom"] : techArg === "all" ? Object.keys(TECHNOLOGIES) : [techArg];
const date = arg("--date") ?? new Date().toISOString().slice(0, 10);
const queries = gridQueries(quick ? QUICK_GRID : DEFAULT_GRID);
const only = arg("--only");
if (only !== undefined && only !== "components" && only !== "timing") {
  console.error(`cost:synth: --only must be components or timing, got ${only}`);
  process.exit(2);
}
const kinds = arg("--kinds")?.split(",");
if (kinds && !extend) {
  console.error("cost:synth: --kinds needs --extend (it fills the missing rows of those kinds)");
  process.exit(2);
}
const targetPs = Number(arg("--target-ps") ?? 5000);
if (!Number.isInteger(targetPs) || targetPs <= 0) {
  console.error(`cost:synth: --target-ps must be a positive integer (ps), got ${arg("--target-ps")}`);
  process.exit(2);
}

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
  const outDir = fileURLToPath(new URL("../out/", import.meta.url));
  if (quick) mkdirSync(outDir, { recursive: true });
  if (only !== "timing") await componentTable(tech, lib, outDir);
  if (only !== "components") {
    const bar = new cliProgress.SingleBar(
      { format: `${tech} timing [{bar}] {value}/{total} lanes | {duration}s`, noTTYOutput: true, notTTYSchedule: 5000 },
      cliProgress.Presets.legacy,
    );
    bar.start(1, 0);
    const t0 = Date.now();
    let keep: TimingTable["entries"] = [];
    if (extend && !quick && existsSync(timingTablePath(tech))) {
      const old = JSON.parse(readFileSync(timingTablePath(tech), "utf8")) as TimingTable;
      if (
        old.targetPs === targetPs &&
        old.provenance.toolVersion === YOSYS_VERSION &&
        JSON.stringify(old.provenance.script) === JSON.stringify(SYNTH_SCRIPT)
      )
        keep = old.entries;
      else console.error(`cost:synth --extend: ${tech} timing table differs in target, Yosys or script; regenerating`);
    }
    const timing = await buildTimingTable(lib, {
      targetPs,
      date,
      keep,
      ...(quick ? { grid: { bits: [4, 8], parallel: [1, 128] } } : {}),
      onProgress: (done, total) => {
        bar.setTotal(total);
        bar.update(done);
      },
    });
    bar.stop();
    const out = quick ? `${outDir}${tech}.timing.quick.json` : timingTablePath(tech);
    writeFileSync(out, `${JSON.stringify(timing, null, 1)}\n`);
    const missed = timing.entries.filter((e) => !e.pipelined && e.slackPs < 0).length;
    console.log(
      `${tech}: ${timing.entries.length} timed lanes at ${targetPs} ps (${missed} miss it, pipelined) in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${out}`,
    );
  }
}

async function componentTable(tech: string, lib: ReturnType<typeof resolveLibrary>, outDir: string): Promise<void> {
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
  const todo = queries.filter((q) => !kept.has(keyOf(q)) && (!kinds || kinds.includes(q.kind)));
  const bar = new cliProgress.SingleBar(
    { format: `${tech} [{bar}] {value}/{total} designs | {duration}s`, noTTYOutput: true, notTTYSchedule: 5000 },
    cliProgress.Presets.legacy,
  );
  bar.start(todo.length, 0);
  const t0 = Date.now();
  const fresh = await buildSynthTable(todo, lib, { date, onProgress: (done) => bar.update(done) });
  bar.stop();
  const made = new Map(fresh.entries.map((e) => [keyOf(e), e]));
  const table: SynthTable = {
    ...fresh,
    entries: queries.flatMap((q) => {
      const e = kept.get(keyOf(q)) ?? made.get(keyOf(q));
      return e ? [e] : [];
    }),
  };
  // A quick grid never overwrites the committed table.
  const out = quick ? `${outDir}${tech}.quick.json` : tablePath(tech);
  writeFileSync(out, `${JSON.stringify(table, null, 1)}\n`);
  console.log(
    `${tech}: ${table.entries.length} designs (${todo.length} synthesized, ${kept.size > 0 ? table.entries.length - todo.length : 0} kept) in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${out}`,
  );
}
