import { Plot, type FigureOptions } from "../src/index.ts";

/** A tiny figure with every part renderSvg draws: title, subtitle, caption, color legend, line + dots. */
export function tinyFigure(): FigureOptions {
  const data = [
    { bits: 2, errLsb: 0.5, scheme: "bisc" },
    { bits: 4, errLsb: 1.06, scheme: "bisc" },
    { bits: 2, errLsb: 1.0, scheme: "lfsr" },
    { bits: 4, errLsb: 3.25, scheme: "lfsr" },
  ];
  return {
    title: "Tiny figure",
    subtitle: "error in LSB",
    caption: "Golden snapshot fixture & <escaping> check.",
    width: 320,
    height: 200,
    color: { legend: true },
    x: { label: "N (bits)", ticks: [2, 3, 4] },
    y: { label: "|err| (LSB)", grid: true },
    marks: [
      Plot.line(data, { x: "bits", y: "errLsb", stroke: "scheme" }),
      Plot.dot(data, { x: "bits", y: "errLsb", fill: "scheme" }),
    ],
  };
}
