/**
 * Quantised weight magnitudes for the latency model: N magnitude bits with per-tensor (per-layer)
 * max-abs scaling, |w|q = round(|w| / max|w| · (2^N − 1)). The sign is carried separately
 * (sign-magnitude), so it does not affect the BISC latency.
 */
export function quantiseMagnitudes(weights: ArrayLike<number>, bits: number): Uint16Array {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16)
    throw new RangeError(`quantiseMagnitudes: bits (N) must be an integer in 1…16, got ${String(bits)}`);
  let max = 0;
  for (let i = 0; i < weights.length; i++) {
    const a = Math.abs(weights[i]!);
    if (!Number.isFinite(a))
      throw new RangeError(`quantiseMagnitudes: weights[${i}] is not finite (${String(weights[i])})`);
    if (a > max) max = a;
  }
  const out = new Uint16Array(weights.length);
  if (max === 0) return out;
  const scale = (2 ** bits - 1) / max;
  for (let i = 0; i < weights.length; i++) out[i] = Math.round(Math.abs(weights[i]!) * scale);
  return out;
}
