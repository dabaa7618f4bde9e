/**
 * Operand sequences from real networks for the energy tables: the trained zoo network is quantised
 * at N (fixed arithmetic, per-layer max-abs weights, MSE-calibrated activation clips on the first
 * training images), a few seeded test images run through it, and for every conv/linear layer a few
 * seeded output neurons are taken: each gives the sequence of (activation, weight) integer pairs
 * one lane of the array multiplies in dataflow order (c, r, s), truncated to `maxSteps` per layer.
 */
import {
  calibrateNetwork,
  type IntegerBackend,
  layerStats,
  quantizeCalibrated,
  runQuantized,
  wasmBackend,
} from "@sccnn/nn";
import { Rng } from "@sccnn/sc-core";
import { getNetwork, loadTrainedWeights, networkDataset } from "@sccnn/zoo";

export interface OperandSequence {
  network: string;
  layer: string;
  /** Signed integer activations and weights, one pair per weight step. */
  x: number[];
  w: number[];
}

export interface OperandOptions {
  networks: readonly string[];
  images: number;
  calibrationImages: number;
  dotsPerLayer: number;
  maxSteps: number;
  seed: number;
}

export const DEFAULT_OPERANDS: OperandOptions = {
  networks: ["lenet5", "fashion-cnn"],
  images: 2,
  calibrationImages: 200,
  dotsPerLayer: 4,
  maxSteps: 64,
  seed: 15,
};

/** Largest fan-in (C/groups·R·S or input features) of a zoo network's conv/linear layers (its spec; no weights needed). */
export function networkMaxFanIn(network: string): number {
  return Math.max(...layerStats(getNetwork(network)).map((s) => s.fanIn));
}

const calibrated = new Map<string, ReturnType<typeof calibrateNetwork>>();

/** Operand sequences of every network's layers at N magnitude bits. */
export function operandSequences(bits: number, o: OperandOptions = DEFAULT_OPERANDS): OperandSequence[] {
  const out: OperandSequence[] = [];
  for (const network of o.networks) {
    let net = calibrated.get(network);
    if (!net) {
      const ck = loadTrainedWeights(network);
      net = calibrateNetwork(ck.spec, ck.weights, networkDataset(ck.spec, "train", o.calibrationImages).images);
      calibrated.set(network, net);
    }
    const qnet = quantizeCalibrated(net, { arithmetic: "fixed", bitsW: bits, bitsA: bits, perChannel: false });
    // sc-core's seeded generator, one stream per precision: (seed, bits)
    const rng = new Rng(o.seed, bits);
    const pick = (n: number) => rng.int(n);
    const test = networkDataset(net.spec, "test", 1000);
    const [C, H, W] = net.spec.input;
    const per = C * H * W;
    const images = new Float32Array(o.images * per);
    for (let i = 0; i < o.images; i++) {
      const idx = pick(1000);
      images.set(test.images.subarray(idx * per, (idx + 1) * per), i * per);
    }
    const layerNames = layerStats(net.spec).map((s) => s.name);
    let li = 0;
    const take = (xs: number[], ws: number[]) => {
      out.push({ network, layer: layerNames[li] ?? `#${li}`, x: xs.slice(0, o.maxSteps), w: ws.slice(0, o.maxSteps) });
    };
    const recorder: IntegerBackend = {
      name: "operand-recorder",
      conv2d(spec, x, xShape, w, wShape, g) {
        const [n, , Hh, Ww] = xShape as [number, number, number, number];
        const [K, Cg, R, S] = wShape as [number, number, number, number];
        const P = Math.floor((Hh + 2 * g.padding - R) / g.stride) + 1;
        const Q = Math.floor((Ww + 2 * g.padding - S) / g.stride) + 1;
        const Cin = xShape[1]!;
        const kPerGroup = K / g.groups;
        let steps = 0;
        for (let d = 0; d < o.dotsPerLayer && steps < o.maxSteps; d++) {
          const img = pick(n);
          const k = pick(K);
          const p = pick(P);
          const q = pick(Q);
          const c0 = Math.floor(k / kPerGroup) * Cg;
          const xs: number[] = [];
          const ws: number[] = [];
          for (let c = 0; c < Cg; c++)
            for (let r = 0; r < R; r++)
              for (let s = 0; s < S; s++) {
                const ih = p * g.stride - g.padding + r;
                const iw = q * g.stride - g.padding + s;
                const inside = ih >= 0 && ih < Hh && iw >= 0 && iw < Ww;
                xs.push(inside ? x[((img * Cin + c0 + c) * Hh + ih) * Ww + iw]! : 0);
                ws.push(w[((k * Cg + c) * R + r) * S + s]!);
              }
          take(xs, ws);
          steps += Math.min(xs.length, o.maxSteps);
        }
        li++;
        return wasmBackend.conv2d(spec, x, xShape, w, wShape, g);
      },
      gemm(spec, a, b, m, k, n) {
        let steps = 0;
        for (let d = 0; d < o.dotsPerLayer && steps < o.maxSteps; d++) {
          const row = pick(m);
          const col = pick(n);
          take(Array.from(a.subarray(row * k, (row + 1) * k)), Array.from(b.subarray(col * k, (col + 1) * k)));
          steps += Math.min(k, o.maxSteps);
        }
        li++;
        return wasmBackend.gemm(spec, a, b, m, k, n);
      },
    };
    // One batch holding all images, so every layer is recorded exactly once.
    runQuantized(qnet, images, { backend: recorder, batchSize: o.images });
  }
  return out;
}
