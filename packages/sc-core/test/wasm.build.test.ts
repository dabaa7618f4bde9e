import { describe, expect, it } from "vitest";
import { SC_CORE_RELAXED_WASM, SC_CORE_WASM, compileWasm } from "../asm/build.ts";
import { kernelsWasmBytes, relaxedSimdAvailable } from "../src/wasm/index.ts";

describe("committed WebAssembly kernels", () => {
  for (const [variant, target] of [
    ["simd", SC_CORE_WASM],
    ["relaxed-simd", SC_CORE_RELAXED_WASM],
  ] as const)
    it(`compiling asm/kernels.ts (${variant}) reproduces the bytes committed in ${target.module}`, () => {
      const fresh = compileWasm(target);
      const committed = kernelsWasmBytes(variant);
      expect(committed.length).toBe(fresh.length);
      expect(Buffer.from(committed).equals(Buffer.from(fresh))).toBe(true);
    });

  it("Node 20 takes the relaxed-simd build (sc-core turns V8's flag on), so the kernels run on it by default", () => {
    expect(process.env.SCCNN_WASM).not.toBe("simd");
    expect(relaxedSimdAvailable()).toBe(true);
  });
});
