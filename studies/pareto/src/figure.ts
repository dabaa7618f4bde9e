import { Plot, type FigureOptions } from "@sccnn/plots";
import { bestWithin, frontRecords, type HeadlineRecord, type ParetoRecord } from "./records.ts";

export const DESIGN_LABEL = {
  sc: "SC-CNN (BISC; lfsr/sobol: conventional SC)",
  binary: "binary (fixed-point)",
} as const;
const DESIGN_COLOR = { sc: "#d95f02", binary: "#1b64b4" } as const;

export interface FigureContext {
  budgetPt: number;
  technology: string;
  clockHz: number;
  testImages: number;
  /** Networks left out, with the reason. */
  skipped: { network: string; reason: string }[];
  headlines: readonly HeadlineRecord[];
}

/** A front point's label: N, b (SC) or the baseline (binary), ft when trained with its arithmetic. */
export const pointTag = (r: ParetoRecord) => {
  const conventional = r.design === "sc" && r.arithmetic !== "sc-bisc" ? ` ${r.arithmetic.replace(/^sc-/, "")}` : "";
  const b = r.parallelB === null || conventional ? "" : ` b${r.parallelB}`;
  return `N${r.bits}${b}${conventional}${r.baseline === null ? "" : ` ${r.baseline}`}${r.fineTuned ? " ft" : ""}`;
};

const baselineList = (records: readonly ParetoRecord[]) =>
  [...new Set(records.flatMap((r) => (r.baseline === null ? [] : [r.baseline])))].join(", ");

/** The headline rows against the strongest binary design (one per network and scenario). */
const strongestRows = (hs: readonly HeadlineRecord[]) => hs.filter((h) => h.baseline === "strongest");

const LOSS_TICKS = [-1, 0, 0.5, 1, 2, 5, 10, 20, 50, 90];

/** Label offsets tried in order (px from the point; anchor of the text). */
const SLOTS = [
  { dx: 6, dy: -7, anchor: "start" },
  { dx: 6, dy: 10, anchor: "start" },
  { dx: -6, dy: -7, anchor: "end" },
  { dx: -6, dy: 10, anchor: "end" },
  { dx: 9, dy: -17, anchor: "start" },
  { dx: -9, dy: -17, anchor: "end" },
  { dx: 9, dy: 20, anchor: "start" },
  { dx: -9, dy: 20, anchor: "end" },
] as const;

/**
 * One text mark per label slot: each label drawn at the offset and anchor placeLabels gave it,
 * in the network × scenario facets with loss on y.
 */
function slottedText(
  labels: readonly { slot: number }[],
  style: { x: string; fill: string; fontWeight?: string },
): Plot.Markish[] {
  return SLOTS.map((slot, k) =>
    Plot.text(
      labels.filter((t) => t.slot === k),
      {
        fx: "network",
        fy: "scenario",
        y: "lossPt",
        text: "text",
        dx: slot.dx,
        dy: slot.dy,
        textAnchor: slot.anchor,
        fontSize: 9,
        ...style,
      },
    ),
  );
}

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Greedy label placement inside one facet: each label takes the first slot (SC labels prefer the
 * right, binary the left) whose box overlaps no box placed before it, else it is left out. Boxes
 * are estimated from the facet's scales (x log, y symlog) and the text length at font size 9.
 */
export function placeLabels<T extends { text: string; preferLeft: boolean; px: number; py: number }>(
  labels: readonly T[],
  reserved: readonly Box[] = [],
  facetWidth = Number.POSITIVE_INFINITY,
): { placed: (T & { slot: number })[]; dropped: number } {
  const boxes: Box[] = [...reserved];
  const placed: (T & { slot: number })[] = [];
  let dropped = 0;
  for (const l of labels) {
    const w = 5.3 * l.text.length,
      h = 11;
    const order = l.preferLeft ? [2, 3, 0, 1, 5, 4, 7, 6] : [0, 1, 2, 3, 4, 5, 6, 7];
    const slot = order.find((k) => {
      const s = SLOTS[k];
      const x0 = s.anchor === "start" ? l.px + s.dx : l.px + s.dx - w;
      const b = { x0, x1: x0 + w, y0: l.py + s.dy - h + 3, y1: l.py + s.dy + 3 };
      if (b.x0 < 0 || b.x1 > facetWidth) return false; // the facet clips what crosses its edge
      if (boxes.some((o) => b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1)) return false;
      boxes.push(b);
      return true;
    });
    if (slot === undefined) dropped++;
    else placed.push({ ...l, slot });
  }
  return { placed, dropped };
}

/**
 * Accuracy loss vs float32 (symlog, reversed: up is better) against operations per area (log),
 * every design point as a faint dot, the Pareto front of each design as a step line with marked
 * points; one column per network, one row per scenario; the accuracy budget as a dashed rule.
 */
export function paretoFigure(records: readonly ParetoRecord[], ctx: FigureContext): FigureOptions {
  const label = (r: ParetoRecord) => DESIGN_LABEL[r.design];
  const rows = records.map((r) => ({
    network: r.network,
    scenario: r.scenario,
    design: label(r),
    gopsPerMm2: r.gopsPerMm2,
    lossPt: r.accuracyLossPt,
  }));
  const front = frontRecords(records).map((r) => ({
    network: r.network,
    scenario: r.scenario,
    design: label(r),
    gopsPerMm2: r.gopsPerMm2,
    lossPt: r.accuracyLossPt,
    group: `${r.network}|${r.scenario}|${r.design}`,
    tag: pointTag(r),
  }));
  // one label per (front, N, b): a fine-tuned twin at almost the same place would overprint
  const byTag = new Map<string, { fineTuned: boolean; row: (typeof front)[number] }[]>();
  frontRecords(records).forEach((r, i) => {
    const k = `${front[i]!.group}|${r.bits}|${r.parallelB}`;
    byTag.set(k, [...(byTag.get(k) ?? []), { fineTuned: r.fineTuned, row: front[i]! }]);
  });
  // …and points at the same place (e.g. N4 and N5 on the 8-bit binary array) share one label
  const atPlace = new Map<string, (typeof front)[number]>();
  for (const list of byTag.values()) {
    const first = list[0]!.row;
    const tag = new Set(list.map((x) => x.fineTuned)).size === 2 ? `${first.tag.replace(/ ft$/, "")} (+ft)` : first.tag;
    const k = `${first.group}|${first.gopsPerMm2}|${first.lossPt}`;
    const there = atPlace.get(k);
    atPlace.set(k, there ? { ...there, tag: `${there.tag}, ${tag}` } : { ...first, tag });
  }
  const tagList = [...atPlace.values()];
  // step line in x order: from a front point, drop to the next point's accuracy, then run to its x
  const frontByX = [...front].sort((a, b) =>
    a.group < b.group ? -1 : a.group > b.group ? 1 : a.gopsPerMm2 - b.gopsPerMm2 || a.lossPt - b.lossPt,
  );
  const networks = [...new Set(records.map((r) => r.network))];
  const scenarios = [...new Set(records.map((r) => r.scenario))];
  const losses = records.map((r) => r.accuracyLossPt);
  const lossMax = Math.max(ctx.budgetPt * 2, ...losses);
  const lossMin = Math.min(-0.2, ...losses);
  const gops = records.map((r) => r.gopsPerMm2);
  // x starts a factor 4 below the slowest front point: the long-stream points further left (large N
  // at b = 1) are dominated by far and would squash the fronts; results.csv keeps them
  const xMin = Math.min(...front.map((r) => r.gopsPerMm2)) / 4;
  const cut = gops.filter((g) => g < xMin).length;
  // Estimated pixel positions inside a facet, for label placement (see placeLabels).
  const width = Math.max(760, 500 * networks.length),
    height = 300 * scenarios.length + 160;
  const facetW = (width - 60 - 120) / networks.length,
    facetH = (height - 44 - 60) / scenarios.length;
  const xMax = Math.max(...gops) * 1.6;
  const symlog = (v: number) => Math.sign(v) * Math.log1p(Math.abs(v));
  const px = (g: number) => ((Math.log(g) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin))) * facetW;
  const py = (loss: number) => ((symlog(loss) - symlog(lossMin)) / (symlog(lossMax * 1.1) - symlog(lossMin))) * facetH;
  // The headline pair per network and scenario: the best SC and binary point within the budget, starred.
  const stars = strongestRows(ctx.headlines)
    .filter((h) => h.status === "ok")
    .flatMap((h) => {
      const mine = records.filter((r) => r.network === h.network && r.scenario === h.scenario);
      return (["sc", "binary"] as const).flatMap((d) => {
        const r = bestWithin(mine, d, ctx.budgetPt);
        return r
          ? [
              {
                network: r.network,
                scenario: r.scenario,
                design: label(r),
                gopsPerMm2: r.gopsPerMm2,
                lossPt: r.accuracyLossPt,
                text: `best ${d === "sc" ? (r.arithmetic === "sc-bisc" ? "SC" : `SC (${r.arithmetic})`) : `binary (${r.baseline})`}: N${r.bits}${r.parallelB === null ? "" : ` b${r.parallelB}`} M${r.lanesM}×P${r.unitsP}`,
                preferLeft: d === "binary",
                px: px(r.gopsPerMm2),
                py: py(r.accuracyLossPt),
              },
            ]
          : [];
      });
    });
  const tags: ((typeof tagList)[number] & { slot: number })[] = [];
  const starLabels: ((typeof stars)[number] & { slot: number })[] = [];
  let droppedLabels = 0;
  for (const n of networks)
    for (const sc of scenarios) {
      const inFacet = <T extends { network: string; scenario: string }>(xs: readonly T[]) =>
        xs.filter((t) => t.network === n && t.scenario === sc);
      // star labels first; every marked point's own spot is kept clear
      const pointBoxes = [
        ...inFacet(front).map((r) => {
          const [x, y] = [px(r.gopsPerMm2), py(r.lossPt)];
          return { x0: x - 3, x1: x + 3, y0: y - 3, y1: y + 3 };
        }),
        ...inFacet(stars).map((r) => ({ x0: r.px - 8, x1: r.px + 8, y0: r.py - 8, y1: r.py + 8 })),
      ];
      const s = placeLabels(inFacet(stars), pointBoxes, facetW);
      starLabels.push(...s.placed);
      const starBoxes = s.placed.map((l) => {
        const slot = SLOTS[l.slot];
        const w = 5.3 * l.text.length;
        const x0 = slot.anchor === "start" ? l.px + slot.dx : l.px + slot.dx - w;
        return { x0, x1: x0 + w, y0: l.py + slot.dy - 8, y1: l.py + slot.dy + 3 };
      });
      const t = placeLabels(
        inFacet(tagList)
          .map((r) => ({
            ...r,
            text: r.tag,
            preferLeft: r.design === DESIGN_LABEL.binary,
            px: px(r.gopsPerMm2),
            py: py(r.lossPt),
          }))
          .sort((a, b) => a.px - b.px || a.py - b.py),
        [...pointBoxes, ...starBoxes],
        facetW,
      );
      tags.push(...t.placed);
      droppedLabels += t.dropped + s.dropped;
    }
  const floatLabel = new Map(
    ctx.headlines
      .filter((h) => h.floatAccuracy !== null)
      .map((h) => [h.network, `${h.network} (float32 ${h.floatAccuracy} %)`]),
  );
  const notes = strongestRows(ctx.headlines)
    .filter((h) => h.status === "ok" && h.improvement !== null)
    .map((h) => ({
      network: h.network,
      scenario: h.scenario,
      text: `within ${ctx.budgetPt} pt: SC ${h.scGopsPerMm2!.toPrecision(3)} vs strongest binary (${h.binaryBaseline}) ${h.binaryGopsPerMm2!.toPrecision(3)} GOPS/mm² (${h.improvement! >= 0 ? "+" : ""}${(h.improvement! * 100).toFixed(0)} %)`,
    }));
  const skipped = ctx.skipped.length
    ? ` Not shown: ${ctx.skipped.map((s) => `${s.network} (${s.reason})`).join("; ")}.`
    : "";
  return {
    title: "Accuracy vs operations per area: SC-CNN (BISC) vs the strongest binary fixed-point designs",
    subtitle: `Every point is one (N, M lanes x P units, b) design; binary: every baseline (${baselineList(records)}), its line the strongest binary front over all of them; lines: Pareto fronts (accuracy up, ops per area up), labelled N (precision), b (SC bits per cycle), the binary baseline, ft (trained with its arithmetic in the loop: QAT for binary, SC-aware for SC). Dashed: ${ctx.budgetPt} pt accuracy budget (judged on the validation split).`,
    caption:
      `Accuracy on ${ctx.testImages} test images with the quantised runtime (bitsW = bitsA = N), loss in points vs float32 (symlog axis, up is better); both sides post-training quantised and trained with their arithmetic (committed checkpoints). ` +
      `Ops per area: 2 ops per MAC at ${ctx.clockHz / 1e6} MHz on both sides over the array area (${ctx.technology} Yosys-synthesized components, memories excluded); ` +
      "SC cycles from the networks' own quantised weights (ceil(|w|/b) per broadcast weight, lockstep units). " +
      "fixed-precision: binary built for N; precision-flexible: both built for the largest N, SC runs shorter streams." +
      (cut
        ? ` ${cut} dominated points below ${xMin.toPrecision(2)} GOPS/mm² (long streams at b = 1) are off the left edge (see results.csv).`
        : "") +
      skipped +
      ` Stars: the headline pair per network and scenario (best SC and best binary of any baseline, ops per area within ${ctx.budgetPt} pt, with its array M×P); headline.csv states SC against each baseline.` +
      (droppedLabels
        ? ` ${droppedLabels} labels left out where they would overlap (results.csv has every point).`
        : ""),
    width,
    height,
    marginLeft: 60,
    marginRight: 120,
    marginBottom: 44,
    fx: { label: null, domain: networks, tickFormat: (n: string) => floatLabel.get(n) ?? n },
    fy: { label: null, domain: scenarios },
    x: {
      type: "log",
      label: "operations per area (GOPS/mm²) →",
      grid: true,
      domain: [xMin, xMax],
      tickFormat: "~g",
    },
    y: {
      type: "symlog",
      reverse: true,
      label: "↑ accuracy loss vs float32 (pt)",
      grid: true,
      domain: [lossMin, lossMax * 1.1],
      ticks: LOSS_TICKS.filter((t) => t >= lossMin && t <= lossMax * 1.1),
      tickFormat: "~g",
    },
    clip: true,
    color: {
      legend: true,
      domain: [DESIGN_LABEL.sc, DESIGN_LABEL.binary],
      range: [DESIGN_COLOR.sc, DESIGN_COLOR.binary],
    },
    marks: [
      Plot.frame({ stroke: "#ccc" }),
      Plot.ruleY([0], { stroke: "#999" }),
      Plot.ruleY([ctx.budgetPt], { stroke: "#444", strokeDasharray: "5,4" }),
      Plot.dot(rows, {
        fx: "network",
        fy: "scenario",
        x: "gopsPerMm2",
        y: "lossPt",
        fill: "design",
        r: 1.6,
        fillOpacity: 0.28,
      }),
      Plot.line(frontByX, {
        fx: "network",
        fy: "scenario",
        x: "gopsPerMm2",
        y: "lossPt",
        stroke: "design",
        z: "group",
        curve: "step-before",
        strokeWidth: 1.8,
      }),
      Plot.dot(front, {
        fx: "network",
        fy: "scenario",
        x: "gopsPerMm2",
        y: "lossPt",
        stroke: "design",
        fill: "white",
        r: 3.2,
        strokeWidth: 1.5,
      }),
      // front labels in the slot placeLabels chose (no two overlap; see the caption for any left out)
      ...slottedText(tags, { x: "gopsPerMm2", fill: "design" }),
      Plot.dot(stars, {
        fx: "network",
        fy: "scenario",
        x: "gopsPerMm2",
        y: "lossPt",
        symbol: "star",
        r: 7,
        fill: "design",
        stroke: "#111",
        strokeWidth: 1,
      }),
      ...slottedText(starLabels, { x: "gopsPerMm2", fill: "#111", fontWeight: "bold" }),
      Plot.text(notes, {
        fx: "network",
        fy: "scenario",
        text: "text",
        frameAnchor: "bottom-left",
        dx: 6,
        dy: -6,
        fontSize: 10,
        fill: "#222",
      }),
    ],
  };
}

/**
 * Accuracy loss vs float32 (symlog, up is better) against energy per inference (log, left is
 * better): every design point with an energy as a faint dot, each design's energy front (accuracy
 * up, energy down) as a step line with marked points; one column per network, one row per scenario.
 */
export function energyFigure(
  records: readonly ParetoRecord[],
  ctx: FigureContext & { memory: boolean },
): FigureOptions {
  const withE = records.filter((r) => r.energyPerInferencePj !== null);
  const label = (r: ParetoRecord) => DESIGN_LABEL[r.design];
  const row = (r: ParetoRecord) => ({
    network: r.network,
    scenario: r.scenario,
    design: label(r),
    energyUj: r.energyPerInferencePj! / 1e6,
    lossPt: r.accuracyLossPt,
    group: `${r.network}|${r.scenario}|${r.design}`,
    tag: pointTag(r),
  });
  const rows = withE.map(row);
  const front = withE
    .filter((r) => r.onEnergyFront)
    .map(row)
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.energyUj - b.energyUj || a.lossPt - b.lossPt));
  // one label per place (fine-tuned twins and equal-energy points share it)
  const atPlace = new Map<string, (typeof front)[number]>();
  for (const f of front) {
    const k = `${f.group}|${f.energyUj}|${f.lossPt}`;
    const there = atPlace.get(k);
    atPlace.set(k, there ? { ...there, tag: there.tag.includes(f.tag) ? there.tag : `${there.tag}, ${f.tag}` } : f);
  }
  const tags = [...atPlace.values()];
  const networks = [...new Set(records.map((r) => r.network))];
  const scenarios = [...new Set(records.map((r) => r.scenario))];
  const losses = rows.map((r) => r.lossPt);
  const lossMax = Math.max(ctx.budgetPt * 2, ...losses);
  const lossMin = Math.min(-0.2, ...losses);
  const es = rows.map((r) => r.energyUj);
  const xMax = front.length ? Math.max(...front.map((r) => r.energyUj)) * 4 : Math.max(...es);
  const cut = es.filter((e) => e > xMax).length;
  // label placement as in paretoFigure: estimated pixel positions per facet (x log, y symlog)
  const width = Math.max(760, 500 * networks.length),
    height = 300 * scenarios.length + 160;
  const facetW = (width - 60 - 120) / networks.length,
    facetH = (height - 44 - 60) / scenarios.length;
  const xMin = Math.min(...es) / 1.6;
  const symlog = (v: number) => Math.sign(v) * Math.log1p(Math.abs(v));
  const px = (e: number) => ((Math.log(e) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin))) * facetW;
  const py = (loss: number) => ((symlog(loss) - symlog(lossMin)) / (symlog(lossMax * 1.1) - symlog(lossMin))) * facetH;
  const placedTags: ((typeof tags)[number] & { text: string; slot: number })[] = [];
  let droppedLabels = 0;
  for (const n of networks)
    for (const sc of scenarios) {
      const inFacet = tags.filter((t) => t.network === n && t.scenario === sc);
      const pointBoxes = front
        .filter((t) => t.network === n && t.scenario === sc)
        .map((r) => {
          const [x, y] = [px(r.energyUj), py(r.lossPt)];
          return { x0: x - 3, x1: x + 3, y0: y - 3, y1: y + 3 };
        });
      const t = placeLabels(
        inFacet
          .map((r) => ({
            ...r,
            text: r.tag,
            preferLeft: r.design === DESIGN_LABEL.binary,
            px: px(r.energyUj),
            py: py(r.lossPt),
          }))
          .sort((a, b) => a.px - b.px || a.py - b.py),
        pointBoxes,
        facetW,
      );
      placedTags.push(...t.placed);
      droppedLabels += t.dropped;
    }
  const notes = strongestRows(ctx.headlines)
    .filter((h) => h.energyRatio !== null)
    .map((h) => ({
      network: h.network,
      scenario: h.scenario,
      text: `within ${ctx.budgetPt} pt: SC ${Number((h.scEnergyPj! / 1e6).toPrecision(3))} vs binary ${Number((h.binaryEnergyPj! / 1e6).toPrecision(3))} µJ (SC / least-energy binary ${h.energyRatio!.toPrecision(3)})`,
    }));
  return {
    title: "Accuracy vs energy per inference: SC-CNN (BISC) vs the binary fixed-point baselines",
    subtitle:
      "Every point is one (N, M lanes x P units, b) design; binary: every baseline, its line the least-energy front over all of them; lines: fronts (accuracy up, energy down), labelled N, b, the binary baseline, ft (fine-tuned). Dashed: accuracy budget (judged on validation for the notes).",
    caption:
      `Energy of one inference at ${ctx.clockHz / 1e6} MHz: switching activity of the ${ctx.technology} Yosys netlists (zero-delay, no wires, no clock gating) on real quantised operands of the zoo networks, ` +
      `priced with the Liberty internal_power tables and pin capacitances, plus leakage; per part × its weight steps, active and idle cycles from the dataflow. ` +
      (ctx.memory
        ? "Includes on-chip SRAM buffers (Horowitz ISSCC 2014 figures scaled to the node), equal traffic on both sides at equal N. "
        : "On-chip memories excluded (binary on both sides; pnpm study pareto --memory true adds them). ") +
      (cut ? `${cut} points above ${xMax.toPrecision(2)} µJ are off the right edge (see results.csv).` : "") +
      (droppedLabels
        ? ` ${droppedLabels} labels left out where they would overlap (results.csv has every point).`
        : ""),
    width,
    height,
    marginLeft: 60,
    marginRight: 120,
    marginBottom: 44,
    fx: { label: null, domain: networks },
    fy: { label: null, domain: scenarios },
    x: {
      type: "log",
      label: "← energy per inference (µJ)",
      grid: true,
      domain: [xMin, xMax],
      tickFormat: "~g",
    },
    y: {
      type: "symlog",
      reverse: true,
      label: "↑ accuracy loss vs float32 (pt)",
      grid: true,
      domain: [lossMin, lossMax * 1.1],
      ticks: LOSS_TICKS.filter((t) => t >= lossMin && t <= lossMax * 1.1),
      tickFormat: "~g",
    },
    clip: true,
    color: {
      legend: true,
      domain: [DESIGN_LABEL.sc, DESIGN_LABEL.binary],
      range: [DESIGN_COLOR.sc, DESIGN_COLOR.binary],
    },
    marks: [
      Plot.frame({ stroke: "#ccc" }),
      Plot.ruleY([0], { stroke: "#999" }),
      Plot.ruleY([ctx.budgetPt], { stroke: "#444", strokeDasharray: "5,4" }),
      Plot.dot(rows, {
        fx: "network",
        fy: "scenario",
        x: "energyUj",
        y: "lossPt",
        fill: "design",
        r: 1.6,
        fillOpacity: 0.28,
      }),
      Plot.line(front, {
        fx: "network",
        fy: "scenario",
        x: "energyUj",
        y: "lossPt",
        stroke: "design",
        z: "group",
        curve: "step-after",
        strokeWidth: 1.8,
      }),
      Plot.dot(front, {
        fx: "network",
        fy: "scenario",
        x: "energyUj",
        y: "lossPt",
        stroke: "design",
        fill: "white",
        r: 3.2,
        strokeWidth: 1.5,
      }),
      ...slottedText(placedTags, { x: "energyUj", fill: "design" }),
      Plot.text(notes, {
        fx: "network",
        fy: "scenario",
        text: "text",
        frameAnchor: "bottom-left",
        dx: 6,
        dy: -6,
        fontSize: 10,
        fill: "#222",
      }),
    ],
  };
}
