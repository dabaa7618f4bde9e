import { binaryArrayArea, scArrayArea, type ComponentQuery, type CostModel, type RegisterPolicy } from "@sccnn/cost";

export interface AreaVsPrecisionConfig {
  technologies: ("osu018" | "osu035" | "osu050")[];
  bits: number[];
  parallel: number[];
  fanIn: number;
  lanesPerUnit: number;
  registers: RegisterPolicy;
  models: ("yosys" | "analytic")[];
}

export type ComponentRecord = {
  record: "component";
  model: string;
  technology: string;
  kind: string;
  bits: number;
  parallel: number;
  accBits: number | null;
  areaUm2: number;
  nand2Eq: number | null;
  cellCount: number | null;
};

export type LaneRecord = {
  record: "lane";
  model: string;
  technology: string;
  design: "sc" | "binary";
  bits: number;
  parallel: number;
  accBits: number;
  /** One lane's own parts plus its 1/M share of the unit's shared logic and weight register. */
  areaUm2: number;
  /** Binary lane area / this lane's area (1 for binary). */
  binaryAreaRatio: number;
  /** Register-to-register delay of the lane from the model's timing (null when it has none), s. */
  criticalPathS: number | null;
};

/** The components of one SC lane / unit and one binary lane at (N, b) for a fan-in. */
export function componentQueries(bits: number, parallel: number, fanIn: number, technology: string): ComponentQuery[] {
  const log = Math.ceil(Math.log2(fanIn) - 1e-12);
  const q: ComponentQuery[] = [
    { kind: "sc-stream-front", bits, parallel, technology },
    { kind: "sc-unit-shared", bits, parallel, technology },
    { kind: "updown-counter", accBits: bits + log + 1, parallel, technology },
  ];
  if (parallel === 1) {
    q.push(
      { kind: "multiplier", bits, technology },
      { kind: "accumulator", bits, accBits: 2 * bits + log + 1, technology },
      { kind: "register", widthBits: bits + 1, technology },
    );
  }
  return q;
}

/** Component and per-lane records of every model, technology, N and b. */
export function evaluateAreas(
  config: AreaVsPrecisionConfig,
  models: readonly CostModel[],
): (ComponentRecord | LaneRecord)[] {
  const out: (ComponentRecord | LaneRecord)[] = [];
  for (const model of models) {
    for (const technology of config.technologies) {
      for (const bits of config.bits) {
        const spec = {
          units: 1,
          lanesPerUnit: config.lanesPerUnit,
          bits,
          maxFanIn: config.fanIn,
          registers: config.registers,
          technology,
        };
        const bin = binaryArrayArea(model, spec);
        const binLane = bin.areaUm2 / bin.lanes;
        for (const parallel of config.parallel) {
          if (parallel > 2 ** bits) continue;
          for (const q of componentQueries(bits, parallel, config.fanIn, technology)) {
            const c = model.estimate(q);
            out.push({
              record: "component",
              model: model.id,
              technology,
              kind: q.kind,
              bits,
              parallel: q.kind === "multiplier" || q.kind === "accumulator" || q.kind === "register" ? 1 : parallel,
              accBits: q.accBits ?? null,
              areaUm2: c.areaUm2,
              nand2Eq: c.nand2Eq ?? null,
              cellCount: c.cellCount ?? null,
            });
          }
          const sc = scArrayArea(model, { ...spec, parallel });
          const scLane = sc.areaUm2 / sc.lanes;
          out.push({
            record: "lane",
            model: model.id,
            technology,
            design: "sc",
            bits,
            parallel,
            accBits: sc.accBits,
            areaUm2: round(scLane),
            binaryAreaRatio: round(binLane / scLane),
            criticalPathS: sc.criticalPathS === undefined ? null : round(sc.criticalPathS),
          });
        }
        out.push({
          record: "lane",
          model: model.id,
          technology,
          design: "binary",
          bits,
          parallel: 1,
          accBits: bin.accBits,
          areaUm2: round(binLane),
          binaryAreaRatio: 1,
          criticalPathS: bin.criticalPathS === undefined ? null : round(bin.criticalPathS),
        });
      }
    }
  }
  return out;
}

const round = (v: number) => Number(v.toPrecision(8));
