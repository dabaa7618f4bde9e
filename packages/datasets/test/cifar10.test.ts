import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CIFAR10_DIR_ENV, CIFAR10_RECORD_BYTES, loadDataset } from "../src/index.ts";

/** A record whose label is `label` and whose pixel i (channel-major) is (seed + i) mod 256. */
function record(label: number, seed: number): Uint8Array {
  const r = new Uint8Array(CIFAR10_RECORD_BYTES);
  r[0] = label;
  for (let i = 0; i < 3072; i++) r[1 + i] = (seed + i) % 256;
  return r;
}

function batch(records: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(records.length * CIFAR10_RECORD_BYTES);
  records.forEach((r, i) => out.set(r, i * CIFAR10_RECORD_BYTES));
  return out;
}

/** A small CIFAR-10 folder: 5 train batches of 2 records each and a test batch of 3. */
function makeCifarDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sccnn-cifar-"));
  for (let b = 1; b <= 5; b++) {
    writeFileSync(
      join(dir, `data_batch_${b}.bin`),
      batch([record((2 * b) % 10, b * 10), record((2 * b + 1) % 10, b * 10 + 1)]),
    );
  }
  writeFileSync(join(dir, "test_batch.bin"), batch([record(3, 0), record(8, 100), record(0, 200)]));
  return dir;
}

describe("CIFAR-10 binary format", () => {
  const dir = makeCifarDir();

  it("loadDataset('cifar10', 'test', { dir }) reads labels and NCHW pixels scaled to [0, 1]", () => {
    const d = loadDataset("cifar10", "test", { dir });
    expect(d.count).toBe(3);
    expect(d.shape).toEqual([3, 32, 32]);
    expect(Array.from(d.labels)).toEqual([3, 8, 0]);
    // image 1, channel 2 (blue), row 5, column 7 → byte index 2*1024 + 5*32 + 7 of record 1.
    const i = 2 * 1024 + 5 * 32 + 7;
    expect(d.images[1 * 3072 + i]).toBeCloseTo(((100 + i) % 256) / 255, 7);
    expect(d.classes[3]).toBe("cat");
  });

  it("loadDataset('cifar10', 'train') concatenates data_batch_1..5 in order and honours limit across files", () => {
    const all = loadDataset("cifar10", "train", { dir });
    expect(all.count).toBe(10);
    expect(Array.from(all.labels)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    const some = loadDataset("cifar10", "train", { dir, limit: 3 });
    expect(Array.from(some.labels)).toEqual([2, 3, 4]);
    expect(some.images[2 * 3072]).toBeCloseTo(20 / 255, 7);
  });

  it(`loadDataset('cifar10') reads the folder from $${CIFAR10_DIR_ENV} when no dir is given`, () => {
    const before = process.env[CIFAR10_DIR_ENV];
    process.env[CIFAR10_DIR_ENV] = dir;
    try {
      expect(loadDataset("cifar10", "test").count).toBe(3);
    } finally {
      if (before === undefined) delete process.env[CIFAR10_DIR_ENV];
      else process.env[CIFAR10_DIR_ENV] = before;
    }
  });

  it("loadDataset('cifar10') without a folder names the option and the variable", () => {
    const before = process.env[CIFAR10_DIR_ENV];
    delete process.env[CIFAR10_DIR_ENV];
    try {
      expect(() => loadDataset("cifar10", "test")).toThrow(/pass \{ dir \} or set SCCNN_CIFAR10_DIR/);
    } finally {
      if (before !== undefined) process.env[CIFAR10_DIR_ENV] = before;
    }
  });

  it("loadDataset('cifar10') rejects a truncated batch, a bad label and a missing file, naming the file", () => {
    const bad = mkdtempSync(join(tmpdir(), "sccnn-cifar-bad-"));
    writeFileSync(join(bad, "test_batch.bin"), batch([record(1, 0)]).subarray(0, 3000));
    expect(() => loadDataset("cifar10", "test", { dir: bad })).toThrow(
      /test_batch\.bin: size 3000 bytes is not a positive multiple of the 3073-byte CIFAR-10 record/,
    );
    writeFileSync(join(bad, "test_batch.bin"), batch([record(1, 0), record(12, 0)]));
    expect(() => loadDataset("cifar10", "test", { dir: bad })).toThrow(
      /test_batch\.bin: record 1 has label 12, out of range 0\.\.9/,
    );
    expect(() => loadDataset("cifar10", "train", { dir: bad })).toThrow(/data_batch_1\.bin: file not found/);
  });
});
