import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { networkIds, zooRecords, zooTable } from "../src/index.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe("pnpm zoo", () => {
  it("zooTable(zooRecords()) prints one line per network with id, input, MACs and params", () => {
    const lines = zooTable(zooRecords()).split("\n");
    expect(lines.length).toBe(networkIds().length);
    expect(lines[0]).toMatch(/^lenet5\s+input 1x28x28\s+MACs\s+416\.5 k \(416520\)\s+params\s+61\.7 k \(61706\)$/);
    expect(lines.find((l) => l.startsWith("vgg16 "))).toMatch(
      /MACs\s+15\.47 G \(15470264320\)\s+params\s+138\.36 M \(138357544\)/,
    );
  });

  it("scripts/zoo.ts --json prints records { id, input, macs, params } for every network", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/zoo.ts", "--json"], {
      cwd: packageDir,
      encoding: "utf8",
    });
    const records = JSON.parse(out) as { id: string; input: number[]; macs: number; params: number }[];
    expect(records.map((r) => r.id)).toEqual(networkIds());
    expect(records[0]).toEqual({ id: "lenet5", input: [1, 28, 28], macs: 416520, params: 61706 });
    for (const r of records) expect(Object.keys(r)).toEqual(["id", "input", "macs", "params"]);
  });
});

describe("pnpm train (argument errors)", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/train.ts", ...args], {
      cwd: packageDir,
      encoding: "utf8",
    });

  it("scripts/train.ts without a network prints the usage and exits 2", () => {
    const r = run();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("train: missing network id");
    expect(r.stderr).toContain("usage: pnpm train <network>");
  });

  it("scripts/train.ts lenet5 --epochs 0 names the bad option", () => {
    const r = run("lenet5", "--epochs", "0");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--epochs: expected a positive integer, got 0");
  });
});
