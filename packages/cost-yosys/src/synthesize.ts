import { runYosys, version as yosysVersion } from "@yowasp/yosys";
import type { VerilogDesign } from "./verilog/component.ts";

/**
 * The ABC script: Yosys' default script for `abc -liberty` (no delay target), followed by
 * `topo; stime -p`, which prints the mapped logic's critical-path delay from the Liberty timing
 * tables (no wire load; flip-flops cut the paths).
 */
export const ABC_SCRIPT =
  "strash\n&get -n\n&fraig -x\n&put\nscorr\ndc2\ndretime\nstrash\n&get -n\n&dch -f\n&nf\n&put\ntopo\nstime -p\n";

/** The Yosys script applied to every design; {file}, {top}, {lib}, {abc}, {stat} are substituted. */
export const SYNTH_SCRIPT = [
  "design -reset",
  "read_verilog {file}",
  "synth -top {top} -flatten",
  "dfflibmap -liberty {lib}",
  "abc -liberty {lib} -script {abc}",
  "opt_clean",
  "tee -q -o {stat} stat -liberty {lib}",
];

function fillScript(d: VerilogDesign, file: string, stat: string): string[] {
  return SYNTH_SCRIPT.map((l) =>
    l
      .replaceAll("{file}", file)
      .replaceAll("{top}", d.top)
      .replaceAll("{lib}", "cells.lib")
      .replaceAll("{abc}", "abc.scr")
      .replaceAll("{stat}", stat),
  );
}

/** The last critical-path delay ABC's `stime -p` printed, in ps (0 for a design without logic). */
export function parseAbcDelayPs(log: string): number {
  const all = [...log.matchAll(/Delay\s*=\s*([0-9.]+)\s*ps/g)];
  return all.length ? Number(all[all.length - 1]![1]) : 0;
}

export const YOSYS_VERSION = yosysVersion;

export interface SynthResult {
  top: string;
  areaUm2: number;
  /** Critical-path delay of the mapped logic (ABC stime, Liberty timing, no wires), ps. */
  delayPs: number;
  sequentialAreaUm2: number;
  cellCount: number;
  cells: Record<string, number>;
}

/** Parses the text of `stat -liberty`. */
export function parseStat(text: string, top: string): Omit<SynthResult, "delayPs"> {
  const area = /Chip area for (?:module|top module) '\\?([^']+)':\s*([0-9.]+)/.exec(text);
  if (!area)
    throw new Error(`yosys stat for ${top}: no "Chip area" line (did abc map onto the Liberty cells?)\n${text}`);
  const seq = /of which used for sequential elements:\s*([0-9.]+)/.exec(text);
  const count = /Number of cells:\s*(\d+)/.exec(text) ?? /(\d+)\s+[0-9.]*\s*cells\b/.exec(text);
  const cells: Record<string, number> = {};
  const after = text.slice(text.search(/Number of cells|cells$/m));
  for (const line of after.split("\n").slice(1)) {
    const m = /^\s+([A-Za-z_][A-Za-z0-9_$]*)\s+(\d+)\s*$/.exec(line);
    if (m) cells[m[1]!] = Number(m[2]);
    else if (line.trim() === "" && Object.keys(cells).length > 0) break;
  }
  const cellCount = count ? Number(count[1]) : Object.values(cells).reduce((a, b) => a + b, 0);
  return { top, areaUm2: Number(area[2]), sequentialAreaUm2: seq ? Number(seq[1]) : 0, cellCount, cells };
}

function toText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  throw new Error("yosys produced no output file");
}

/** Runs yosys once; returns the output files and the log (stdout + stderr). Throws with the log tail on failure. */
export async function runYosysScript(
  script: string[],
  files: Record<string, string>,
  abcScript = ABC_SCRIPT,
): Promise<{ files: Record<string, unknown>; log: string }> {
  let log = "";
  const sink = (b: Uint8Array | null) => {
    if (b) log += new TextDecoder().decode(b);
  };
  try {
    const out = (await runYosys(
      ["-p", script.join("; ")],
      { ...files, "abc.scr": abcScript },
      { stdout: sink, stderr: sink },
    )) as Record<string, unknown>;
    return { files: out, log };
  } catch (e) {
    throw new Error(`yosys failed: ${(e as Error).message}\n${log.slice(-3000)}`);
  }
}

/**
 * Synthesizes designs onto the given Liberty text, each in a fresh yosys instance: inside one
 * yosys process the result of a design depends on what was synthesized before it (internal
 * name indices steer ABC), so isolating designs makes every table row reproducible on its own.
 */
export async function synthesizeDesigns(
  designs: readonly VerilogDesign[],
  libertyText: string,
  abcScript = ABC_SCRIPT,
): Promise<SynthResult[]> {
  const out: SynthResult[] = [];
  for (const d of designs) {
    const { files, log } = await runYosysScript(
      fillScript(d, "d.v", "stat.txt"),
      { "cells.lib": libertyText, "d.v": d.source },
      abcScript,
    );
    out.push({ ...parseStat(toText(files["stat.txt"]), d.top), delayPs: parseAbcDelayPs(log) });
  }
  return out;
}

/**
 * Synthesizes one design and returns its gate-level netlist as generic Yosys cells ($_AND_, $_OR_,
 * $_NOT_, $_XOR_, $_DFF_P_, …): the Liberty cells are read back with their functions and flattened.
 */
export async function synthesizeNetlistJson(
  design: VerilogDesign,
  libertyText: string,
  abcScript = ABC_SCRIPT,
): Promise<{ stat: SynthResult; json: string }> {
  const script = fillScript(design, "d.v", "stat.txt");
  script.push(
    "read_liberty -ignore_miss_func cells.lib",
    `hierarchy -top ${design.top}`,
    "flatten",
    "opt_clean",
    "write_json net.json",
  );
  const { files, log } = await runYosysScript(script, { "cells.lib": libertyText, "d.v": design.source }, abcScript);
  return {
    stat: { ...parseStat(toText(files["stat.txt"]), design.top), delayPs: parseAbcDelayPs(log) },
    json: toText(files["net.json"]),
  };
}

/**
 * Synthesizes one design like the cost tables (SYNTH_SCRIPT) and returns its netlist of Liberty
 * cells (for EnergySim). `hierarchical`: each submodule is synthesized and mapped on its own (as its
 * table row is), then flattened, so cell names keep their instance prefix ("front.…") and energy
 * can be attributed per component; otherwise the whole design is flattened first (as the table rows).
 */
export async function synthesizeMappedJson(
  design: VerilogDesign,
  libertyText: string,
  opts: { hierarchical?: boolean } = {},
): Promise<{ stat: SynthResult; json: string }> {
  const script = fillScript(design, "d.v", "stat.txt");
  if (opts.hierarchical) script[2] = `synth -top ${design.top}`;
  script.push(`hierarchy -top ${design.top}`, "flatten", "opt_clean", "write_json net.json");
  const { files, log } = await runYosysScript(script, { "cells.lib": libertyText, "d.v": design.source });
  return {
    stat: { ...parseStat(toText(files["stat.txt"]), design.top), delayPs: parseAbcDelayPs(log) },
    json: toText(files["net.json"]),
  };
}

/** Reads a netlist already written in Liberty cells (structural Verilog) without synthesizing it. */
export async function readMappedJson(design: VerilogDesign, libertyText: string): Promise<string> {
  const { files } = await runYosysScript(
    ["read_liberty -lib cells.lib", "read_verilog d.v", `hierarchy -top ${design.top}`, "write_json net.json"],
    { "cells.lib": libertyText, "d.v": design.source },
  );
  return toText(files["net.json"]);
}
