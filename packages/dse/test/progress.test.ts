import { describe, expect, it } from "vitest";
import { startProgress } from "../src/index.ts";

function captureStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns: 100,
    write: (s: string) => (chunks.push(s), true),
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join("") };
}

describe("startProgress", () => {
  it("startProgress on a non-terminal prints a start line and a summary with the counts", () => {
    const { stream, text } = captureStream(false);
    const p = startProgress("cost", { points: 10, cached: 4, toCompute: 6 }, stream);
    for (let i = 0; i < 6; i++) p.tick();
    p.stop();
    expect(text()).toMatch(
      /^cost: 10 points, 4 cached, computing 6 distinct…\ncost: 10 points, 4 cached, 6 distinct computed in \d+\.\d s\n$/,
    );
  });

  it("startProgress on a terminal draws a bar with ETA and ends with the summary", () => {
    const { stream, text } = captureStream(true);
    const p = startProgress("accuracy", { points: 3, cached: 0, toCompute: 3 }, stream);
    for (let i = 0; i < 3; i++) p.tick();
    p.stop();
    expect(text()).toContain("accuracy [");
    expect(text()).toContain("ETA");
    expect(text()).toMatch(/accuracy: 3 points, 0 cached, 3 distinct computed in \d+\.\d s\n$/);
  });

  it("startProgress with nothing to compute prints only the summary", () => {
    const { stream, text } = captureStream(true);
    startProgress("error", { points: 5, cached: 5, toCompute: 0 }, stream).stop();
    expect(text()).toMatch(/^error: 5 points, 5 cached, 0 distinct computed in \d+\.\d s\n$/);
  });
});
