import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataArray } from './dataset.js';
import { DataError } from './errors.js';
import { readNpy, readNpyFile, writeNpy, writeNpyFile } from './npy.js';

// Files written by NumPy 1.x (np.save, or np.lib.format.write_array for versions 2.0 and 3.0).
const NUMPY: Record<string, string> = {
  f4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADAPwAAAMAAAFBAbxKDOgDgf0c=',
  f8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqamZmZmZm5PwAAAAAAAATA6oygOVk+KUY=',
  i4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAA/v///////38AAACA',
  i8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoFAAAAAAAAAPn/////////////fwAAAAA=',
  i8big:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAAAAAAAAAAAIAAAAAA',
  u1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoA/weA',
  b1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=',
  f8huge:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwP5x1AIg85Dd+',
  bigEndian:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/gAAAQAAAAA==',
  fortran:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=',
  scalar:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAGBA',
  u2: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPHUyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAIA',
  structured:
    'k05VTVBZAQB2AHsnZGVzY3InOiBbKCdhJywgJzxmNCcpLCAoJ2InLCAnPGk0JyldLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAAA',
  empty:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=',
  v2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8aTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoNCwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAQAAAAIAAAADAAAA',
  v3: 'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8aTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoNCwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAQAAAAIAAAADAAAA',
};
const numpy = (name: string) => new Uint8Array(Buffer.from(NUMPY[name] ?? '', 'base64'));
const read = (name: string) => readNpy(numpy(name), `${name}.npy`);
const values = (name: string) => Array.from(read(name).data);

/** A hand-made .npy: version 1.0 with `header` (padded) and `body`. */
function npy(header: string, body: ArrayLike<number> = [], major = 1): Uint8Array {
  const text = `${header}\n`;
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + text.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[pre + i] = text.charCodeAt(i);
  out.set(body, pre + text.length);
  return out;
}
const dict = (descr: string, shape: string, fortran = 'False') =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

describe('readNpy on files written by NumPy', () => {
  it('reads float32, and float64 as float32', () => {
    expect(read('f4')).toMatchObject({ dtype: 'float32', shape: [2, 3] });
    expect(values('f4')).toEqual([0, 1.5, -2, 3.25, Math.fround(1e-3), 65504]);
    expect(read('f8').dtype).toBe('float32');
    expect(values('f8')).toEqual([Math.fround(0.1), -2.5, Math.fround(1e30)]);
  });

  it('reads int32, int64 in range, uint8 and bool as int32', () => {
    expect(read('i4')).toMatchObject({ dtype: 'int32', shape: [2, 2] });
    expect(values('i4')).toEqual([1, -2, 2147483647, -2147483648]);
    expect(values('i8')).toEqual([5, -7, 2147483647]);
    expect(read('u1')).toMatchObject({ dtype: 'int32', shape: [2, 2] });
    expect(values('u1')).toEqual([0, 255, 7, 128]);
    expect(values('b1')).toEqual([1, 0, 1]);
  });

  it('reads format versions 2.0 and 3.0, scalars and empty arrays', () => {
    expect(values('v2')).toEqual([0, 1, 2, 3]);
    expect(values('v3')).toEqual([0, 1, 2, 3]);
    expect(read('scalar')).toMatchObject({ shape: [], data: Float32Array.of(3.5) });
    expect(read('empty')).toMatchObject({ shape: [0, 3] });
  });

  it('rejects what it cannot read faithfully, with the byte offset', () => {
    expect(() => read('i8big')).toThrow(
      'i8big.npy at byte 136: element 1: expected an int64 within int32 range, got 2147483648',
    );
    expect(() => read('f8huge')).toThrow(
      'f8huge.npy at byte 136: element 1: expected a float64 within float32 range, got 1e+300',
    );
    expect(() => read('fortran')).toThrow(
      'fortran.npy at byte 10: expected C order (fortran_order False), got Fortran order',
    );
    expect(() => read('bigEndian')).toThrow(
      "bigEndian.npy at byte 10: expected dtype <f4, <f8, <i4, <i8, |u1, |i1, |b1, got '>f4' (big-endian)",
    );
    expect(() => read('u2')).toThrow("got '<u2'");
    expect(() => read('structured')).toThrow(
      "structured.npy at byte 20: expected a dtype string in the header, got '[' (a structured dtype)",
    );
  });
});

describe('readNpy on malformed files', () => {
  const cases: [string, Uint8Array, string][] = [
    [
      'empty file',
      new Uint8Array(0),
      'at byte 0: expected the .npy magic 93 4e 55 4d 50 59 ("\\x93NUMPY"), got an empty file',
    ],
    [
      'wrong magic',
      new TextEncoder().encode('PK\x03\x04 not numpy at all'),
      'at byte 0: expected the .npy magic 93 4e 55 4d 50 59 ("\\x93NUMPY"), got 50 4b 03 04 20 6e',
    ],
    [
      'only the magic',
      Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1),
      'at byte 6: expected a version and header length after the magic, got 7 bytes',
    ],
    [
      'version 4',
      npy(dict('<f4', '(1,)'), [0, 0, 0, 0], 4),
      'at byte 6: expected format version 1, 2 or 3, got 4.0',
    ],
    [
      'header past the end',
      npy(dict('<f4', '(1,)')).subarray(0, 40),
      'at byte 8: expected a header length within the file (30 bytes left), got 58',
    ],
    [
      'huge header',
      (() => {
        const b = npy(dict('<f4', '(1,)'), [], 2);
        new DataView(b.buffer).setUint32(8, 2 ** 31, true);
        return b;
      })(),
      'at byte 8: expected a header of at most 10000 bytes (maxHeaderBytes), got 2147483648',
    ],
    [
      'truncated data',
      npy(dict('<f4', '(2, 3)'), new Uint8Array(20)),
      'at byte 70: shape (2, 3) of <f4 takes 24 bytes of data, got 20',
    ],
    [
      'extra data',
      npy(dict('<i4', '(1,)'), new Uint8Array(8)),
      'shape (1) of <i4 takes 4 bytes of data, got 8',
    ],
    [
      'huge shape',
      npy(dict('<f8', '(4294967295, 4294967295, 4294967295)'), new Uint8Array(8)),
      'at byte 100: shape (4294967295, 4294967295, 4294967295) of <f8 takes 6.3382529967139284e+29 bytes of data, got 8',
    ],
    [
      'unsafe dimension',
      npy(dict('<f4', '(99999999999999999999,)')),
      'expected dimensions below 2^53, got 100000000000000000000',
    ],
    [
      'missing key',
      npy("{'descr': '<f4', 'shape': (1,), }", [0, 0, 0, 0]),
      "at byte 10: expected header key 'fortran_order', got none",
    ],
    [
      'unknown key',
      npy("{'descr': '<f4', 'order': 'C', }"),
      "at byte 27: expected a key among descr, fortran_order, shape in the header, got 'order'",
    ],
    [
      'duplicate key',
      npy("{'descr': '<f4', 'descr': '<f4', }"),
      "at byte 27: expected each key once, got 'descr' twice",
    ],
    [
      'not a literal',
      npy("{'descr': '<f4', 'fortran_order': __import__('os'), 'shape': (1,)}"),
      "expected a string, True, False or a tuple in the header, got '__import__'",
    ],
    [
      'unclosed string',
      npy("{'descr': '<f4"),
      'at byte 20: expected a closing quote, got the end of the header',
    ],
    [
      'bad shape',
      npy(dict('<f4', '(2, x)')),
      "expected a dimension (an integer) in the header, got 'x'",
    ],
    [
      'negative dimension',
      npy(dict('<f4', '(-1,)')),
      `expected a Python literal in the header, got "-"`,
    ],
    ['trailing tokens', npy(`${dict('<f4', '(0,)')} 7`), "expected the end in the header, got '7'"],
    [
      'fortran not a bool',
      npy(dict('<f4', '(1,)', "'no'"), [0, 0, 0, 0]),
      `expected 'fortran_order' True or False, got "no"`,
    ],
    [
      'bool bytes',
      npy(dict('|b1', '(3,)'), [0, 1, 2]),
      'at byte 70: element 2: expected a bool byte 0 or 1, got 2',
    ],
  ];
  for (const [name, bytes, message] of cases) {
    it(name, () => {
      expect(() => readNpy(bytes, 'bad.npy')).toThrow(DataError);
      expect(() => readNpy(bytes, 'bad.npy')).toThrow(/^bad\.npy at byte \d+: /);
      expect(() => readNpy(bytes, 'bad.npy')).toThrow(message);
    });
  }
});

describe('writeNpy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-npy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes what NumPy writes for the same array', () => {
    const written = writeNpy(dataArray(Int32Array.of(1, -2, 2147483647, -2147483648), [2, 2]));
    expect(Buffer.from(written).toString('base64')).toBe(NUMPY.i4);
    const f4 = writeNpy(dataArray(Float32Array.of(0, 1.5, -2, 3.25, 1e-3, 65504), [2, 3]));
    expect(Buffer.from(f4).toString('base64')).toBe(NUMPY.f4);
  });

  it('round-trips through a file, 64-byte aligned, leaving no temporary file', () => {
    const a = dataArray(
      Float32Array.from({ length: 24 }, (_, i) => i / 7),
      [2, 3, 4],
    );
    const file = join(dir, 'a.npy');
    writeNpyFile(file, a);
    const bytes = readFileSync(file);
    expect((bytes.length - 24 * 4) % 64).toBe(0);
    expect(readNpyFile(file)).toEqual(a);
    expect(readdirSync(dir)).toEqual(['a.npy']);
    const one = dataArray(Int32Array.of(5), [1]);
    expect(readNpy(writeNpy(one))).toEqual(one);
  });

  it('refuses inconsistent arrays and unwritable paths', () => {
    expect(() => writeNpy({ dtype: 'int32', shape: [3], data: new Int32Array(2) })).toThrow(
      'npy: expected data of shape (3), got 2 elements',
    );
    expect(() =>
      writeNpyFile(join(dir, 'missing', 'a.npy'), dataArray(new Int32Array(1), [1])),
    ).toThrow('expected a writable path');
  });
});
