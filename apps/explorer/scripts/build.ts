// Builds the explorer: the page (Vite, into outDir) plus the data bundle collected from a studies
// tree (outDir/data/bundle.json and the studies' static figures).
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { BUNDLE_PATH } from "../src/bundle.ts";
import { collectStudies } from "./collect.ts";

export const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = join(appDir, "..", "..");

export interface BuildSummary {
  outDir: string;
  studies: number;
  withResults: number;
  records: number;
  claims: number;
  fixture: boolean;
}

export async function buildExplorer(studiesDir: string, outDir: string): Promise<BuildSummary> {
  // Collect first: a bad --studies folder fails before the (slower) page build.
  const label = relative(repoRoot, studiesDir).split("\\").join("/") || ".";
  const { bundle, figures } = collectStudies(studiesDir, label.startsWith("..") ? studiesDir : label);
  await build({
    root: appDir,
    base: "./",
    configFile: false,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, reportCompressedSize: false },
  });
  mkdirSync(join(outDir, dirname(BUNDLE_PATH)), { recursive: true });
  writeFileSync(join(outDir, BUNDLE_PATH), JSON.stringify(bundle));
  for (const f of figures) {
    mkdirSync(dirname(join(outDir, f.to)), { recursive: true });
    copyFileSync(f.from, join(outDir, f.to));
  }
  return {
    outDir,
    studies: bundle.studies.length,
    withResults: bundle.studies.filter((s) => s.results).length,
    records: bundle.studies.reduce((n, s) => n + (s.results?.records.length ?? 0), 0),
    claims: bundle.claims?.rows.length ?? 0,
    fixture: bundle.fixture,
  };
}
