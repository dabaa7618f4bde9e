/**
 * The power view of a Liberty file: per cell its pins (direction, input capacitance, Boolean
 * function), flip-flop groups, `cell_leakage_power` and `internal_power` tables, with the library's
 * units and nominal voltage. Parsed by a small generic Liberty group parser (groups, simple and
 * complex attributes, comments, line continuations); only what the energy estimator reads is kept.
 *
 * Units: capacitances in farads, energies in joules, leakage in watts, times in seconds. Liberty
 * `internal_power` tables hold energy per transition in capacitive_load_unit × voltage_unit²
 * (1 pF · 1 V² = 1 pJ for the OSU libraries); a library whose units are not stated is refused.
 */

/** A parsed Liberty group: `name (args) { attributes; groups }`. */
export interface LibertyGroup {
  type: string;
  args: string[];
  attrs: Map<string, string>;
  /** Complex attributes `name (a, b, …);` (index_1, values, capacitive_load_unit, …). */
  complex: Map<string, string[]>;
  groups: LibertyGroup[];
}

function tokenize(text: string): string[] {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\\\r?\n/g, " ");
  const tokens: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([{}();:,])|([^\s{}();:,"]+)/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m[1] !== undefined) tokens.push(`"${m[1]}`);
    else tokens.push(m[2] ?? m[3]!);
  }
  return tokens;
}

const unquote = (t: string) => (t.startsWith('"') ? t.slice(1) : t);

/** Parses Liberty text into its top group (`library (...) { ... }`). */
export function parseLibertyGroups(text: string): LibertyGroup {
  const t = tokenize(text);
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`Liberty: ${what} near token ${i} (${t.slice(Math.max(0, i - 3), i + 3).join(" ")})`);
  };
  const group = (type: string, args: string[]): LibertyGroup => {
    const g: LibertyGroup = { type, args, attrs: new Map(), complex: new Map(), groups: [] };
    while (i < t.length && t[i] !== "}") {
      const name = t[i++]!;
      if (t[i] === ":") {
        i++;
        const parts: string[] = [];
        while (i < t.length && t[i] !== ";" && t[i] !== "}" && !(t[i + 1] === ":" || t[i + 1] === "(")) {
          parts.push(unquote(t[i++]!));
        }
        if (t[i] === ";") i++;
        g.attrs.set(name, parts.join(" "));
      } else if (t[i] === "(") {
        i++;
        const a: string[] = [];
        while (i < t.length && t[i] !== ")") {
          if (t[i] !== ",") a.push(unquote(t[i]!));
          i++;
        }
        if (t[i++] !== ")") fail(`unclosed ( after ${name}`);
        if (t[i] === "{") {
          i++;
          g.groups.push(group(name, a));
          if (t[i++] !== "}") fail(`unclosed group ${name}`);
        } else {
          if (t[i] === ";") i++;
          g.complex.set(name, a);
        }
      } else if (t[i] === ";") {
        i++;
      } else fail(`unexpected token after ${name}`);
    }
    return g;
  };
  while (i < t.length && t[i] !== "library") i++;
  if (i >= t.length) throw new SyntaxError("Liberty: no library group");
  i++;
  if (t[i++] !== "(") fail("library without (");
  const args: string[] = [];
  while (i < t.length && t[i] !== ")") if (t[i++] !== ",") args.push(unquote(t[i - 1]!));
  i++;
  if (t[i++] !== "{") fail("library without {");
  return group("library", args);
}

/** A 1-D or 2-D lookup table, axes already mapped to (load capacitance F, input transition s). */
export interface PowerTable {
  /** Load capacitance axis in F (absent for passive tables that depend on the transition only). */
  loadF?: number[];
  /** Input transition axis in s. */
  transitionS: number[];
  /** values[loadIndex][transitionIndex] in J (one row for passive tables). */
  valuesJ: number[][];
}

export interface InternalPower {
  /** The input pin whose transition causes the energy (absent: the pin's own transitions). */
  relatedPin?: string;
  rise?: PowerTable;
  fall?: PowerTable;
}

export interface PowerPin {
  name: string;
  direction: "input" | "output" | "inout" | "internal";
  /** Input capacitance, F. */
  capacitanceF: number;
  /** Boolean function of an output pin (Liberty syntax), e.g. "(!(A B))". */
  function?: string;
  clock: boolean;
  internalPower: InternalPower[];
}

export interface FlipFlop {
  /** The state variable names (`ff (IQ, IQN)`). */
  iq: string;
  iqn: string;
  nextState: string;
  clockedOn: string;
  clear?: string;
  preset?: string;
}

export interface PowerCell {
  name: string;
  area: number;
  leakageW: number;
  pins: Map<string, PowerPin>;
  ff?: FlipFlop;
  latch: boolean;
}

export interface LibertyPower {
  name: string;
  nominalVoltageV: number;
  /** Unit of capacitances (F). */
  capacitanceUnitF: number;
  /** Unit of internal_power table entries (J): capacitance unit × voltage unit². */
  energyUnitJ: number;
  leakageUnitW: number;
  timeUnitS: number;
  cells: Map<string, PowerCell>;
}

const SI: Record<string, number> = { f: 1e-15, p: 1e-12, n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3 };

function unitValue(s: string | undefined, base: string, what: string): number {
  if (s === undefined) throw new RangeError(`Liberty: ${what} is not stated; the energy model needs it`);
  const m = new RegExp(`^\\s*([0-9.eE+-]*)\\s*([fpnumk]?)${base}\\s*$`, "i").exec(s);
  if (!m) throw new RangeError(`Liberty: cannot read ${what} "${s}"`);
  return (m[1] ? Number(m[1]) : 1) * SI[m[2]!.toLowerCase()]!;
}

function numbers(list: string[] | undefined): number[] {
  return (list ?? []).flatMap((s) => s.split(/[\s,]+/).filter((x) => x !== "")).map(Number);
}

/** Parses the power view of a Liberty text. */
export function parseLibertyPower(text: string): LibertyPower {
  const lib = parseLibertyGroups(text);
  const capUnit = lib.complex.get("capacitive_load_unit");
  if (!capUnit || capUnit.length < 2) throw new RangeError("Liberty: capacitive_load_unit is not stated");
  const capacitanceUnitF = Number(capUnit[0]) * unitValue(capUnit[1], "f", "capacitive_load_unit");
  const voltageUnit = unitValue(lib.attrs.get("voltage_unit"), "v", "voltage_unit");
  const leakageUnitW = unitValue(lib.attrs.get("leakage_power_unit"), "w", "leakage_power_unit");
  const timeUnitS = unitValue(lib.attrs.get("time_unit"), "s", "time_unit");
  const nominal = Number(lib.attrs.get("nom_voltage"));
  if (!(nominal > 0)) throw new RangeError("Liberty: nom_voltage is not stated");
  const energyUnitJ = capacitanceUnitF * voltageUnit * voltageUnit;

  const templates = new Map<string, string[]>();
  for (const g of lib.groups)
    if (g.type === "power_lut_template")
      templates.set(g.args[0]!, [g.attrs.get("variable_1") ?? "", g.attrs.get("variable_2") ?? ""]);

  const table = (g: LibertyGroup | undefined): PowerTable | undefined => {
    if (!g) return undefined;
    const vars = templates.get(g.args[0] ?? "");
    if (!vars) throw new RangeError(`Liberty: power table uses unknown template ${g.args[0]}`);
    const i1 = numbers(g.complex.get("index_1"));
    const i2 = numbers(g.complex.get("index_2"));
    const flat = numbers(g.complex.get("values")).map((v) => v * energyUnitJ);
    const isLoad = (v: string) => v === "total_output_net_capacitance";
    const isTrans = (v: string) => v === "input_transition_time" || v === "input_net_transition";
    if (vars[1] === "") {
      if (!isTrans(vars[0]!)) throw new RangeError(`Liberty: 1-D power table over ${vars[0]} not supported`);
      return { transitionS: i1.map((x) => x * timeUnitS), valuesJ: [flat] };
    }
    let loads = i1;
    let trans = i2;
    let rows: number[][] = [];
    for (let r = 0; r < i1.length; r++) rows.push(flat.slice(r * i2.length, (r + 1) * i2.length));
    if (isTrans(vars[0]!) && isLoad(vars[1]!)) {
      loads = i2;
      trans = i1;
      rows = i2.map((_, c) => i1.map((_, r) => rows[r]![c]!));
    } else if (!(isLoad(vars[0]!) && isTrans(vars[1]!)))
      throw new RangeError(`Liberty: power table over ${vars.join(", ")} not supported`);
    return {
      loadF: loads.map((x) => x * capacitanceUnitF),
      transitionS: trans.map((x) => x * timeUnitS),
      valuesJ: rows,
    };
  };

  const cells = new Map<string, PowerCell>();
  for (const g of lib.groups) {
    if (g.type !== "cell") continue;
    const pins = new Map<string, PowerPin>();
    let ff: FlipFlop | undefined;
    let latch = false;
    for (const p of g.groups) {
      if (p.type === "ff") {
        ff = {
          iq: p.args[0]!,
          iqn: p.args[1] ?? "",
          nextState: p.attrs.get("next_state") ?? "",
          clockedOn: p.attrs.get("clocked_on") ?? "",
          ...(p.attrs.has("clear") ? { clear: p.attrs.get("clear")! } : {}),
          ...(p.attrs.has("preset") ? { preset: p.attrs.get("preset")! } : {}),
        };
      } else if (p.type === "latch") latch = true;
      else if (p.type === "pin") {
        const dir = (p.attrs.get("direction") ?? "input") as PowerPin["direction"];
        pins.set(p.args[0]!, {
          name: p.args[0]!,
          direction: dir,
          capacitanceF: Number(p.attrs.get("capacitance") ?? 0) * capacitanceUnitF,
          ...(p.attrs.has("function") ? { function: p.attrs.get("function")! } : {}),
          clock: p.attrs.get("clock") === "true",
          internalPower: p.groups
            .filter((x) => x.type === "internal_power")
            .map((x) => {
              const ip: InternalPower = {};
              const rp = x.attrs.get("related_pin");
              if (rp) ip.relatedPin = rp;
              const rise = table(x.groups.find((y) => y.type === "rise_power"));
              const fall = table(x.groups.find((y) => y.type === "fall_power"));
              if (rise) ip.rise = rise;
              if (fall) ip.fall = fall;
              return ip;
            }),
        });
      }
    }
    cells.set(g.args[0]!, {
      name: g.args[0]!,
      area: Number(g.attrs.get("area") ?? 0),
      leakageW: Number(g.attrs.get("cell_leakage_power") ?? 0) * leakageUnitW,
      pins,
      ...(ff ? { ff } : {}),
      latch,
    });
  }
  return {
    name: lib.args[0] ?? "",
    nominalVoltageV: nominal * voltageUnit,
    capacitanceUnitF,
    energyUnitJ,
    leakageUnitW,
    timeUnitS,
    cells,
  };
}

function interp1(xs: number[], x: number): [number, number, number] {
  if (xs.length === 1) return [0, 0, 0];
  let i = 0;
  while (i < xs.length - 2 && x > xs[i + 1]!) i++;
  // Linear inside the table, linear extrapolation from the end segments outside it.
  return [i, i + 1, (x - xs[i]!) / (xs[i + 1]! - xs[i]!)];
}

/** Table value at (load, input transition): bilinear inside, linear extrapolation outside. */
export function lookupPower(t: PowerTable, loadF: number, transitionS: number): number {
  const [c0, c1, fc] = interp1(t.transitionS, transitionS);
  const row = (r: number[]) => r[c0]! + (r[c1]! - r[c0]!) * fc;
  if (!t.loadF) return row(t.valuesJ[0]!);
  const [r0, r1, fr] = interp1(t.loadF, loadF);
  const a = row(t.valuesJ[r0]!);
  const b = row(t.valuesJ[r1]!);
  return a + (b - a) * fr;
}

type Expr = (v: Record<string, number>) => number;

/** Compiles a Liberty Boolean function ("(!(A B))", "A^B", "A'+B*C", "1") to an evaluator over pin values. */
export function compileLibertyFunction(src: string): { eval: Expr; inputs: string[] } {
  const toks = src.match(/[A-Za-z_][A-Za-z0-9_[\]]*|[01]|[!'()&*|+^]/g) ?? [];
  let i = 0;
  const inputs = new Set<string>();
  const bad = (): never => {
    throw new SyntaxError(`Liberty function "${src}": cannot parse at token ${i}`);
  };
  // or := xor ('|'|'+' xor)* ; xor := and ('^' and)* ; and := unary (('&'|'*'|juxtaposition) unary)*
  const primary = (): Expr => {
    const t = toks[i];
    if (t === "!") {
      i++;
      const e = primary();
      return (v) => e(v) ^ 1;
    }
    let e: Expr;
    if (t === "(") {
      i++;
      e = or();
      if (toks[i++] !== ")") bad();
    } else if (t === "0" || t === "1") {
      i++;
      const c = Number(t);
      e = () => c;
    } else if (t && /^[A-Za-z_]/.test(t)) {
      i++;
      inputs.add(t);
      e = (v) => v[t]!;
    } else return bad();
    while (toks[i] === "'") {
      i++;
      const inner = e;
      e = (v) => inner(v) ^ 1;
    }
    return e;
  };
  const and = (): Expr => {
    let e = primary();
    for (;;) {
      const t = toks[i];
      if (t === "&" || t === "*") i++;
      else if (!(t === "!" || t === "(" || (t !== undefined && /^[A-Za-z_01]/.test(t)))) break;
      const a = e;
      const b = primary();
      e = (v) => a(v) & b(v);
    }
    return e;
  };
  const xor = (): Expr => {
    let e = and();
    while (toks[i] === "^") {
      i++;
      const a = e;
      const b = and();
      e = (v) => a(v) ^ b(v);
    }
    return e;
  };
  const or = (): Expr => {
    let e = xor();
    while (toks[i] === "|" || toks[i] === "+") {
      i++;
      const a = e;
      const b = xor();
      e = (v) => a(v) | b(v);
    }
    return e;
  };
  const e = or();
  if (i !== toks.length) bad();
  return { eval: e, inputs: [...inputs] };
}
