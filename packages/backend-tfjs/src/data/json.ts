import { basename } from 'node:path';
import { didYouMean } from '@netspec/spec';
import { printParseErrorCode, visit } from 'jsonc-parser';
import { type DataArray, type DataDtype, type Dataset, dataArray, makeDataset } from './dataset.js';
import { DataError, type DataLocation, found, pointer } from './errors.js';
import { readText } from './files.js';

// JSON data files, two forms:
//   columns: { "x": [[...], ...], "y": [...], "labels"?: [...] }; x and y may also be objects of
//            named arrays ({ "x": { "image": [...], "meta": [...] } }); y is optional
//   records: [ { "x": [...], "y": 3 }, ... ]; each record's x (and y) a number or nested array
// Every array must be rectangular; errors name the JSON pointer of the first bad value.

export interface JsonDataOptions {
  /** Targets' dtype; default int32 when each sample's target is one integer, else float32. */
  yDtype?: DataDtype;
  /** Largest file to read (default 1 GiB). */
  maxBytes?: number;
}

const COLUMN_KEYS = ['x', 'y', 'labels'];
const RECORD_KEYS = ['x', 'y'];

/** JSON.parse with errors that give the line and column (JSON.parse's often give neither). */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    let where = { line: 1, column: 1, code: 'InvalidSymbol' };
    let seen = false;
    visit(
      text,
      {
        onError: (code, _offset, _length, line, character) => {
          if (!seen)
            where = { line: line + 1, column: character + 1, code: printParseErrorCode(code) };
          seen = true;
        },
      },
      { disallowComments: true, allowTrailingComma: false },
    );
    const what = `expected valid JSON, got a syntax error (${where.code})`;
    throw new DataError(what, { file, line: where.line, column: where.column });
  }
}

/** Reads a JSON data file into a Dataset named after the file. */
export function readJsonFile(file: string, options: JsonDataOptions = {}): Dataset {
  const text = readText(file, options.maxBytes ?? 1024 ** 3);
  return readJsonData(parseJson(text, file), file, options);
}

/** A parsed JSON document (either form) as a Dataset; `file` names it in errors. */
export function readJsonData(doc: unknown, file: string, options: JsonDataOptions = {}): Dataset {
  const name = basename(file);
  if (Array.isArray(doc)) return fromRecords(doc, file, name, options);
  if (typeof doc !== 'object' || doc === null) {
    const what = `expected an object {"x": ..., "y": ...} or an array of records, got ${found(doc)}`;
    throw new DataError(what, { file, path: '' });
  }
  return fromColumns(doc as Record<string, unknown>, file, name, options);
}

function checkKeys(obj: object, allowed: string[], file: string, path: string): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const near = didYouMean(key, allowed);
    const hint = near ? ` (did you mean "${near}"?)` : '';
    const what = `unknown key "${key}"; expected one of ${allowed.join(', ')}${hint}`;
    throw new DataError(what, { file, path });
  }
}

function fromColumns(
  doc: Record<string, unknown>,
  file: string,
  name: string,
  options: JsonDataOptions,
): Dataset {
  checkKeys(doc, COLUMN_KEYS, file, '');
  if (doc.x === undefined) throw new DataError('expected a key "x", got none', { file, path: '' });
  const x = namedArrays(doc.x, '/x', file, 'float32');
  const y = doc.y === undefined ? {} : namedArrays(doc.y, '/y', file, options.yDtype);
  const labels = doc.labels === undefined ? undefined : readLabels(doc.labels, file);
  return withLocation(() => makeDataset(name, x, y, labels), file);
}

/** One nested array (named after the key), or an object of named nested arrays. */
function namedArrays(
  value: unknown,
  path: string,
  file: string,
  dtype: DataDtype | undefined,
): Record<string, DataArray> {
  const key = path.slice(1);
  if (Array.isArray(value)) {
    return { [key]: nestedArray(value, { path, at: (i) => pointer(path, i) }, file, dtype) };
  }
  if (typeof value !== 'object' || value === null) {
    const what = `expected an array of samples or an object of named arrays, got ${found(value)}`;
    throw new DataError(what, { file, path });
  }
  // fromEntries defines own properties, so even a key "__proto__" stays a plain name.
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const at = pointer(path, k);
      if (!Array.isArray(v)) {
        throw new DataError(`expected an array of samples, got ${found(v)}`, { file, path: at });
      }
      return [k, nestedArray(v, { path: at, at: (i) => pointer(at, i) }, file, dtype)];
    }),
  );
}

function readLabels(value: unknown, file: string): string[] {
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) {
    const what = `expected an array of class names (strings), got ${found(value)}`;
    throw new DataError(what, { file, path: '/labels' });
  }
  return value as string[];
}

function fromRecords(
  doc: unknown[],
  file: string,
  name: string,
  options: JsonDataOptions,
): Dataset {
  if (doc.length === 0) {
    throw new DataError('expected at least one record, got an empty array', { file, path: '' });
  }
  const first = doc[0];
  if (typeof first !== 'object' || first === null || Array.isArray(first)) {
    const what = `expected a record {"x": ..., "y": ...}, got ${found(first)}`;
    throw new DataError(what, { file, path: '/0' });
  }
  checkKeys(first, RECORD_KEYS, file, '/0');
  const keys = RECORD_KEYS.filter((k) => k in first);
  if (!keys.includes('x'))
    throw new DataError('expected a key "x", got none', { file, path: '/0' });
  for (const [i, r] of doc.entries()) checkRecord(r, keys, file, i);
  const column = (k: string) => doc.map((r) => (r as Record<string, unknown>)[k]);
  const at = (k: string) => ({ path: '', at: (i: number) => pointer(pointer('', i), k) });
  const x = { x: nestedArray(column('x'), at('x'), file, 'float32') };
  const y: Record<string, DataArray> = {};
  if (keys.includes('y')) y.y = nestedArray(column('y'), at('y'), file, options.yDtype);
  return withLocation(() => makeDataset(name, x, y), file);
}

function checkRecord(r: unknown, keys: string[], file: string, i: number): void {
  const path = pointer('', i);
  if (typeof r !== 'object' || r === null || Array.isArray(r)) {
    throw new DataError(`expected a record {"x": ..., "y": ...}, got ${found(r)}`, { file, path });
  }
  checkKeys(r, keys, file, path);
  const missing = keys.find((k) => !(k in r));
  if (missing !== undefined) {
    const what = `expected a key "${missing}" (as record 0 has), got none`;
    throw new DataError(what, { file, path });
  }
}

function withLocation<T>(f: () => T, file: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DataError && e.location.file === undefined) {
      throw new DataError(e.what, { file, path: '' });
    }
    throw e;
  }
}

/**
 * A rectangular nested array of finite numbers as a DataArray; the shape is read from the first
 * element at each depth. `at(i)` is the pointer of sample i, for errors.
 */
export function nestedArray(
  samples: unknown[],
  where: { path: string; at: (i: number) => string },
  file: string,
  dtype?: DataDtype,
): DataArray {
  const { path, at } = where;
  if (samples.length === 0) {
    throw new DataError('expected at least one sample, got an empty array', { file, path });
  }
  const shape = [samples.length];
  for (let v = samples[0]; Array.isArray(v); v = v[0]) shape.push(v.length);
  const values: number[] = [];
  const walk = new Walk(file, at);
  for (let i = 0; i < samples.length; i++) {
    walk.indices[0] = i;
    flatten(samples[i], shape, 1, walk, values);
  }
  const type =
    dtype ?? (shape.length === 1 && values.every(Number.isInteger) ? 'int32' : 'float32');
  if (type === 'int32') return dataArray(toInt32(values, shape, at, file), shape);
  return dataArray(Float32Array.from(values), shape);
}

/** Appends a sample's numbers to `out`; `idx` holds the indices so far (a path only on error). */
function flatten(v: unknown, shape: number[], depth: number, idx: Walk, out: number[]): void {
  if (depth === shape.length) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new DataError(`expected a finite number, got ${found(v)}`, idx.location(depth));
    }
    out.push(v);
    return;
  }
  const n = shape[depth] as number;
  if (!Array.isArray(v) || v.length !== n) {
    throw new DataError(`expected an array of ${n}, got ${found(v)}`, idx.location(depth));
  }
  for (let i = 0; i < n; i++) {
    idx.indices[depth] = i;
    flatten(v[i], shape, depth + 1, idx, out);
  }
}

/** Where the walk is: the sample's pointer and the indices below it. */
class Walk {
  readonly indices: number[] = [];
  constructor(
    readonly file: string,
    readonly at: (i: number) => string,
  ) {}

  location(depth: number): DataLocation {
    const [sample = 0, ...inner] = this.indices.slice(0, depth);
    return { file: this.file, path: inner.reduce((p, i) => pointer(p, i), this.at(sample)) };
  }
}

function toInt32(values: number[], shape: number[], at: (i: number) => string, file: string) {
  const bad = values.findIndex((v) => !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31);
  if (bad >= 0) {
    const what = `expected an int32 integer, got ${values[bad]}`;
    throw new DataError(what, { file, path: elementPath(bad, shape, at) });
  }
  return Int32Array.from(values);
}

/** The pointer of the element at a flat (C order) index. */
function elementPath(flat: number, shape: number[], at: (i: number) => string): string {
  const inner: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 1; d--) {
    const n = shape[d] as number;
    inner.unshift(rest % n);
    rest = Math.floor(rest / n);
  }
  return inner.reduce((p, i) => pointer(p, i), at(rest));
}
