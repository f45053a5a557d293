import { describe, expect, it } from 'vitest';
import { parseJson } from './parse-json.js';

const issues = (text: string, maxDepth?: number) => {
  const r = parseJson(text, { maxDepth });
  if (r.ok) throw new Error('expected the text to be rejected');
  return r.issues;
};

describe('parseJson', () => {
  it('parses strict JSON', () => {
    expect(parseJson('{"a": [1, {"b": null}]}')).toEqual({
      ok: true,
      value: { a: [1, { b: null }] },
    });
  });

  it('rejects duplicate keys, nested ones too, at their pointer', () => {
    expect(issues('{"a": 1, "b": {"c": 1, "c": 2}, "a": 3}')).toEqual([
      { pointer: '/b/c', message: 'duplicate key "c"; each key may appear once' },
      { pointer: '/a', message: 'duplicate key "a"; each key may appear once' },
    ]);
    expect(issues('{"layers": [{"id": "x"}, {"id": "y", "units": 1, "units": 2}]}')).toEqual([
      { pointer: '/layers/1/units', message: 'duplicate key "units"; each key may appear once' },
    ]);
    // The same key in sibling objects is fine.
    expect(parseJson('[{"a": 1}, {"a": 2}]').ok).toBe(true);
  });

  it('names line and column of syntax errors', () => {
    expect(issues('{\n  "a": 1,\n}')).toEqual([
      {
        pointer: '',
        message: 'invalid JSON at line 3, column 1: expected a property name in double quotes',
      },
    ]);
    expect(issues('{"a": 1 // note\n}')).toEqual([
      { pointer: '/a', message: 'invalid JSON at line 1, column 9: comments are not JSON' },
    ]);
    expect(issues('{\n"a": "abc')).toEqual([
      { pointer: '/a', message: 'invalid JSON at line 2, column 6: an unterminated string' },
    ]);
    expect(issues('')).toEqual([
      {
        pointer: '',
        message: 'invalid JSON at the end of the file, line 1, column 1: expected a value',
      },
    ]);
    expect(issues('[1]\n\n  x')).toEqual([
      { pointer: '', message: 'invalid JSON at line 3, column 3: an invalid symbol' },
    ]);
  });

  it('reports only the syntax error, not keys the recovering parser duplicates', () => {
    expect(issues('{"type": "dense, "type": 1}')).toEqual([
      { pointer: '/type', message: expect.stringMatching(/^invalid JSON at line 1, column \d+: /) },
    ]);
  });

  it('accepts a byte-order mark', () => {
    expect(parseJson('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('rejects nesting deeper than maxDepth at the too-deep value', () => {
    expect(issues('{"a": [[[1]]]}', 3)).toEqual([
      { pointer: '/a/0/0', message: 'nested 4 levels deep; expected at most 3' },
    ]);
    expect(parseJson('{"a": [[1]]}', { maxDepth: 3 }).ok).toBe(true);
    // Brackets inside strings do not count.
    expect(parseJson('{"a": "[[[[{{{{"}', { maxDepth: 1 }).ok).toBe(true);
  });

  it('reports 100000 nested arrays at the root without throwing', () => {
    const text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(issues(text)).toEqual([
      { pointer: '', message: 'nested 100000 levels deep; expected at most 64' },
    ]);
    // A larger maxDepth cannot take the parser past what it handles safely.
    expect(issues(text, 1_000_000)).toEqual([
      { pointer: '', message: 'nested 100000 levels deep; expected at most 2000' },
    ]);
  });
});
