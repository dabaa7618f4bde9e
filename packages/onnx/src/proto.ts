/**
 * The ONNX protobuf schema, decoded and encoded by `onnx-proto` 8.0.1 (MIT; static protobufjs 6
 * code generated from onnx/onnx.proto of ONNX v1.10.2, IR version 8), plus small helpers for
 * tensors and attributes shared by the importer and the exporter.
 */
import onnxProto from "onnx-proto";

export const onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.ModelProto;
export type INodeProto = onnxProto.onnx.INodeProto;
export type ITensorProto = onnxProto.onnx.ITensorProto;
export type IAttributeProto = onnxProto.onnx.IAttributeProto;
export type IGraphProto = onnxProto.onnx.IGraphProto;
export type IValueInfoProto = onnxProto.onnx.IValueInfoProto;

/** ONNX TensorProto.DataType codes used here. */
export const DATA_TYPE = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;

/** protobufjs gives int64 fields as Long objects (or numbers); converts to a safe integer. */
export function int64ToNumber(v: number | { toNumber(): number } | null | undefined, what: string): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === "number" ? v : v.toNumber();
  if (!Number.isSafeInteger(n)) throw new Error(`${what}: int64 value ${String(v)} is out of the safe integer range`);
  return n;
}

/** Float32 tensor with its shape. */
export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

function dimsOf(t: ITensorProto, what: string): number[] {
  return (t.dims ?? []).map((d) => int64ToNumber(d, `${what} dims`));
}

function expectedSize(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Reads a FLOAT (or DOUBLE, rounded to float32) tensor from raw_data, float_data or double_data. */
export function readFloatTensor(t: ITensorProto, what: string): FloatTensor {
  const dims = dimsOf(t, what);
  const n = expectedSize(dims);
  if (t.dataLocation === 1 || (t.externalData && t.externalData.length > 0)) {
    throw new Error(
      `${what}: tensor data stored in an external file is not supported (save the model with its weights inside the .onnx file)`,
    );
  }
  let data: Float32Array;
  if (t.dataType === DATA_TYPE.FLOAT) {
    if (t.rawData && t.rawData.length > 0) {
      if (t.rawData.length !== 4 * n)
        throw new Error(`${what}: raw_data has ${t.rawData.length} bytes, dims [${dims.join(", ")}] need ${4 * n}`);
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, true);
    } else {
      const fd = t.floatData ?? [];
      if (fd.length !== n)
        throw new Error(`${what}: float_data has ${fd.length} values, dims [${dims.join(", ")}] need ${n}`);
      data = Float32Array.from(fd);
    }
  } else if (t.dataType === DATA_TYPE.DOUBLE) {
    if (t.rawData && t.rawData.length > 0) {
      if (t.rawData.length !== 8 * n)
        throw new Error(`${what}: raw_data has ${t.rawData.length} bytes, dims [${dims.join(", ")}] need ${8 * n}`);
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat64(8 * i, true);
    } else {
      const dd = t.doubleData ?? [];
      if (dd.length !== n)
        throw new Error(`${what}: double_data has ${dd.length} values, dims [${dims.join(", ")}] need ${n}`);
      data = Float32Array.from(dd);
    }
  } else {
    throw new Error(`${what}: data_type ${t.dataType} is not supported (expected FLOAT = 1)`);
  }
  return { dims, data };
}

/** Reads an INT64 tensor (raw_data or int64_data) as numbers. */
export function readInt64Tensor(t: ITensorProto, what: string): { dims: number[]; data: number[] } {
  const dims = dimsOf(t, what);
  const n = expectedSize(dims);
  if (t.dataType !== DATA_TYPE.INT64)
    throw new Error(`${what}: data_type ${t.dataType} is not supported here (expected INT64 = 7)`);
  if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== 8 * n)
      throw new Error(`${what}: raw_data has ${t.rawData.length} bytes, dims [${dims.join(", ")}] need ${8 * n}`);
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    const data: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = view.getBigInt64(8 * i, true);
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
        throw new Error(`${what}: int64 value ${v} is out of the safe integer range`);
      data.push(Number(v));
    }
    return { dims, data };
  }
  const d = (t.int64Data ?? []).map((v) => int64ToNumber(v, what));
  if (d.length !== n)
    throw new Error(`${what}: int64_data has ${d.length} values, dims [${dims.join(", ")}] need ${n}`);
  return { dims, data: d };
}

/** A FLOAT initializer with little-endian raw_data (the layout onnx.numpy_helper writes). */
export function floatTensor(name: string, dims: readonly number[], data: Float32Array): ITensorProto {
  const n = expectedSize([...dims]);
  if (data.length !== n) throw new Error(`${name}: ${data.length} values, dims [${dims.join(", ")}] need ${n}`);
  const raw = new Uint8Array(4 * n);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < n; i++) view.setFloat32(4 * i, data[i], true);
  return { name, dims: [...dims], dataType: DATA_TYPE.FLOAT, rawData: raw };
}

/** An INT64 initializer (raw_data). */
export function int64Tensor(name: string, dims: readonly number[], data: readonly number[]): ITensorProto {
  const raw = new Uint8Array(8 * data.length);
  const view = new DataView(raw.buffer);
  data.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
  return { name, dims: [...dims], dataType: DATA_TYPE.INT64, rawData: raw };
}

export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

export function intAttr(name: string, i: number): IAttributeProto {
  return { name, type: ATTRIBUTE_TYPE.INT, i };
}
export function intsAttr(name: string, ints: readonly number[]): IAttributeProto {
  return { name, type: ATTRIBUTE_TYPE.INTS, ints: [...ints] };
}
export function floatAttr(name: string, f: number): IAttributeProto {
  return { name, type: ATTRIBUTE_TYPE.FLOAT, f };
}
export function stringAttr(name: string, s: string): IAttributeProto {
  return { name, type: ATTRIBUTE_TYPE.STRING, s: new TextEncoder().encode(s) };
}
