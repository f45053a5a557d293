import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from './user-error.js';

// Outputs are checked before any work starts, so a bad path fails in a second, not after a
// training run; the write itself is atomic (temp file + rename) so a failure leaves nothing.

/** Fails unless `path` can be written as a file: not a directory, under a writable directory. */
export async function checkOutputFile(path: string, flag: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory())
    throw new UserError(`${flag} ${path}: is a directory; expected a file path`);
  await checkCreatable(dirname(resolve(path)), `${flag} ${path}`);
}

/** Fails unless `dir` is a directory or can be created (its nearest existing parent is writable). */
export async function checkOutputDir(dir: string, flag: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory())
    throw new UserError(`${flag} ${dir}: is a file; expected a directory`);
  await checkCreatable(resolve(dir), `${flag} ${dir}`);
}

async function checkCreatable(dir: string, where: string): Promise<void> {
  let at = dir;
  let info = await stat(at).catch(() => undefined);
  while (!info) {
    const up = dirname(at);
    if (up === at) break;
    at = up;
    info = await stat(at).catch(() => undefined);
  }
  if (!info?.isDirectory())
    throw new UserError(`${where}: ${at} is not a directory; expected a writable directory`);
  try {
    await access(at, constants.W_OK);
  } catch {
    throw new UserError(`${where}: ${at} is not writable`);
  }
}

/** Writes a file atomically; a failure names the path and leaves no partial file. */
export async function writeOutput(path: string, data: Uint8Array | string): Promise<void> {
  const { writeFileAtomic } = await import('@netspec/backend-tfjs');
  try {
    await writeFileAtomic(path, data);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UserError(`${path}: cannot write (${code})`);
  }
}
