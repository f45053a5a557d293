import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { NETSPEC_ONNX_VERSION } from './version.js';

it('the producer version is the package version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  expect(NETSPEC_ONNX_VERSION).toBe(pkg.version);
});
