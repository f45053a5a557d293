import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { DataArray } from './dataset.js';
import { DataError } from './errors.js';
import { readBytes } from './files.js';
import { parseNpyHeader } from './npy-header.js';

// NumPy .npy: "\x93NUMPY", major and minor version bytes, the header length (uint16 LE in 1.0,
// uint32 LE in 2.0 and 3.0), the header (latin-1, UTF-8 in 3.0), then the data in C order.
// Float dtypes come back as float32 and integer and bool dtypes as int32; <f8 values that do not
// fit float32, and <i8 values that do not fit int32, are errors rather than silent changes.

export interface NpyReadOptions {
  /** Largest header to accept; NumPy's own default limit (max_header_size) is 10000. */
  maxHeaderBytes?: number;
  /** Largest file to read (default 2 GiB - 1). */
  maxBytes?: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ITEM_BYTES: Record<string, number> = {
  '<f4': 4,
  '<f8': 8,
  '<i4': 4,
  '<i8': 8,
  '|u1': 1,
  '|i1': 1,
  '|b1': 1,
};
const DESCRS = Object.keys(ITEM_BYTES);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const FLOAT32_MAX = 3.4028234663852886e38;
const latin1 = (b: number) => String.fromCharCode(b);

/** Parses .npy bytes; `file` names the input in errors. A scalar file gives shape []. */
export function readNpy(
  bytes: Uint8Array,
  file = 'npy data',
  options: NpyReadOptions = {},
): DataArray {
  const fail = (what: string, offset: number) => new DataError(what, { file, offset });
  const { major, start, length } = readPreamble(bytes, options.maxHeaderBytes ?? 10000, fail);
  const raw = bytes.subarray(start, start + length);
  // Versions 1 and 2 are latin-1; version 3 is UTF-8.
  const text = major === 3 ? decodeUtf8(raw, fail, start) : Array.from(raw, latin1).join('');
  const offsetOf = (i: number) =>
    start + (major === 3 ? new TextEncoder().encode(text.slice(0, i)).length : i);
  const header = parseNpyHeader(text, file, offsetOf);
  if (!Object.hasOwn(ITEM_BYTES, header.descr)) {
    const what = `expected dtype ${DESCRS.join(', ')}, got '${header.descr}'`;
    throw fail(header.descr.startsWith('>') ? `${what} (big-endian)` : what, start);
  }
  if (header.fortranOrder) {
    throw fail('expected C order (fortran_order False), got Fortran order', start);
  }
  const dataStart = start + length;
  checkDataSize(header.shape, header.descr, bytes.length - dataStart, dataStart, fail);
  return convert(bytes.subarray(dataStart), header.descr, header.shape, dataStart, fail);
}

function readPreamble(
  bytes: Uint8Array,
  maxHeaderBytes: number,
  fail: (what: string, offset: number) => DataError,
): { major: number; start: number; length: number } {
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    const got = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw fail(
      `expected the .npy magic 93 4e 55 4d 50 59 ("\\x93NUMPY"), got ${got || 'an empty file'}`,
      0,
    );
  }
  if (bytes.length < 10) {
    throw fail(
      `expected a version and header length after the magic, got ${bytes.length} bytes`,
      6,
    );
  }
  const major = bytes[6] as number;
  if (major < 1 || major > 3)
    throw fail(`expected format version 1, 2 or 3, got ${major}.${bytes[7]}`, 6);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (major > 1 && bytes.length < 12)
    throw fail(`expected a 4-byte header length, got ${bytes.length - 8} bytes`, 8);
  const length = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (length > maxHeaderBytes) {
    throw fail(
      `expected a header of at most ${maxHeaderBytes} bytes (maxHeaderBytes), got ${length}`,
      8,
    );
  }
  if (length > bytes.length - start) {
    throw fail(
      `expected a header length within the file (${bytes.length - start} bytes left), got ${length}`,
      8,
    );
  }
  return { major, start, length };
}

function decodeUtf8(
  raw: Uint8Array,
  fail: (what: string, offset: number) => DataError,
  at: number,
) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw fail('expected a UTF-8 header (format 3.0), got invalid UTF-8', at);
  }
}

function checkDataSize(
  shape: number[],
  descr: string,
  got: number,
  at: number,
  fail: (what: string, offset: number) => DataError,
): void {
  let expected = ITEM_BYTES[descr] as number;
  for (const d of shape) {
    if (!Number.isSafeInteger(d)) throw fail(`expected dimensions below 2^53, got ${d}`, at);
    expected *= d;
  }
  // Bytes are checked before anything is allocated: a header may claim any size.
  if (expected !== got) {
    const what = `shape (${shape.join(', ')}) of ${descr} takes ${expected} bytes of data`;
    throw fail(`${what}, got ${got}`, at);
  }
}

function convert(
  raw: Uint8Array,
  descr: string,
  shape: number[],
  at: number,
  fail: (what: string, offset: number) => DataError,
): DataArray {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const bad = (i: number, what: string) =>
    fail(`element ${i}: ${what}`, at + i * (ITEM_BYTES[descr] as number));
  switch (descr) {
    case '<f4':
      return { dtype: 'float32', shape, data: new Float32Array(hostOrder(raw, 4)) };
    case '<i4':
      return { dtype: 'int32', shape, data: new Int32Array(hostOrder(raw, 4)) };
    case '<f8':
      return { dtype: 'float32', shape, data: f64ToF32(view, raw.length / 8, bad) };
    case '<i8':
      return { dtype: 'int32', shape, data: i64ToI32(view, raw.length / 8, bad) };
    case '|b1':
      return { dtype: 'int32', shape, data: boolToI32(raw, bad) };
    case '|i1':
      return {
        dtype: 'int32',
        shape,
        data: Int32Array.from(new Int8Array(raw.buffer, raw.byteOffset, raw.length)),
      };
    default:
      return { dtype: 'int32', shape, data: Int32Array.from(raw) };
  }
}

/** A fresh aligned copy in host byte order. */
function hostOrder(raw: Uint8Array, size: number): ArrayBuffer {
  const copy = raw.slice();
  if (!LITTLE_ENDIAN)
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  return copy.buffer;
}

function f64ToF32(view: DataView, n: number, bad: (i: number, what: string) => DataError) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = view.getFloat64(8 * i, true);
    if (Math.abs(v) > FLOAT32_MAX && Number.isFinite(v)) {
      throw bad(i, `expected a float64 within float32 range, got ${v}`);
    }
    out[i] = v;
  }
  return out;
}

function i64ToI32(view: DataView, n: number, bad: (i: number, what: string) => DataError) {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = view.getBigInt64(8 * i, true);
    if (v < -2147483648n || v > 2147483647n)
      throw bad(i, `expected an int64 within int32 range, got ${v}`);
    out[i] = Number(v);
  }
  return out;
}

function boolToI32(raw: Uint8Array, bad: (i: number, what: string) => DataError) {
  const i = raw.findIndex((b) => b > 1);
  if (i >= 0) throw bad(i, `expected a bool byte 0 or 1, got ${raw[i]}`);
  return Int32Array.from(raw);
}

/** Reads a .npy file. */
export function readNpyFile(file: string, options: NpyReadOptions = {}): DataArray {
  return readNpy(readBytes(file, options.maxBytes), file, options);
}

/** A .npy file (version 1.0, or 2.0 when the header needs it) of a float32 or int32 array. */
export function writeNpy(array: DataArray): Uint8Array {
  const { data, shape, dtype } = array;
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new DataError(
      `npy: expected data of shape (${shape.join(', ')}), got ${data.length} elements`,
    );
  }
  const descr = dtype === 'float32' ? '<f4' : '<i4';
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  const version = dict.length + 11 > 65535 ? 2 : 1;
  const preamble = version === 1 ? 10 : 12;
  // Pad with spaces and end with a newline so the data start 64-byte aligned, as NumPy does.
  const headerLength = Math.ceil((preamble + dict.length + 1) / 64) * 64 - preamble;
  const out = new Uint8Array(preamble + headerLength + data.byteLength);
  out.set(MAGIC);
  out.set([version, 0], 6);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  const header = `${dict.padEnd(headerLength - 1, ' ')}\n`;
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  const body = out.subarray(preamble + headerLength);
  body.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  if (!LITTLE_ENDIAN) for (let i = 0; i < body.length; i += 4) body.subarray(i, i + 4).reverse();
  return out;
}

/** Writes a .npy file atomically: a temporary file in the same folder, then a rename. */
export function writeNpyFile(file: string, array: DataArray): void {
  const bytes = writeNpy(array);
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new DataError(`expected a writable path, got ${(e as Error).message}`, { file });
  }
}
