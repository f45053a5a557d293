import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAYER_TYPES } from './layers/registry.js';
import { withVocabulary } from './vocabulary-doc.js';

describe('README vocabulary', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  it('is current (run `pnpm --filter @netspec/spec gen:docs` after changing a layer kind)', () => {
    expect(withVocabulary(readme) === readme).toBe(true);
  });
  it('lists every layer type', () => {
    for (const type of LAYER_TYPES) expect(readme).toContain(`| \`${type}\` |`);
  });
});
