import type { ClaimsTable, StudyRecord } from "./bundle.ts";

/**
 * The paper's claims table: the first Markdown table in `paper/out/REPORT.md` with a "Verdict"
 * column, or else the records of `paper/out/results.json` that carry a `verdict` field.
 */

/** Splits one Markdown table row into trimmed cells (a `\|` inside a cell is kept as `|`). */
function splitRow(line: string): string[] {
  let body = line.trim();
  if (body.startsWith("|")) body = body.slice(1);
  if (body.endsWith("|") && !body.endsWith("\\|")) body = body.slice(0, -1);
  const cells: string[] = [];
  let cell = "";
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\" && body[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (body[i] === "|") {
      cells.push(cell.trim());
      cell = "";
    } else cell += body[i];
  }
  cells.push(cell.trim());
  return cells;
}

const isSeparator = (line: string) => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);

/** Every Markdown pipe table in `markdown`, as header + rows (cells as written). */
export function markdownTables(markdown: string): { columns: string[]; rows: string[][] }[] {
  const lines = markdown.split(/\r?\n/);
  const tables: { columns: string[]; rows: string[][] }[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].includes("|") || !isSeparator(lines[i + 1])) continue;
    const columns = splitRow(lines[i]);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j].includes("|") && lines[j].trim() !== ""; j++) rows.push(splitRow(lines[j]));
    tables.push({ columns, rows });
    i = j - 1;
  }
  return tables;
}

/** The claims table of a REPORT.md: its first table with a column named like "verdict". */
export function claimsFromMarkdown(markdown: string, source: string): ClaimsTable | undefined {
  const table = markdownTables(markdown).find((t) => t.columns.some((c) => /verdict/i.test(c)));
  if (!table) return undefined;
  const rows = table.rows.map((cells) => Object.fromEntries(table.columns.map((c, k) => [c, cells[k] ?? ""])));
  return { source, columns: table.columns, rows };
}

/** The claims table from result records: those with a `verdict` field, columns in first-seen order. */
export function claimsFromRecords(records: readonly StudyRecord[], source: string): ClaimsTable | undefined {
  const withVerdict = records.filter((r) => r && typeof r === "object" && "verdict" in r);
  if (withVerdict.length === 0) return undefined;
  const columns: string[] = [];
  for (const r of withVerdict) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const text = (v: unknown) =>
    v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  const rows = withVerdict.map((r) => Object.fromEntries(columns.map((c) => [c, text(r[c])])));
  return { source, columns, rows };
}

export type VerdictKind = "pass" | "fail" | "partial" | "unknown";

/**
 * Classifies a verdict cell for colouring: "partly supported" / "not measured yet" → partial,
 * "not supported" / "fails" → fail, "supported" / "holds" → pass (checked in that order).
 */
export function verdictKind(verdict: string): VerdictKind {
  const v = verdict.toLowerCase().replace(/[*_`]/g, "").trim();
  if (/partial|partly|mixed|inconclusive|unclear|pending|not (yet )?(measured|run)|n\/a|unknown|⚠/.test(v))
    return "partial";
  if (
    /\b(fail|fails|failed|differs?|refuted|contradicted|unsupported)\b|not (hold|met|reproduced|confirmed|supported)|✗|❌/.test(
      v,
    )
  )
    return "fail";
  if (/\b(pass|passes|passed|holds?|held|reproduced|confirmed|supported|agrees?|met|yes|ok)\b|✓|✅|✔/.test(v))
    return "pass";
  return "unknown";
}
