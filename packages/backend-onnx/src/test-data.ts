import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunnerTensor } from '@netspec/spec';
import { OnnxFileError } from './errors.js';
import { decodeTensor, encodeTensor } from './proto/codec.js';
import { DataType } from './proto/types.js';

// The ONNX model zoo's layout for regression data: `model.onnx` next to `test_data_set_N/`, which
// holds `input_K.pb` and `output_K.pb` (one TensorProto each, named after the graph's input or
// output, in graph order). onnxruntime's and ONNX's own test runners read the same files.

export interface TestDataSet {
  inputs: Record<string, RunnerTensor>;
  outputs: Record<string, RunnerTensor>;
}

/** One tensor as TensorProto bytes: float32 or int32, little-endian raw data. */
export function tensorToProto(name: string, t: RunnerTensor): Uint8Array {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return encodeTensor({
    name,
    dims: t.shape,
    data_type: t.data instanceof Int32Array ? DataType.INT32 : DataType.FLOAT,
    raw_data: bytes.slice(),
  });
}

/** A float32 or int32 TensorProto; anything else, or data that does not fill its dims, throws. */
export function tensorFromProto(bytes: Uint8Array, file = 'tensor'): [string, RunnerTensor] {
  let proto: ReturnType<typeof decodeTensor>;
  try {
    proto = decodeTensor(bytes);
  } catch (e) {
    throw new OnnxFileError(`${file}: not a TensorProto (${(e as Error).message})`);
  }
  const shape = proto.dims ?? [];
  const size = shape.reduce((a, b) => a * b, 1);
  const type = proto.data_type;
  if (type !== DataType.FLOAT && type !== DataType.INT32)
    throw new OnnxFileError(`${file}: expected data_type FLOAT (1) or INT32 (6), got ${type}`);
  const raw = proto.raw_data ?? new Uint8Array(0);
  const values = type === DataType.FLOAT ? proto.float_data : proto.int32_data;
  const count = raw.length > 0 ? raw.length / 4 : (values?.length ?? 0);
  if (count !== size)
    throw new OnnxFileError(`${file}: expected ${size} values for dims [${shape}], got ${count}`);
  const Kind = type === DataType.FLOAT ? Float32Array : Int32Array;
  // raw_data is little-endian; copy it to an aligned buffer before viewing it.
  const data = raw.length > 0 ? new Kind(raw.slice().buffer) : Kind.from(values ?? []);
  return [proto.name ?? '', { data, shape }];
}

/** Writes `dir/test_data_set_<index>/` with the inputs and outputs in the order given. */
export function writeTestDataSet(dir: string, index: number, set: TestDataSet): string {
  const out = join(dir, `test_data_set_${index}`);
  mkdirSync(out, { recursive: true });
  for (const [kind, tensors] of [
    ['input', set.inputs],
    ['output', set.outputs],
  ] as const)
    Object.entries(tensors).forEach(([name, t], k) => {
      writeFileSync(join(out, `${kind}_${k}.pb`), tensorToProto(name, t));
    });
  return out;
}

/** Reads a `test_data_set_N/` folder: its `input_K.pb` and `output_K.pb`, by tensor name. */
export function readTestDataSet(dir: string): TestDataSet {
  if (!existsSync(dir)) throw new OnnxFileError(`${dir}: no such test data set`);
  const read = (kind: 'input' | 'output') => {
    const index = (f: string) => Number.parseInt(f.slice(kind.length + 1), 10);
    const files = readdirSync(dir)
      .filter((f) => f.startsWith(`${kind}_`) && f.endsWith('.pb'))
      .sort((a, b) => index(a) - index(b));
    if (files.length === 0) throw new OnnxFileError(`${dir}: expected ${kind}_0.pb, found none`);
    return Object.fromEntries(
      files.map((f) => tensorFromProto(new Uint8Array(readFileSync(join(dir, f))), join(dir, f))),
    );
  };
  return { inputs: read('input'), outputs: read('output') };
}
