import * as Plot from "@observablehq/plot";
import type { StudyEntry } from "../bundle.ts";
import { el } from "../dom.ts";
import { downloadButtons } from "../download.ts";
import { accuracyScale, fmt } from "../format.ts";
import { groupedParetoFront } from "../pareto.ts";
import {
  applyFilter,
  filterOptions,
  DEFAULT_GROUPING,
  FRONT_GROUPINGS,
  fullFilter,
  type FrontGrouping,
  paretoPoints,
  type ParetoFilter,
  type ParetoPoint,
} from "../paretoPoints.ts";

/** Dash pattern per network for the front lines (colour already encodes the arithmetic). */
const DASHES = ["none", "6,3", "2,3", "8,3,2,3", "1,5"];
/** Colours of the series (Tableau 10, Plot's default), explicit so front lines can match them. */
const PALETTE = [
  "#4e79a7",
  "#f28e2c",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc949",
  "#af7aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ab",
];
const MIXED = "#555555";

interface Hit {
  point: ParetoPoint;
  x: number;
  y: number;
}

/**
 * The headline view: accuracy vs operations per area for every design point of the `pareto`
 * study, with filters that redraw the plot and recompute the Pareto fronts (one per network and
 * arithmetic) in the page, and a details panel for the point under the pointer.
 */
export function paretoView(study: StudyEntry, opts: { idPrefix?: string; downloadName?: string } = {}): HTMLElement {
  const pre = opts.idPrefix ?? "";
  const root = el("div", { class: "pareto", id: `${pre}pareto-view` });
  const { points, dropped, missingFields } = paretoPoints(study.results!.records);
  if (missingFields.length) {
    root.append(
      el(
        "p",
        { class: "error" },
        `The pareto records have no ${missingFields.join(" / ")} field, so they cannot be placed on the plot; see the generic view below.`,
      ),
    );
    return root;
  }
  const options = filterOptions(points);
  let filter: ParetoFilter = fullFilter(options);
  let grouping: FrontGrouping = DEFAULT_GROUPING;
  const seriesColour = new Map(options.series.map((sName, k) => [sName, PALETTE[k % PALETTE.length]]));
  const records = study.results!.records;
  const acc = accuracyScale(points.map((p) => p.accuracy));
  const spread =
    Math.max(...points.map((p) => p.gopsPerMm2)) / Math.max(1e-300, Math.min(...points.map((p) => p.gopsPerMm2)));
  let logX = points.every((p) => p.gopsPerMm2 > 0) && spread >= 30;
  // Accuracy loss vs float32 in points, when the study wrote it (as the static figure draws it).
  const lossOf = (p: ParetoPoint) => {
    const v = records[p.recordIndex].accuracyLossPt;
    return typeof v === "number" && Number.isFinite(v) ? v : Number.NaN;
  };
  const hasLoss = points.length > 0 && points.every((p) => !Number.isNaN(lossOf(p)));
  const configBudget = (study.results!.config as { accuracyBudgetPt?: unknown } | null)?.accuracyBudgetPt;
  const budgetPt = typeof configBudget === "number" && Number.isFinite(configBudget) ? configBudget : 1;
  let yMode: "loss" | "accuracy" = hasLoss ? "loss" : "accuracy";
  let lastShown: ParetoPoint[] = [];

  const status = el("p", { class: "status", id: `${pre}pareto-status`, "aria-live": "polite" });
  const headlineBox = el("p", { class: "status headline", id: `${pre}pareto-headline` });
  const plotBox = el("div", { class: "pareto-plot", id: `${pre}pareto-plot` });
  const details = el(
    "aside",
    { class: "pareto-details", id: `${pre}pareto-details` },
    el("h3", {}, "Design point"),
    el("p", {}, "Hover a point to see its parameters."),
  );

  // Filters -----------------------------------------------------------------------------------
  const checkboxes = <K extends "network" | "arithmetic" | "weights" | "scenario" | "array" | "parallelB">(
    key: K,
    title: string,
    values: (string | number)[],
    label = (v: string | number) => String(v),
  ) => {
    const set = el("fieldset", { "data-filter-group": key }, el("legend", {}, title));
    for (const v of values) {
      const box = el("input", { type: "checkbox", "data-filter": key, value: String(v), checked: true });
      box.addEventListener("change", () => {
        const selected = [...set.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value);
        filter = { ...filter, [key]: key === "parallelB" ? selected.map(Number) : selected };
        draw();
      });
      set.append(el("label", {}, box, " ", label(v)));
    }
    return set;
  };
  const bitsSelect = (which: "bitsMin" | "bitsMax") => {
    const select = el("select", { "data-filter": which, "aria-label": which === "bitsMin" ? "N from" : "N to" });
    for (const b of options.bits) select.append(el("option", { value: b, selected: b === filter[which] }, String(b)));
    select.addEventListener("change", () => {
      filter = { ...filter, [which]: Number(select.value) };
      draw();
    });
    return select;
  };
  const logBox = el("input", { type: "checkbox", "data-option": "logX", checked: logX });
  logBox.addEventListener("change", () => {
    logX = logBox.checked;
    draw();
  });
  const groupingSelect = el("select", { "data-option": "grouping", "aria-label": "Pareto fronts" });
  for (const [value, g] of Object.entries(FRONT_GROUPINGS))
    groupingSelect.append(el("option", { value, selected: value === grouping }, g.label));
  groupingSelect.addEventListener("change", () => {
    grouping = groupingSelect.value as FrontGrouping;
    draw();
  });
  const ySelect = el("select", { "data-option": "yAxis", "aria-label": "Vertical axis" });
  ySelect.append(
    el("option", { value: "loss", selected: yMode === "loss", disabled: !hasLoss }, "accuracy loss (pt), budget line"),
    el("option", { value: "accuracy", selected: yMode === "accuracy" }, "accuracy"),
  );
  ySelect.addEventListener("change", () => {
    yMode = ySelect.value as "loss" | "accuracy";
    draw();
  });
  const reset = el("button", { type: "button", "data-action": "reset" }, "Show all");
  reset.addEventListener("click", () => {
    filter = fullFilter(options);
    root.querySelectorAll<HTMLInputElement>("input[data-filter]").forEach((i) => (i.checked = true));
    root
      .querySelectorAll<HTMLSelectElement>("select[data-filter]")
      .forEach((s) => (s.value = String(filter[s.dataset.filter as "bitsMin" | "bitsMax"])));
    draw();
  });
  const controls = el(
    "div",
    { class: "controls" },
    checkboxes("network", "Network", options.network),
    checkboxes("arithmetic", "Arithmetic", options.arithmetic),
    options.weights.length > 1 && checkboxes("weights", "Weights", options.weights),
    el(
      "fieldset",
      { "data-filter-group": "bits" },
      el("legend", {}, "Precision N (bits)"),
      bitsSelect("bitsMin"),
      " to ",
      bitsSelect("bitsMax"),
    ),
    checkboxes("array", "Array size (M lanes × P units)", options.array),
    checkboxes("parallelB", "Bits per cycle b", options.parallelB),
    checkboxes("scenario", "Scenario", options.scenario),
    el("fieldset", {}, el("legend", {}, "Pareto fronts"), groupingSelect),
    el(
      "fieldset",
      {},
      el("legend", {}, "View"),
      el("label", {}, logBox, " log ops-per-area axis"),
      " ",
      el("label", {}, "y: ", ySelect),
      reset,
    ),
    el(
      "fieldset",
      {},
      el("legend", {}, "What is shown"),
      downloadButtons(opts.downloadName ?? study.name, () => lastShown.map((p) => records[p.recordIndex])),
    ),
  );

  // Details panel -----------------------------------------------------------------------------
  const showDetails = (p: ParetoPoint, onFront: boolean) => {
    const rows: [string, string, string][] = [
      ["network", "Network", p.network],
      ["design", "Design", p.design],
      ["arithmetic", "Arithmetic", p.arithmetic],
      ["weights", "Weights", p.weights],
      ["bits", "N (bits)", fmt(p.bits)],
      ["lanesM", "M (lanes/unit)", fmt(p.lanesM)],
      ["unitsP", "P (units)", fmt(p.unitsP)],
      ["parallelB", "b (bits/cycle)", fmt(p.parallelB)],
      ["scenario", "Scenario", p.scenario],
      ["accuracy", "Accuracy", `${fmt(p.accuracy * acc.factor)}${acc.unit}`],
      ["gopsPerMm2", "Ops per area", `${fmt(p.gopsPerMm2)} GOPS/mm²`],
      ["areaUm2", "Area", Number.isNaN(p.areaUm2) ? "—" : `${fmt(p.areaUm2)} µm²`],
      ["onFront", "On front (here)", onFront ? "yes" : "no"],
    ];
    const record = records[p.recordIndex];
    if (typeof record.onFront === "boolean")
      rows.push(["studyOnFront", "On front (study)", record.onFront ? "yes" : "no"]);
    // Any further fields the study wrote (latency, energy, …), as written.
    const shownFields = new Set([
      "network",
      "design",
      "arithmetic",
      "fineTuned",
      "bits",
      "lanesM",
      "unitsP",
      "parallelB",
      "scenario",
      "accuracy",
      "gopsPerMm2",
      "areaUm2",
      "onFront",
    ]);
    for (const [k, v] of Object.entries(record)) {
      if (shownFields.has(k) || v === null || typeof v === "object") continue;
      rows.push([k, k, typeof v === "number" ? fmt(v) : String(v)]);
    }
    const dl = el("dl");
    for (const [field, label, value] of rows) dl.append(el("dt", {}, label), el("dd", { "data-field": field }, value));
    details.replaceChildren(el("h3", {}, `Design point (record ${p.recordIndex})`), dl);
    details.dataset.record = String(p.recordIndex);
  };

  // Plot --------------------------------------------------------------------------------------
  function draw() {
    const shown = applyFilter(points, filter);
    const frontGroup = FRONT_GROUPINGS[grouping].key;
    const front = groupedParetoFront(
      shown,
      frontGroup,
      (p) => p.gopsPerMm2,
      (p) => p.accuracy,
    );
    const frontPoints = shown.filter((_, i) => front[i]).sort((a, b) => a.gopsPerMm2 - b.gopsPerMm2);
    const onFront = new Set(frontPoints);
    const groups = new Set(shown.map(frontGroup)).size;
    status.textContent =
      `Showing ${shown.length} of ${points.length} design points; ${frontPoints.length} on the Pareto front${groups === 1 ? "" : "s"} (${FRONT_GROUPINGS[grouping].label}: ${groups} group${groups === 1 ? "" : "s"}).` +
      (dropped ? ` (${dropped} records without accuracy or ops-per-area are not drawn.)` : "");
    status.dataset.shown = String(shown.length);
    status.dataset.front = String(frontPoints.length);

    lastShown = shown;
    const hits: Hit[] = [];
    const x = (p: ParetoPoint) => p.gopsPerMm2;
    const loss = yMode === "loss";
    const y = (p: ParetoPoint) => (loss ? lossOf(p) : p.accuracy * acc.factor);
    // The headline pair per network and scenario: the best SC and binary ops per area within the budget.
    const headlines = hasLoss ? headlinePairs(shown, lossOf, budgetPt) : [];
    headlineBox.replaceChildren(
      headlines.length
        ? `Headline (best ops per area within ${budgetPt} pt of float32, stars on the plot): `
        : hasLoss
          ? `No SC and binary pair within ${budgetPt} pt of float32 among the points shown.`
          : "",
      ...headlines.map((h, k) =>
        el(
          "span",
          { "data-headline": `${h.network}|${h.scenario}` },
          `${k ? "; " : ""}${h.network}, ${h.scenario}: SC ${fmt(h.sc.gopsPerMm2)} vs binary ${fmt(h.binary.gopsPerMm2)} GOPS/mm² (${h.improvementPct >= 0 ? "+" : ""}${fmt(h.improvementPct, 3)} %)`,
        ),
      ),
    );
    const width = Math.max(480, Math.min(860, plotBox.clientWidth || 760));
    // Smaller symbols when there are many points; fronts are drawn over the points.
    const radius = shown.length <= 300 ? 4.5 : shown.length <= 2000 ? 3.2 : 2.4;
    const marks: Plot.Markish[] = [Plot.frame({ stroke: "#d9dde3" })];
    if (loss)
      marks.push(
        Plot.ruleY([0], { stroke: "#999" }),
        Plot.ruleY([budgetPt], { stroke: "#444", strokeDasharray: "5,4", className: "budget-line" }),
        Plot.text([budgetPt], {
          y: (d: number) => d,
          frameAnchor: "right",
          text: () => `budget ${budgetPt} pt`,
          dy: -7,
          fill: "#444",
        }),
      );
    marks.push(
      Plot.dot(shown, {
        x,
        y,
        r: radius,
        symbol: "network",
        stroke: "series",
        fill: "series",
        fillOpacity: 0.45,
        className: "design-point",
        render(index, scales, values, dimensions, context, next) {
          const g = next!(index, scales, values, dimensions, context)!;
          const X = values.x as ArrayLike<number>;
          const Y = values.y as ArrayLike<number>;
          [...g.children].forEach((node, k) => {
            const i = index[k];
            node.setAttribute("data-point", "");
            node.setAttribute("data-record", String(shown[i].recordIndex));
            hits.push({ point: shown[i], x: X[i], y: Y[i] });
          });
          return g;
        },
      }),
    );
    // One line per front, sorted by ops per area, in the colour of its arithmetic (fine-tuned and
    // trained points of one arithmetic share a front line; grey when a front mixes arithmetics),
    // dashed per network.
    const fronts = new Map<string, ParetoPoint[]>();
    for (const p of frontPoints) fronts.set(frontGroup(p), [...(fronts.get(frontGroup(p)) ?? []), p]);
    for (const data of fronts.values()) {
      const arithmetics = new Set(data.map((p) => p.arithmetic));
      const networks = new Set(data.map((p) => p.network));
      const dash = networks.size === 1 ? DASHES[options.network.indexOf(data[0].network) % DASHES.length] : "none";
      const stroke =
        arithmetics.size === 1 ? (seriesColour.get(data[0].arithmetic) ?? seriesColour.get(data[0].series)!) : MIXED;
      marks.push(Plot.line(data, { x, y, stroke, strokeWidth: 1.6, strokeDasharray: dash, className: "pareto-front" }));
    }
    marks.push(
      Plot.dot(frontPoints, {
        x,
        y,
        r: radius + 3,
        stroke: "series",
        strokeWidth: 1.4,
        fill: "none",
        className: "front-point",
      }),
    );
    const stars = headlines.flatMap((h) => [
      { p: h.sc, label: "SC best" },
      { p: h.binary, label: "binary best" },
    ]);
    marks.push(
      Plot.dot(stars, {
        x: (d: (typeof stars)[number]) => x(d.p),
        y: (d: (typeof stars)[number]) => y(d.p),
        symbol: "star",
        r: radius + 6,
        stroke: "#111",
        strokeWidth: 1.6,
        fill: "#ffd54a",
        fillOpacity: 0.85,
        className: "headline-point",
      }),
      Plot.text(stars, {
        x: (d: (typeof stars)[number]) => x(d.p),
        y: (d: (typeof stars)[number]) => y(d.p),
        text: (d: (typeof stars)[number]) => `${d.label} (M${d.p.lanesM}×P${d.p.unitsP})`,
        dy: -14,
        fontWeight: 600,
        stroke: "white",
        strokeWidth: 3,
        paintOrder: "stroke",
        fill: "#111",
      }),
    );
    const losses = shown.map(lossOf);
    const chart = Plot.plot({
      width,
      height: Math.round(width * 0.58),
      marginLeft: 56,
      marginBottom: 44,
      grid: true,
      x: { type: logX ? "log" : "linear", label: "Operations per area (GOPS/mm²) →", nice: !logX, tickFormat: ",.4~g" },
      y: loss
        ? {
            type: "symlog",
            reverse: true,
            label: "↑ Accuracy loss vs float32 (pt)",
            domain: [Math.min(-0.2, ...losses), Math.max(budgetPt * 2, ...losses) * 1.1],
            tickFormat: ".3~g",
          }
        : { label: `↑ Accuracy${acc.unit ? ` (${acc.unit})` : ""}`, nice: true, tickFormat: ".4~g" },
      color: { legend: true, domain: options.series, range: options.series.map((sName) => seriesColour.get(sName)!) },
      symbol: { legend: true, domain: options.network },
      style: { fontSize: "12px", fontFamily: "inherit" },
      marks,
    });
    plotBox.replaceChildren(chart);
    if (!shown.length) plotBox.append(el("p", { class: "status" }, "No design point matches the filters."));
    attachHover(chart, hits, (h) => showDetails(h.point, onFront.has(h.point)));
  }

  const dashNames: Record<string, string> = {
    none: "solid",
    "6,3": "dashed",
    "2,3": "dotted",
    "8,3,2,3": "dash-dot",
    "1,5": "sparse dots",
  };
  const key = el(
    "p",
    { class: "status" },
    "Colour: arithmetic (and fine-tuned weights); shape: network. Ringed points lie on a Pareto front (accuracy up, ops per area up), recomputed here for the current filters and front grouping (grey lines mix arithmetics); front lines: ",
    options.network.map((n, k) => `${dashNames[DASHES[k % DASHES.length]]} = ${n}`).join(", "),
    ".",
  );
  root.append(controls, status, headlineBox, key, el("div", { class: "pareto-body" }, plotBox, details));
  // Draw now, and again once attached and whenever the width changes (the plot fits the page).
  let lastWidth = 0;
  new ResizeObserver(() => {
    const w = plotBox.clientWidth;
    if (Math.abs(w - lastWidth) > 40) {
      lastWidth = w;
      draw();
    }
  }).observe(plotBox);
  draw();
  return root;
}

interface HeadlinePair {
  network: string;
  scenario: string;
  sc: ParetoPoint;
  binary: ParetoPoint;
  /** SC ops per area over binary's, minus 1, in percent (as the CLI prints it). */
  improvementPct: number;
}

/** Per network and scenario, the best SC and binary point within the budget (as studies/pareto's headline). */
export function headlinePairs(
  shown: readonly ParetoPoint[],
  lossOf: (p: ParetoPoint) => number,
  budgetPt: number,
): HeadlinePair[] {
  const best = new Map<string, { sc?: ParetoPoint; binary?: ParetoPoint }>();
  const better = (a: ParetoPoint, b: ParetoPoint | undefined) =>
    !b || a.gopsPerMm2 > b.gopsPerMm2 || (a.gopsPerMm2 === b.gopsPerMm2 && a.accuracy > b.accuracy);
  for (const p of shown) {
    if (!(lossOf(p) <= budgetPt + 1e-9)) continue;
    const side = p.design === "sc" ? "sc" : p.design === "binary" ? "binary" : undefined;
    if (!side) continue;
    const k = `${p.network}|${p.scenario}`;
    const cur = best.get(k) ?? {};
    if (better(p, cur[side])) cur[side] = p;
    best.set(k, cur);
  }
  const out: HeadlinePair[] = [];
  for (const [k, v] of best) {
    if (!v.sc || !v.binary) continue;
    const [network, scenario] = k.split("|");
    out.push({
      network,
      scenario,
      sc: v.sc,
      binary: v.binary,
      improvementPct: (v.sc.gopsPerMm2 / v.binary.gopsPerMm2 - 1) * 100,
    });
  }
  return out;
}

/** Nearest point (within 24 px) under the pointer, in the plot's SVG coordinates, with a ring. */
function attachHover(chart: Element, hits: Hit[], show: (h: Hit) => void) {
  // With legends Plot returns a <figure> (legend swatches are small SVGs too): take the SVG that
  // holds the design points.
  const svg = chart.querySelector<SVGGElement>("g.design-point")?.ownerSVGElement;
  if (!svg) return;
  const ring = document.createElementNS("http://www.w3.org/2000/svg", "circle");
  ring.setAttribute("r", "10");
  ring.setAttribute("fill", "none");
  ring.setAttribute("stroke", "#111");
  ring.setAttribute("stroke-width", "2");
  ring.setAttribute("visibility", "hidden");
  ring.setAttribute("pointer-events", "none");
  ring.setAttribute("class", "hover-ring");
  svg.append(ring);
  svg.addEventListener("pointermove", (event) => {
    const ctm = svg.getScreenCTM();
    if (!ctm) return;
    const pt = new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
    let best: Hit | undefined;
    let bestD = 24 * 24;
    for (const h of hits) {
      const d = (h.x - pt.x) ** 2 + (h.y - pt.y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = h;
      }
    }
    if (!best) return;
    ring.setAttribute("cx", String(best.x));
    ring.setAttribute("cy", String(best.y));
    ring.setAttribute("visibility", "visible");
    show(best);
  });
}
