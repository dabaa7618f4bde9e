import { LIBERTY_OSU018, skipWithout } from "@sccnn/test-support";
import { describe, expect, it } from "vitest";
import {
  LibraryMissingError,
  libertyCellAreas,
  nand2Area,
  parseStat,
  resolveLibrary,
  TECHNOLOGIES,
} from "../src/index.ts";

describe("resolveLibrary", () => {
  it("resolveLibrary({ technology: 'osu018' }) reads the OSU 0.18 µm cells with their areas", (ctx) => {
    skipWithout(ctx, LIBERTY_OSU018);
    const lib = resolveLibrary({ technology: "osu018" });
    const areas = libertyCellAreas(lib.text);
    expect(areas.get("NAND2X1")).toBe(24);
    expect(areas.get("INVX1")).toBe(16);
    expect(areas.get("DFFPOSX1")).toBe(96);
    expect(areas.get("FAX1")).toBe(120);
    expect(areas.get("BUFX2")).toBeGreaterThan(0);
    expect(nand2Area(areas)).toBe(24);
  });

  it("resolveLibrary with a missing file names the Debian package and --liberty", () => {
    const fake = {
      osu999: {
        ...TECHNOLOGIES.osu018!,
        id: "osu999",
        libertyPath: "/nonexistent/osu999.lib",
        debianPackage: "qflow-tech-osu999",
      },
    };
    expect(() => resolveLibrary({ technology: "osu999" }, fake)).toThrow(LibraryMissingError);
    expect(() => resolveLibrary({ technology: "osu999" }, fake)).toThrow(
      /apt-get install -y qflow-tech-osu999.*--liberty <path>/,
    );
  });

  it("resolveLibrary rejects an unknown technology id and a missing --liberty path", () => {
    expect(() => resolveLibrary({ technology: "tsmc7" })).toThrow(/technology must be one of osu018, osu035, osu050/);
    expect(() => resolveLibrary({ libertyPath: "/nonexistent/x.lib" })).toThrow(
      /--liberty \/nonexistent\/x.lib: no such file/,
    );
  });
});

describe("parseStat", () => {
  it("parseStat(yosys stat -liberty text) reads area, sequential area and cell counts", () => {
    const text = `
=== mult_n2 ===

   Number of wires:                  9
   Number of cells:                  7
     AND2X1                          1
     NAND2X1                         4
     XOR2X1                          2

   Chip area for module '\\mult_n2': 208.000000
     of which used for sequential elements: 0.000000 (0.00%)
`;
    expect(parseStat(text, "mult_n2")).toEqual({
      top: "mult_n2",
      areaUm2: 208,
      sequentialAreaUm2: 0,
      cellCount: 7,
      cells: { AND2X1: 1, NAND2X1: 4, XOR2X1: 2 },
    });
  });

  it("parseStat throws naming the design when there is no area line", () => {
    expect(() => parseStat("nothing", "top_x")).toThrow(/top_x: no "Chip area" line/);
  });
});
