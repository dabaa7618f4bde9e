import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normaliseIds, Plot, rasterise, renderFigure, renderSvg, writeFigure } from "../src/index.ts";
import { tinyFigure } from "./fixture.ts";

const goldenSvg = new URL("./golden/tiny.svg", import.meta.url).pathname;

describe("renderSvg", () => {
  it("renderSvg(tinyFigure) equals the committed golden SVG", () => {
    const svg = renderSvg(tinyFigure());
    if (process.env.UPDATE_GOLDENS === "1") writeFileSync(goldenSvg, svg);
    expect(existsSync(goldenSvg), `missing golden ${goldenSvg}; run with UPDATE_GOLDENS=1`).toBe(true);
    expect(svg).toBe(readFileSync(goldenSvg, "utf8"));
  });

  it("renderSvg output is a standalone SVG document with xmlns, legend and titles inside", () => {
    const svg = renderSvg(tinyFigure());
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).not.toMatch(/<(figure|div|span|h2|figcaption)\b/);
    expect(svg).toContain(">Tiny figure</text>");
    expect(svg).toContain(">lfsr</text>");
    expect(svg).toContain("&amp; &lt;escaping&gt;");
  });

  it("renderSvg gives the same string for a figure rendered after other figures (ids renumbered)", () => {
    const clipped = (): Parameters<typeof renderSvg>[0] => ({
      marks: [Plot.dot([{ a: 1, b: 2 }], { x: "a", y: "b", clip: true })],
    });
    const first = renderSvg(clipped());
    renderSvg(clipped());
    const third = renderSvg(clipped());
    expect(first).toContain("plot-clip-1");
    expect(third).toBe(first);
  });

  it("renderSvg rejects a symbol legend naming options.symbol.legend", () => {
    expect(() =>
      renderSvg({ symbol: { legend: true }, marks: [Plot.dot([{ a: 1, s: "x" }], { x: "a", symbol: "s" })] }),
    ).toThrow(/options\.symbol\.legend/);
  });

  it("renderSvg draws a continuous color legend as a gradient inside the SVG", () => {
    const svg = renderSvg({
      color: { legend: true, type: "linear", label: "value" },
      marks: [Plot.dot([{ a: 1 }, { a: 3 }], { x: "a", fill: "a" })],
    });
    expect(svg).toContain("linearGradient");
    expect(svg).toContain(">value</text>");
  });
});

describe("normaliseIds", () => {
  it("normaliseIds renumbers clip, pattern and marker ids by first appearance", () => {
    expect(normaliseIds('a="plot-clip-7" b="url(#plot-clip-7)" c="plot-clip-9" d="plot-marker-3"')).toBe(
      'a="plot-clip-1" b="url(#plot-clip-1)" c="plot-clip-2" d="plot-marker-1"',
    );
  });
});

describe("rasterise / renderFigure", () => {
  it("renderFigure gives byte-identical PNGs on repeated renders", () => {
    const a = renderFigure(tinyFigure());
    const b = renderFigure(tinyFigure());
    expect(a.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(Buffer.compare(a.png, b.png)).toBe(0);
    expect(a.widthPx).toBe(640);
  });

  it("rasterise draws text with the pinned font (dark pixels where only a text element is)", () => {
    const onlyText =
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="30"><text x="5" y="20" font-size="16" font-family="DejaVu Sans">Abc</text></svg>';
    const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="30"></svg>';
    const dark = (pixels: Buffer) => {
      let n = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128) n++;
      return n;
    };
    expect(dark(rasterise(blank, { scale: 1 }).pixels)).toBe(0);
    expect(dark(rasterise(onlyText, { scale: 1 }).pixels)).toBeGreaterThan(30);
  });
});

describe("writeFigure", () => {
  it("writeFigure writes <name>.svg and <name>.png with the rendered bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), "plots-"));
    const { svgPath, pngPath, figure } = writeFigure(join(dir, "nested"), "tiny", tinyFigure());
    expect(readFileSync(svgPath, "utf8")).toBe(figure.svg);
    expect(Buffer.compare(readFileSync(pngPath), figure.png)).toBe(0);
  });

  it("writeFigure rejects a name with a path separator", () => {
    expect(() => writeFigure(tmpdir(), "../x", tinyFigure())).toThrow(/name "\.\.\/x"/);
  });
});
