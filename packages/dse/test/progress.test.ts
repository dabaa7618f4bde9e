import { describe, expect, it } from "vitest";
import { progressLine, progressLines, startProgress } from "../src/index.ts";

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
      /^cost: 10 points, 4 cached, computing 6 distinct…\ncost: 6\/6 \(100 %\), [\d.]+\/s, ETA \d+ s\ncost: 10 points, 4 cached, 6 distinct computed in \d+\.\d s\n$/,
    );
  });

  it("progressLines on a non-terminal prints done/total, rate and ETA every interval and at the end, never in between", () => {
    const lines: string[] = [];
    let t = 0;
    const p = progressLines("accuracy", 40, { write: (s: string) => lines.push(s) }, { everyMs: 10_000, now: () => t });
    for (let i = 0; i < 40; i++) {
      t += 1000; // one point per second
      p.tick();
    }
    // 40 s of work: lines at 10, 20, 30 s and at the end.
    expect(lines).toEqual([
      "accuracy: 10/40 (25 %), 1.0/s, ETA 30 s\n",
      "accuracy: 20/40 (50 %), 1.0/s, ETA 20 s\n",
      "accuracy: 30/40 (75 %), 1.0/s, ETA 10 s\n",
      "accuracy: 40/40 (100 %), 1.0/s, ETA 0 s\n",
    ]);
    expect(progressLine("eval", 500, 10_000, 2000, " images")).toBe("eval: 500/10000 (5 %), 250 images/s, ETA 38 s");
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
