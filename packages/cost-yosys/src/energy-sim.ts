/**
 * Switching-activity energy of a synthesized netlist of Liberty cells (the mapped netlist, before
 * the cells are read back as generic gates): the cells are clocked cycle by cycle with their Liberty
 * functions, every net's transitions are counted, and each cycle's energy is priced from the same
 * Liberty file:
 *
 * - switching: ½·C·V² per net transition, C = the input capacitances of the pins the net drives
 *   (no wire capacitance: the same "no wires" assumption as the area and delay tables); each load
 *   pin's share is charged to the component owning that pin;
 * - internal: the `internal_power` table of the output pin that switched (rise or fall), looked up
 *   at its load and the stated input transition; with several toggled related inputs the mean of
 *   their tables; input pins' own (passive) tables on their transitions;
 * - clock: every flip-flop's clock pin rises and falls once per cycle (its passive internal energy
 *   plus C_clk·V²); no clock gating, no clock tree (buffers are not in the netlist);
 * - leakage: Σ cell_leakage_power, reported as a power (× the clock period gives J per cycle).
 *
 * Zero-delay, cycle-based: every net settles once per cycle, so glitches are not counted. Glitches
 * cost most in deep carry/array logic (multipliers, adders), so this under-estimates the binary
 * lanes more than the SC lanes (counters and a multiplexer): a choice that favours the baseline.
 */
import { topoSort } from "./netlist-sim.ts";
import { compileLibertyFunction, lookupPower, type LibertyPower, type PowerCell } from "./liberty-power.ts";

type Bit = number | "0" | "1" | "x" | "z";

interface JsonCell {
  type: string;
  connections: Record<string, Bit[]>;
}

interface JsonModule {
  ports: Record<string, { direction: "input" | "output" | "inout"; bits: Bit[] }>;
  cells: Record<string, JsonCell>;
  netnames?: Record<string, { bits: Bit[]; hide_name?: number }>;
}

/** Assumptions the energies refer to (stated in every table's reference point). */
export interface EnergyAssumptions {
  /** Input transition used for every internal-power lookup, s. */
  inputTransitionS: number;
  /** Supply voltage for ½CV², V (default: the library's nom_voltage). */
  supplyV?: number;
}

export const DEFAULT_ENERGY_ASSUMPTIONS: EnergyAssumptions = { inputTransitionS: 0.1e-9 };

/** Energy of a span of cycles, split by component (the instance name of the cell's top-level submodule). */
export interface EnergyBreakdown {
  cycles: number;
  /** Total dynamic energy, J (switching + internal + clock). */
  dynamicJ: number;
  switchingJ: number;
  internalJ: number;
  clockJ: number;
  /** Per component: dynamic energy, J. Component "" is the top module's own cells. */
  byComponentJ: Record<string, number>;
}

interface CombOut {
  /** Net driven. */
  y: number;
  /** Input nets in the truth-table bit order. */
  ins: Int32Array;
  truth: Uint8Array;
  /** Internal energy per related input (index into ins; -1 entry = no related pin) for rise / fall. */
  riseJ: Float64Array;
  fallJ: Float64Array;
  /** Energy when no related input toggled (or no related tables): mean over the pin's tables. */
  riseAnyJ: number;
  fallAnyJ: number;
  comp: number;
}

interface Flop {
  d: number;
  q: number;
  qn: number;
  qRiseJ: number;
  qFallJ: number;
  qnRiseJ: number;
  qnFallJ: number;
  comp: number;
}

export class EnergySim {
  private readonly v: Uint8Array;
  private readonly prev: Uint8Array;
  private readonly comb: CombOut[];
  private readonly flops: Flop[];
  private readonly ports: JsonModule["ports"];
  private readonly netIndex: (b: Bit) => number;
  /** Per net: ½·C·V² of each component's load pins, as (component, J) lists. */
  private readonly loadSwitch: { comp: number; j: number }[][];
  /** Per net: passive internal energy of input pins on the net's rise / fall, by component. */
  private readonly passive: { comp: number; rise: number; fall: number }[][];
  /** Per component: clock energy per cycle (clock pins' passive energy + C_clk·V²). */
  private readonly clockPerCycle: Float64Array;
  private readonly clockNets: Set<number>;
  readonly components: string[];
  readonly leakageByComponentW: Record<string, number>;
  /** Transitions counted per net index since construction (or resetCounts). */
  readonly toggles: Uint32Array;
  readonly netNames: Map<string, number[]>;
  private acc: { cycles: number; switching: number; internal: number; clock: number; byComp: Float64Array };

  constructor(
    json: string,
    top: string,
    lib: LibertyPower,
    opts: { clock?: string } & Partial<EnergyAssumptions> = {},
  ) {
    const a = { ...DEFAULT_ENERGY_ASSUMPTIONS, ...opts };
    const V = a.supplyV ?? lib.nominalVoltageV;
    const slew = a.inputTransitionS;
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
    const size = maxId + 3;
    this.v = new Uint8Array(size);
    this.v[1] = 1;
    this.prev = new Uint8Array(size);
    this.prev[1] = 1;
    this.toggles = new Uint32Array(size);
    this.netIndex = (b: Bit) => (b === "0" || b === "x" || b === "z" ? 0 : b === "1" ? 1 : b + 2);
    this.netNames = new Map();
    for (const [name, n] of Object.entries(mod.netnames ?? {}))
      this.netNames.set(
        name,
        n.bits.map((b) => this.netIndex(b)),
      );
    const clockName = opts.clock ?? "clk";
    this.clockNets = new Set((mod.ports[clockName]?.bits ?? []).map((b) => this.netIndex(b)));

    const compIds = new Map<string, number>();
    const compOf = (cellName: string) => {
      // Flattened cells are named "$flatten\\<instance>.<cell>" (or "<instance>.<cell>"); top-level ones "$abc$…".
      const m = /^\\?([^$.][^.]*)\./.exec(cellName.replace(/^\$flatten\\/, ""));
      const c = m ? m[1]! : "";
      let id = compIds.get(c);
      if (id === undefined) compIds.set(c, (id = compIds.size));
      return id;
    };

    // Loads: per net, the input pins it drives.
    const loadsOf: { comp: number; capF: number; cell: PowerCell; pin: string }[][] = Array.from(
      { length: size },
      () => [],
    );
    const cellsOf = (name: string, c: JsonCell): PowerCell => {
      const pc = lib.cells.get(c.type);
      if (!pc)
        throw new RangeError(`EnergySim: cell ${name} has type ${c.type}, which is not in Liberty library ${lib.name}`);
      if (pc.latch)
        throw new RangeError(
          `EnergySim: cell ${name} (${c.type}) is a latch; only edge-triggered designs are supported`,
        );
      if (pc.ff && (pc.ff.clear || pc.ff.preset || pc.ff.clockedOn.includes("!")))
        throw new RangeError(
          `EnergySim: cell ${name} (${c.type}) has asynchronous set/reset or a falling clock edge; not supported`,
        );
      return pc;
    };
    const leak = new Map<number, number>();
    const entries = Object.entries(mod.cells).filter(([, c]) => c.type !== "$scopeinfo");
    for (const [name, c] of entries) {
      const pc = cellsOf(name, c);
      const comp = compOf(name);
      leak.set(comp, (leak.get(comp) ?? 0) + pc.leakageW);
      for (const [pin, bits] of Object.entries(c.connections)) {
        const p = pc.pins.get(pin);
        if (!p) throw new RangeError(`EnergySim: cell ${name} (${c.type}) has no pin ${pin} in ${lib.name}`);
        if (p.direction === "input")
          loadsOf[this.netIndex(bits[0]!)]!.push({ comp, capF: p.capacitanceF, cell: pc, pin });
      }
    }
    const loadF = loadsOf.map((l) => l.reduce((s, x) => s + x.capF, 0));
    this.loadSwitch = loadsOf.map((l) => {
      const m = new Map<number, number>();
      for (const x of l) m.set(x.comp, (m.get(x.comp) ?? 0) + 0.5 * x.capF * V * V);
      return [...m].map(([comp, j]) => ({ comp, j }));
    });

    const nComp = () => compIds.size;
    const clockPerCycle: number[] = [];
    this.passive = Array.from({ length: size }, () => []);
    const comb: CombOut[] = [];
    const flops: Flop[] = [];
    for (const [name, c] of entries) {
      const pc = cellsOf(name, c);
      const comp = compOf(name);
      const net = (pin: string) => this.netIndex(c.connections[pin]![0]!);
      for (const p of pc.pins.values()) {
        if (p.direction !== "input" || !c.connections[p.name]) continue;
        const own = p.internalPower.filter((ip) => !ip.relatedPin);
        const rise = own.reduce((s, ip) => s + (ip.rise ? lookupPower(ip.rise, 0, slew) : 0), 0);
        const fall = own.reduce((s, ip) => s + (ip.fall ? lookupPower(ip.fall, 0, slew) : 0), 0);
        const n = net(p.name);
        if (p.clock || this.clockNets.has(n)) {
          if (!this.clockNets.has(n))
            throw new RangeError(`EnergySim: clock pin ${name}.${p.name} is not on the clock port "${clockName}"`);
          clockPerCycle[comp] = (clockPerCycle[comp] ?? 0) + rise + fall + p.capacitanceF * V * V;
        } else if (rise !== 0 || fall !== 0) this.passive[n]!.push({ comp, rise, fall });
      }
      const outTables = (pin: string, related: string[]) => {
        const p = pc.pins.get(pin)!;
        const load = loadF[net(pin)]!;
        const at = (ip: (typeof p.internalPower)[number], which: "rise" | "fall") =>
          ip[which] ? lookupPower(ip[which]!, load, slew) : 0;
        const byRel = (which: "rise" | "fall") =>
          Float64Array.from(related, (r) => {
            const ip = p.internalPower.find((x) => x.relatedPin === r);
            return ip ? at(ip, which) : Number.NaN;
          });
        const mean = (which: "rise" | "fall") =>
          p.internalPower.length ? p.internalPower.reduce((s, ip) => s + at(ip, which), 0) / p.internalPower.length : 0;
        return { riseJ: byRel("rise"), fallJ: byRel("fall"), riseAnyJ: mean("rise"), fallAnyJ: mean("fall") };
      };
      if (pc.ff) {
        const ff = pc.ff;
        if (ff.nextState.replace(/[()\s]/g, "") !== "D" || ff.clockedOn.replace(/[()\s]/g, "") !== "CLK")
          throw new RangeError(`EnergySim: cell ${name} (${c.type}): flip-flop next_state/clocked_on not D/CLK`);
        let q = 0;
        let qn = 0;
        let qT = { riseAnyJ: 0, fallAnyJ: 0 };
        let qnT = { riseAnyJ: 0, fallAnyJ: 0 };
        for (const p of pc.pins.values()) {
          if (p.direction !== "output" || !c.connections[p.name]) continue;
          const f = (p.function ?? "").replace(/[()\s]/g, "");
          if (f === ff.iq) {
            q = net(p.name);
            qT = outTables(p.name, []);
          } else if (f === ff.iqn || f === `!${ff.iq}`) {
            qn = net(p.name);
            qnT = outTables(p.name, []);
          } else
            throw new RangeError(`EnergySim: cell ${name} (${c.type}): output ${p.name} = ${p.function} not supported`);
        }
        flops.push({
          d: net("D"),
          q,
          qn,
          qRiseJ: qT.riseAnyJ,
          qFallJ: qT.fallAnyJ,
          qnRiseJ: qnT.riseAnyJ,
          qnFallJ: qnT.fallAnyJ,
          comp,
        });
        continue;
      }
      for (const p of pc.pins.values()) {
        if (p.direction !== "output" || !c.connections[p.name]) continue;
        if (!p.function) throw new RangeError(`EnergySim: cell ${name} (${c.type}) output ${p.name} has no function`);
        const f = compileLibertyFunction(p.function);
        const k = f.inputs.length;
        const truth = new Uint8Array(1 << k);
        for (let m = 0; m < truth.length; m++) {
          const vals: Record<string, number> = {};
          f.inputs.forEach((x, i) => (vals[x] = (m >> i) & 1));
          truth[m] = f.eval(vals);
        }
        const ins = Int32Array.from(f.inputs, (x) => {
          if (!c.connections[x]) throw new RangeError(`EnergySim: cell ${name} (${c.type}) input ${x} is unconnected`);
          return net(x);
        });
        comb.push({ y: net(p.name), ins, truth, ...outTables(p.name, f.inputs), comp });
      }
    }
    this.comb = topoSort(comb, size, (g) => g.ins, "EnergySim");
    this.flops = flops;
    this.components = [...compIds.keys()];
    this.clockPerCycle = Float64Array.from({ length: nComp() }, (_, i) => clockPerCycle[i] ?? 0);
    this.leakageByComponentW = Object.fromEntries(this.components.map((c, i) => [c, leak.get(i) ?? 0]));
    this.acc = this.zero();
    this.settle();
    this.prev.set(this.v);
  }

  private zero() {
    return { cycles: 0, switching: 0, internal: 0, clock: 0, byComp: new Float64Array(this.components.length) };
  }

  private settle(): void {
    const v = this.v;
    for (const g of this.comb) {
      let m = 0;
      for (let i = 0; i < g.ins.length; i++) m |= v[g.ins[i]!]! << i;
      v[g.y] = g.truth[m]!;
    }
  }

  /** Drives an input port with an unsigned integer (bit i of value → port bit i); takes effect at the next clock(). */
  set(port: string, value: number): void {
    const p = this.ports[port];
    if (p?.direction !== "input") throw new RangeError(`EnergySim.set: no input port "${port}"`);
    p.bits.forEach((b, i) => {
      if (typeof b === "number") this.v[b + 2] = Math.floor(value / 2 ** i) % 2;
    });
  }

  /** Drives an input port bit by bit (bits[i] → port bit i, missing bits 0): ports wider than 53 bits. */
  setBits(port: string, bits: ArrayLike<number>): void {
    const p = this.ports[port];
    if (p?.direction !== "input") throw new RangeError(`EnergySim.setBits: no input port "${port}"`);
    p.bits.forEach((b, i) => {
      if (typeof b === "number") this.v[b + 2] = bits[i] ? 1 : 0;
    });
  }

  /** Reads a port as an unsigned integer. */
  get(port: string): number {
    const p = this.ports[port];
    if (!p) throw new RangeError(`EnergySim.get: no port "${port}"`);
    return p.bits.reduce<number>((s, b, i) => s + this.v[this.netIndex(b)]! * 2 ** i, 0);
  }

  /**
   * One clock cycle, as NetlistSim.clock(): the inputs set since the last cycle settle through the
   * logic (their transitions are counted), the flip-flops take D on the rising edge, and the new
   * state settles (counted again). Zero-delay: each net changes at most once per phase.
   */
  clock(): void {
    const acc = this.acc;
    this.settle();
    this.account();
    const v = this.v;
    for (const f of this.flops) {
      const d = v[f.d]!;
      v[f.q] = d;
      if (f.qn) v[f.qn] = d ^ 1;
    }
    this.settle();
    for (let c = 0; c < acc.byComp.length; c++) {
      acc.byComp[c] += this.clockPerCycle[c]!;
      acc.clock += this.clockPerCycle[c]!;
    }
    const byComp = acc.byComp;
    const prev = this.prev;
    for (const f of this.flops) {
      if (v[f.q] !== prev[f.q]) {
        const e = v[f.q] ? f.qRiseJ : f.qFallJ;
        acc.internal += e;
        byComp[f.comp] += e;
      }
      if (f.qn && v[f.qn] !== prev[f.qn]) {
        const e = v[f.qn] ? f.qnRiseJ : f.qnFallJ;
        acc.internal += e;
        byComp[f.comp] += e;
      }
    }
    this.account();
    acc.cycles++;
  }

  /** Charges every net that differs from `prev` (combinational internal, switching, passive pins), then prev = v. */
  private account(): void {
    const v = this.v;
    const prev = this.prev;
    const acc = this.acc;
    const byComp = acc.byComp;
    for (const g of this.comb) {
      if (v[g.y] === prev[g.y]) continue;
      const rising = v[g.y] === 1;
      const table = rising ? g.riseJ : g.fallJ;
      let s = 0;
      let n = 0;
      for (let i = 0; i < g.ins.length; i++) {
        const x = g.ins[i]!;
        if (v[x] !== prev[x] && !Number.isNaN(table[i]!)) {
          s += table[i]!;
          n++;
        }
      }
      const e = n ? s / n : rising ? g.riseAnyJ : g.fallAnyJ;
      acc.internal += e;
      byComp[g.comp] += e;
    }
    const toggles = this.toggles;
    for (let n = 2; n < v.length; n++) {
      if (v[n] === prev[n]) continue;
      toggles[n]++;
      for (const l of this.loadSwitch[n]!) {
        acc.switching += l.j;
        byComp[l.comp] += l.j;
      }
      const rising = v[n] === 1;
      for (const p of this.passive[n]!) {
        const e = rising ? p.rise : p.fall;
        acc.internal += e;
        byComp[p.comp] += e;
      }
    }
    prev.set(v);
  }

  /** Energy since construction or the last take(), then starts a new span. */
  take(): EnergyBreakdown {
    const a = this.acc;
    this.acc = this.zero();
    return {
      cycles: a.cycles,
      dynamicJ: a.switching + a.internal + a.clock,
      switchingJ: a.switching,
      internalJ: a.internal,
      clockJ: a.clock,
      byComponentJ: Object.fromEntries(this.components.map((c, i) => [c, a.byComp[i]!])),
    };
  }

  /** Transitions of the named net's bits (netnames of the JSON), index = bit. */
  netToggles(name: string): number[] {
    const bits = this.netNames.get(name);
    if (!bits) throw new RangeError(`EnergySim.netToggles: no net "${name}"`);
    return bits.map((b) => this.toggles[b]!);
  }

  resetCounts(): void {
    this.toggles.fill(0);
  }

  get leakageW(): number {
    return Object.values(this.leakageByComponentW).reduce((s, x) => s + x, 0);
  }
}
