import * as Plot from "@observablehq/plot";
import type { StudyEntry, StudyRecord } from "../bundle.ts";
import { el } from "../dom.ts";
import { cellText, chartDefaults, fieldsOf } from "../records.ts";

const TABLE_ROWS = 200;

/**
 * Any study's records: a chart with x / y / colour pickers (defaults chosen per known study, see
 * records.ts) drawn live with Observable Plot, and the records as a table.
 */
export function studyChart(study: StudyEntry): HTMLElement {
  const records = study.results!.records;
  const root = el("div", { class: "study-chart", "data-study-chart": study.name });
  const fields = fieldsOf(records);
  const numeric = fields.filter((f) => f.kind === "number").map((f) => f.name);
  const categorical = fields.filter((f) => f.kind === "string" && f.distinct <= 24).map((f) => f.name);
  const defaults = chartDefaults(study.name, fields);
  const state = { x: defaults.x ?? "", y: defaults.y ?? "", color: defaults.color ?? "", logX: false, logY: false };

  const plotBox = el("div", { class: "chart" });
  const picker = (key: "x" | "y" | "color", label: string, names: string[], allowNone: boolean) => {
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
    const box = el("input", { type: "checkbox" });
    box.addEventListener("change", () => {
      state[key] = box.checked;
      draw();
    });
    return el("label", {}, box, ` ${label}`);
  };

  function draw() {
    if (!state.x || !state.y) {
      plotBox.replaceChildren(el("p", { class: "status" }, "These records have fewer than two numeric fields to plot; see the table."));
      return;
    }
    const data = records.filter((r) => typeof r[state.x] === "number" && typeof r[state.y] === "number" && (!state.logX || (r[state.x] as number) > 0) && (!state.logY || (r[state.y] as number) > 0));
    const xDistinct = new Set(data.map((r) => r[state.x])).size;
    const asLines = state.color !== "" && xDistinct <= 24 && xDistinct < data.length;
    const color = state.color || undefined;
    const sorted = asLines ? [...data].sort((a, b) => (a[state.x] as number) - (b[state.x] as number)) : data;
    const tip = (r: StudyRecord) => Object.entries(r).map(([k, v]) => `${k}: ${cellText(v)}`).join("\n");
    const marks: Plot.Markish[] = [Plot.frame({ stroke: "#d9dde3" })];
    if (asLines) marks.push(Plot.line(sorted, { x: state.x, y: state.y, z: color, stroke: color, strokeWidth: 1.5 }));
    marks.push(Plot.dot(sorted, { x: state.x, y: state.y, stroke: color, fill: color, r: 3.5, title: tip, className: "record" }));
    const width = Math.max(420, Math.min(760, plotBox.clientWidth || 680));
    plotBox.replaceChildren(
      Plot.plot({
        width,
        height: Math.round(width * 0.55),
        marginLeft: 60,
        grid: true,
        x: { type: state.logX ? "log" : "linear", label: `${state.x} →` },
        y: { type: state.logY ? "log" : "linear", label: `↑ ${state.y}` },
        color: color ? { legend: true } : undefined,
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
    body.append(el("tr", {}, ...columns.map((c) => el("td", { class: typeof r[c] === "number" ? "num" : undefined }, cellText(r[c])))));
  }
  table.append(body);
  const more = records.length > TABLE_ROWS ? ` (first ${TABLE_ROWS} shown; all are in results.json / results.csv)` : "";

  root.append(
    el("div", { class: "controls" }, picker("x", "x", numeric, false), picker("y", "y", numeric, false), picker("color", "colour", categorical, true), toggle("logX", "log x"), toggle("logY", "log y")),
    plotBox,
    el("details", {}, el("summary", {}, `Records (${records.length})${more}`), el("div", { class: "table-wrap" }, table)),
  );
  draw();
  return root;
}
