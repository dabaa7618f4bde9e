import type { StudyRecord } from "./bundle.ts";
import { el } from "./dom.ts";

/** Records as CSV: the union of their fields in first-seen order; null/undefined empty; RFC 4180 quoting. */
export function recordsToCsv(records: readonly StudyRecord[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of records)
    for (const k of Object.keys(r))
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return "";
    const s = typeof v === "object" ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[columns.map(cell).join(","), ...records.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\n")}\n`;
}

function save(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "Download CSV" / "Download JSON" buttons for the records `shown()` returns at click time. */
export function downloadButtons(baseName: string, shown: () => readonly StudyRecord[]): HTMLElement {
  const csv = el("button", { type: "button", class: "download", "data-download": "csv" }, "Download CSV");
  const json = el("button", { type: "button", class: "download", "data-download": "json" }, "Download JSON");
  csv.addEventListener("click", () => save(`${baseName}.csv`, "text/csv", recordsToCsv(shown())));
  json.addEventListener("click", () =>
    save(`${baseName}.json`, "application/json", `${JSON.stringify(shown(), null, 2)}\n`),
  );
  return el("span", { class: "downloads" }, csv, " ", json);
}
