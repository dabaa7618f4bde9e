/**
 * Checkpoint files (format in packages/nn/CHECKPOINT.md):
 *
 *     bytes 0..7    magic "SCCNN-CK" (ASCII)
 *     bytes 8..11   header length H, uint32 little-endian (H is a multiple of 4)
 *     bytes 12..    H bytes of UTF-8 JSON header (space-padded), schema in checkpoint-schema.ts
 *     then          dataBytes bytes of float32 little-endian tensors at header.tensors[i].offset
 *
 * Writing is atomic (temporary file in the same folder, then rename). Loading checks the magic,
 * the sizes, the header schema (errors name the JSON path), that the tensors are exactly those the
 * stored spec builds, and optionally that they match a given spec.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { countParams } from "../shapes.ts";
import type { NetworkSpec } from "../spec.ts";
import { checkpointHeaderSchema } from "./checkpoint-schema.ts";
import { specTensors, type Model, type TensorEntry, type WeightRecord } from "./model.ts";
import { shapeSize } from "./tensor.ts";

export const CHECKPOINT_MAGIC = "SCCNN-CK";
const PREFIX_BYTES = 12;

export interface CheckpointAccuracy {
  /** Test-set accuracy as a fraction in [0, 1]. */
  test?: number;
  train?: number;
  dataset?: string;
  testImages?: number;
}

export interface CheckpointTensor {
  name: string;
  shape: number[];
  kind: "param" | "buffer";
  dtype: "float32";
  /** Byte offset inside the data section. */
  offset: number;
}

export interface CheckpointHeader {
  format: "sccnn-checkpoint";
  version: 1;
  spec: NetworkSpec;
  seed: number;
  tensors: CheckpointTensor[];
  dataBytes: number;
  /** Training configuration (any JSON object), or null. */
  training: Record<string, unknown> | null;
  accuracy: CheckpointAccuracy | null;
  notes?: string;
}

export interface CheckpointContent {
  spec: NetworkSpec;
  seed: number;
  /** Every tensor the spec builds (params and buffers), by name. */
  weights: WeightRecord;
  training?: Record<string, unknown> | null;
  accuracy?: CheckpointAccuracy | null;
  notes?: string;
}

export interface Checkpoint {
  header: CheckpointHeader;
  spec: NetworkSpec;
  seed: number;
  weights: WeightRecord;
}

const ajv = new Ajv2020({ allErrors: false, strict: false });
const validateHeader = ajv.compile(checkpointHeaderSchema);

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function fmt(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Compares stored tensors with the ones `spec` builds; returns the first difference or null. */
function tensorMismatch(
  stored: readonly { name: string; shape: readonly number[] }[],
  expected: TensorEntry[],
  specId: string,
): string | null {
  const byName = new Map(stored.map((t) => [t.name, t]));
  for (const e of expected) {
    const t = byName.get(e.name);
    if (!t) return `tensor "${e.name}" (shape ${fmt(e.shape)}) required by spec "${specId}" is missing`;
    if (!sameShape(t.shape, e.shape))
      return `tensor "${e.name}" has shape ${fmt(t.shape)}, spec "${specId}" needs ${fmt(e.shape)}`;
    byName.delete(e.name);
  }
  const extra = [...byName.keys()];
  return extra.length ? `tensor "${extra[0]}" is not part of spec "${specId}"` : null;
}

/** Header + data bytes for `content` (deterministic: same content, same bytes). */
export function encodeCheckpoint(content: CheckpointContent): Uint8Array {
  const expected = specTensors(content.spec);
  const mismatch = tensorMismatch(
    Object.entries(content.weights).map(([name, v]) => {
      const e = expected.find((t) => t.name === name);
      return { name, shape: e && v.length === shapeSize(e.shape) ? e.shape : [v.length] };
    }),
    expected,
    content.spec.id,
  );
  if (mismatch) throw new Error(`saveCheckpoint: ${mismatch}`);
  let offset = 0;
  const tensors: CheckpointTensor[] = expected.map((t) => {
    const entry: CheckpointTensor = { name: t.name, shape: t.shape, kind: t.kind, dtype: "float32", offset };
    offset += shapeSize(t.shape) * 4;
    return entry;
  });
  const header: CheckpointHeader = {
    format: "sccnn-checkpoint",
    version: 1,
    spec: content.spec,
    seed: content.seed,
    tensors,
    dataBytes: offset,
    training: content.training ?? null,
    accuracy: content.accuracy ?? null,
    ...(content.notes !== undefined ? { notes: content.notes } : {}),
  };
  if (!validateHeader(header)) {
    const err = validateHeader.errors?.[0];
    throw new Error(`saveCheckpoint: header${err?.instancePath || "/"} ${err?.message ?? "is invalid"}`);
  }
  let json = Buffer.from(JSON.stringify(header), "utf8");
  const padded = (json.length + 3) & ~3;
  json = Buffer.concat([json, Buffer.alloc(padded - json.length, 0x20)]);
  const out = Buffer.alloc(PREFIX_BYTES + json.length + offset);
  out.write(CHECKPOINT_MAGIC, 0, "ascii");
  out.writeUInt32LE(json.length, 8);
  json.copy(out, PREFIX_BYTES);
  const dataStart = PREFIX_BYTES + json.length;
  for (const t of tensors) {
    const v = content.weights[t.name];
    for (let i = 0; i < v.length; i++) out.writeFloatLE(v[i], dataStart + t.offset + 4 * i);
  }
  return out;
}

/** Writes a checkpoint atomically (temporary file next to `path`, fsync, rename). */
export function saveCheckpoint(path: string, content: CheckpointContent): void {
  const bytes = encodeCheckpoint(content);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/** The checkpoint content of a model (all its params and buffers). */
export function modelCheckpoint(
  model: Model,
  meta: { training?: Record<string, unknown> | null; accuracy?: CheckpointAccuracy | null; notes?: string } = {},
): CheckpointContent {
  return { spec: model.spec, seed: model.seed, weights: model.weights, ...meta };
}

export interface LoadCheckpointOptions {
  /** When given, every tensor must match this spec's names and shapes. */
  spec?: NetworkSpec;
}

/** Parses checkpoint bytes; `source` names the file in error messages. */
export function decodeCheckpoint(bytes: Uint8Array, source: string, options: LoadCheckpointOptions = {}): Checkpoint {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < PREFIX_BYTES) {
    if (buf.length >= 8 && buf.toString("latin1", 0, 8) !== CHECKPOINT_MAGIC)
      throw new Error(
        `${source}: bad magic ${JSON.stringify(buf.toString("latin1", 0, 8))} (expected "${CHECKPOINT_MAGIC}"): not an sccnn checkpoint`,
      );
    throw new Error(
      `${source}: truncated: ${buf.length} bytes, shorter than the ${PREFIX_BYTES}-byte prefix (magic + header length)`,
    );
  }
  const magic = buf.toString("latin1", 0, 8);
  if (magic !== CHECKPOINT_MAGIC)
    throw new Error(
      `${source}: bad magic ${JSON.stringify(magic)} (expected "${CHECKPOINT_MAGIC}"): not an sccnn checkpoint`,
    );
  const headerBytes = buf.readUInt32LE(8);
  if (PREFIX_BYTES + headerBytes > buf.length) {
    throw new Error(
      `${source}: truncated: header length says ${headerBytes} bytes but only ${buf.length - PREFIX_BYTES} follow the prefix`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(buf.toString("utf8", PREFIX_BYTES, PREFIX_BYTES + headerBytes));
  } catch (e) {
    throw new Error(`${source}: header is not valid JSON: ${(e as Error).message}`);
  }
  if (!validateHeader(header)) {
    const err = validateHeader.errors?.[0];
    const where = err?.instancePath || "/";
    const extra =
      err?.params && "additionalProperty" in err.params
        ? ` (${String(err.params.additionalProperty)})`
        : err?.params && "allowedValues" in err.params
          ? ` (${JSON.stringify(err.params.allowedValues)})`
          : "";
    throw new Error(
      `${source}: header does not match the checkpoint schema at ${where}: ${err?.message ?? "invalid"}${extra}`,
    );
  }
  const h = header as CheckpointHeader;
  const dataStart = PREFIX_BYTES + headerBytes;
  const have = buf.length - dataStart;
  if (have < h.dataBytes)
    throw new Error(`${source}: truncated: data section has ${have} bytes, header says ${h.dataBytes}`);
  if (have > h.dataBytes)
    throw new Error(`${source}: ${have - h.dataBytes} unexpected bytes after the ${h.dataBytes}-byte data section`);
  // Count the spec's parameters from shapes alone before building anything: a small file claiming a
  // huge layer (500 000 channels) is refused here instead of allocating ~1 GB first.
  let params: number;
  try {
    params = countParams(h.spec);
  } catch (e) {
    throw new Error(`${source}: header /spec does not build: ${(e as Error).message}`);
  }
  if (4 * params > h.dataBytes)
    throw new Error(
      `${source}: header /spec has ${params} parameters (${4 * params} bytes), more than the ${h.dataBytes}-byte data section holds`,
    );
  let expected: TensorEntry[];
  try {
    expected = specTensors(h.spec);
  } catch (e) {
    throw new Error(`${source}: header /spec does not build: ${(e as Error).message}`);
  }
  const inner = tensorMismatch(h.tensors, expected, h.spec.id);
  if (inner) throw new Error(`${source}: ${inner} (header /tensors disagrees with header /spec)`);
  if (options.spec) {
    const want = tensorMismatch(h.tensors, specTensors(options.spec), options.spec.id);
    if (want) throw new Error(`${source}: does not fit the given spec: ${want}`);
  }
  const weights: WeightRecord = {};
  for (const [i, t] of h.tensors.entries()) {
    const n = shapeSize(t.shape);
    if (t.offset + 4 * n > h.dataBytes)
      throw new Error(
        `${source}: header /tensors/${i} ("${t.name}") ends at byte ${t.offset + 4 * n}, beyond dataBytes ${h.dataBytes}`,
      );
    const v = new Float32Array(n);
    const base = dataStart + t.offset;
    for (let k = 0; k < n; k++) v[k] = buf.readFloatLE(base + 4 * k);
    weights[t.name] = v;
  }
  return { header: h, spec: h.spec, seed: h.seed, weights };
}

export function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Checkpoint {
  return decodeCheckpoint(readFileSync(path), path, options);
}
