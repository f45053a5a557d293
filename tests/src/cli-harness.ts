import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

// Drives the built `netspec` binary as a child process, as a user runs it.
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const bin = `${root}packages/cli/dist/bin.js`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `netspec ...args` in `cwd` (the repository root unless given). */
export function netspec(args: string[], cwd = root, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh scratch directory for one test. */
export const scratch = (prefix = 'netspec-') => mkdtempSync(join(tmpdir(), prefix));

/** Every file under `dir` with its size and modification time: what "nothing changed" compares. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out[p] = `${s.size}:${s.mtimeMs}:${readFileSync(p).subarray(0, 64).toString('hex')}`;
    }
  };
  walk(dir);
  return out;
}

/** One row of a bad-input table: the command line, and the message its one error line must match. */
export interface BadInputCase {
  name: string;
  /** Arguments; `{dir}` is replaced by the case's scratch directory. */
  args: string[];
  message: RegExp;
  /** Files to create in the scratch directory first (path relative to it -> content). */
  files?: Record<string, string | Uint8Array>;
  env?: NodeJS.ProcessEnv;
}

/**
 * Checks a bad-input case: exit 2, one `error:` line matching `message` on stderr, no stack
 * trace, and no file created or changed in the scratch directory (where outputs are pointed).
 */
export function expectRejected(c: BadInputCase, dir: string): void {
  const before = snapshotTree(dir);
  const r = netspec(
    c.args.map((a) => a.replaceAll('{dir}', dir)),
    dir,
    c.env,
  );
  expect(r.code, `${c.name}: exit code (stderr: ${r.stderr})`).toBe(2);
  expect(r.stderr, c.name).toMatch(c.message);
  expect(r.stderr, `${c.name}: one error`).toMatch(/^error: /);
  expect(r.stderr.match(/^error: /gm)?.length ?? 0, `${c.name}: one error line`).toBe(1);
  expect(r.stderr, `${c.name}: no stack trace`).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
  expect(snapshotTree(dir), `${c.name}: no file written or changed`).toEqual(before);
}
