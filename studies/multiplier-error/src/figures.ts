import { Plot, type FigureOptions } from "@sccnn/plots";

export type ErrorRecord = {
  measure: "error";
  scheme: string;
  bits: number;
  products: number;
  meanErrLsb: number;
  meanAbsErrLsb: number;
  rmsErrLsb: number;
  maxAbsErrLsb: number;
};

export type LatencyRecord = {
  measure: "latency";
  distribution: string;
  bits: number;
  parallel: number;
  meanLatencyCycles: number;
  fullStreamCycles: number;
  meanAbsWeightLsb: number;
  meanAbsWeightFraction: number;
  zeroWeightFraction: number;
};

const STATISTICS = [
  ["mean error", "meanErrLsb"],
  ["RMS error", "rmsErrLsb"],
  ["max |error|", "maxAbsErrLsb"],
] as const;

/** Ticks for the symmetric-log error axis (Plot's own symlog ticks skip 1 and 2). */
const SYMLOG_TICKS = [-100, -50, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 50, 100];

/** Mean, RMS and max |error| (product LSBs) vs N, one panel per statistic, one line per scheme. */
export function errorFigure(records: readonly ErrorRecord[], schemes: readonly string[]): FigureOptions {
  const rows = records.flatMap((r) =>
    STATISTICS.map(([statistic, field]) => ({ scheme: r.scheme, bits: r.bits, statistic, valueLsb: r[field] })),
  );
  const bits = [...new Set(records.map((r) => r.bits))].sort((a, b) => a - b);
  const values = rows.map((r) => r.valueLsb);
  return {
    title: "SC multiplier error vs precision",
    subtitle: "error = product count − x·w/2^N over all N-bit magnitudes x, w (exhaustive), in product LSBs",
    caption:
      "bisc: counter+multiplexer SNG (Sim & Lee); bitrev: comparator with bit-reversed counter; lfsr/sobol: conventional SC, two comparator streams ANDed over 2^N cycles (LFSR seeds 1 and 2^N − 1). Symmetric-log y axis.",
    width: 960,
    height: 380,
    marginLeft: 50,
    fx: { label: null, domain: STATISTICS.map(([s]) => s) },
    x: { label: "precision N (bits)", ticks: bits.length > 8 ? bits.filter((b) => b % 2 === 0) : bits },
    y: {
      type: "symlog",
      label: "error (product LSB)",
      grid: true,
      ticks: SYMLOG_TICKS.filter((t) => t >= Math.min(0, ...values) && t <= Math.max(0, ...values)),
    },
    color: { legend: true, label: "scheme", domain: [...schemes] },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.ruleY([0], { stroke: "#999" }),
      Plot.line(rows, { fx: "statistic", x: "bits", y: "valueLsb", stroke: "scheme" }),
      Plot.dot(rows, { fx: "statistic", x: "bits", y: "valueLsb", fill: "scheme", r: 2.5 }),
    ],
  };
}

/** Viridis stops without its last, too-light yellow (unreadable on white), darkened amber instead. */
const RAMP = ["#440154", "#443983", "#31688e", "#21918c", "#35b779", "#7ac943", "#c29f00"];

/** k colours spread evenly over RAMP, dark (small b) to light (large b). */
function rampColors(k: number): string[] {
  if (k === 1) return [RAMP[0]!];
  return Array.from({ length: k }, (_, i) => RAMP[Math.round((i * (RAMP.length - 1)) / (k - 1))]!);
}

/** Mean BISC step latency (cycles) vs N, one line per bit-parallelism b, one panel per distribution. */
export function latencyFigure(
  records: readonly LatencyRecord[],
  distributions: readonly string[],
  gaussianScaling: string,
  zeroWeightCycles: number,
): FigureOptions {
  const parallel = [...new Set(records.map((r) => r.parallel))].sort((a, b) => a - b);
  const label = (b: number) => `b = ${b}`;
  const rows = records.map((r) => ({ ...r, b: label(r.parallel) }));
  const fullStream = rows.filter((r) => r.parallel === parallel[0]);
  const bits = [...new Set(records.map((r) => r.bits))].sort((a, b) => a - b);
  return {
    title: "BISC multiply latency vs precision and bit-parallelism",
    subtitle: `mean cycles per weight step = E[ceil(|w| / b)] (zero weight: ${zeroWeightCycles} cycle${zeroWeightCycles === 1 ? "" : "s"}); dashed: full stream 2^N / b at b = ${parallel[0]} (conventional SC)`,
    caption: `uniform: w uniform over all signed N-bit values (exact). gaussian: w ~ N(0, σ²) quantised to N-bit sign-magnitude, ${gaussianScaling} (seeded draws). Log y axis.`,
    width: 960,
    height: 420,
    marginLeft: 50,
    fx: { label: null, domain: [...distributions] },
    x: { label: "precision N (bits)", ticks: bits.length > 8 ? bits.filter((b) => b % 2 === 0) : bits },
    y: { type: "log", label: "mean latency (cycles)", grid: true },
    color: { legend: true, label: "bit-parallelism", domain: parallel.map(label), range: rampColors(parallel.length) },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.line(fullStream, {
        fx: "distribution",
        x: "bits",
        y: "fullStreamCycles",
        stroke: "#888",
        strokeDasharray: "4,3",
      }),
      Plot.line(rows, { fx: "distribution", x: "bits", y: "meanLatencyCycles", stroke: "b" }),
      Plot.dot(rows, { fx: "distribution", x: "bits", y: "meanLatencyCycles", fill: "b", r: 2.5 }),
    ],
  };
}
