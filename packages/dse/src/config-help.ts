/**
 * The config fields of a study as `--help` lists them: every property of the JSON Schema (nested
 * objects dotted), with its type, its value in the study's config.json (the default a run uses)
 * and the schema's description.
 */
export type JsonSchemaNode = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  properties?: Record<string, JsonSchemaNode>;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchemaNode>;
};

export interface ConfigField {
  /** Dotted path, e.g. "bits" or "cost.clockHz". */
  path: string;
  type: string;
  /** The config.json value (else the schema's default), as JSON; "" when neither. */
  default: string;
  description: string;
}

function resolveRef(node: JsonSchemaNode, root: JsonSchemaNode): JsonSchemaNode {
  const m = node.$ref ? /^#\/\$defs\/(.+)$/.exec(node.$ref) : null;
  return m && root.$defs?.[m[1]] ? resolveRef(root.$defs[m[1]], root) : node;
}

/** A short type: "integer[] (1…16)", "sc-bisc | sc-lfsr", "string (\.(onnx|ckpt)$)". */
export function schemaType(node: JsonSchemaNode, root: JsonSchemaNode = node): string {
  const n = resolveRef(node, root);
  if (n.enum) return n.enum.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" | ");
  if (n.const !== undefined) return JSON.stringify(n.const);
  const alts = n.anyOf ?? n.oneOf;
  if (alts) return alts.map((a) => schemaType(a, root)).join(" | ");
  const t = Array.isArray(n.type) ? n.type.join(" | ") : (n.type ?? "any");
  if (t === "array") {
    const inner = n.items ? schemaType(n.items, root) : "any";
    return /[| ]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
  }
  const range = n.minimum !== undefined || n.maximum !== undefined ? ` (${n.minimum ?? ""}…${n.maximum ?? ""})` : "";
  const pattern = n.pattern ? ` matching ${n.pattern}` : "";
  return `${t}${range}${pattern}`;
}

export function configFields(schema: JsonSchemaNode, config: unknown = {}, prefix = ""): ConfigField[] {
  const out: ConfigField[] = [];
  const values = (config ?? {}) as Record<string, unknown>;
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    if (name === "$schema") continue;
    const node = resolveRef(raw, schema);
    const path = `${prefix}${name}`;
    if (node.properties && (node.type === "object" || node.type === undefined)) {
      out.push(...configFields({ ...node, $defs: schema.$defs }, values[name], `${path}.`));
      continue;
    }
    const value = name in values ? values[name] : node.default;
    out.push({
      path,
      type: schemaType(node, schema),
      default: value === undefined ? "" : JSON.stringify(value),
      description: (node.description ?? raw.description ?? "").replace(/\s+/g, " ").trim(),
    });
  }
  return out;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The fields as help text: `  --bits  integer[]  default [4,6,8]` then the description, wrapped. */
export function formatConfigFields(fields: readonly ConfigField[], width = 100): string {
  const wrap = (text: string, indent: string) => {
    const lines: string[] = [];
    let line = indent;
    for (const word of text.split(" ")) {
      if (line.length + word.length + 1 > width && line.trim()) {
        lines.push(line.trimEnd());
        line = indent;
      }
      line += `${word} `;
    }
    if (line.trim()) lines.push(line.trimEnd());
    return lines.join("\n");
  };
  return fields
    .map((f) => {
      const flag = `--${f.path.split(".").map(kebab).join(".")}`;
      const head = `  ${flag}  ${f.type}${f.default ? `  (default ${f.default})` : ""}`;
      return f.description ? `${head}\n${wrap(f.description, "      ")}` : head;
    })
    .join("\n");
}
