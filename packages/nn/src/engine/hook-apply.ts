import type { LayerHooks, LayerInfo } from "./hooks.ts";

export interface InputTransformState {
  /** The value the layer computes with (x itself when there is no transform). */
  value: Float32Array;
  /** Original input and clip range, when the gradient must be zeroed outside it. */
  x: Float32Array | null;
  clipLo: number;
  clipHi: number;
}

export function applyInputTransform(hooks: LayerHooks | null, x: Float32Array, info: LayerInfo): InputTransformState {
  if (!hooks?.inputTransform) return { value: x, x: null, clipLo: -Infinity, clipHi: Infinity };
  const r = hooks.inputTransform(x, info);
  if (r instanceof Float32Array) {
    if (r.length !== x.length)
      throw new Error(`${info.type} ${info.name}: inputTransform returned ${r.length} values, expected ${x.length}`);
    return { value: r, x: null, clipLo: -Infinity, clipHi: Infinity };
  }
  if (r.value.length !== x.length)
    throw new Error(
      `${info.type} ${info.name}: inputTransform returned ${r.value.length} values, expected ${x.length}`,
    );
  return { value: r.value, x, clipLo: r.clipLo, clipHi: r.clipHi };
}

export function applyWeightTransform(hooks: LayerHooks | null, w: Float32Array, info: LayerInfo): Float32Array {
  if (!hooks?.weightTransform) return w;
  const r = hooks.weightTransform(w, info);
  if (r.length !== w.length)
    throw new Error(`${info.type} ${info.name}: weightTransform returned ${r.length} values, expected ${w.length}`);
  return r;
}

export function checkOverrideOutput(name: string, v: Float32Array, expected: number): void {
  if (!(v instanceof Float32Array) || v.length !== expected) {
    throw new Error(
      `${name}: forwardOverride must return a Float32Array of ${expected} values, got ${v instanceof Float32Array ? v.length : typeof v}`,
    );
  }
}

/** Clipped straight-through estimator: zero dL/dx where x was outside [clipLo, clipHi]. */
export function maskClippedGradient(state: InputTransformState | null, dx: Float32Array): void {
  if (!state?.x) return;
  const { x, clipLo, clipHi } = state;
  for (let i = 0; i < dx.length; i++) if (x[i] < clipLo || x[i] > clipHi) dx[i] = 0;
}
