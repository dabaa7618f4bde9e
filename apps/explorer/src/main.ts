import "./style.css";
import { marked } from "marked";
import { BUNDLE_PATH, type Bundle, type StudyEntry, type StudyRun } from "./bundle.ts";
import { compareView } from "./views/compareView.ts";
import { code, el, howToRun } from "./dom.ts";
import { claimsView } from "./views/claimsView.ts";
import { paretoView } from "./views/paretoView.ts";
import { studyChart } from "./views/studyChart.ts";

/** The headline study; drawn first, with its own view. */
const HEADLINE = "pareto";

const anchor = (name: string) => `study-${name}`;

/** The study's runs (out/, out-smoke/, …); a bundle from before runs were collected has only `results`. */
export function runsOf(study: StudyEntry): StudyRun[] {
  if (study.runs?.length) return study.runs;
  return study.results || study.error ? [{ id: "out", results: study.results, error: study.error }] : [];
}

/** The live part of a study section for one run: status line, charts (the pareto view for the headline). */
function liveRun(study: StudyEntry, run: StudyRun | undefined): HTMLElement {
  const box = el("div", { class: "live", "data-run": run?.id });
  if (run?.error)
    box.append(
      el("p", { class: "error" }, `Could not read the results: ${run.error}`),
      howToRun(study.name, "Re-run it:"),
    );
  else if (!run?.results)
    box.append(
      howToRun(study.name, study.documents.length ? "No results.json yet (its reports are linked below)." : undefined),
    );
  else {
    const n = run.results.records.length;
    box.append(
      el(
        "p",
        { class: "status" },
        `${n} record${n === 1 ? "" : "s"} from `,
        code(`${study.name}/${run.id}/results.json`),
        ".",
      ),
    );
    const view: StudyEntry = { ...study, results: run.results };
    if (n === 0) box.append(howToRun(study.name, "The results hold no records."));
    else {
      if (study.name === HEADLINE) box.append(paretoView(view, { downloadName: `${study.name}-${run.id}` }));
      box.append(
        study.name === HEADLINE
          ? el("details", {}, el("summary", {}, "Generic view of the records"), studyChart(view))
          : studyChart(view),
      );
    }
  }
  return box;
}

/** The study's README (question, findings) rendered from Markdown; links stay relative to the study. */
function readmeBox(study: StudyEntry): HTMLElement | null {
  if (!study.readme) return null;
  const box = el("details", { class: "readme", open: true, "data-readme": study.name });
  const body = el("div", { class: "markdown" });
  // The README is the repository's own text (not user input); marked escapes nothing by design.
  body.innerHTML = marked.parse(study.readme.replace(/^# .*\n/, ""), { async: false });
  box.append(el("summary", {}, "README: question and findings"), body);
  return box;
}

function studySection(study: StudyEntry): HTMLElement {
  const runs = runsOf(study);
  const section = el(
    "section",
    {
      class: "study",
      id: anchor(study.name),
      "data-study": study.name,
      "data-has-results": study.results ? "true" : "false",
    },
    el("h2", {}, study.name),
    el(
      "p",
      { class: "question" },
      study.question ? `Question: ${study.question}` : "(Its README has no **Question:** line.)",
    ),
  );
  const first = runs.find((r) => r.id === "out") ?? runs[0];
  let live = liveRun(study, first);
  if (runs.length > 1) {
    const picker = el("select", { class: "run-picker", "data-run-picker": study.name, "aria-label": "Run" });
    for (const r of runs)
      picker.append(
        el(
          "option",
          { value: r.id, selected: r === first },
          `${r.id}/ (${r.results ? `${r.results.records.length} records` : "unreadable"})`,
        ),
      );
    picker.addEventListener("change", () => {
      const next = liveRun(
        study,
        runs.find((r) => r.id === picker.value),
      );
      live.replaceWith(next);
      live = next;
    });
    section.append(el("p", { class: "status" }, "Run: ", picker, ` (${runs.length} output folders)`));
  }
  const readme = readmeBox(study);
  section.append(readme ? el("div", { class: "notebook" }, readme, live) : live);
  if (study.documents.length) {
    section.append(
      el(
        "p",
        { class: "status" },
        "Reports: ",
        ...study.documents.flatMap((d, k) => [k ? ", " : "", el("a", { href: d }, d.split("/").pop()!)]),
        " (Markdown).",
      ),
    );
  }
  if (study.figures.length) {
    section.append(
      el(
        "details",
        { class: "figures" },
        el("summary", {}, `Figures written by the study (${study.figures.length})`),
        ...study.figures.map((f) =>
          el(
            "figure",
            {},
            el("img", { src: f, alt: f, loading: "lazy" }),
            el("figcaption", { class: "status" }, f.split("/").pop()!),
          ),
        ),
      ),
    );
  }
  return section;
}

function overview(bundle: Bundle): HTMLElement {
  const table = el("table", { id: "study-list" });
  table.append(el("thead", {}, el("tr", {}, el("th", {}, "Study"), el("th", {}, "Question"), el("th", {}, "Results"))));
  const body = el("tbody");
  for (const s of bundle.studies) {
    const state = s.error ? "unreadable" : s.results ? `${s.results.records.length} records` : "not run";
    body.append(
      el(
        "tr",
        { "data-study": s.name },
        el("td", {}, el("a", { href: `#${anchor(s.name)}` }, s.name)),
        el("td", {}, s.question),
        el("td", {}, s.results || s.error ? state : el("span", {}, code(`pnpm study ${s.name}`))),
      ),
    );
  }
  table.append(body);
  return el(
    "section",
    { class: "study", id: "overview" },
    el("h2", {}, "Studies"),
    el("p", { class: "question" }, `${bundle.studies.length} studies in `, code(bundle.studiesLabel), "."),
    table,
  );
}

function render(bundle: Bundle) {
  const app = document.getElementById("app")!;
  const nav = document.getElementById("nav")!;
  if (bundle.fixture) {
    const banner = document.getElementById("fixture-banner")!;
    banner.hidden = false;
    banner.textContent = `TEST FIXTURE DATA (${bundle.studiesLabel}): made-up numbers for testing the explorer, not results.`;
  }
  const ordered = [...bundle.studies].sort(
    (a, b) => Number(b.name === HEADLINE) - Number(a.name === HEADLINE) || a.name.localeCompare(b.name),
  );
  const sections: HTMLElement[] = [overview(bundle)];
  const headline = ordered.find((s) => s.name === HEADLINE);
  if (headline) sections.push(studySection(headline));
  else
    sections.push(
      el(
        "section",
        { class: "study", id: anchor(HEADLINE) },
        el("h2", {}, HEADLINE),
        howToRun(HEADLINE, "The pareto study is not in this studies folder yet."),
      ),
    );
  sections.push(
    el(
      "section",
      { class: "study", id: "claims" },
      el("h2", {}, "The paper's claims"),
      el("p", { class: "question" }, "Sim & Lee 2020: each claim beside our measured number, with a verdict."),
      claimsView(bundle.claims),
    ),
  );
  for (const s of ordered) if (s.name !== HEADLINE) sections.push(studySection(s));
  sections.push(compareView(bundle.studies, runsOf));
  app.replaceChildren(...sections);

  nav.replaceChildren(
    el("h2", {}, "Contents"),
    el("a", { href: "#overview" }, "Studies"),
    el("a", { href: `#${anchor(HEADLINE)}`, class: headline?.results ? undefined : "missing" }, "Pareto (headline)"),
    el("a", { href: "#claims", class: bundle.claims ? undefined : "missing" }, "Paper claims"),
    el("a", { href: "#compare" }, "Compare runs"),
    el("h2", {}, "Studies"),
    ...ordered
      .filter((s) => s.name !== HEADLINE)
      .map((s) => el("a", { href: `#${anchor(s.name)}`, class: s.results ? undefined : "missing" }, s.name)),
  );
  document.body.dataset.ready = "true";
}

fetch(BUNDLE_PATH)
  .then((r) => {
    if (!r.ok) throw new Error(`${BUNDLE_PATH}: HTTP ${r.status} (build the page with pnpm explorer, which writes it)`);
    return r.json() as Promise<Bundle>;
  })
  .then(render)
  .catch((e: Error) => {
    document
      .getElementById("app")!
      .replaceChildren(el("p", { class: "error" }, `Could not load the data: ${e.message}`));
    document.body.dataset.ready = "error";
  });
