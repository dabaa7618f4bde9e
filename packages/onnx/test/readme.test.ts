import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkg = fileURLToPath(new URL("../", import.meta.url));

describe("README.md", () => {
  it("the README's TypeScript example runs and prints that the round trip reproduces the table", () => {
    const readme = readFileSync(`${pkg}README.md`, "utf8");
    const example = readme.match(/```ts\n([\s\S]*?)```/)?.[1];
    expect(example).toBeDefined();
    mkdirSync(`${pkg}.vitest`, { recursive: true });
    const file = `${pkg}.vitest/readme-example.ts`;
    writeFileSync(file, example!);
    expect(execFileSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8", cwd: pkg })).toBe("true 0\n");
  });

  it("the README lists every command of package.json", () => {
    const readme = readFileSync(`${pkg}README.md`, "utf8");
    const scripts = Object.keys(
      (JSON.parse(readFileSync(`${pkg}package.json`, "utf8")) as { scripts: Record<string, string> }).scripts,
    );
    for (const s of scripts.filter((n) => n.includes(":"))) expect(readme, s).toContain(`pnpm ${s} `);
  });
});
