import { describe, expect, it } from 'vitest';
import {
  readSafetensors,
  SafetensorsError,
  tensorToFloat32,
  tensorToTypedArray,
  writeSafetensors,
} from './safetensors.js';

const enc = new TextEncoder();

/** A file with the header text exactly as given and `data` (or that many zero bytes). */
function file(
  header: string | object,
  data: Uint8Array | number = 0,
  declared?: number,
): Uint8Array {
  const json = enc.encode(typeof header === 'string' ? header : JSON.stringify(header));
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declared ?? json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}

/** The SafetensorsError that reading `bytes` throws. */
function readError(bytes: Uint8Array, opts?: { maxHeaderBytes?: number }): SafetensorsError {
  try {
    readSafetensors(bytes, opts);
  } catch (e) {
    if (e instanceof SafetensorsError) return e;
    throw e;
  }
  throw new Error('expected readSafetensors to throw');
}

const f32 = (shape: number[], begin: number) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, begin + 4 * shape.reduce((a, b) => a * b, 1)],
});

describe('safetensors round trip', () => {
  it('keeps dtypes, shapes, values and metadata', () => {
    const tensors = {
      'dense.kernel': {
        dtype: 'F32',
        shape: [2, 3],
        data: new Float32Array([1, -2, 3.5, 0, 1e-3, 7]),
      },
      'dense.bias': { dtype: 'F64', shape: [3], data: new Float64Array([0.1, 0.2, 0.3]) },
      step: { dtype: 'I64', shape: [], data: new BigInt64Array([123n]) },
      ids: { dtype: 'I32', shape: [2, 2], data: new Int32Array([1, -1, 2 ** 31 - 1, 0]) },
      small: { dtype: 'I16', shape: [1], data: new Int16Array([-300]) },
      bytes: { dtype: 'I8', shape: [3], data: new Int8Array([-128, 0, 127]) },
      mask: { dtype: 'BOOL', shape: [2], data: new Uint8Array([1, 0]) },
      empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
      '0': { dtype: 'U8', shape: [1], data: new Uint8Array([255]) },
    } as const;
    const bytes = writeSafetensors(tensors, { format: 'pt' });
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const { tensors: read, metadata } = readSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect([...read.keys()].sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const got = read.get(name);
      expect(got?.dtype).toBe(t.dtype);
      expect(got?.shape).toEqual(t.shape);
      expect(got && tensorToTypedArray(got)).toEqual(t.data);
    }
  });
  it('is deterministic whatever the key order', () => {
    const a = { dtype: 'F32', shape: [1], data: new Float32Array([1]) } as const;
    const b = { dtype: 'I16', shape: [1], data: new Int16Array([2]) } as const;
    expect(writeSafetensors({ a, b })).toEqual(writeSafetensors({ b, a }));
  });
  it('widens F16 and BF16 to float32', () => {
    // F16: 1.0 = 0x3c00, -2.5 = 0xc100, 2^-24 = 0x0001; BF16: 1.0 = 0x3f80, -0.5 = 0xbf00
    const bytes = writeSafetensors({
      h: { dtype: 'F16', shape: [3], data: new Uint16Array([0x3c00, 0xc100, 0x0001]) },
      b: { dtype: 'BF16', shape: [2], data: new Uint16Array([0x3f80, 0xbf00]) },
    });
    const { tensors } = readSafetensors(bytes);
    const h = tensors.get('h');
    const b = tensors.get('b');
    expect(h && tensorToTypedArray(h)).toEqual(new Float32Array([1, -2.5, 2 ** -24]));
    expect(b && tensorToFloat32(b)).toEqual(new Float32Array([1, -0.5]));
  });
  it('converts integers and float64 to float32', () => {
    const bytes = writeSafetensors({
      n: { dtype: 'I64', shape: [2], data: new BigInt64Array([3n, -4n]) },
    });
    const n = readSafetensors(bytes).tensors.get('n');
    expect(n && tensorToFloat32(n)).toEqual(new Float32Array([3, -4]));
  });
});

describe('safetensors byte layout', () => {
  const header =
    '{"__metadata__":{"format":"pt"},"b":{"dtype":"I16","shape":[],"data_offsets":[4,6]},' +
    '"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}       '; // 137 bytes + 7 spaces = 144
  // w = 1.5f (0x3fc00000), b = -2 (0xfffe), both little-endian; the wider dtype comes first.
  const data = [0x00, 0x00, 0xc0, 0x3f, 0xfe, 0xff];
  const expected = new Uint8Array([144, 0, 0, 0, 0, 0, 0, 0, ...enc.encode(header), ...data]);

  it('writes exactly the reference layout', () => {
    const bytes = writeSafetensors(
      {
        w: { dtype: 'F32', shape: [1], data: new Float32Array([1.5]) },
        b: { dtype: 'I16', shape: [], data: new Int16Array([-2]) },
      },
      { format: 'pt' },
    );
    expect(bytes).toEqual(expected);
  });
  it('reads it, with data as views into the file', () => {
    const { tensors } = readSafetensors(expected);
    const b = tensors.get('b');
    expect(b).toMatchObject({ dtype: 'I16', shape: [] });
    expect(b && tensorToTypedArray(b)).toEqual(new Int16Array([-2]));
    expect(tensors.get('w')?.data.buffer).toBe(expected.buffer);
    expect(tensors.get('w')?.data.byteOffset).toBe(8 + 144);
  });
});

describe('safetensors bad files', () => {
  const ok = { a: f32([2], 0) };
  const cases: [string, () => SafetensorsError, RegExp, number][] = [
    [
      'a truncated file',
      () => readError(new Uint8Array(5)),
      /^file: expected at least 8 bytes.*got 5$/,
      0,
    ],
    [
      'a header past the end',
      () => readError(file(ok, 8, 1000)),
      /header length within the file/,
      0,
    ],
    [
      'a header over maxHeaderBytes',
      () => readError(file(ok, 8), { maxHeaderBytes: 16 }),
      /<= 16 bytes \(maxHeaderBytes\)/,
      0,
    ],
    ['a huge u64 header length', () => readError(file(ok, 8, 2 ** 60)), /maxHeaderBytes/, 0],
    [
      'invalid JSON',
      () => readError(file('{"a": }')),
      /^header: expected JSON, got invalid JSON/,
      8 + 6,
    ],
    [
      'a header array',
      () => readError(file('[]')),
      /^header: expected a JSON object, got \[\]$/,
      8,
    ],
    [
      'an entry that is a number',
      () => readError(file({ a: 3 })),
      /^header entry "a": expected an object, got 3$/,
      9,
    ],
    [
      'an unknown entry key',
      () => readError(file({ a: { ...f32([2], 0), offsets: 1 } }, 8)),
      /expected only keys dtype, shape, data_offsets, got "offsets"/,
      9,
    ],
    [
      'an unknown dtype',
      () => readError(file({ a: { ...f32([2], 0), dtype: 'F8' } }, 8)),
      /expected a dtype.*got "F8"/,
      9,
    ],
    [
      'a negative dimension',
      () => readError(file({ a: { ...f32([2], 0), shape: [-2] } }, 8)),
      /expected a shape of non-negative integers, got \[-2\]/,
      9,
    ],
    [
      'a fractional dimension',
      () => readError(file({ a: { ...f32([2], 0), shape: [1.5] } }, 8)),
      /non-negative integers, got \[1\.5\]/,
      9,
    ],
    [
      'three data offsets',
      () => readError(file({ a: { ...f32([2], 0), data_offsets: [0, 4, 8] } }, 8)),
      /expected data_offsets \[begin, end\]/,
      9,
    ],
    [
      'begin after end',
      () => readError(file({ a: { ...f32([0], 0), data_offsets: [8, 0] } }, 8)),
      /begin <= end, got \[8, 0\]/,
      9,
    ],
    [
      'an end beyond the data',
      () => readError(file({ 'dense.kernel': { ...f32([1024], 0) } }, 1024)),
      /^header entry "dense.kernel": data_offsets end 4096 is beyond the data buffer \(1024 bytes\)$/,
      9,
    ],
    [
      'a length that does not match the shape',
      () => readError(file({ a: { ...f32([3], 0), data_offsets: [0, 8] } }, 8)),
      /shape \[3\] of F32 takes 12 bytes, got data_offsets spanning 8/,
      9,
    ],
    [
      'overlapping tensors',
      () => readError(file({ a: f32([2], 0), b: f32([2], 4) }, 12)),
      /^header entry "b": expected data to start at 8, got 4 \(overlaps the previous tensor\)$/,
      -1,
    ],
    [
      'a hole between tensors',
      () => readError(file({ a: f32([1], 0), b: f32([1], 8) }, 12)),
      /expected data to start at 4, got 8 \(leaves a hole before it\)/,
      -1,
    ],
    [
      'a hole at the end',
      () => readError(file(ok, 12)),
      /^data buffer: expected 12 bytes covered by tensors, got 8/,
      -1,
    ],
    [
      'metadata with a number',
      () => readError(file({ __metadata__: { epochs: 3 } })),
      /^header "__metadata__": expected a string for "epochs", got 3$/,
      9,
    ],
    [
      'metadata that is a string',
      () => readError(file({ __metadata__: 'pt' })),
      /expected an object of strings/,
      9,
    ],
  ];
  it.each(cases)('rejects %s', (_, run, message, offset) => {
    const e = run();
    expect(e.message).toMatch(message);
    if (offset >= 0) expect(e.offset).toBe(offset);
  });

  it('rejects invalid UTF-8 at the header start', () => {
    const bytes = file('{"a":1}');
    bytes[10] = 0xff;
    expect(readError(bytes)).toMatchObject({
      message: 'header: expected UTF-8 text, got invalid UTF-8',
      offset: 8,
    });
  });
  it('points at the overlapping tensor data and the hole', () => {
    const header = JSON.stringify({ a: f32([2], 0), b: f32([2], 4) });
    expect(readError(file(header, 12)).offset).toBe(8 + header.length + 4);
    const holeHeader = JSON.stringify(ok);
    expect(readError(file(holeHeader, 12)).offset).toBe(8 + holeHeader.length + 8);
  });
  it('rejects duplicate keys, at the second one', () => {
    const entry = JSON.stringify(f32([1], 0));
    const header = `{"a":${entry},"a":${entry}}`;
    const e = readError(file(header, 4));
    expect(e.message).toBe('header: expected unique keys, got "a" twice');
    expect(e.offset).toBe(8 + header.lastIndexOf('"a"'));
    const nested = '{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    expect(readError(file(nested, 4)).message).toMatch(/"dtype" twice/);
  });
  it('reports offsets in bytes after multi-byte names', () => {
    const header = JSON.stringify({ é: f32([1], 0), b: 1 });
    const before = header.slice(0, header.indexOf('"b"'));
    expect(readError(file(header, 4)).offset).toBe(8 + enc.encode(before).length);
  });
  it('accepts a space-padded header and an empty file', () => {
    expect(readSafetensors(file('{}   ')).tensors.size).toBe(0);
  });
});

describe('safetensors bad tensors to write', () => {
  const write = (t: object) => () => writeSafetensors({ t } as never);
  it('rejects bad shapes, lengths, types and names', () => {
    const data = new Float32Array(2);
    expect(write({ dtype: 'F32', shape: [Number.POSITIVE_INFINITY], data })).toThrow(
      /non-negative integers/,
    );
    expect(write({ dtype: 'F32', shape: [Number.NaN], data })).toThrow(/non-negative integers/);
    expect(write({ dtype: 'F32', shape: [3], data })).toThrow(/takes 12 bytes, got 8/);
    expect(write({ dtype: 'I32', shape: [2], data })).toThrow(
      /expected Int32Array .*got Float32Array/,
    );
    expect(write({ dtype: 'F12', shape: [2], data })).toThrow(/expected a dtype/);
    const t = { dtype: 'F32', shape: [2], data } as const;
    expect(() => writeSafetensors({ '': t })).toThrow(SafetensorsError);
    expect(() => writeSafetensors({ __metadata__: t })).toThrow(/non-empty name/);
    expect(() => writeSafetensors({ t }, { n: 1 } as never)).toThrow(
      /metadata "n": expected a string/,
    );
  });
  it('accepts raw little-endian bytes for any dtype', () => {
    const bytes = writeSafetensors({
      t: { dtype: 'F32', shape: [1], data: new Uint8Array([0, 0, 0xc0, 0x3f]) },
    });
    const t = readSafetensors(bytes).tensors.get('t');
    expect(t && tensorToTypedArray(t)).toEqual(new Float32Array([1.5]));
  });
});
