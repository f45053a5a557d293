import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'vitest';
import { TOOL_CASES } from './cli-bad-input-tools.js';
import { TRAIN_EXPORT_CASES } from './cli-bad-input-train.js';
import { type BadInputCase, expectRejected, scratch } from './cli-harness.js';

// Every command, bad input of every kind: exit 2, one clear line, nothing written. Rows are
// added per command; each runs in its own scratch directory where outputs are pointed.
const CASES: BadInputCase[] = [
  { name: 'validate: missing file', args: ['validate', '{dir}/nope.json'], message: /nope\.json/ },
  {
    name: 'validate: a directory',
    args: ['validate', '{dir}/sub'],
    files: { 'sub/x': 'x' },
    message: /directory/,
  },
  {
    name: 'summary: not JSON',
    args: ['summary', '{dir}/bad.json'],
    files: { 'bad.json': '{ "layers": [' },
    message: /bad\.json/,
  },
  { name: 'zoo show: unknown preset', args: ['zoo', 'show', 'lenet6'], message: /lenet6/ },
  ...TOOL_CASES,
  ...TRAIN_EXPORT_CASES,
];

describe('bad input gives exit 2, one message, no output', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const dir = scratch();
    for (const [path, content] of Object.entries(c.files ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    expectRejected(c, dir);
  });
});
