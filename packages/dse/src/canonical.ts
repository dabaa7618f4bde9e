import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every level: the canonical form hashed for cache keys and
 * checksums, so the same value always gives the same bytes whatever order it was built in.
 * Rejects values JSON cannot carry faithfully (NaN, ±Infinity, undefined in arrays, functions,
 * bigint), naming where they are.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(canonicalise(value, "$"), null, indent);
}

function canonicalise(value: unknown, path: string): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${path} is ${value}, which JSON cannot represent`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => canonicalise(v, `${path}[${i}]`));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      out[key] = canonicalise(v, `${path}.${key}`);
    }
    return out;
  }
  throw new Error(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot represent`);
}

/** SHA-256 (hex) of the canonical JSON of a value. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}
