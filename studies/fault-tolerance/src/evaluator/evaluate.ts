import { performance } from "node:perf_hooks";
import {
  calibrateNetwork,
  evaluateQuantized,
  layerStats,
  quantizeNetwork,
  wasmBackend,
  type CalibratedNetwork,
  type IntegerBackend,
  type QuantConfig,
  type QuantizedNetwork,
} from "@sccnn/nn";
import { Rng } from "@sccnn/sc-core";
import { faultyBackend, stuckBackend, type StudySite } from "./faulty-backend.ts";
import { hardwareWeights, networkDataset } from "@sccnn/zoo";

export type Design = "sc-bisc" | "fixed";

export interface FaultInput {
  network: string;
  /** Arithmetic of every conv/linear layer: BISC SC or binary fixed point. */
  arithmetic: Design;
  /** bitsW = bitsA = N. */
  bits: number;
  /**
   * The design's weights: a committed checkpoint trained with its arithmetic in the loop
   * (packages/zoo/weights/finetuned/, file name) with the quantisation it pins, as pareto's
   * "fine-tuned" points; null: post-training quantisation of the zoo's trained checkpoint.
   */
  weightsPath: string | null;
  /** SHA-256 of the checkpoint the point runs (part of the cache key). */
  weightsSha256: string;
  /** null = fault-free baseline. */
  site: StudySite | null;
  /** Flip probability per bit per cycle (0 for the baseline). */
  faultRate: number;
  /** SC datapath sites: b, stream bits per cycle (1 otherwise). */
  parallel: number;
  /** Cycles a zero weight costs the SC lane. */
  zeroWeightCycles: 0 | 1;
  seed: number;
  /** Stuck-at model instead of transient flips: the fraction of stuck lanes (faultRate is then 0). */
  stuckFraction?: number;
  testLimit: number;
  calibrationImages: number;
  calibration: "max" | "mse";
  perChannel: boolean;
}

export interface FaultValue {
  /** Test accuracy, 0…1. */
  accuracy: number;
  correct: number;
  total: number;
  evalSeconds: number;
}

/** The trained network, batch norm folded and calibrated on the first validation-split images, as pareto (memoised per worker). */
const calibrated = new Map<string, CalibratedNetwork>();
function calibratedNetwork(network: string, calibrationImages: number): CalibratedNetwork {
  const key = `${network}/${calibrationImages}`;
  let c = calibrated.get(key);
  if (!c) {
    const { spec, weights } = hardwareWeights({ network, path: null });
    c = calibrateNetwork(spec, weights, networkDataset(spec, "validation", calibrationImages).images);
    calibrated.set(key, c);
  }
  return c;
}

export function quantConfigOf(
  input: Pick<FaultInput, "arithmetic" | "bits" | "calibration" | "perChannel">,
): QuantConfig {
  return {
    arithmetic: input.arithmetic,
    bitsW: input.bits,
    bitsA: input.bits,
    perChannel: input.perChannel,
    calibration: { kind: input.calibration },
  };
}

/**
 * The quantised network of a design, exactly as pareto evaluates its point: PTQ of the trained
 * checkpoint, or the fine-tuned checkpoint with the quantisation config its training pinned.
 */
export function designNetwork(
  input: Pick<
    FaultInput,
    "network" | "arithmetic" | "bits" | "weightsPath" | "calibration" | "perChannel" | "calibrationImages"
  >,
): QuantizedNetwork {
  const net = calibratedNetwork(input.network, input.calibrationImages);
  if (input.weightsPath === null) return quantizeNetwork(net.spec, net.weights, net.stats, quantConfigOf(input));
  const w = hardwareWeights({ network: input.network, path: input.weightsPath });
  const pinned = w.quantConfig;
  if (!pinned || pinned.arithmetic !== input.arithmetic || pinned.bitsW !== input.bits || pinned.bitsA !== input.bits)
    throw new Error(
      `${input.weightsPath}: fine-tuned for ${pinned ? `${pinned.arithmetic} w${pinned.bitsW}a${pinned.bitsA}` : "no pinned quantisation"}, the design is ${input.arithmetic} N = ${input.bits}`,
    );
  return quantizeNetwork(w.spec, w.weights, net.stats, pinned);
}

/**
 * The dse evaluator: test accuracy of the post-training-quantised trained network with every
 * conv/linear layer in `arithmetic` at N bits, faults injected at `site` with rate p, seeded by
 * `seed` (a fresh Rng per point: the same point always gives the same faulty run).
 */
export function evaluateFaulty(input: FaultInput): FaultValue {
  const qnet = designNetwork(input);
  const test = networkDataset(qnet.spec, "test", input.testLimit);
  let backend: IntegerBackend = wasmBackend;
  if (input.site !== null && input.stuckFraction !== undefined) {
    if (input.site === "memory" || input.site === "sc-down-counter")
      throw new RangeError(`stuck-at faults are not modelled at site ${input.site}`);
    backend = stuckBackend(
      wasmBackend,
      { site: input.site, fraction: input.stuckFraction, bits: input.bits },
      new Rng(input.seed),
    );
  } else if (input.site !== null && input.faultRate > 0) {
    backend = faultyBackend(
      wasmBackend,
      {
        site: input.site,
        rate: input.faultRate,
        bits: input.bits,
        parallel: input.parallel,
        zeroWeightCycles: input.zeroWeightCycles,
      },
      new Rng(input.seed),
    );
  }
  const t = performance.now();
  const r = evaluateQuantized(qnet, test.images, test.labels, { backend });
  return { ...r, evalSeconds: (performance.now() - t) / 1000 };
}

/**
 * Mean cycles an SC lane spends per MAC on this design's quantised network: Σ over every MAC of
 * ⌈|w|/b⌉ (a zero weight: zeroWeightCycles), over the MACs (each weight is used once per output
 * pixel). A per-cycle flip rate p is p × this many expected flips per register bit per MAC (binary: 1 cycle per MAC).
 */
export function scCyclesPerMac(
  input: Pick<
    FaultInput,
    | "network"
    | "bits"
    | "weightsPath"
    | "calibration"
    | "perChannel"
    | "calibrationImages"
    | "parallel"
    | "zeroWeightCycles"
  >,
): number {
  const qnet = designNetwork({ ...input, arithmetic: "sc-bisc" });
  const uses = new Map(layerStats(qnet.spec).map((s) => [s.name, s.P * s.Q]));
  let cycles = 0;
  let macs = 0;
  for (const l of Object.values(qnet.layers)) {
    const u = uses.get(l.name) ?? 1;
    for (const w of l.wInt) {
      const m = w < 0 ? -w : w;
      cycles += u * (m === 0 ? input.zeroWeightCycles : Math.ceil(m / input.parallel));
    }
    macs += u * l.wInt.length;
  }
  return cycles / macs;
}
