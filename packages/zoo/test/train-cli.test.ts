// Issue 11: `pnpm train nosuch` ended in a stack trace; now one line naming the argument, exit 2.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../scripts/train.ts", import.meta.url));

describe("scripts/train.ts", () => {
  it("an unknown network id: one line naming it and the known ids, exit 2", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", script, "nosuch"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^train: network id: unknown "nosuch"; known: lenet5, /);
  });
});
