import { visit } from 'jsonc-parser';
import { isJsonObject } from './json/values.js';

// safetensors: u64 LE header length N, N bytes of JSON header, data buffer. No fs, so browsers can
// use it; files are untrusted, so every declared size is checked before it is used.

/** Bytes per element and the typed array that holds each dtype (F16 and BF16 bits as Uint16Array). */
const DTYPES = {
  F64: [8, Float64Array],
  F32: [4, Float32Array],
  F16: [2, Uint16Array],
  BF16: [2, Uint16Array],
  I64: [8, BigInt64Array],
  I32: [4, Int32Array],
  I16: [2, Int16Array],
  I8: [1, Int8Array],
  U8: [1, Uint8Array],
  BOOL: [1, Uint8Array],
} as const;
export type SafetensorsDtype = keyof typeof DTYPES;
export const SAFETENSORS_DTYPES = Object.keys(DTYPES) as SafetensorsDtype[];
export const dtypeBytes = (dtype: SafetensorsDtype): number => DTYPES[dtype][0];

/** A bad file or bad tensors to write; `offset` is the byte in the file (undefined when writing). */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** A view into the bytes that were read (little-endian); copy it with `tensorToTypedArray`. */
  data: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

export type TensorData =
  | Float64Array
  | Float32Array
  | Uint16Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array;

/** `data` is the typed array of the dtype (Uint16Array for F16/BF16), or raw little-endian bytes. */
export interface TensorToWrite {
  dtype: SafetensorsDtype;
  shape: readonly number[];
  data: TensorData;
}

const MiB = 1024 * 1024;
const METADATA_KEY = '__metadata__';
const ENTRY_KEYS = ['dtype', 'shape', 'data_offsets'];
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const isDtype = (x: unknown): x is SafetensorsDtype =>
  typeof x === 'string' && Object.hasOwn(DTYPES, x);
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A short rendering of a found value for messages. */
function found(x: unknown): string {
  if (x === undefined) return 'nothing';
  const s = Array.isArray(x)
    ? JSON.stringify(x)
    : isJsonObject(x)
      ? 'an object'
      : JSON.stringify(x);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

// ---- reading -----------------------------------------------------------------------------------

/** Reads a safetensors file; tensor data are views into `bytes`. */
export function readSafetensors(
  bytes: Uint8Array,
  { maxHeaderBytes = 100 * MiB }: { maxHeaderBytes?: number } = {},
): SafetensorsFile {
  const headerBytes = readHeaderLength(bytes, maxHeaderBytes);
  const text = decodeHeader(bytes.subarray(8, 8 + headerBytes));
  const { header, keyOffsets } = parseHeader(text);
  if (!isJsonObject(header)) {
    throw new SafetensorsError(`header: expected a JSON object, got ${found(header)}`, 8);
  }
  const data = bytes.subarray(8 + headerBytes);
  // Lazy: converting a text offset to bytes is linear in the header, so only on failure.
  const at = (key: string) => () => byteOffset(text, keyOffsets.get(key) ?? 0);
  const metadata = readMetadata(header[METADATA_KEY], at(METADATA_KEY));
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name !== METADATA_KEY) tensors.set(name, readEntry(name, entry, data, at(name)));
  }
  checkCoverage(tensors, data, 8 + headerBytes);
  return { tensors, metadata };
}

function readHeaderLength(bytes: Uint8Array, maxHeaderBytes: number): number {
  if (bytes.length < 8) {
    const what = `expected at least 8 bytes (the header length), got ${bytes.length}`;
    throw new SafetensorsError(`file: ${what}`, 0);
  }
  // A Number is exact up to 2^53 and larger values stay larger than any file size.
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > maxHeaderBytes) {
    const what = `expected a header length <= ${maxHeaderBytes} bytes (maxHeaderBytes), got ${n}`;
    throw new SafetensorsError(`file: ${what}`, 0);
  }
  if (n > bytes.length - 8) {
    const what = `expected a header length within the file (${bytes.length - 8} bytes after it), got ${n}`;
    throw new SafetensorsError(`file: ${what}`, 0);
  }
  return n;
}

function decodeHeader(header: Uint8Array): string {
  try {
    // ignoreBOM keeps a BOM in the text, so JSON.parse rejects it as the reference reader does.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(header);
  } catch {
    throw new SafetensorsError('header: expected UTF-8 text, got invalid UTF-8', 8);
  }
}

/** Byte offset in the file of a UTF-16 offset in the header text. */
const byteOffset = (text: string, index: number) =>
  8 + new TextEncoder().encode(text.slice(0, index)).length;

/**
 * Rejects invalid JSON and duplicate keys (JSON.parse silently keeps the last one, which would let
 * two readers see different tensors). Also returns the text offset of each top-level key.
 */
function parseHeader(text: string): { header: unknown; keyOffsets: Map<string, number> } {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    const what = `expected JSON, got invalid JSON (${(e as Error).message})`;
    throw new SafetensorsError(`header: ${what}`, firstSyntaxError(text));
  }
  const keyOffsets = new Map<string, number>();
  const open: Set<string>[] = [];
  visit(text, {
    onObjectBegin: () => void open.push(new Set()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (key, offset) => {
      const keys = open[open.length - 1];
      if (keys?.has(key)) {
        throw new SafetensorsError(
          `header: expected unique keys, got "${key}" twice`,
          byteOffset(text, offset),
        );
      }
      keys?.add(key);
      if (open.length === 1) keyOffsets.set(key, offset);
    },
  });
  return { header, keyOffsets };
}

function firstSyntaxError(text: string): number {
  let where: number | undefined;
  visit(
    text,
    {
      onError: (_code, offset) => {
        where ??= offset;
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return byteOffset(text, where ?? 0);
}

function readMetadata(value: unknown, offset: () => number): Record<string, string> {
  if (value === undefined) return {};
  const fail = (what: string) =>
    new SafetensorsError(`header "${METADATA_KEY}": ${what}`, offset());
  if (!isJsonObject(value)) throw fail(`expected an object of strings, got ${found(value)}`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw fail(`expected a string for "${k}", got ${found(v)}`);
  }
  return value as Record<string, string>;
}

function readEntry(name: string, entry: unknown, data: Uint8Array, offset: () => number) {
  const fail = (what: string) => new SafetensorsError(`header entry "${name}": ${what}`, offset());
  if (!isJsonObject(entry)) throw fail(`expected an object, got ${found(entry)}`);
  const unknown = Object.keys(entry).find((k) => !ENTRY_KEYS.includes(k));
  if (unknown !== undefined)
    throw fail(`expected only keys ${ENTRY_KEYS.join(', ')}, got "${unknown}"`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (!isDtype(dtype))
    throw fail(`expected a dtype (${SAFETENSORS_DTYPES.join(', ')}), got ${found(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw fail(`expected a shape of non-negative integers, got ${found(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw fail(
      `expected data_offsets [begin, end] of non-negative integers, got ${found(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw fail(`expected data_offsets begin <= end, got [${begin}, ${end}]`);
  if (end > data.length) {
    throw fail(`data_offsets end ${end} is beyond the data buffer (${data.length} bytes)`);
  }
  const expected = product(shape) * dtypeBytes(dtype);
  if (end - begin !== expected) {
    const what = `shape [${shape.join(', ')}] of ${dtype} takes ${expected} bytes`;
    throw fail(`${what}, got data_offsets spanning ${end - begin}`);
  }
  return { dtype, shape: shape as number[], data: data.subarray(begin, end) };
}

/** The format requires the tensors to cover the data buffer exactly: no overlap, no hole. */
function checkCoverage(tensors: Map<string, SafetensorsTensor>, buffer: Uint8Array, start: number) {
  const spans = [...tensors].map(([name, t]) => ({
    name,
    begin: t.data.byteOffset - buffer.byteOffset,
    length: t.data.length,
  }));
  spans.sort((a, b) => a.begin - b.begin || a.length - b.length);
  const size = buffer.length;
  let cursor = 0;
  for (const { name, begin, length } of spans) {
    if (begin !== cursor) {
      const what = begin < cursor ? 'overlaps the previous tensor' : 'leaves a hole before it';
      const msg = `header entry "${name}": expected data to start at ${cursor}, got ${begin} (${what})`;
      throw new SafetensorsError(msg, start + begin);
    }
    cursor = begin + length;
  }
  if (cursor !== size) {
    const msg = `data buffer: expected ${size} bytes covered by tensors, got ${cursor} (a hole at the end)`;
    throw new SafetensorsError(msg, start + cursor);
  }
}

// ---- typed arrays ------------------------------------------------------------------------------

/** Copies a tensor's bytes into a fresh, aligned buffer in host byte order. */
function hostCopy(data: Uint8Array, size: number): ArrayBuffer {
  const copy = data.slice();
  if (!LITTLE_ENDIAN && size > 1) swapBytes(copy, size);
  return copy.buffer;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

/** float16 bits to a number: sign, 5-bit exponent, 10-bit fraction. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * A copy of a tensor as the matching typed array; F16 and BF16 are widened to Float32Array and
 * BOOL comes back as 0/1 bytes.
 */
export function tensorToTypedArray(t: SafetensorsTensor): TensorData {
  const [size, Typed] = DTYPES[t.dtype];
  const typed: TensorData = new Typed(hostCopy(t.data, size));
  if (t.dtype === 'F16') return Float32Array.from(typed as Uint16Array, halfToFloat);
  // bfloat16 is the top half of a float32.
  if (t.dtype === 'BF16') {
    return new Float32Array(Uint32Array.from(typed as Uint16Array, (b) => b << 16).buffer);
  }
  return typed;
}

/** A Float32Array copy of any tensor (tfjs and ONNX weights are float32). */
export function tensorToFloat32(t: SafetensorsTensor): Float32Array {
  const typed = tensorToTypedArray(t);
  if (typed instanceof Float32Array) return typed;
  return typed instanceof BigInt64Array
    ? Float32Array.from(typed, Number)
    : Float32Array.from(typed);
}

// ---- writing -----------------------------------------------------------------------------------

function checkTensorToWrite(name: string, t: TensorToWrite): void {
  const fail = (what: string) => new SafetensorsError(`tensor "${name}": ${what}`);
  if (name === '' || name === METADATA_KEY)
    throw fail('expected a non-empty name other than __metadata__');
  if (!isDtype(t.dtype))
    throw fail(`expected a dtype (${SAFETENSORS_DTYPES.join(', ')}), got ${found(t.dtype)}`);
  if (!Array.isArray(t.shape) || !t.shape.every(isCount)) {
    throw fail(`expected a shape of non-negative integers, got ${found(t.shape)}`);
  }
  const tag = ArrayBuffer.isView(t.data)
    ? (t.data as Uint8Array)[Symbol.toStringTag]
    : found(t.data);
  const array = DTYPES[t.dtype][1].name;
  // Float16Array is recent (ES2025); its bits are what a Uint16Array would hold.
  const fits =
    tag === array || tag === 'Uint8Array' || (tag === 'Float16Array' && t.dtype === 'F16');
  if (!fits) throw fail(`expected ${array} (or Uint8Array bytes) data, got ${tag}`);
  const expected = product(t.shape) * dtypeBytes(t.dtype);
  if (t.data.byteLength !== expected) {
    const what = `shape [${t.shape.join(', ')}] of ${t.dtype} takes ${expected} bytes`;
    throw fail(`${what}, got ${t.data.byteLength}`);
  }
}

function checkMetadata(metadata: Record<string, string>): void {
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string')
      throw new SafetensorsError(`metadata "${k}": expected a string, got ${found(v)}`);
  }
}

type Entry = [name: string, tensor: TensorToWrite];

/**
 * Writes a safetensors file. Data are laid out by dtype width then name (as the reference writer
 * does, so each tensor stays aligned to its element size); header keys are sorted; the header is
 * space-padded to a multiple of 8 bytes so the data buffer starts 8-byte aligned.
 */
export function writeSafetensors(
  tensors: Record<string, TensorToWrite>,
  metadata?: Record<string, string>,
): Uint8Array {
  const entries = Object.entries(tensors).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, t] of entries) checkTensorToWrite(name, t);
  if (metadata !== undefined) checkMetadata(metadata);
  const { begins, size } = layOut(entries);
  const header = encodeHeader(entries, begins, metadata);
  const out = new Uint8Array(8 + header.length + size);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  for (const [name, t] of entries) writeData(out, 8 + header.length + (begins.get(name) ?? 0), t);
  return out;
}

/** Data offsets: widest dtype first, then by name (the sort is stable). */
function layOut(entries: Entry[]): { begins: Map<string, number>; size: number } {
  const wide = [...entries].sort(([, a], [, b]) => dtypeBytes(b.dtype) - dtypeBytes(a.dtype));
  const begins = new Map<string, number>();
  let size = 0;
  for (const [name, t] of wide) {
    begins.set(name, size);
    size += t.data.byteLength;
  }
  return { begins, size };
}

function encodeHeader(
  entries: Entry[],
  begins: Map<string, number>,
  metadata?: Record<string, string>,
): Uint8Array {
  // Built by hand: a JS object would move integer-like names ("0", "1") ahead of the others.
  const fields = entries.map(([name, { dtype, shape, data }]) => {
    const begin = begins.get(name) ?? 0;
    const entry = { dtype, shape: [...shape], data_offsets: [begin, begin + data.byteLength] };
    return `${JSON.stringify(name)}:${JSON.stringify(entry)}`;
  });
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort();
    const pairs = keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`);
    fields.unshift(`"${METADATA_KEY}":{${pairs.join(',')}}`);
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
  padded.set(json);
  return padded;
}

function writeData(out: Uint8Array, at: number, t: TensorToWrite): void {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  out.set(bytes, at);
  const size = dtypeBytes(t.dtype);
  // Typed arrays hold host order; the file is little-endian (raw Uint8Array bytes already are).
  if (!LITTLE_ENDIAN && size > 1 && t.data.BYTES_PER_ELEMENT === size) {
    swapBytes(out.subarray(at, at + bytes.length), size);
  }
}
