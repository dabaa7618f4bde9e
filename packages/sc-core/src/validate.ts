/**
 * Parameter checks shared by every entry point. Each error names the parameter it rejects, so a
 * caller (or a design-space sweep) knows which knob is out of range.
 */

/** Largest SC precision N supported: magnitudes are N-bit, streams 2^N long. */
export const MAX_BITS = 16;

export function checkBits(bits: number, name = "bits (N)", max = MAX_BITS): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > max) {
    throw new RangeError(`${name} must be an integer in 1…${max}, got ${String(bits)}`);
  }
}

export function checkInteger(value: number, name: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}…${max}, got ${String(value)}`);
  }
}

/** An unsigned N-bit magnitude: 0…2^N − 1. */
export function checkMagnitude(value: number, bits: number, name: string): void {
  const max = 2 ** bits - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer magnitude in 0…${max} (N = ${bits}), got ${String(value)}`);
  }
}

/** A sign-magnitude operand: −(2^N − 1)…2^N − 1. */
export function checkSigned(value: number, bits: number, name: string): void {
  const max = 2 ** bits - 1;
  if (!Number.isInteger(value) || value < -max || value > max) {
    throw new RangeError(
      `${name} must be an integer in −${max}…${max} (N = ${bits}, sign-magnitude), got ${String(value)}`,
    );
  }
}

/** Every element of an operand array is a valid sign-magnitude N-bit value. */
export function checkSignedArray(values: ArrayLike<number>, bits: number, name: string): void {
  const max = 2 ** bits - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= -max && v <= max) || !Number.isInteger(v)) {
      throw new RangeError(
        `${name}[${i}] must be an integer in −${max}…${max} (N = ${bits}, sign-magnitude), got ${String(v)}`,
      );
    }
  }
}

export function checkLength(values: ArrayLike<number>, expected: number, name: string): void {
  if (values.length !== expected) {
    throw new RangeError(`${name} must have length ${expected}, got ${values.length}`);
  }
}

export function isPowerOfTwo(v: number): boolean {
  return Number.isInteger(v) && v >= 1 && (v & (v - 1)) === 0 && v <= 2 ** 30;
}
