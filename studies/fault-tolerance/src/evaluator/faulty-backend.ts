import type { IntegerBackend } from "@sccnn/nn";
import {
  FaultWeightMemo,
  SC_FAULT_SITES,
  flipStoredOperands,
  injectConv2dFaults,
  injectConv2dStuckAt,
  injectGemmFaults,
  injectGemmStuckAt,
  type FaultSite,
  type ScSpec,
  type Rng,
  type StuckSite,
} from "@sccnn/sc-core";

/**
 * Where faults are injected in a whole-network evaluation:
 * - a datapath site of sc-core's fault model (`sc-*` only on SC layers, `bin-*` only on fixed
 *   layers): every output of every conv/linear layer is one lane's dot product, faulted by
 *   sc-core's fast injection (equal in distribution to the cycle-level faulty lane);
 * - `memory`: every bit of every (N+1)-bit sign-magnitude weight and input activation word flips
 *   with probability p each time a layer reads it (once per batch), the same for both designs.
 */
export type StudySite = FaultSite | "memory";

export interface FaultInjection {
  site: StudySite;
  /** p: flip probability per bit per cycle (per read for `memory`). */
  rate: number;
  /** Operand magnitude width N of every integer layer. */
  bits: number;
  /** SC sites: b, stream bits per cycle (default 1). */
  parallel?: number;
  /** SC sites: cycles a zero weight costs (default 1). */
  zeroWeightCycles?: 0 | 1;
}

/**
 * An nn IntegerBackend that computes each layer with `base` (exact, fault-free) and then injects
 * the faults in place into its result (a fresh array, or the caller's `out`, which receives the
 * result: no copy per call), drawing from `rng` in a fixed order (layer by layer, batch by batch), so a seed
 * reproduces the faulty run exactly. Refuses a site that does not belong to the layer's design.
 */
export function faultyBackend(base: IntegerBackend, fault: FaultInjection, rng: Rng): IntegerBackend {
  const { site, rate, bits } = fault;
  const sc = site !== "memory" && SC_FAULT_SITES.includes(site);
  const datapath = {
    rate,
    bits,
    ...(sc ? { parallel: fault.parallel ?? 1, zeroWeightCycles: fault.zeroWeightCycles ?? 1 } : {}),
  };
  const check = (spec: ScSpec | null): void => {
    if (site === "memory") return;
    const scSite = SC_FAULT_SITES.includes(site);
    if (scSite && (spec === null || spec.scheme !== "bisc"))
      throw new RangeError(
        `fault site ${site} needs a BISC layer (arithmetic sc-bisc), got ${spec === null ? "fixed" : `sc-${spec.scheme}`}`,
      );
    if (!scSite && spec !== null)
      throw new RangeError(`fault site ${site} needs a binary layer (arithmetic fixed), got sc-${spec.scheme}`);
    if (spec !== null && spec.bits !== bits)
      throw new RangeError(`fault.bits is ${bits} but the layer runs at N = ${spec.bits}`);
  };
  // the network's layer weights are fixed through the evaluation: what the injectors derive from
  // them alone is computed once per layer, not once per batch (the same draws)
  const memo = new FaultWeightMemo();
  return {
    name: `${base.name}+faults(${site}, p=${rate})`,
    conv2d(spec, x, xShape, w, wShape, g, into) {
      check(spec);
      if (site === "memory") {
        const xf = x.slice();
        const wf = w.slice();
        flipStoredOperands(wf, bits, rate, rng);
        flipStoredOperands(xf, bits, rate, rng);
        return base.conv2d(spec, xf, xShape, wf, wShape, g, into);
      }
      const out = base.conv2d(spec, x, xShape, w, wShape, g, into);
      injectConv2dFaults({ site, ...datapath }, rng, x, xShape, w, wShape, g, out, "kernel", memo);
      return out;
    },
    gemm(spec, a, b, m, k, n, into) {
      check(spec);
      if (site === "memory") {
        const af = a.slice();
        const bf = b.slice();
        flipStoredOperands(bf, bits, rate, rng);
        flipStoredOperands(af, bits, rate, rng);
        return base.gemm(spec, af, bf, m, k, n, into);
      }
      const out = base.gemm(spec, a, b, m, k, n, into);
      injectGemmFaults({ site, ...datapath }, rng, a, b, m, k, n, out, { memo });
      return out;
    },
  };
}

export interface StuckInjection {
  site: StuckSite;
  /** Fraction of lanes (outputs) computed by a lane with one bit of `site` stuck. */
  fraction: number;
  bits: number;
}

/**
 * Like `faultyBackend`, for stuck-at lanes: each output of each layer is, with probability
 * `fraction`, computed by a lane with one random bit of the site stuck at a random value
 * (sc-core `injectConv2dStuckAt` / `injectGemmStuckAt`, drawn from `rng` in a fixed order).
 */
export function stuckBackend(base: IntegerBackend, stuck: StuckInjection, rng: Rng): IntegerBackend {
  const { site, fraction, bits } = stuck;
  const check = (spec: ScSpec | null): void => {
    const scSite = SC_FAULT_SITES.includes(site);
    if (scSite && (spec === null || spec.scheme !== "bisc"))
      throw new RangeError(`stuck-at site ${site} needs a BISC layer (arithmetic sc-bisc)`);
    if (!scSite && spec !== null) throw new RangeError(`stuck-at site ${site} needs a binary layer (arithmetic fixed)`);
  };
  const memo = new FaultWeightMemo();
  return {
    name: `${base.name}+stuck(${site}, ${fraction})`,
    conv2d(spec, x, xShape, w, wShape, g, into) {
      check(spec);
      const out = base.conv2d(spec, x, xShape, w, wShape, g, into);
      injectConv2dStuckAt({ site, bits, fraction }, rng, x, xShape, w, wShape, g, out, memo);
      return out;
    },
    gemm(spec, a, b, m, k, n, into) {
      check(spec);
      const out = base.gemm(spec, a, b, m, k, n, into);
      injectGemmStuckAt({ site, bits, fraction }, rng, a, b, m, k, n, out, undefined, memo);
      return out;
    },
  };
}
