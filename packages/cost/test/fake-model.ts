import { CostRefusal, type ComponentCost, type ComponentQuery, type CostModel } from "../src/index.ts";

/** A tiny deterministic model for tests: area = a fixed per-kind formula, refuses other technologies. */
export function fakeModel(id: string, priority: number, technology: string, scale = 1, timing = false): CostModel {
  return {
    id,
    description: "test model",
    priority,
    estimate(q: ComponentQuery): ComponentCost {
      if ((q.technology ?? technology) !== technology)
        throw new CostRefusal(id, "technology", q.technology, `only ${technology}`);
      const N = q.bits ?? 0;
      const b = q.parallel ?? 1;
      const A = q.accBits ?? 0;
      const areaByKind: Record<string, number> = {
        "sc-stream-front": 10 * N + 20 * b,
        "sc-unit-shared": 100 * N,
        "updown-counter": 30 * A + b,
        multiplier: 50 * N * N,
        accumulator: 40 * A + (q.productBits !== undefined ? 3 * q.productBits : 0),
        "iso-recoder": 60 * N,
        "iso-multiplier": 20 * N * N,
        "bitserial-multiplier": 70 * N,
        "trunc-multiplier": 30 * N * N + 5 * (q.guardBits ?? 0),
        "fusion-multiplier": 90 * N * N,
        "sc-conv-shared": 150 * N + (q.sng === "sobol" ? 7 : 0),
        "sc-conv-front": 15 * N,
        register: 8 * (q.widthBits ?? 0),
        memory: 2 * (q.widthBits ?? 0),
      };
      const delayByKind: Record<string, number> = {
        "sc-stream-front": 0.2e-9,
        "sc-unit-shared": 0.5e-9,
        "updown-counter": 1e-9,
        multiplier: 0.3e-9 * N,
        accumulator: 1.2e-9,
        "iso-recoder": 0.4e-9,
        "iso-multiplier": 0.2e-9 * N,
        "bitserial-multiplier": 0.5e-9,
        "trunc-multiplier": 0.25e-9 * N,
        "fusion-multiplier": 0.4e-9 * N,
        "sc-conv-shared": 0.6e-9,
        "sc-conv-front": 0.3e-9,
        register: 0.1e-9,
        memory: 0,
      };
      return {
        areaUm2: scale * areaByKind[q.kind]!,
        ...(timing ? { clockPeriodS: delayByKind[q.kind]! } : {}),
        model: id,
        referencePoint: { technology, library: "test" },
        provenance: { source: "test formula" },
      };
    },
  };
}
