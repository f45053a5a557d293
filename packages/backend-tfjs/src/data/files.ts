import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { DataError } from './errors.js';

// Reading untrusted files: fs failures and bad UTF-8 become DataErrors naming the file.

/** The folder holding a package's files, resolved from this module (works offline). */
export function packageDir(name: string): string {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
  } catch {
    throw new DataError(`expected the npm package "${name}" installed, got none`);
  }
}

/** Reads a whole file, turning fs failures into DataErrors; refuses files above `maxBytes`. */
export function readBytes(file: string, maxBytes = 2 ** 31 - 1): Uint8Array {
  try {
    const size = statSync(file).size;
    // Checked before reading: the file's own size is its declared size.
    if (size > maxBytes) {
      throw new DataError(`expected at most ${maxBytes} bytes, got a file of ${size}`, { file });
    }
    return plain(readFileSync(file));
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(fsProblem(e), { file });
  }
}

/** Reads a UTF-8 text file; invalid UTF-8 is an error, never replacement characters. */
export function readText(file: string, maxBytes?: number): string {
  const bytes = readBytes(file, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataError('expected UTF-8 text, got invalid UTF-8', {
      file,
      offset: firstInvalidUtf8(bytes),
    });
  }
}

/** The byte where UTF-8 decoding first fails (a binary search on prefixes that decode). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const ok = (n: number) => {
    try {
      // stream: a prefix may end inside a character; only a wrong byte throws.
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A plain Uint8Array view of a Buffer: Buffer's slice() shares memory, Uint8Array's copies. */
export const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

function fsProblem(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'expected a file, got nothing there (no such file)';
  if (code === 'EISDIR') return 'expected a file, got a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'expected a readable file, got no permission';
  return `expected a readable file, got ${code ?? (e as Error).message}`;
}
