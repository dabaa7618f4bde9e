/** Hooks installer used by the data-parallel hooks test: fake-quantises c1/f1 weights to a 1/8 grid. */
import type { Model } from "../src/engine/model.ts";

export function roundTo(w: Float32Array, step: number): Float32Array {
  return w.map((v) => Math.round(v / step) * step);
}

export function installHooks(model: Model, args: { step: number; layers: string[] }): void {
  for (const name of args.layers) model.setLayerHooks(name, { weightTransform: (w) => roundTo(w, args.step) });
}
