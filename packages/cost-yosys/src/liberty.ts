import { existsSync, readFileSync } from "node:fs";

/** Open standard-cell libraries known by id: OSU cells shipped by Debian's qflow-tech packages. */
export interface TechnologyInfo {
  id: string;
  libertyPath: string;
  debianPackage: string;
  featureSizeM: number;
  description: string;
}

export const TECHNOLOGIES: Readonly<Record<string, TechnologyInfo>> = {
  osu018: {
    id: "osu018",
    libertyPath: "/usr/share/qflow/tech/osu018/osu018_stdcells.lib",
    debianPackage: "qflow-tech-osu018",
    featureSizeM: 0.18e-6,
    description: "OSU standard cells, TSMC 0.18 µm (Debian qflow-tech-osu018)",
  },
  osu035: {
    id: "osu035",
    libertyPath: "/usr/share/qflow/tech/osu035/osu035_stdcells.lib",
    debianPackage: "qflow-tech-osu035",
    featureSizeM: 0.35e-6,
    description: "OSU standard cells, AMI 0.35 µm (Debian qflow-tech-osu035)",
  },
  osu050: {
    id: "osu050",
    libertyPath: "/usr/share/qflow/tech/osu050/osu05_stdcells.lib",
    debianPackage: "qflow-tech-osu050",
    featureSizeM: 0.5e-6,
    description: "OSU standard cells, AMI 0.5 µm (Debian qflow-tech-osu050)",
  },
};

export const DEFAULT_TECHNOLOGY = "osu018";

export class LibraryMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LibraryMissingError";
  }
}

export interface ResolvedLibrary {
  /** Technology id ("osu018", or "custom" for a user path). */
  technology: string;
  libertyPath: string;
  text: string;
}

/**
 * The Liberty file for a technology id, or a user path (`--liberty <path>`). A missing file is an
 * error naming the Debian package that ships it and the --liberty option.
 */
export function resolveLibrary(
  opts: { technology?: string; libertyPath?: string },
  technologies: Readonly<Record<string, TechnologyInfo>> = TECHNOLOGIES,
): ResolvedLibrary {
  if (opts.libertyPath) {
    if (!existsSync(opts.libertyPath)) throw new LibraryMissingError(`--liberty ${opts.libertyPath}: no such file`);
    return {
      technology: opts.technology ?? "custom",
      libertyPath: opts.libertyPath,
      text: readFileSync(opts.libertyPath, "utf8"),
    };
  }
  const id = opts.technology ?? DEFAULT_TECHNOLOGY;
  const t = technologies[id];
  if (!t)
    throw new RangeError(
      `technology must be one of ${Object.keys(technologies).join(", ")} (or pass --liberty <path>), got ${id}`,
    );
  if (!existsSync(t.libertyPath)) {
    throw new LibraryMissingError(
      `Liberty file for ${id} not found at ${t.libertyPath}: install the Debian package ${t.debianPackage} ` +
        `(apt-get install -y ${t.debianPackage}) or give a Liberty file with --liberty <path>`,
    );
  }
  return { technology: id, libertyPath: t.libertyPath, text: readFileSync(t.libertyPath, "utf8") };
}

/** Cell name → area (library units, µm² for the OSU libraries) from a Liberty text. */
export function libertyCellAreas(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const headers = [...text.matchAll(/\bcell\s*\(\s*"?([A-Za-z0-9_]+)"?\s*\)\s*\{/g)];
  headers.forEach((h, i) => {
    // The cell's own `area` attribute comes before its next cell group (pins have no area).
    const body = text.slice(h.index! + h[0].length, i + 1 < headers.length ? headers[i + 1]!.index : text.length);
    const a = /(^|[\s;{])area\s*:\s*([0-9.eE+-]+)/.exec(body);
    if (a) out.set(h[1]!, Number(a[2]));
  });
  return out;
}

/** Area of the library's smallest two-input NAND (the NAND2-equivalent unit). */
export function nand2Area(areas: Map<string, number>): number {
  const candidates = [...areas.entries()].filter(([name]) => /^NAND2(X1|_X1|_1|X)?/i.test(name)).map(([, a]) => a);
  if (candidates.length === 0) throw new RangeError("Liberty file has no NAND2 cell (needed for NAND2-equivalents)");
  return Math.min(...candidates);
}
