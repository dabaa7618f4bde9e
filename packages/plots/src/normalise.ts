/**
 * Plot numbers clip paths, patterns and markers from module-level counters, so the same figure
 * rendered second in a process gets different ids. Renumber them in order of first appearance,
 * per SVG document, so output depends only on the figure.
 */
export function normaliseIds(svg: string): string {
  const seen = new Map<string, string>();
  const counters = new Map<string, number>();
  return svg.replace(/plot-(clip|pattern|marker)-(\d+)/g, (whole: string, kind: string) => {
    let renamed = seen.get(whole);
    if (renamed === undefined) {
      const next = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, next);
      renamed = `plot-${kind}-${next}`;
      seen.set(whole, renamed);
    }
    return renamed;
  });
}
