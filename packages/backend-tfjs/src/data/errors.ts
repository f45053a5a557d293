// Data files are untrusted: every problem becomes one DataError that says where (file and byte,
// line and column, or JSON pointer), what was expected and what came.

/** Where in an input a problem is; every field optional. */
export interface DataLocation {
  /** The file as the user named it (or a package file's path). */
  file?: string;
  /** Byte offset in the file (for gzip files: in the decompressed bytes). */
  offset?: number;
  /** 1-based line (text formats). */
  line?: number;
  /** 1-based column, counted in fields for CSV and in characters for JSON. */
  column?: number;
  /** JSON pointer inside a JSON document, like /x/3/1. */
  path?: string;
}

/** Bad data or a bad data option: the message reads "where: what was expected, what came". */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    readonly what: string,
    readonly location: DataLocation = {},
  ) {
    const at = describeLocation(location);
    super(at ? `${at}: ${what}` : what);
  }
}

/** "x.npy at byte 10", "d.csv line 4, column 2", "d.json /x/3/1". */
export function describeLocation({ file, offset, line, column, path }: DataLocation): string {
  const parts: string[] = [];
  if (file !== undefined) parts.push(file);
  if (offset !== undefined) parts.push(`at byte ${offset}`);
  if (line !== undefined) parts.push(column === undefined ? `line ${line}` : `line ${line},`);
  if (column !== undefined) parts.push(`column ${column}`);
  if (path !== undefined) parts.push(path === '' ? '/' : path);
  return parts.join(' ');
}

/** A short rendering of a found value for messages. */
export function found(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'object') return 'an object';
  const s = JSON.stringify(x);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** A JSON pointer segment (RFC 6901 escaping). */
export const pointer = (path: string, key: string | number) =>
  `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
