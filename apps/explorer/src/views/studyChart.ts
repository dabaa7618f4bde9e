import * as Plot from "@observablehq/plot";
import type { StudyEntry, StudyRecord } from "../bundle.ts";
import { el } from "../dom.ts";
import { cellText, chartDefaults, fieldsOf, groupingFields, seriesHaveUniqueX, splitByMeasure } from "../records.ts";

const TABLE_ROWS = 200;
/** Studies whose records are a report (the paper's study and claim rows): shown as tables only. */
const TABLE_ONLY = new Set(["paper"]);

/**
 * Any study's records drawn live with Observable Plot: one chart per kind of record (see
 * splitByMeasure), each with x / y / colour / facet pickers whose defaults are chosen per known
 * study (records.ts), and the records as a table.
 */
export function studyChart(study: StudyEntry): HTMLElement {
  const parts = splitByMeasure(study.results!.records);
  const tableOnly = TABLE_ONLY.has(study.name);
  const root = el("div", { class: "study-charts" });
  for (const part of parts) {
    if (part.field)
      root.append(
        el(
          "h3",
          { class: "part" },
          `${part.field} = ${part.value}`,
          el("span", { class: "status" }, ` (${part.records.length} records)`),
        ),
      );
    root.append(chartPart(study.name, part.records, part.value, tableOnly));
  }
  return root;
}

function chartPart(
  studyName: string,
  records: StudyRecord[],
  measure: string | undefined,
  tableOnly: boolean,
): HTMLElement {
  const root = el("div", { class: "study-chart", "data-study-chart": studyName, "data-measure": measure });
  const fields = fieldsOf(records);
  const numeric = fields.filter((f) => f.kind === "number").map((f) => f.name);
  const grouping = groupingFields(fields);
  const defaults = chartDefaults(studyName, fields, measure);
  const state = {
    x: defaults.x ?? "",
    y: defaults.y ?? "",
    color: defaults.color ?? "",
    facet: defaults.facet ?? "",
    logX: false,
    logY: defaults.logY ?? false,
  };

  const plotBox = el("div", { class: "chart" });
  const picker = (key: "x" | "y" | "color" | "facet", label: string, names: string[], allowNone: boolean) => {
    const select = el("select", { "data-axis": key });
    if (allowNone) select.append(el("option", { value: "" }, "(none)"));
    for (const n of names) select.append(el("option", { value: n, selected: n === state[key] }, n));
    select.addEventListener("change", () => {
      state[key] = select.value;
      draw();
    });
    return el("label", {}, `${label} `, select);
  };
  const toggle = (key: "logX" | "logY", label: string) => {
    const box = el("input", { type: "checkbox", checked: state[key] });
    box.addEventListener("change", () => {
      state[key] = box.checked;
      draw();
    });
    return el("label", {}, box, ` ${label}`);
  };

  function draw() {
    if (!state.x || !state.y) {
      plotBox.replaceChildren(
        el("p", { class: "status" }, "These records have fewer than two numeric fields to plot; see the table."),
      );
      return;
    }
    const positive = (v: unknown) => typeof v === "number" && v > 0;
    const data = records.filter(
      (r) =>
        typeof r[state.x] === "number" &&
        typeof r[state.y] === "number" &&
        (!state.logX || positive(r[state.x])) &&
        (!state.logY || positive(r[state.y])),
    );
    const xDistinct = new Set(data.map((r) => r[state.x])).size;
    const asLines =
      state.color !== "" &&
      xDistinct <= 24 &&
      xDistinct < data.length &&
      seriesHaveUniqueX(data, state.x, [state.color, state.facet].filter(Boolean));
    const color = state.color || undefined;
    const fy = state.facet || undefined;
    const sorted = asLines ? [...data].sort((a, b) => (a[state.x] as number) - (b[state.x] as number)) : data;
    const tip = (r: StudyRecord) =>
      Object.entries(r)
        .map(([k, v]) => `${k}: ${cellText(v)}`)
        .join("\n");
    const marks: Plot.Markish[] = [Plot.frame({ stroke: "#d9dde3" })];
    if (asLines)
      marks.push(Plot.line(sorted, { x: state.x, y: state.y, z: color, stroke: color, fy, strokeWidth: 1.5 }));
    marks.push(
      Plot.dot(sorted, {
        x: state.x,
        y: state.y,
        stroke: color,
        fill: color,
        fy,
        r: 3.5,
        title: tip,
        className: "record",
      }),
    );
    const facets = fy ? new Set(data.map((r) => r[fy])).size : 1;
    const width = Math.max(420, Math.min(900, plotBox.clientWidth || 680));
    const colorIsNumber = color !== undefined && fields.find((f) => f.name === color)?.kind === "number";
    plotBox.replaceChildren(
      Plot.plot({
        width,
        height: facets > 1 ? 70 + 170 * facets : Math.round(width * 0.55),
        marginLeft: 60,
        marginRight: fy ? 140 : 20,
        grid: true,
        x: { type: state.logX ? "log" : "linear", label: `${state.x} →` },
        y: { type: state.logY ? "log" : "linear", label: `↑ ${state.y}` },
        color: color ? { legend: true, type: colorIsNumber ? "ordinal" : undefined, label: color } : undefined,
        fy: fy
          ? {
              label: fy,
              tickFormat: (v: unknown) => (String(v).length > 20 ? `${String(v).slice(0, 19)}…` : String(v)),
            }
          : undefined,
        style: { fontSize: "12px", fontFamily: "inherit" },
        marks,
      }),
    );
  }

  const table = el("table");
  const columns = fields.map((f) => f.name);
  table.append(el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", {}, c)))));
  const body = el("tbody");
  for (const r of records.slice(0, TABLE_ROWS)) {
    body.append(
      el(
        "tr",
        {},
        ...columns.map((c) => el("td", { class: typeof r[c] === "number" ? "num" : undefined }, cellText(r[c]))),
      ),
    );
  }
  table.append(body);
  const more = records.length > TABLE_ROWS ? ` (first ${TABLE_ROWS} shown; all are in results.json / results.csv)` : "";

  const recordsTable = el(
    "details",
    { open: tableOnly },
    el("summary", {}, `Records (${records.length})${more}`),
    el("div", { class: "table-wrap" }, table),
  );
  if (tableOnly) {
    root.append(recordsTable);
    return root;
  }
  root.append(
    el(
      "div",
      { class: "controls" },
      picker("x", "x", numeric, false),
      picker("y", "y", numeric, false),
      picker("color", "colour", grouping, true),
      picker("facet", "rows by", grouping, true),
      toggle("logX", "log x"),
      toggle("logY", "log y"),
    ),
    plotBox,
    recordsTable,
  );
  draw();
  // Redraw once attached and when the width changes, so the chart fits the page.
  let lastWidth = 0;
  new ResizeObserver(() => {
    const w = plotBox.clientWidth;
    if (w > 0 && Math.abs(w - lastWidth) > 40) {
      lastWidth = w;
      draw();
    }
  }).observe(plotBox);
  return root;
}
