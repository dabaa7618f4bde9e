/**
 * Evaluates a flattened gate-level Yosys JSON netlist of generic cells cycle by cycle, so the
 * synthesized hardware can be checked against the reference simulator in sc-core. Combinational
 * cells are evaluated in topological order; flip-flops ($_DFF_P_) update on `clock()`.
 */
type Bit = number | "0" | "1" | "x" | "z";

interface JsonCell {
  type: string;
  connections: Record<string, Bit[]>;
}

interface JsonModule {
  ports: Record<string, { direction: "input" | "output" | "inout"; bits: Bit[] }>;
  cells: Record<string, JsonCell>;
}

const COMB: Record<string, (a: number, b: number, c: number) => number> = {
  $_BUF_: (a) => a,
  $_NOT_: (a) => a ^ 1,
  $_AND_: (a, b) => a & b,
  $_OR_: (a, b) => a | b,
  $_XOR_: (a, b) => a ^ b,
  $_NAND_: (a, b) => (a & b) ^ 1,
  $_NOR_: (a, b) => (a | b) ^ 1,
  $_XNOR_: (a, b) => a ^ b ^ 1,
  $_ANDNOT_: (a, b) => a & (b ^ 1),
  $_ORNOT_: (a, b) => a | (b ^ 1),
  $_MUX_: (a, b, s) => (s ? b : a),
};

interface Gate {
  fn: (a: number, b: number, c: number) => number;
  a: number;
  b: number;
  c: number;
  y: number;
}

export class NetlistSim {
  private readonly v: Uint8Array;
  private readonly gates: Gate[];
  private readonly dffs: { d: number; q: number }[];
  private readonly ports: JsonModule["ports"];
  private readonly netIndex: (b: Bit) => number;

  constructor(json: string, top: string) {
    const parsed = JSON.parse(json) as { modules: Record<string, JsonModule> };
    const mod = parsed.modules[top];
    if (!mod) throw new RangeError(`netlist has no module "${top}" (have ${Object.keys(parsed.modules).join(", ")})`);
    this.ports = mod.ports;
    let maxId = 1;
    const visit = (b: Bit) => {
      if (typeof b === "number") maxId = Math.max(maxId, b);
    };
    for (const p of Object.values(mod.ports)) p.bits.forEach(visit);
    for (const c of Object.values(mod.cells)) for (const bits of Object.values(c.connections)) bits.forEach(visit);
    // Slots 0 and 1 hold the constants; net n lives at n + 2.
    this.v = new Uint8Array(maxId + 3);
    this.v[1] = 1;
    this.netIndex = (b: Bit) => {
      if (b === "0" || b === "x" || b === "z") return 0;
      if (b === "1") return 1;
      return b + 2;
    };
    const gates: Gate[] = [];
    this.dffs = [];
    for (const [name, c] of Object.entries(mod.cells)) {
      const k = c.connections;
      if (c.type === "$scopeinfo") continue; // hierarchy annotation left by flatten, no logic
      if (c.type === "$_DFF_P_") {
        this.dffs.push({ d: this.netIndex(k.D![0]!), q: this.netIndex(k.Q![0]!) });
        continue;
      }
      const fn = COMB[c.type];
      if (!fn) throw new RangeError(`NetlistSim: unsupported cell type ${c.type} (cell ${name})`);
      const pin = (p: string) => (k[p] ? this.netIndex(k[p]![0]!) : 0);
      gates.push({ fn, a: pin("A"), b: pin("B"), c: pin("S"), y: pin("Y") });
    }
    this.gates = topoSort(gates, this.v.length, (g) => [g.a, g.b, g.c], "NetlistSim");
  }

  /** Drives an input port with an unsigned integer (bit i of value → port bit i). */
  set(port: string, value: number): void {
    const p = this.ports[port];
    if (p?.direction !== "input") throw new RangeError(`NetlistSim.set: no input port "${port}"`);
    p.bits.forEach((b, i) => {
      if (typeof b === "number") this.v[b + 2] = Math.floor(value / 2 ** i) % 2;
    });
  }

  /** Evaluates the combinational logic from the current inputs and register state. */
  eval(): void {
    const v = this.v;
    for (const g of this.gates) v[g.y] = g.fn(v[g.a]!, v[g.b]!, v[g.c]!);
  }

  /** Rising clock edge: every flip-flop takes its D; then the logic settles. */
  clock(): void {
    this.eval();
    const next = this.dffs.map((f) => this.v[f.d]!);
    this.dffs.forEach((f, i) => (this.v[f.q] = next[i]!));
    this.eval();
  }

  /** Reads a port as an unsigned integer. */
  get(port: string): number {
    const p = this.ports[port];
    if (!p) throw new RangeError(`NetlistSim.get: no port "${port}"`);
    return p.bits.reduce<number>((s, b, i) => s + this.v[this.netIndex(b)]! * 2 ** i, 0);
  }

  get flipFlops(): number {
    return this.dffs.length;
  }
}

/**
 * Gates in evaluation order (each after the gates driving its inputs), by depth-first search; shared by the
 * functional simulator here and the switching-activity simulator in energy-sim.ts. `who` names the caller in the
 * combinational-loop error.
 */
export function topoSort<G extends { y: number }>(
  gates: G[],
  size: number,
  inputsOf: (g: G) => ArrayLike<number>,
  who: string,
): G[] {
  const driver = new Int32Array(size).fill(-1);
  gates.forEach((g, i) => (driver[g.y] = i));
  const order: G[] = [];
  const state = new Uint8Array(gates.length); // 0 new, 1 visiting, 2 done
  const stack: [number, number][] = [];
  for (let start = 0; start < gates.length; start++) {
    if (state[start]) continue;
    stack.push([start, 0]);
    state[start] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const g = gates[top[0]]!;
      const ins = inputsOf(g);
      if (top[1] < ins.length) {
        const d = driver[ins[top[1]++]!]!;
        if (d >= 0 && state[d] === 0) {
          state[d] = 1;
          stack.push([d, 0]);
        } else if (d >= 0 && state[d] === 1) throw new Error(`${who}: combinational loop in netlist`);
      } else {
        state[top[0]] = 2;
        order.push(g);
        stack.pop();
      }
    }
  }
  return order;
}
