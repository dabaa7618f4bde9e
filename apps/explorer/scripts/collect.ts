// Collects a studies tree (studies/<name>/README.md + out/results.json + out/*.svg|png, and the
// paper's claims) into the explorer's data bundle. Node only; the page reads the bundle.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import type { Bundle, ClaimsTable, StudyEntry, StudyResults, StudyRun } from "../src/bundle.ts";
import { claimsFromMarkdown, claimsFromRecords } from "../src/claims.ts";
import { readmeQuestion } from "../src/question.ts";

/** A file (figure or report) to copy next to the page: from (absolute) → to (relative to the built folder). */
export interface FigureCopy {
  from: string;
  to: string;
}

/** A studies root that holds this file is test fixture data; the page then says so on top. */
export const FIXTURE_MARKER = "FIXTURE.md";

const FIGURE = /\.(svg|png)$/i;
const DOCUMENT = /\.md$/i;

/** Reads and checks `out/results.json`; throws an Error that names the file and the bad field. */
export function readResults(file: string, label: string): StudyResults {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${label}: not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`${label}: expected an object { study, config, records }`);
  const o = parsed as Record<string, unknown>;
  if (!Array.isArray(o.records)) throw new Error(`${label}: /records is not an array`);
  o.records.forEach((r, i) => {
    if (r === null || typeof r !== "object" || Array.isArray(r))
      throw new Error(`${label}: /records/${i} is not an object`);
  });
  return {
    study: typeof o.study === "string" ? o.study : "",
    config: o.config ?? null,
    records: o.records as StudyResults["records"],
  };
}

function isStudyFolder(dir: string): boolean {
  return ["README.md", "package.json", "study.ts", "out"].some((f) => existsSync(join(dir, f)));
}

export function collectStudies(
  studiesDir: string,
  label = basename(studiesDir),
): { bundle: Bundle; figures: FigureCopy[] } {
  if (!existsSync(studiesDir) || !statSync(studiesDir).isDirectory()) {
    throw new Error(`--studies ${studiesDir}: not a folder`);
  }
  const names = readdirSync(studiesDir)
    .filter((n) => !n.startsWith(".") && n !== "node_modules")
    .filter((n) => statSync(join(studiesDir, n)).isDirectory() && isStudyFolder(join(studiesDir, n)))
    .sort();
  const figures: FigureCopy[] = [];
  const studies: StudyEntry[] = names.map((name) => {
    const dir = join(studiesDir, name);
    const readme = join(dir, "README.md");
    const readmeText = existsSync(readme) ? readFileSync(readme, "utf8") : "";
    const entry: StudyEntry = {
      name,
      question: readmeQuestion(readmeText),
      readme: readmeText,
      runs: collectRuns(dir, name),
      figures: [],
      documents: [],
    };
    const out = join(dir, "out");
    const resultsFile = join(out, "results.json");
    if (existsSync(resultsFile)) {
      try {
        entry.results = readResults(resultsFile, `${name}/out/results.json`);
      } catch (e) {
        entry.error = (e as Error).message;
      }
    }
    if (existsSync(out)) {
      for (const f of readdirSync(out)
        .filter((f) => FIGURE.test(f))
        .sort()) {
        const to = `studies/${name}/${f}`;
        figures.push({ from: join(out, f), to });
        entry.figures.push(to);
      }
      for (const f of readdirSync(out)
        .filter((f) => DOCUMENT.test(f))
        .sort()) {
        const to = `studies/${name}/${f}`;
        figures.push({ from: join(out, f), to });
        entry.documents.push(to);
      }
    }
    return entry;
  });
  return {
    bundle: {
      studiesLabel: label,
      fixture: existsSync(join(studiesDir, FIXTURE_MARKER)),
      studies,
      claims: collectClaims(studiesDir, studies),
    },
    figures,
  };
}

/** Output folders: `out` and its siblings `out-*` (smoke, custom, failed runs) that hold a results.json. */
export const RUN_FOLDER = /^out(-[A-Za-z0-9_.-]+)?$/;

function collectRuns(dir: string, name: string): StudyRun[] {
  return readdirSync(dir)
    .filter((f) => RUN_FOLDER.test(f) && !f.includes(".tmp") && existsSync(join(dir, f, "results.json")))
    .sort((a, b) => Number(b === "out") - Number(a === "out") || a.localeCompare(b))
    .map((id) => {
      try {
        return { id, results: readResults(join(dir, id, "results.json"), `${name}/${id}/results.json`) };
      } catch (e) {
        return { id, error: (e as Error).message };
      }
    });
}

/**
 * Claims from the table in paper/out/REPORT.md (it carries the paper's wording of each claim), else
 * from the records of paper/out/results.json that have a verdict.
 */
function collectClaims(studiesDir: string, studies: StudyEntry[]): ClaimsTable | undefined {
  const report = join(studiesDir, "paper", "out", "REPORT.md");
  const fromReport = existsSync(report)
    ? claimsFromMarkdown(readFileSync(report, "utf8"), relative(studiesDir, report).split("\\").join("/"))
    : undefined;
  if (fromReport) return fromReport;
  const paper = studies.find((s) => s.name === "paper");
  return paper?.results && claimsFromRecords(paper.results.records, "paper/out/results.json");
}
