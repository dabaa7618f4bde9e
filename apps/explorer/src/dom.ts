/** Minimal DOM builder: el("p", { class: "x" }, "text", child). Attributes false/undefined are skipped. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/** A `<code>` element. */
export const code = (text: string) => el("code", {}, text);

/** The "no results yet" box: how to produce a study's results. */
export function howToRun(name: string, why = "No results yet."): HTMLElement {
  return el(
    "p",
    { class: "how-to-run", "data-how-to-run": name },
    `${why} Run `,
    code(`pnpm study ${name}`),
    " to produce its results, then rebuild with ",
    code("pnpm explorer"),
    ".",
  );
}
