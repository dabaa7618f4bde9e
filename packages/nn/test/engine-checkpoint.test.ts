import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CHECKPOINT_MAGIC,
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  modelCheckpoint,
  saveCheckpoint,
} from "../src/engine/checkpoint.ts";
import { buildModel } from "../src/engine/model.ts";
import type { NetworkSpec } from "../src/spec.ts";
import { lenet5 } from "./engine-helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "sccnn-ckpt-"));
const training = { epochs: 1, batchSize: 64, optimizer: { type: "sgd", lr: 0.05, momentum: 0.9 } };

function saved(name: string): { path: string; bytes: Buffer } {
  const model = buildModel(lenet5, { seed: 3, kernels: "ts" });
  model.weights["c1.bias"].set([1, -2, 3.5, 0, 1e-7, -0]);
  const path = join(dir, name);
  saveCheckpoint(
    path,
    modelCheckpoint(model, { training, accuracy: { test: 0.987, dataset: "mnist", testImages: 10000 } }),
  );
  return { path, bytes: readFileSync(path) };
}

/** Rewrites the JSON header of checkpoint bytes (keeps the data section). */
function withHeader(bytes: Buffer, edit: (h: Record<string, unknown>) => void): Buffer {
  const len = bytes.readUInt32LE(8);
  const h = JSON.parse(bytes.toString("utf8", 12, 12 + len)) as Record<string, unknown>;
  edit(h);
  let json = Buffer.from(JSON.stringify(h));
  json = Buffer.concat([json, Buffer.alloc(((json.length + 3) & ~3) - json.length, 0x20)]);
  const prefix = Buffer.alloc(12);
  prefix.write(CHECKPOINT_MAGIC, 0, "ascii");
  prefix.writeUInt32LE(json.length, 8);
  return Buffer.concat([prefix, json, bytes.subarray(12 + len)]);
}

describe("checkpoints", () => {
  it("saveCheckpoint then loadCheckpoint returns the same tensors bit for bit, spec, seed, training config and accuracy", () => {
    const model = buildModel(lenet5, { seed: 3, kernels: "ts" });
    model.weights["c1.bias"].set([1, -2, 3.5, 0, 1e-7, -0]);
    const { path } = saved("roundtrip.ckpt");
    const ck = loadCheckpoint(path, { spec: lenet5 });
    expect(ck.spec).toEqual(lenet5);
    expect(ck.seed).toBe(3);
    expect(ck.header.training).toEqual(training);
    expect(ck.header.accuracy).toEqual({ test: 0.987, dataset: "mnist", testImages: 10000 });
    expect(Object.keys(ck.weights)).toEqual(model.tensors.map((t) => t.name));
    for (const [k, v] of Object.entries(model.weights))
      expect(Buffer.from(ck.weights[k].buffer).equals(Buffer.from(Float32Array.from(v).buffer))).toBe(true);
    const again = buildModel(lenet5, { seed: 99, kernels: "ts" });
    again.loadWeights(ck.weights);
    expect(Buffer.from(again.paramData.buffer).equals(Buffer.from(model.paramData.buffer))).toBe(true);
  });

  it("saveCheckpoint stores batchnorm running statistics as buffers and loadCheckpoint restores them", () => {
    const spec: NetworkSpec = {
      ...lenet5,
      id: "bn",
      layers: [lenet5.layers[0], { type: "batchnorm", name: "bn1" }, ...lenet5.layers.slice(1)],
    };
    const model = buildModel(spec, { seed: 4, kernels: "ts" });
    model.weights["bn1.runningMean"].set([0.5, -1, 2, 0, 0.25, 3]);
    model.weights["bn1.runningVar"].set([1.5, 2, 0.1, 1, 4, 9]);
    const path = join(dir, "bn.ckpt");
    saveCheckpoint(path, modelCheckpoint(model));
    const ck = loadCheckpoint(path, { spec });
    expect(ck.header.tensors.filter((t) => t.kind === "buffer").map((t) => t.name)).toEqual([
      "bn1.runningMean",
      "bn1.runningVar",
    ]);
    expect([...ck.weights["bn1.runningVar"]]).toEqual([...model.weights["bn1.runningVar"]]);
    expect(ck.header.training).toBeNull();
  });

  it("saveCheckpoint writes byte-identical files for the same content and leaves no temporary file", () => {
    const a = saved("same-a.ckpt"),
      b = saved("same-b.ckpt");
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.bytes.toString("ascii", 0, 8)).toBe("SCCNN-CK");
    expect((12 + a.bytes.readUInt32LE(8)) % 4).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("loadCheckpoint of a truncated file names the missing bytes (prefix, header and data truncation)", () => {
    const { bytes } = saved("trunc.ckpt");
    const p = join(dir, "t.ckpt");
    writeFileSync(p, bytes.subarray(0, 10));
    expect(() => loadCheckpoint(p)).toThrow(/t\.ckpt: truncated: 10 bytes, shorter than the 12-byte prefix/);
    writeFileSync(p, bytes.subarray(0, 100));
    expect(() => loadCheckpoint(p)).toThrow(/truncated: header length says \d+ bytes but only 88 follow the prefix/);
    writeFileSync(p, bytes.subarray(0, bytes.length - 4));
    expect(() => loadCheckpoint(p)).toThrow(/truncated: data section has \d+ bytes, header says \d+/);
    writeFileSync(p, Buffer.concat([bytes, Buffer.alloc(8)]));
    expect(() => loadCheckpoint(p)).toThrow(/8 unexpected bytes after the \d+-byte data section/);
  });

  it("loadCheckpoint of a file with another magic says it is not a checkpoint", () => {
    const { bytes } = saved("magic.ckpt");
    const bad = Buffer.from(bytes);
    bad.write("PK\u0003\u0004xxxx", 0, "latin1");
    expect(() => decodeCheckpoint(bad, "x.zip")).toThrow(
      /x\.zip: bad magic "PK\\u0003\\u0004xxxx" \(expected "SCCNN-CK"\): not an sccnn checkpoint/,
    );
  });

  it("loadCheckpoint reports header schema violations with their JSON path", () => {
    const { bytes } = saved("schema.ckpt");
    const cases: [(h: Record<string, unknown>) => void, RegExp][] = [
      [
        (h) => {
          (h.tensors as { shape: unknown[] }[])[1].shape[0] = 2.5;
        },
        /at \/tensors\/1\/shape\/0: must be integer/,
      ],
      [
        (h) => {
          (h.spec as { layers: Record<string, unknown>[] }).layers[0].outChannels = -6;
        },
        /at \/spec\/layers\/0\/outChannels: must be >= 1/,
      ],
      [
        (h) => {
          h.version = 2;
        },
        /at \/version: must be equal to constant/,
      ],
      [
        (h) => {
          (h.accuracy as Record<string, unknown>).test = 98.7;
        },
        /at \/accuracy\/test: must be <= 1/,
      ],
      [
        (h) => {
          h.extra = 1;
        },
        /at \/: must NOT have additional properties \(extra\)/,
      ],
    ];
    for (const [edit, re] of cases) expect(() => decodeCheckpoint(withHeader(bytes, edit), "h.ckpt")).toThrow(re);
    const notJson = Buffer.from(bytes);
    notJson.write("{{", 12, "ascii");
    expect(() => decodeCheckpoint(notJson, "j.ckpt")).toThrow(/j\.ckpt: header is not valid JSON/);
  });

  it("loadCheckpoint against a different spec names the tensor whose shape does not match", () => {
    const { path } = saved("mismatch.ckpt");
    const wider: NetworkSpec = {
      ...lenet5,
      layers: lenet5.layers.map((l) => (l.type === "conv" && l.name === "c1" ? { ...l, outChannels: 8 } : l)),
    };
    expect(() => loadCheckpoint(path, { spec: wider })).toThrow(
      /does not fit the given spec: tensor "c1.weight" has shape \[6, 1, 5, 5\], spec "lenet5-test" needs \[8, 1, 5, 5\]/,
    );
    const extraLayer: NetworkSpec = {
      ...lenet5,
      layers: [...lenet5.layers.slice(0, 1), { type: "batchnorm", name: "bn1" }, ...lenet5.layers.slice(1)],
    };
    expect(() => loadCheckpoint(path, { spec: extraLayer })).toThrow(
      /tensor "bn1.gamma" \(shape \[6\]\) required by spec "lenet5-test" is missing/,
    );
  });

  it("loadCheckpoint rejects a header whose tensor list disagrees with its own spec", () => {
    const { bytes } = saved("inner.ckpt");
    const edited = withHeader(bytes, (h) => {
      (h.tensors as { shape: number[] }[])[0].shape = [6, 1, 25];
    });
    expect(() => decodeCheckpoint(edited, "i.ckpt")).toThrow(
      /tensor "c1.weight" has shape \[6, 1, 25\], spec "lenet5-test" needs \[6, 1, 5, 5\] \(header \/tensors disagrees with header \/spec\)/,
    );
  });

  it("loadCheckpoint refuses a small file whose spec claims a huge layer before building it (issue 11: 500 000 channels allocated ~1 GB first)", () => {
    const { bytes } = saved("huge.ckpt");
    const edited = withHeader(bytes, (h) => {
      const layers = (h.spec as { layers: Record<string, unknown>[] }).layers;
      const conv = layers.find((l) => l.type === "conv")!;
      conv.outChannels = 500_000;
    });
    const heap = process.memoryUsage().heapUsed;
    expect(() => decodeCheckpoint(edited, "huge.ckpt")).toThrow(
      /^huge\.ckpt: header \/spec has \d+ parameters \(\d+ bytes\), more than the \d+-byte data section holds$/,
    );
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(100 << 20);
  });

  it("encodeCheckpoint refuses weights missing a tensor of the spec", () => {
    const model = buildModel(lenet5, { seed: 1, kernels: "ts" });
    const weights = { ...model.weights };
    delete weights["f3.bias"];
    expect(() => encodeCheckpoint({ spec: lenet5, seed: 1, weights })).toThrow(
      /saveCheckpoint: tensor "f3.bias" \(shape \[10\]\) required by spec "lenet5-test" is missing/,
    );
  });
});
