// Issue 14: `pnpm train lenet5 --arithmetic sc-bisc --bits 4` must reproduce the committed
// checkpoint bit for bit, and every checkpoint trained from now on names the float weights it
// descends from.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  FINE_TUNED_DIR,
  checkpointPath,
  floatWeightsSource,
  floatWeightsStatus,
  loadArithmeticCheckpoint,
  trainNetwork,
  trainWithArithmetic,
} from "../src/index.ts";

const bytes = (w: Record<string, Float32Array>) =>
  Object.keys(w)
    .sort()
    .map(
      (k) =>
        `${k}:${createHash("sha256")
          .update(new Uint8Array(w[k]!.buffer, w[k]!.byteOffset, w[k]!.byteLength))
          .digest("hex")}`,
    );

describe("training with the arithmetic in the loop", () => {
  it("trainWithArithmetic(lenet5, sc-bisc, 4) reproduces the committed checkpoint's weights, log and accuracies bit for bit", () => {
    const committed = loadArithmeticCheckpoint("lenet5", "sc-bisc", 4)!;
    expect(committed).not.toBeNull();
    const r = trainWithArithmetic("lenet5", "sc-bisc", 4);
    expect(bytes(r.weights)).toEqual(bytes(committed.weights));
    const { command: _c, floatWeights: _f, ...fresh } = r.training;
    const { command: _c2, floatWeights: _f2, ...old } = committed.training;
    expect(fresh).toEqual(old);
  }, 600_000);

  it("floatWeightsSource(lenet5) hashes the committed float checkpoint and says which images it saw", () => {
    const s = floatWeightsSource("lenet5");
    expect(s.file).toBe("lenet5.ckpt");
    expect(s.sha256).toBe(
      createHash("sha256")
        .update(readFileSync(checkpointPath("lenet5")))
        .digest("hex"),
    );
    expect(s.trainedOn).toMatch(/^mnist train\[0:\d+\]/);
  });

  it("floatWeightsStatus tells a checkpoint from today's float weights from one of superseded (or unrecorded) float weights", () => {
    const now = floatWeightsSource("lenet5");
    expect(floatWeightsStatus({ network: "lenet5", floatWeights: now })).toEqual({
      status: "current",
      trainedOn: now.trainedOn,
    });
    const old = { ...now, sha256: "0".repeat(64), trainedOn: "mnist train[0:60000] (validation split included)" };
    expect(floatWeightsStatus({ network: "lenet5", floatWeights: old })).toEqual({
      status: "superseded",
      trainedOn: old.trainedOn,
    });
    expect(floatWeightsStatus({ network: "lenet5" }).status).toBe("unrecorded");
  });

  it("every committed checkpoint trained with arithmetic records the float weights it descends from", () => {
    const names = readdirSync(FINE_TUNED_DIR).filter((f) => /-(fixed|sc-bisc)-w\d+a\d+(-seed\d+)?\.ckpt$/.test(f));
    expect(names.length).toBeGreaterThan(0);
    for (const f of names) {
      const m = /^(.+?)-(fixed|sc-bisc)-w(\d+)a\d+(?:-seed(\d+))?\.ckpt$/.exec(f)!;
      const ck = loadArithmeticCheckpoint(m[1]!, m[2]!, Number(m[3]), m[4] ? Number(m[4]) : 1)!;
      expect(ck.training.floatWeights?.sha256, f).toMatch(/^[0-9a-f]{64}$/);
      expect(ck.training.floatWeights?.trainedOn, f).toMatch(/ train\[0:\d+\]/);
    }
  });

  it("trainNetwork with recipe.validationImages trains on train[0:55000] only and draws its curve on train[55000:60000]", async () => {
    const r = await trainNetwork("lenet5", {
      override: { epochs: 1, trainLimit: 256, validationImages: 5000 },
      testLimit: 100,
      threads: 1,
    });
    expect(r.data).toEqual({
      fit: "mnist train[0:256]",
      validation: "mnist train[55000:60000]",
      test: "mnist test[0:100]",
    });
    expect(r.trainImages).toBe(256);
    expect(r.history.epochs[0]!.validationAccuracy).toBeGreaterThan(0.2);
  });
});
