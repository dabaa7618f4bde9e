import type { AccuracyRecord } from "./figures.ts";
import { seriesLabel } from "./figures.ts";

/** The table's columns per network × N, in order. */
const COLUMNS: { arithmetic: string; method: string }[] = [
  { arithmetic: "fixed", method: "ptq" },
  { arithmetic: "fixed", method: "trained" },
  { arithmetic: "sc-bisc", method: "ptq" },
  { arithmetic: "sc-bisc", method: "ptq+comp" },
  { arithmetic: "sc-bisc", method: "trained" },
];

/** A cell; † marks a checkpoint trained from superseded float weights (see the note under the table). */
const cell = (r: AccuracyRecord | undefined): string =>
  r
    ? `${r.validationAccuracy.toFixed(2)} [${r.validationLo.toFixed(2)}, ${r.validationHi.toFixed(2)}] / ${r.accuracy.toFixed(2)} [${r.testLo.toFixed(2)}, ${r.testHi.toFixed(2)}]${r.floatWeights === "current" ? "" : " †"}`
    : "";

/**
 * The operating point of one design: the smallest N whose validation accuracy is within
 * `budgetPt` of float32's validation accuracy, choosing at each N the better of the design's
 * variants by validation accuracy (never by test accuracy).
 */
export function operatingPoint(
  records: readonly AccuracyRecord[],
  network: string,
  variants: readonly { arithmetic: string; method: string }[],
  budgetPt: number,
): AccuracyRecord | null {
  const mine = records.filter(
    (r) =>
      r.network === network &&
      r.bitsW !== null &&
      (r.seed === null || r.seed === 1) &&
      variants.some((v) => v.arithmetic === r.arithmetic && v.method === r.method),
  );
  const bits = [...new Set(mine.map((r) => r.bitsW as number))].sort((a, b) => a - b);
  for (const n of bits) {
    const best = mine
      .filter((r) => r.bitsW === n)
      .reduce<AccuracyRecord | null>((b, r) => (!b || r.validationAccuracy > b.validationAccuracy ? r : b), null);
    if (best && best.validationLossVsFloatPt <= budgetPt + 1e-9) return best;
  }
  return null;
}

function meanSd(v: number[]): { mean: number; sd: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd };
}

/** table.md (per network × N, operating points, seeds) and table.csv (the main table's cells). */
export function accuracyTables(
  records: readonly AccuracyRecord[],
  c: { networks: string[]; bits: number[] },
): { markdown: string; csv: string } {
  const md: string[] = [
    "# Accuracy vs precision: validation / test accuracy (%) with binomial 95 % intervals",
    "",
    "Each cell: validation accuracy [95 % interval] / test accuracy [95 % interval]. Validation: the last 5 000 images",
    "of the training file (held out from training with arithmetic in the loop and used for calibration; where the",
    "float weights were trained on all 60 000 (stated per network) validation accuracies read high). Test: the test",
    "file. QAT / SC-aware: trained with the arithmetic in the loop from the float weights, early-stopped on",
    "validation (seed 1). †: a checkpoint trained from superseded float weights (named under the table).",
    "",
  ];
  const csv: string[] = [
    "network,N,column,validationAccuracy,validationLo,validationHi,testAccuracy,testLo,testHi,trainedPeriod,floatWeights",
  ];
  for (const network of c.networks) {
    const float = records.find((r) => r.network === network && r.method === "float");
    md.push(`## ${network}`, "");
    const stale = new Set<string>();
    md.push(`float32: ${cell(float)} (float weights trained on ${float?.floatTrainedOn ?? "?"})`, "");
    md.push(`| N | ${COLUMNS.map((col) => seriesLabel(col)).join(" | ")} |`);
    md.push(`| - | ${COLUMNS.map(() => "-").join(" | ")} |`);
    for (const n of c.bits) {
      const row = COLUMNS.map((col) =>
        records.find(
          (r) =>
            r.network === network &&
            r.bitsW === n &&
            r.arithmetic === col.arithmetic &&
            r.method === col.method &&
            (r.seed === null || r.seed === 1),
        ),
      );
      if (row.every((r) => !r)) continue;
      md.push(`| ${n} | ${row.map(cell).join(" | ")} |`);
      for (const r of row) if (r && r.floatWeights !== "current") stale.add(`N = ${n} ${seriesLabel(r)}`);
      row.forEach((r, i) => {
        if (r)
          csv.push(
            [
              network,
              n,
              seriesLabel(COLUMNS[i]!),
              r.validationAccuracy,
              r.validationLo,
              r.validationHi,
              r.accuracy,
              r.testLo,
              r.testHi,
              r.trainedPeriod ?? "",
              r.floatWeights,
            ].join(","),
          );
      });
    }
    md.push("");
    if (stale.size) {
      const from = [
        ...new Set(
          records
            .filter((r) => r.network === network && r.floatWeights !== "current")
            .map((r) => `${r.floatTrainedOn}, ${r.floatWeights}`),
        ),
      ];
      md.push(
        `† trained from float weights other than today's (${from.join("; ")}): ${[...stale].join(", ")}. Not yet retrained from the current float checkpoint; their validation accuracies are not comparable with the other cells.`,
        "",
      );
    }
    md.push(
      "Operating point (smallest N within 1 pt of float32, chosen on **validation**; test accuracy reported):",
      "",
    );
    md.push("| design | variants | N | validation | test |", "| - | - | - | - | - |");
    for (const [name, variants] of [
      ["fixed", [{ arithmetic: "fixed", method: "ptq" }]],
      [
        "fixed",
        [
          { arithmetic: "fixed", method: "ptq" },
          { arithmetic: "fixed", method: "trained" },
        ],
      ],
      ["sc-bisc", [{ arithmetic: "sc-bisc", method: "ptq" }]],
      [
        "sc-bisc",
        [
          { arithmetic: "sc-bisc", method: "ptq" },
          { arithmetic: "sc-bisc", method: "ptq+comp" },
        ],
      ],
      [
        "sc-bisc",
        [
          { arithmetic: "sc-bisc", method: "ptq" },
          { arithmetic: "sc-bisc", method: "ptq+comp" },
          { arithmetic: "sc-bisc", method: "trained" },
        ],
      ],
    ] as [string, { arithmetic: string; method: string }[]][]) {
      const op = operatingPoint(records, network, variants, 1);
      md.push(
        `| ${name} | best of ${variants.map((v) => seriesLabel(v)).join(", ")} | ${op ? op.bitsW : "none"} | ${op ? `${op.validationAccuracy.toFixed(2)} (${seriesLabel(op)}${op.floatWeights === "current" ? "" : " †"})` : ""} | ${op ? `${op.accuracy.toFixed(2)} [${op.testLo.toFixed(2)}, ${op.testHi.toFixed(2)}]` : ""} |`,
      );
    }
    md.push("");
    const seeded = records.filter(
      (r) => r.network === network && r.method === "trained" && r.seed !== null && r.seed > 1,
    );
    const keys = [...new Set(seeded.map((r) => `${r.arithmetic}|${r.bitsW}`))];
    if (keys.length) {
      md.push("Training seeds (mean ± sample standard deviation over the committed seeds):", "");
      md.push("| design | N | seeds | validation | test |", "| - | - | - | - | - |");
      for (const k of keys) {
        const [a, n] = k.split("|");
        const rs = records.filter(
          (r) => r.network === network && r.method === "trained" && r.arithmetic === a && String(r.bitsW) === n,
        );
        const v = meanSd(rs.map((r) => r.validationAccuracy));
        const t = meanSd(rs.map((r) => r.accuracy));
        md.push(
          `| ${seriesLabel({ arithmetic: a!, method: "trained" })} | ${n} | ${rs.map((r) => r.seed).join(", ")} | ${v.mean.toFixed(2)} ± ${v.sd.toFixed(2)} | ${t.mean.toFixed(2)} ± ${t.sd.toFixed(2)} |`,
        );
      }
      md.push("");
    }
  }
  return { markdown: `${md.join("\n")}\n`, csv: `${csv.join("\n")}\n` };
}
