import { runYosys, version as yosysVersion } from "@yowasp/yosys";
import type { VerilogDesign } from "./verilog/component.ts";

/** The Yosys script applied to every design; {top} and {lib} are substituted. */
export const SYNTH_SCRIPT = [
  "design -reset",
  "read_verilog {file}",
  "synth -top {top} -flatten",
  "dfflibmap -liberty {lib}",
  "abc -liberty {lib}",
  "opt_clean",
  "tee -q -o {stat} stat -liberty {lib}",
];

export const YOSYS_VERSION = yosysVersion;

export interface SynthResult {
  top: string;
  areaUm2: number;
  sequentialAreaUm2: number;
  cellCount: number;
  cells: Record<string, number>;
}

/** Parses the text of `stat -liberty`. */
export function parseStat(text: string, top: string): SynthResult {
  const area = /Chip area for (?:module|top module) '\\?([^']+)':\s*([0-9.]+)/.exec(text);
  if (!area) throw new Error(`yosys stat for ${top}: no "Chip area" line (did abc map onto the Liberty cells?)\n${text}`);
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

/** Runs yosys once; `onLog` receives stderr. Throws with the log tail on failure. */
export async function runYosysScript(script: string[], files: Record<string, string>): Promise<Record<string, unknown>> {
  let log = "";
  try {
    const out = (await runYosys(["-q", "-p", script.join("; ")], files, {
      stdout: (b) => {
        if (b) log += new TextDecoder().decode(b);
      },
      stderr: (b) => {
        if (b) log += new TextDecoder().decode(b);
      },
    })) as Record<string, unknown>;
    return out;
  } catch (e) {
    throw new Error(`yosys failed: ${(e as Error).message}\n${log.slice(-3000)}`);
  }
}

/**
 * Synthesizes designs onto the given Liberty text, each in a fresh yosys instance: inside one
 * yosys process the result of a design depends on what was synthesized before it (internal
 * name indices steer ABC), so isolating designs makes every table row reproducible on its own.
 */
export async function synthesizeDesigns(designs: readonly VerilogDesign[], libertyText: string): Promise<SynthResult[]> {
  const out: SynthResult[] = [];
  for (const d of designs) {
    const script = SYNTH_SCRIPT.map((line) => line.replaceAll("{file}", "d.v").replaceAll("{top}", d.top).replaceAll("{lib}", "cells.lib").replaceAll("{stat}", "stat.txt"));
    const files = await runYosysScript(script, { "cells.lib": libertyText, "d.v": d.source });
    out.push(parseStat(toText(files["stat.txt"]), d.top));
  }
  return out;
}

/**
 * Synthesizes one design and returns its gate-level netlist as generic Yosys cells ($_AND_, $_OR_,
 * $_NOT_, $_XOR_, $_DFF_P_, …): the Liberty cells are read back with their functions and flattened.
 */
export async function synthesizeNetlistJson(design: VerilogDesign, libertyText: string): Promise<{ stat: SynthResult; json: string }> {
  const files = { "cells.lib": libertyText, "d.v": design.source };
  const script = SYNTH_SCRIPT.map((l) => l.replaceAll("{file}", "d.v").replaceAll("{top}", design.top).replaceAll("{lib}", "cells.lib").replaceAll("{stat}", "stat.txt"));
  script.push("read_liberty -ignore_miss_func cells.lib", `hierarchy -top ${design.top}`, "flatten", "opt_clean", "write_json net.json");
  const out = await runYosysScript(script, files);
  return { stat: parseStat(toText(out["stat.txt"]), design.top), json: toText(out["net.json"]) };
}
