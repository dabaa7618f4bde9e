import { compileWasm } from "@sccnn/sc-core/asm/build";
import { describe, expect, it } from "vitest";
import { NN_WASM } from "../asm/build.ts";
import { nnKernelsWasmBytes } from "../src/engine/wasm-kernels.ts";

describe("committed WebAssembly kernels", () => {
  it("compiling asm/index.ts reproduces the bytes committed in src/engine/kernels.wasm.ts", () => {
    const fresh = compileWasm(NN_WASM);
    const committed = nnKernelsWasmBytes();
    expect(committed.length).toBe(fresh.length);
    expect(Buffer.from(committed).equals(Buffer.from(fresh))).toBe(true);
  });
});
