import type { ClaimsTable } from "../bundle.ts";
import { verdictKind } from "../claims.ts";
import { code, el } from "../dom.ts";

/** Strips the Markdown emphasis and code marks a report cell may carry (the text stays). */
const plain = (cell: string) => cell.replace(/\*\*(.*?)\*\*/g, "$1").replace(/`([^`]*)`/g, "$1");

/** The paper's claims beside our measurements, with a coloured verdict per claim. */
export function claimsView(claims: ClaimsTable | undefined): HTMLElement {
  const root = el("div", { class: "claims", id: "claims-view" });
  if (!claims) {
    root.append(
      el(
        "p",
        { class: "how-to-run" },
        "No claims table yet. Run ",
        code("pnpm study paper"),
        " (it writes studies/paper/out/REPORT.md), then rebuild with ",
        code("pnpm explorer"),
        ".",
      ),
    );
    return root;
  }
  const verdictColumn = claims.columns.find((c) => /verdict/i.test(c));
  const table = el("table", { id: "claims-table" });
  table.append(el("thead", {}, el("tr", {}, ...claims.columns.map((c) => el("th", {}, plain(c))))));
  const body = el("tbody");
  for (const row of claims.rows) {
    body.append(
      el(
        "tr",
        {},
        ...claims.columns.map((c) => {
          const text = plain(row[c] ?? "");
          if (c !== verdictColumn) return el("td", {}, text);
          const kind = verdictKind(text);
          return el("td", {}, el("span", { class: `verdict ${kind}`, "data-verdict": kind }, text || "—"));
        }),
      ),
    );
  }
  table.append(body);
  const counts = ["pass", "partial", "fail", "unknown"]
    .map((k) => [k, claims.rows.filter((r) => verdictKind(plain(r[verdictColumn ?? ""] ?? "")) === k).length] as const)
    .filter(([, n]) => n > 0);
  root.append(
    el(
      "p",
      { class: "status" },
      `${claims.rows.length} claims from `,
      code(claims.source),
      `: ${counts.map(([k, n]) => `${n} ${k}`).join(", ")}.`,
    ),
    el("div", { class: "table-wrap" }, table),
  );
  return root;
}
