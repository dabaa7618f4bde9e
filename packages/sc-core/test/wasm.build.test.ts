import { describe, expect, it } from "vitest";
import { SC_CORE_WASM, compileWasm } from "../asm/build.ts";
import { kernelsWasmBytes } from "../src/wasm/index.ts";

describe("committed WebAssembly kernels", () => {
  it("compiling asm/kernels.ts reproduces the bytes committed in src/wasm/kernels.wasm.ts", () => {
    const fresh = compileWasm(SC_CORE_WASM);
    const committed = kernelsWasmBytes();
    expect(committed.length).toBe(fresh.length);
    expect(Buffer.from(committed).equals(Buffer.from(fresh))).toBe(true);
  });
});
