import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseIdx, readIdxFile, readIdxPair } from "../src/index.ts";

/** Builds an IDX ubyte file with the given dims and data. */
function idx(dims: number[], data: number[], typeByte = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = typeByte;
  header[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

describe("parseIdx", () => {
  it("parseIdx(bytes) returns big-endian dims and the payload in order", () => {
    const parsed = parseIdx(idx([2, 1, 3], [1, 2, 3, 4, 5, 6]), "x.idx");
    expect(parsed.dims).toEqual([2, 1, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("parseIdx(bytes) rejects a bad magic number, naming the file", () => {
    const bytes = idx([1], [7]);
    bytes[0] = 0x1f;
    expect(() => parseIdx(bytes, "bad.idx")).toThrow(/bad\.idx: bad IDX magic number 0x1f000801/);
  });

  it("parseIdx(bytes) rejects a data type other than unsigned byte", () => {
    expect(() => parseIdx(idx([1], [7], 0x0d), "f.idx")).toThrow(/f\.idx: unsupported IDX data type 0x0d/);
  });

  it("parseIdx(bytes, file, 3) rejects a file with another dimension count", () => {
    expect(() => parseIdx(idx([4], [1, 2, 3, 4]), "labels.idx", 3)).toThrow(
      /labels\.idx: IDX header declares 1 dimensions, expected 3/,
    );
  });

  it("parseIdx(bytes) reports a truncated header", () => {
    expect(() => parseIdx(idx([5, 28, 28], []).subarray(0, 10), "h.idx")).toThrow(
      /h\.idx: truncated IDX header: 10 bytes, the 3-dimension header needs 16/,
    );
  });

  it("parseIdx(bytes) reports truncated data with the sizes", () => {
    const bytes = idx([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]).subarray(0, 16 + 5);
    expect(() => parseIdx(bytes, "t.idx")).toThrow(
      /t\.idx: truncated: header dims \[2, 2, 2\] need 8 data bytes, file has 5/,
    );
  });

  it("parseIdx(bytes) reports trailing bytes", () => {
    expect(() => parseIdx(idx([2], [1, 2, 3]), "x.idx")).toThrow(/x\.idx: has trailing bytes/);
  });

  it("parseIdx(bytes) rejects a buffer shorter than the magic number", () => {
    expect(() => parseIdx(new Uint8Array([0, 0]), "tiny")).toThrow(/tiny: not an IDX file: 2 bytes/);
  });
});

describe("readIdxFile / readIdxPair", () => {
  const dir = mkdtempSync(join(tmpdir(), "sccnn-idx-"));

  it("readIdxFile(path.gz) gunzips before parsing", () => {
    const file = join(dir, "a-idx1-ubyte.gz");
    writeFileSync(file, gzipSync(idx([3], [9, 8, 7])));
    expect(Array.from(readIdxFile(file, 1).data)).toEqual([9, 8, 7]);
  });

  it("readIdxFile(path.gz) names the file when it is not gzip", () => {
    const file = join(dir, "notgz.gz");
    writeFileSync(file, idx([3], [9, 8, 7]));
    expect(() => readIdxFile(file)).toThrow(/notgz\.gz: cannot gunzip/);
  });

  it("readIdxFile(missing) says the file was not found", () => {
    expect(() => readIdxFile(join(dir, "nope"))).toThrow(/nope: file not found/);
  });

  it("readIdxPair rejects a label count that differs from the image count", () => {
    const images = join(dir, "i3"),
      labels = join(dir, "l1");
    writeFileSync(images, idx([2, 1, 1], [0, 255]));
    writeFileSync(labels, idx([3], [0, 1, 2]));
    expect(() => readIdxPair(images, labels, 10)).toThrow(/l1: 3 labels but .*i3 has 2 images/);
  });

  it("readIdxPair rejects a label outside the class range", () => {
    const images = join(dir, "i3b"),
      labels = join(dir, "l1b");
    writeFileSync(images, idx([2, 1, 1], [0, 255]));
    writeFileSync(labels, idx([2], [0, 10]));
    expect(() => readIdxPair(images, labels, 10)).toThrow(/l1b: label 10 at index 1 is out of range 0\.\.9/);
  });
});
