import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';
import { plain, readBytes } from './files.js';

// IDX (the MNIST file format): 0x00 0x00, a dtype byte, a rank byte, one big-endian uint32 per
// dimension, then the elements in C order, big-endian.

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  /** Host-order elements; uint8 data are a view into the bytes that were read. */
  data: IdxData;
}

export interface IdxReadOptions {
  /** Largest file, or decompressed gzip stream, to accept (default 1 GiB). */
  maxBytes?: number;
}

const DTYPES: Record<number, [IdxDtype, number]> = {
  8: ['uint8', 1],
  9: ['int8', 1],
  11: ['int16', 2],
  12: ['int32', 4],
  13: ['float32', 4],
  14: ['float64', 8],
};
const CODES = Object.keys(DTYPES).map((c) => `0x${Number(c).toString(16).padStart(2, '0')}`);
const GiB = 1024 ** 3;
const hex = (b: number | undefined) => `0x${(b ?? 0).toString(16).padStart(2, '0')}`;

/** Parses IDX bytes; `file` names the input in errors. */
export function readIdx(bytes: Uint8Array, file = 'IDX data'): IdxArray {
  const fail = (what: string, offset: number) => new DataError(what, { file, offset });
  if (bytes.length < 4) {
    throw fail(`expected a 4-byte IDX magic number, got ${bytes.length} bytes`, 0);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw fail(`expected an IDX file starting 0x00 0x00, got ${hex(bytes[0])} ${hex(bytes[1])}`, 0);
  }
  const entry = DTYPES[bytes[2] as number];
  if (entry === undefined) {
    throw fail(`expected an IDX dtype byte (${CODES.join(', ')}), got ${hex(bytes[2])}`, 2);
  }
  const [dtype, size] = entry;
  const rank = bytes[3] as number;
  if (rank === 0) throw fail('expected at least one dimension, got 0', 3);
  const shape = readDims(bytes, rank, fail);
  const start = 4 + 4 * rank;
  const expected = dataBytes(shape, size);
  if (expected !== bytes.length - start) {
    const what = `shape [${shape.join(', ')}] of ${dtype} takes ${expected} bytes`;
    throw fail(`${what}, got ${bytes.length - start} after the header`, start);
  }
  return { dtype, shape, data: readData(bytes.subarray(start), dtype, size) };
}

function readDims(
  bytes: Uint8Array,
  rank: number,
  fail: (what: string, offset: number) => DataError,
): number[] {
  const end = 4 + 4 * rank;
  if (bytes.length < end) {
    const what = `expected ${rank} dimensions (${end} header bytes), got ${bytes.length} bytes`;
    throw fail(what, bytes.length);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, end);
  return Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
}

/** Bytes the data take; Infinity when the product passes what any file can hold. */
function dataBytes(shape: number[], size: number): number {
  let n = size;
  for (const d of shape) {
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) return Number.POSITIVE_INFINITY;
  }
  return n;
}

function readData(raw: Uint8Array, dtype: IdxDtype, size: number): IdxData {
  if (dtype === 'uint8') return raw;
  if (dtype === 'int8') return new Int8Array(raw.buffer, raw.byteOffset, raw.length);
  const n = raw.length / size;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  // Big-endian on disk: DataView reads with explicit byte order on any host.
  switch (dtype) {
    case 'int16':
      return Int16Array.from({ length: n }, (_, i) => view.getInt16(2 * i, false));
    case 'int32':
      return Int32Array.from({ length: n }, (_, i) => view.getInt32(4 * i, false));
    case 'float32':
      return Float32Array.from({ length: n }, (_, i) => view.getFloat32(4 * i, false));
    default:
      return Float64Array.from({ length: n }, (_, i) => view.getFloat64(8 * i, false));
  }
}

/** Reads an IDX file, gunzipping it first when it is gzip (magic 0x1f 0x8b). */
export function readIdxFile(file: string, { maxBytes = GiB }: IdxReadOptions = {}): IdxArray {
  const bytes = readBytes(file, maxBytes);
  // Offsets in a gzip file's errors count bytes of the decompressed stream.
  if (isGzip(bytes)) return readIdx(gunzip(bytes, file, maxBytes), `${file} (decompressed)`);
  return readIdx(bytes, file);
}

export const isGzip = (bytes: Uint8Array) => bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Decompresses gzip bytes, refusing output past `maxBytes` (a small file can inflate hugely). */
export function gunzip(bytes: Uint8Array, file: string, maxBytes = GiB): Uint8Array {
  try {
    return plain(gunzipSync(bytes, { maxOutputLength: maxBytes }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const what =
      code === 'ERR_BUFFER_TOO_LARGE'
        ? `expected at most ${maxBytes} bytes after decompression, got more`
        : `expected valid gzip data, got ${(e as Error).message}`;
    throw new DataError(what, { file });
  }
}
