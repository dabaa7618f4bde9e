/**
 * The question a study answers: the first line of its README.md that starts with `**Question:**`
 * (the house format), with the label removed. Returns "" when the README has no such line.
 */
export function readmeQuestion(readme: string): string {
  for (const line of readme.split(/\r?\n/)) {
    const m = /^\s*\*\*Question:?\*\*:?\s*(.*)$/i.exec(line);
    if (m) return m[1].trim();
  }
  return "";
}
