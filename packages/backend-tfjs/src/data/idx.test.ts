import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { readIdx, readIdxFile } from './idx.js';

/** An IDX file: magic, dtype code, rank, big-endian dims, then `body`. */
function idxBytes(code: number, dims: number[], body: ArrayLike<number> = []): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  out.set([0, 0, code, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  out.set(body, 4 + 4 * dims.length);
  return out;
}

/** Big-endian bytes of values written with a DataView setter. */
function bigEndian(n: number, size: number, set: (v: DataView, at: number, i: number) => void) {
  const b = new Uint8Array(n * size);
  const v = new DataView(b.buffer);
  for (let i = 0; i < n; i++) set(v, i * size, i);
  return b;
}

const dir = mkdtempSync(join(tmpdir(), 'netspec-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readIdx', () => {
  it('reads uint8 data as a view, with its shape', () => {
    const a = readIdx(idxBytes(0x08, [2, 3], [1, 2, 3, 4, 5, 255]));
    expect(a.dtype).toBe('uint8');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 255]);
  });

  it('reads every dtype big-endian', () => {
    const i8 = readIdx(idxBytes(0x09, [3], [0xff, 0x80, 0x7f]));
    expect(Array.from(i8.data)).toEqual([-1, -128, 127]);
    const i16 = [-2, 300, 32767];
    const a16 = readIdx(
      idxBytes(
        0x0b,
        [3],
        bigEndian(3, 2, (v, at, i) => v.setInt16(at, i16[i] ?? 0)),
      ),
    );
    expect(Array.from(a16.data)).toEqual(i16);
    const i32 = [-70000, 2147483647];
    const a32 = readIdx(
      idxBytes(
        0x0c,
        [2],
        bigEndian(2, 4, (v, at, i) => v.setInt32(at, i32[i] ?? 0)),
      ),
    );
    expect(a32).toMatchObject({ dtype: 'int32', shape: [2] });
    expect(Array.from(a32.data)).toEqual(i32);
    const f32 = [1.5, -0.25];
    const af = readIdx(
      idxBytes(
        0x0d,
        [1, 2],
        bigEndian(2, 4, (v, at, i) => v.setFloat32(at, f32[i] ?? 0)),
      ),
    );
    expect(Array.from(af.data)).toEqual(f32);
    const f64 = [Math.PI];
    const ad = readIdx(
      idxBytes(
        0x0e,
        [1],
        bigEndian(1, 8, (v, at, i) => v.setFloat64(at, f64[i] ?? 0)),
      ),
    );
    expect(ad.dtype).toBe('float64');
    expect(ad.data[0]).toBe(Math.PI);
  });

  it('rejects malformed headers, each with the file and byte offset', () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(0), 'f at byte 0: expected a 4-byte IDX magic number, got 0 bytes'],
      [
        Uint8Array.of(0x12, 0x34, 8, 1),
        'f at byte 0: expected an IDX file starting 0x00 0x00, got 0x12 0x34',
      ],
      [
        Uint8Array.of(0, 0, 0x0a, 1),
        'f at byte 2: expected an IDX dtype byte (0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e), got 0x0a',
      ],
      [Uint8Array.of(0, 0, 8, 0), 'f at byte 3: expected at least one dimension, got 0'],
      [
        Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1),
        'f at byte 8: expected 3 dimensions (16 header bytes), got 8 bytes',
      ],
    ];
    for (const [bytes, message] of cases) expect(() => readIdx(bytes, 'f')).toThrow(message);
  });

  it('rejects data that do not match the declared shape, before allocating', () => {
    expect(() => readIdx(idxBytes(0x08, [2, 3], [1, 2, 3, 4, 5]), 'f')).toThrow(
      'f at byte 12: shape [2, 3] of uint8 takes 6 bytes, got 5 after the header',
    );
    expect(() => readIdx(idxBytes(0x08, [2], [1, 2, 3]), 'f')).toThrow('takes 2 bytes, got 3');
    expect(() => readIdx(idxBytes(0x0c, [3], new Uint8Array(11)), 'f')).toThrow(
      'shape [3] of int32 takes 12 bytes, got 11',
    );
    // 2^32-1 cubed bytes: rejected by arithmetic, never allocated.
    const huge = idxBytes(0x0e, [0xffffffff, 0xffffffff, 0xffffffff], [1, 2, 3]);
    expect(() => readIdx(huge, 'f')).toThrow('takes Infinity bytes, got 3 after the header');
  });
});

describe('readIdxFile', () => {
  it('reads plain and gzip files alike', () => {
    const bytes = idxBytes(0x08, [2, 2], [9, 8, 7, 6]);
    writeFileSync(join(dir, 'a-idx'), bytes);
    writeFileSync(join(dir, 'a-idx.gz'), gzipSync(bytes));
    const plain = readIdxFile(join(dir, 'a-idx'));
    const gz = readIdxFile(join(dir, 'a-idx.gz'));
    expect(Array.from(gz.data)).toEqual([9, 8, 7, 6]);
    expect(gz.shape).toEqual(plain.shape);
  });

  it('names the decompressed stream in errors of a gzip file', () => {
    writeFileSync(join(dir, 'bad.gz'), gzipSync(idxBytes(0x08, [5], [1, 2])));
    expect(() => readIdxFile(join(dir, 'bad.gz'))).toThrow(
      `${join(dir, 'bad.gz')} (decompressed) at byte 8: shape [5] of uint8 takes 5 bytes, got 2`,
    );
  });

  it('refuses gzip data that inflate past maxBytes, and corrupt gzip', () => {
    writeFileSync(
      join(dir, 'bomb.gz'),
      gzipSync(idxBytes(0x08, [1 << 20], new Uint8Array(1 << 20))),
    );
    expect(() => readIdxFile(join(dir, 'bomb.gz'), { maxBytes: 1 << 16 })).toThrow(
      'expected at most 65536 bytes after decompression, got more',
    );
    const corrupt = gzipSync(idxBytes(0x08, [4], [1, 2, 3, 4])).subarray(0, 15);
    writeFileSync(join(dir, 'corrupt.gz'), corrupt);
    expect(() => readIdxFile(join(dir, 'corrupt.gz'))).toThrow(
      /corrupt\.gz: expected valid gzip data, got/,
    );
  });

  it('turns a missing file into a DataError', () => {
    const missing = join(dir, 'nope');
    expect(() => readIdxFile(missing)).toThrow(DataError);
    expect(() => readIdxFile(missing)).toThrow(`${missing}: expected a file, got nothing there`);
    expect(() => readIdxFile(dir)).toThrow('expected a file, got a directory');
  });
});
