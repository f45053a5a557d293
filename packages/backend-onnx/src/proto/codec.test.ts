import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from './codec.js';
import { DataType } from './types.js';

describe('onnx.proto', () => {
  it('round-trips a model, int64 fields as numbers and bytes intact', () => {
    const raw = new Uint8Array(new Float32Array([1.5, -2]).buffer);
    const bytes = encodeModel({
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      producer_name: 'netspec',
      graph: {
        name: 'g',
        initializer: [{ name: 'w', dims: [2], data_type: DataType.FLOAT, raw_data: raw }],
        input: [
          {
            name: 'x',
            type: {
              tensor_type: {
                elem_type: 1,
                shape: { dim: [{ dim_param: 'batch' }, { dim_value: 3 }] },
              },
            },
          },
        ],
      },
    });
    const back = decodeModel(bytes);
    expect(back.ir_version).toBe(8);
    expect(back.opset_import).toEqual([{ domain: '', version: 17 }]);
    const w = back.graph?.initializer?.[0];
    expect(w?.dims).toEqual([2]);
    expect(Array.from(new Uint8Array(w?.raw_data ?? []))).toEqual(Array.from(raw));
    expect(back.graph?.input?.[0]?.type?.tensor_type?.shape?.dim).toEqual([
      { dim_param: 'batch' },
      { dim_value: 3 },
    ]);
  });

  it('writes the official field numbers (ModelProto.ir_version = 1, graph = 7, opset_import = 8)', () => {
    const bytes = encodeModel({
      ir_version: 8,
      graph: { name: 'g' },
      opset_import: [{ version: 17 }],
    });
    // tags: (1 << 3 | varint) = 0x08, (7 << 3 | length) = 0x3a, (8 << 3 | length) = 0x42
    expect([...bytes.slice(0, 2)]).toEqual([0x08, 8]);
    expect(bytes).toContain(0x3a);
    expect(bytes).toContain(0x42);
  });
});
