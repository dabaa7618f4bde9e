import { resolve } from "node:path";
import { ConfigError } from "@sccnn/dse";
import { isFileRef, networkAvailability } from "@sccnn/zoo";
import { accuracyFromProblem } from "@sccnn/study-accuracy-vs-precision/source";
import type { ParetoConfig } from "./config.ts";

/**
 * Refusals the schema cannot express, checked before anything runs (exit 2, nothing written):
 * option combinations that would give no design point, file networks that cannot be read, an
 * accuracyFrom file that does not exist or is not a results.json. `studyDir` resolves accuracyFrom.
 * A zoo network without weights or dataset is not refused here: it is skipped with its reason.
 */
export function checkParetoConfig(c: ParetoConfig, studyDir: string): void {
  const problems: string[] = [];
  const minBits = Math.min(...c.bits);
  if (c.scenarios.includes("precision-flexible") && c.flexibleMaxBits < minBits)
    problems.push(
      `--flexible-max-bits ${c.flexibleMaxBits}: below every --bits value (smallest ${minBits}), so the precision-flexible scenario has no design point`,
    );
  for (const bits of c.bits) {
    if (!c.parallel.some((p) => p <= 2 ** bits))
      problems.push(
        `--parallel ${c.parallel.join(",")}: every value is above 2^${bits} = ${2 ** bits} cycles of a ${bits}-bit multiply, so --bits ${bits} has no design point`,
      );
  }
  for (const n of c.networks) {
    if (!isFileRef(n)) continue;
    const av = networkAvailability(n);
    if (!av.available && av.broken) problems.push(`--networks ${av.reason}`);
  }
  if (c.accuracyFrom !== null) {
    const problem = accuracyFromProblem(resolve(studyDir, c.accuracyFrom));
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
