import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnxPython } from './checker.js';
import { encodeTensor } from './proto/codec.js';
import { readTestDataSet, tensorFromProto, tensorToProto, writeTestDataSet } from './test-data.js';

// The .pb files are checked against the ONNX package itself (onnx.numpy_helper), both ways.
const python = (script: string, ...args: string[]) =>
  execFileSync(onnxPython(), ['-c', script, ...args], { encoding: 'utf8' });

describe('ONNX model-zoo test data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-pb-'));

  it('writes TensorProtos that onnx.numpy_helper reads: names, dims, dtypes and values', () => {
    const set = {
      inputs: {
        image: { data: Float32Array.from([0.5, -1.25, 3, 1e-7, 2, 7]), shape: [1, 2, 3] },
        ids: { data: Int32Array.from([4, -2, 9]), shape: [1, 3] },
      },
      outputs: { probs: { data: Float32Array.from([0.25, 0.75]), shape: [1, 2] } },
    };
    const out = writeTestDataSet(dir, 0, set);
    const read = python(
      `import sys, json, onnx
from onnx import numpy_helper
res = []
for p in sys.argv[1:]:
    t = onnx.TensorProto(); t.ParseFromString(open(p, 'rb').read())
    a = numpy_helper.to_array(t)
    res.append([t.name, list(a.shape), str(a.dtype), a.flatten().tolist()])
print(json.dumps(res))`,
      join(out, 'input_0.pb'),
      join(out, 'input_1.pb'),
      join(out, 'output_0.pb'),
    );
    expect(JSON.parse(read)).toEqual([
      ['image', [1, 2, 3], 'float32', [0.5, -1.25, 3, Math.fround(1e-7), 2, 7]],
      ['ids', [1, 3], 'int32', [4, -2, 9]],
      ['probs', [1, 2], 'float32', [0.25, 0.75]],
    ]);
    expect(readTestDataSet(out)).toEqual(set);
  });

  it('reads what onnx.numpy_helper writes, raw or typed', () => {
    const path = join(dir, 'py.pb');
    python(
      `import sys, numpy as np, onnx
from onnx import numpy_helper
t = numpy_helper.from_array(np.arange(6, dtype=np.float32).reshape(2, 3) / 4, 'x')
open(sys.argv[1], 'wb').write(t.SerializeToString())`,
      path,
    );
    const [name, t] = tensorFromProto(new Uint8Array(readFileSync(path)));
    expect(name).toBe('x');
    expect(t.shape).toEqual([2, 3]);
    expect([...t.data]).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
    // float_data instead of raw_data (another writer's choice).
    const typed = encodeTensor({ name: 'y', dims: [2], data_type: 1, float_data: [1.5, -2] });
    expect([...tensorFromProto(typed)[1].data]).toEqual([1.5, -2]);
  });

  it('rejects what it cannot read with the file and what was expected', () => {
    const short = encodeTensor({ name: 'x', dims: [2, 2], data_type: 1, float_data: [1, 2] });
    expect(() => tensorFromProto(short, 'a.pb')).toThrow(
      'a.pb: expected 4 values for dims [2,2], got 2',
    );
    const double = encodeTensor({ name: 'x', dims: [1], data_type: 11, double_data: [1] });
    expect(() => tensorFromProto(double, 'b.pb')).toThrow(
      'b.pb: expected data_type FLOAT (1) or INT32 (6), got 11',
    );
    expect(() => tensorFromProto(Uint8Array.from([0xff, 0xff, 0xff]), 'c.pb')).toThrow(
      /c\.pb: not a TensorProto/,
    );
    const empty = mkdtempSync(join(tmpdir(), 'netspec-pb-'));
    writeFileSync(
      join(empty, 'output_0.pb'),
      tensorToProto('y', { data: new Float32Array(1), shape: [1] }),
    );
    expect(() => readTestDataSet(empty)).toThrow(/expected input_0\.pb, found none/);
  });
});
