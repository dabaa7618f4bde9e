import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCheckpoint } from "@sccnn/nn";
import { canonicalSpec, importOnnx } from "@sccnn/onnx";
import { loadTrainedWeights } from "../src/index.ts";

const script = fileURLToPath(new URL("../scripts/onnx.ts", import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8" });

describe("scripts/onnx.ts", () => {
  it("onnx.ts export lenet5 then import writes a checkpoint with the trained weights and the canonical table", () => {
    const dir = mkdtempSync(join(tmpdir(), "onnx-cli-"));
    const onnxPath = join(dir, "lenet5.onnx"),
      ckptPath = join(dir, "out", "lenet5.ckpt");
    execFileSync(process.execPath, ["--import", "tsx", script, "export", "lenet5", "--out", onnxPath]);
    const trained = loadTrainedWeights("lenet5");
    expect(importOnnx(readFileSync(onnxPath)).spec).toEqual(canonicalSpec(trained.spec));
    const out = execFileSync(process.execPath, ["--import", "tsx", script, "import", onnxPath, "--out", ckptPath], {
      encoding: "utf8",
    });
    expect(out).toMatch(/^lenet5: input \[1, 28, 28\], 10 classes, .* 61706 params\nwrote /);
    const ckpt = loadCheckpoint(ckptPath);
    expect(ckpt.spec).toEqual(canonicalSpec(trained.spec));
    for (const [k, w] of Object.entries(trained.weights)) expect(ckpt.weights[k], k).toEqual(w);
    expect(ckpt.header.notes).toContain(`imported from ONNX file ${onnxPath}`);
  });

  it("relative <file> and --out paths resolve against the folder pnpm was run from (INIT_CWD), not packages/onnx", () => {
    const user = mkdtempSync(join(tmpdir(), "onnx-cli-cwd-"));
    const env = { ...process.env, INIT_CWD: user };
    const opts = { encoding: "utf8" as const, env, cwd: fileURLToPath(new URL("..", import.meta.url)) };
    const exp = spawnSync(process.execPath, ["--import", "tsx", script, "export", "lenet5", "--out", "m.onnx"], opts);
    expect(exp.status, exp.stderr).toBe(0);
    expect(existsSync(join(user, "m.onnx"))).toBe(true);
    const imp = spawnSync(
      process.execPath,
      ["--import", "tsx", script, "import", "./m.onnx", "--out", "sub/m.ckpt"],
      opts,
    );
    expect(imp.status, imp.stderr).toBe(0);
    expect(loadCheckpoint(join(user, "sub", "m.ckpt")).spec.id).toBe("lenet5");
    const back = spawnSync(
      process.execPath,
      ["--import", "tsx", script, "export", "sub/m.ckpt", "--out", "again.onnx"],
      opts,
    );
    expect(back.status, back.stderr).toBe(0);
    expect(existsSync(join(user, "again.onnx"))).toBe(true);
    expect(existsSync(fileURLToPath(new URL("../m.onnx", import.meta.url)))).toBe(false);
  });

  it("onnx.ts import names a missing file and exits 1; bad arguments exit 2 with the usage", () => {
    const missing = join(tmpdir(), "no-such-model.onnx");
    const r = run(["import", missing, "--out", join(tmpdir(), "x.ckpt")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`onnx import: ${missing}: cannot read (ENOENT)`);
    const bad = run(["export", "lenet5"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/export: --out <file\.onnx> is required\nusage:/);
    expect(run(["convert", "x"]).stderr).toMatch(/unknown command convert/);
  });
});
