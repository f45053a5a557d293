import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputDir, checkOutputFile, writeOutput } from './output-path.js';

describe('output paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-out-'));
  writeFileSync(join(dir, 'file'), 'x');
  mkdirSync(join(dir, 'sub'));

  it('accept new files and directories under writable ones', async () => {
    await checkOutputFile(join(dir, 'new', 'deeper', 'm.onnx'), '-o');
    await checkOutputDir(join(dir, 'run'), '--out');
    await checkOutputDir(join(dir, 'sub'), '--out');
  });

  it('refuse directories as files, files as directories, paths under files', async () => {
    await expect(checkOutputFile(join(dir, 'sub'), '-o')).rejects.toThrow(
      /-o .*sub: is a directory; expected a file path/,
    );
    await expect(checkOutputDir(join(dir, 'file'), '--out')).rejects.toThrow(
      /--out .*file: is a file/,
    );
    await expect(checkOutputFile(join(dir, 'file', 'm.onnx'), '-o')).rejects.toThrow(
      /file is not a directory; expected a writable directory/,
    );
  });

  it('write atomically, leaving no temp file, and fail cleanly', async () => {
    await writeOutput(join(dir, 'out', 'a.txt'), 'hello');
    expect(readFileSync(join(dir, 'out', 'a.txt'), 'utf8')).toBe('hello');
    expect(readdirSync(join(dir, 'out'))).toEqual(['a.txt']);
    await expect(writeOutput(join(dir, 'sub'), 'x')).rejects.toThrow(
      /sub: cannot write \(EISDIR\)/,
    );
    expect(readdirSync(join(dir, 'sub'))).toEqual([]);
    expect(existsSync(join(dir, 'file', 'x'))).toBe(false);
  });
});
