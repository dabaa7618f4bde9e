import type { StudyEntry, StudyRecord, StudyRun } from "../bundle.ts";
import { code, el } from "../dom.ts";
import { downloadButtons } from "../download.ts";
import { fmt } from "../format.ts";
import { paretoView } from "./paretoView.ts";
import { studyChart } from "./studyChart.ts";

const ALL = "";

interface Choice {
  study: StudyEntry;
  run: StudyRun;
}

/** Records of a run, optionally one network's only. */
function pick(choice: Choice, network: string): StudyRecord[] {
  const records = choice.run.results?.records ?? [];
  return network === ALL ? records : records.filter((r) => r.network === network);
}

const networksOf = (records: readonly StudyRecord[]) =>
  [...new Set(records.map((r) => r.network).filter((n): n is string => typeof n === "string"))].sort();

/**
 * Side-by-side comparison of two runs (any study's output folders) or two networks of one run:
 * each side has a run picker and a network picker, draws its records as the study's own view
 * does, and downloads what it shows; a summary table below sets the two sides' numbers side by
 * side (records, and min / max of every numeric field they share).
 */
export function compareView(studies: readonly StudyEntry[], runsOf: (s: StudyEntry) => StudyRun[]): HTMLElement {
  const choices: Choice[] = studies.flatMap((study) =>
    runsOf(study)
      .filter((run) => run.results && run.results.records.length > 0)
      .map((run) => ({ study, run })),
  );
  const root = el("section", { class: "study", id: "compare" }, el("h2", {}, "Compare two runs or two networks"));
  if (choices.length === 0) {
    root.append(el("p", { class: "status" }, "No study has results yet."));
    return root;
  }
  // Default: the two runs of the first study that has two, else one run twice (pick two networks).
  const twoRuns = choices.findIndex((c, i) => choices[i + 1]?.study === c.study);
  const defaults = twoRuns >= 0 ? [twoRuns, twoRuns + 1] : [0, 0];
  const label = (c: Choice) => `${c.study.name} / ${c.run.id}`;
  const summary = el("div", { class: "compare-summary", id: "compare-summary" });
  const sides: { choice: Choice; network: string; records: StudyRecord[] }[] = [];

  const side = (k: number): HTMLElement => {
    const name = k === 0 ? "a" : "b";
    const box = el("div", { class: "compare-side", "data-compare-side": name });
    const runSelect = el("select", { "data-compare-run": name, "aria-label": `Run ${name.toUpperCase()}` });
    choices.forEach((c, i) => runSelect.append(el("option", { value: i, selected: i === defaults[k] }, label(c))));
    const netSelect = el("select", { "data-compare-network": name, "aria-label": `Network ${name.toUpperCase()}` });
    const body = el("div", { class: "compare-body" });
    const fillNetworks = () => {
      const nets = networksOf(choices[Number(runSelect.value)].run.results!.records);
      netSelect.replaceChildren(
        el("option", { value: ALL }, "all networks"),
        ...nets.map((n) => el("option", { value: n }, n)),
      );
      netSelect.disabled = nets.length === 0;
    };
    const draw = () => {
      const choice = choices[Number(runSelect.value)];
      const network = netSelect.value;
      const records = pick(choice, network);
      sides[k] = { choice, network, records };
      const entry: StudyEntry = { ...choice.study, results: { ...choice.run.results!, records } };
      const base = `${choice.study.name}-${choice.run.id}${network ? `-${network}` : ""}`;
      body.replaceChildren(
        el(
          "p",
          { class: "status", "data-compare-count": records.length },
          `${records.length} records from `,
          code(`${choice.study.name}/${choice.run.id}/results.json`),
          network ? ` (network ${network})` : "",
          ". ",
        ),
        choice.study.name === "pareto"
          ? paretoView(entry, { idPrefix: `compare-${name}-`, downloadName: base })
          : el(
              "div",
              {},
              el(
                "p",
                { class: "status" },
                downloadButtons(base, () => records),
              ),
              studyChart(entry),
            ),
      );
      drawSummary();
    };
    runSelect.addEventListener("change", () => {
      fillNetworks();
      draw();
    });
    netSelect.addEventListener("change", draw);
    fillNetworks();
    box.append(el("p", { class: "controls" }, `${name.toUpperCase()}: `, runSelect, " ", netSelect), body);
    // Drawn once both sides exist (the summary reads both).
    queueMicrotask(draw);
    return box;
  };

  const drawSummary = () => {
    if (!sides[0] || !sides[1]) return;
    const [a, b] = sides;
    const numeric = (rs: StudyRecord[]) =>
      new Set(rs.flatMap((r) => Object.keys(r).filter((f) => typeof r[f] === "number")));
    const fa = numeric(a.records),
      fb = numeric(b.records);
    const shared = [...fa].filter((f) => fb.has(f));
    const range = (rs: StudyRecord[], f: string) => {
      const v = rs.map((r) => r[f]).filter((x): x is number => typeof x === "number");
      return v.length ? `${fmt(Math.min(...v))} … ${fmt(Math.max(...v))}` : "—";
    };
    const name = (s: (typeof sides)[number]) => `${label(s.choice)}${s.network ? ` (${s.network})` : ""}`;
    const table = el(
      "table",
      { class: "compare-table" },
      el(
        "thead",
        {},
        el("tr", {}, el("th", {}, "field"), el("th", {}, `A: ${name(a)}`), el("th", {}, `B: ${name(b)}`)),
      ),
      el(
        "tbody",
        {},
        el(
          "tr",
          { "data-field": "records" },
          el("td", {}, "records"),
          el("td", {}, String(a.records.length)),
          el("td", {}, String(b.records.length)),
        ),
        ...shared.map((f) =>
          el(
            "tr",
            { "data-field": f },
            el("td", {}, `${f} (min … max)`),
            el("td", {}, range(a.records, f)),
            el("td", {}, range(b.records, f)),
          ),
        ),
      ),
    );
    summary.replaceChildren(el("h3", {}, "Side by side"), table);
  };

  root.append(
    el(
      "p",
      { class: "question" },
      "Pick a run (a study's output folder: out/ is its own config, out-smoke/ the smoke run, out-custom/ a run with overrides) and optionally one network on each side.",
    ),
    el("div", { class: "compare" }, side(0), side(1)),
    summary,
  );
  return root;
}
