import { DataError } from './errors.js';

// The fashion-mnist package ships 150 MB of JSON: {"data": [[0, 12, ...], ...]}, one array of
// byte values per image. JSON.parse would build 55 million JS numbers only to copy them into
// bytes (about 3 s); this reads exactly that JSON subset straight into a Uint8Array (about 4x
// faster) and reports the byte offset of anything else. JSON whitespace is allowed between tokens.

export interface PixelRows {
  /** rows * rowLength bytes, row-major. */
  pixels: Uint8Array;
  rows: number;
}

const SPACE = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) SPACE[c] = 1;
const KEY = new TextEncoder().encode('"data"');
/** Bytes that may not follow an integer: '.', 'e', 'E' (a fraction or exponent). */
const NUMBER_TAIL = new Uint8Array(256);
for (const c of [0x2e, 0x65, 0x45]) NUMBER_TAIL[c] = 1;

/**
 * Reads {"data": [[...], ...]} where each inner array is exactly `rowLength` integers in 0..255,
 * or empty (skipped: the package has such entries). At most `maxRows` rows are accepted.
 */
export function readPixelRows(
  bytes: Uint8Array,
  file: string,
  rowLength: number,
  maxRows: number,
): PixelRows {
  const s = new Scanner(bytes, file);
  s.expect(0x7b, "'{'");
  s.expectKey();
  s.expect(0x3a, "':'");
  s.expect(0x5b, "'['");
  const pixels = new Uint8Array(maxRows * rowLength);
  let rows = 0;
  let more = s.peek() !== 0x5d;
  while (more) {
    const at = s.skipSpace();
    const n = s.readRow(pixels, rows * rowLength, rowLength, rows === maxRows);
    if (n !== 0 && n !== rowLength) {
      throw s.fail(`expected an array of ${rowLength} pixels (or an empty one), got ${n}`, at);
    }
    if (n === rowLength) rows++;
    more = s.separator(0x5d, "']'");
  }
  s.expect(0x5d, "']'");
  s.expect(0x7d, "'}'");
  if (s.skipSpace() !== bytes.length) throw s.fail('expected the end of the file, got more', s.pos);
  return { pixels: pixels.subarray(0, rows * rowLength), rows };
}

class Scanner {
  pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {}

  fail(what: string, offset: number): DataError {
    return new DataError(what, { file: this.file, offset });
  }

  /** Skips whitespace; returns the position of the next token. */
  skipSpace(): number {
    while (this.pos < this.bytes.length && SPACE[this.bytes[this.pos] as number]) this.pos++;
    return this.pos;
  }

  peek(): number | undefined {
    return this.bytes[this.skipSpace()];
  }

  got(at: number): string {
    const b = this.bytes[at];
    return b === undefined ? 'the end of the file' : JSON.stringify(String.fromCharCode(b));
  }

  expect(byte: number, what: string): void {
    const at = this.skipSpace();
    if (this.bytes[at] !== byte) throw this.fail(`expected ${what}, got ${this.got(at)}`, at);
    this.pos++;
  }

  expectKey(): void {
    const at = this.skipSpace();
    if (!KEY.every((b, i) => this.bytes[at + i] === b)) {
      throw this.fail(`expected the key "data", got ${this.got(at)}`, at);
    }
    this.pos += KEY.length;
  }

  /** After an element: true for ',' (another follows), false before `close`. */
  separator(close: number, what: string): boolean {
    const at = this.skipSpace();
    const b = this.bytes[at];
    if (b === 0x2c) {
      this.pos++;
      return true;
    }
    if (b !== close) throw this.fail(`expected ',' or ${what}, got ${this.got(at)}`, at);
    return false;
  }

  /** Reads one [int, ...] into out[start...]; returns its length. `full`: no room for one. */
  readRow(out: Uint8Array, start: number, room: number, full: boolean): number {
    this.expect(0x5b, "'[' (an image)");
    if (this.peek() === 0x5d) {
      this.pos++;
      return 0;
    }
    // The hot loop (55 million numbers): plain indexing, no calls.
    const b = this.bytes;
    let i = this.pos;
    let n = 0;
    for (;;) {
      while (SPACE[b[i] as number]) i++;
      const at = i;
      let v = 0;
      while ((b[i] as number) >= 0x30 && (b[i] as number) <= 0x39)
        v = v * 10 + (b[i++] as number) - 0x30;
      const digits = i - at;
      if (
        digits === 0 ||
        digits > 3 ||
        v > 255 ||
        (digits > 1 && b[at] === 0x30) ||
        NUMBER_TAIL[b[i] as number]
      ) {
        throw this.badPixel(at, i);
      }
      if (full) throw this.fail('expected no more images, got more', at);
      if (n < room) out[start + n] = v;
      n++;
      while (SPACE[b[i] as number]) i++;
      if (b[i] === 0x2c) i++;
      else if (b[i] === 0x5d) break;
      else throw this.fail(`expected ',' or ']', got ${this.got(i)}`, i);
    }
    this.pos = i + 1;
    return n;
  }

  badPixel(at: number, end: number): DataError {
    const what = 'expected an integer pixel in 0..255, got';
    if (NUMBER_TAIL[this.bytes[end] as number] && end > at) {
      return this.fail(`${what} a fraction or exponent`, at);
    }
    const token = new TextDecoder().decode(this.bytes.subarray(at, at + 12)).split(/[,\]\s]/)[0];
    return this.fail(`${what} ${token ? JSON.stringify(token) : this.got(at)}`, at);
  }
}
