import { Plot, type FigureOptions } from "@sccnn/plots";
import type { ClockPolicy } from "@sccnn/cost";
import type { OpsPerAreaRecord } from "./evaluate.ts";

const CLOCK_LABEL: Record<ClockPolicy, string> = {
  parameter: "same clock",
  library: "component-sum clocks",
  "target-pipelined": "200 MHz target, pipelined",
  "target-own": "target or own clock",
};

const PAPER_LOW = 1.5;
const PAPER_HIGH = 2.0;
const RATIO_TICKS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 1.5, 2, 3, 5];

/** Log y domain covering the data and the paper band, with the ticks inside it. */
function ratioAxis(ratios: number[]): { domain: [number, number]; ticks: number[] } {
  const domain: [number, number] = [Math.min(0.5, ...ratios) * 0.9, Math.max(PAPER_HIGH, ...ratios) * 1.1];
  return { domain, ticks: RATIO_TICKS.filter((t) => t >= domain[0] && t <= domain[1]) };
}

/**
 * SC/binary operations per area vs N: one panel per scenario (columns) and bit-parallelism b
 * (rows), one line per network; the paper's +50–100 % drawn as a band.
 */
export function improvementFigure(
  records: readonly OpsPerAreaRecord[],
  clock: ClockPolicy,
  clockHz: number,
  units: number,
  lanesPerUnit: number,
  technology: string,
  baselines: readonly string[],
): FigureOptions {
  const rows = records
    .filter((r) => r.design === "sc" && r.clock === clock)
    .map((r) => ({
      scenario: r.scenario,
      b: `b = ${r.parallel}`,
      bits: r.bits,
      ratio: r.improvement + 1,
      network: r.weights === "synthetic" ? `${r.network} (synthetic)` : r.network,
    }));
  const bits = [...new Set(rows.map((r) => r.bits))].sort((a, b) => a - b);
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const bs = [...new Set(records.map((r) => r.parallel))].sort((a, b) => a - b).map((b) => `b = ${b}`);
  const bands = scenarios.flatMap((s) => bs.map((b) => ({ scenario: s, b })));
  const ratios = rows.map((r) => r.ratio);
  return {
    title: `SC vs the strongest binary baseline, operations per area (clock: ${clock})`,
    subtitle: `gopsPerMm2(SC) / max over baselines {${baselines.join(", ")}} of gopsPerMm2(binary) at precision N; shaded: the paper's +50–100 %; ${technology} Yosys-synthesized components, P = ${units} units x M = ${lanesPerUnit} lanes`,
    caption:
      (clock === "parameter"
        ? `1 MAC = 2 ops, same clock (${clockHz / 1e6} MHz) on both sides, so the ratio is (binary area / SC area) x (binary cycles / SC cycles). `
        : clock === "library"
          ? "1 MAC = 2 ops, each design clocked at 1 / the sum of its lane components' synthesized delays (ABC stime, no wires). "
          : "1 MAC = 2 ops, whole lanes synthesized at the clock target; a lane that misses it is pipelined (target-pipelined) or runs at its own clock (target-own). ") +
      "SC cycles come from the networks' max-abs-quantised weights (ceil(|w|/b) per broadcast weight, lockstep units). " +
      "Networks marked synthetic use the zoo's Gaussian weights, not trained ones. Log y axis; the line at 1 is parity.",
    width: Math.max(720, 240 * scenarios.length),
    height: 180 * bs.length + 120,
    marginLeft: 56,
    marginRight: 56,
    fx: { label: null, domain: scenarios },
    fy: { label: null, domain: bs },
    x: { label: "precision N (bits)", ticks: bits },
    y: {
      type: "log",
      label: "SC / binary ops per area",
      grid: true,
      ...ratioAxis(ratios),
      tickFormat: (d: number) => String(d),
    },
    color: { legend: true, label: "network" },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.rectY(bands, {
        fx: "scenario",
        fy: "b",
        y1: PAPER_LOW,
        y2: PAPER_HIGH,
        x1: Math.min(...bits) - 0.3,
        x2: Math.max(...bits) + 0.3,
        fill: "#f2c14e",
        fillOpacity: 0.3,
      }),
      Plot.ruleY([1], { stroke: "#888" }),
      Plot.line(rows, { fx: "scenario", fy: "b", x: "bits", y: "ratio", stroke: "network" }),
      Plot.dot(rows, { fx: "scenario", fy: "b", x: "bits", y: "ratio", fill: "network", r: 2 }),
    ],
  };
}

/** The best b for each (network, scenario, N): the headline comparison, paper band shaded. */
export function bestParallelFigure(
  records: readonly OpsPerAreaRecord[],
  technology: string,
  baselines: readonly string[],
): FigureOptions {
  const best = new Map<string, OpsPerAreaRecord>();
  for (const r of records) {
    if (r.design !== "sc") continue;
    const key = `${r.network}/${r.scenario}/${r.clock}/${r.bits}`;
    const have = best.get(key);
    if (!have || r.improvement > have.improvement) best.set(key, r);
  }
  const rows = [...best.values()].map((r) => ({
    scenario: r.scenario,
    clock: CLOCK_LABEL[r.clock],
    bits: r.bits,
    ratio: r.improvement + 1,
    b: r.parallel,
    network: r.weights === "synthetic" ? `${r.network} (synthetic)` : r.network,
  }));
  const bits = [...new Set(rows.map((r) => r.bits))].sort((a, b) => a - b);
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const clocks = [...new Set(rows.map((r) => r.clock))];
  const ratios = rows.map((r) => r.ratio);
  return {
    title: "SC vs the strongest binary baseline, operations per area, best bit-parallelism",
    subtitle: `max over b of gopsPerMm2(SC) / max over {${baselines.join(", ")}} of gopsPerMm2(binary); shaded: the paper's +50–100 %; ${technology}`,
    caption:
      "Rows: clock policies (same clock; each at the sum of its components' delays; whole lanes at the 200 MHz target, pipelined where they miss it, or at their own clock). Against the strongest binary baseline at each point. Same model and caveats as improvement.svg. Networks marked synthetic use the zoo's Gaussian weights. Log y axis; the line at 1 is parity.",
    width: Math.max(720, 260 * scenarios.length),
    height: 260 * clocks.length + 140,
    marginLeft: 56,
    marginRight: 90,
    fx: { label: null, domain: scenarios },
    fy: { label: null, domain: clocks },
    x: { label: "precision N (bits)", ticks: bits },
    y: {
      type: "log",
      label: "SC / binary ops per area (best b)",
      grid: true,
      ...ratioAxis(ratios),
      tickFormat: (d: number) => String(d),
    },
    color: { legend: true, label: "network" },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.rectY(
        scenarios.flatMap((s) => clocks.map((c) => ({ scenario: s, clock: c }))),
        {
          fx: "scenario",
          fy: "clock",
          y1: PAPER_LOW,
          y2: PAPER_HIGH,
          x1: Math.min(...bits) - 0.3,
          x2: Math.max(...bits) + 0.3,
          fill: "#f2c14e",
          fillOpacity: 0.3,
        },
      ),
      Plot.ruleY([1], { stroke: "#888" }),
      Plot.line(rows, { fx: "scenario", fy: "clock", x: "bits", y: "ratio", stroke: "network" }),
      Plot.dot(rows, { fx: "scenario", fy: "clock", x: "bits", y: "ratio", fill: "network", r: 2.5 }),
    ],
  };
}
