import { describe, expect, it } from 'vitest';
import { lineColumn, locatePointer } from './locate.js';

const text = [
  '{',
  '  "name": "t",',
  '  "layers": [',
  '    { "id": "a" },',
  '    { "id": "b", "units": 3 }',
  '  ],',
  '  "a/b": 1',
  '}',
].join('\n');

describe('locatePointer', () => {
  it('finds a property at its key', () => {
    expect(locatePointer(text, '/name')).toEqual({ line: 2, column: 3 });
    expect(locatePointer(text, '/layers/1/units')).toEqual({ line: 5, column: 18 });
    // "~1" escapes "/" in a pointer.
    expect(locatePointer(text, '/a~1b')).toEqual({ line: 7, column: 3 });
  });

  it('finds array elements at the element', () => {
    expect(locatePointer(text, '/layers/0')).toEqual({ line: 4, column: 5 });
    expect(locatePointer(text, '/layers/1')).toEqual({ line: 5, column: 5 });
  });

  it('falls back to the parent of a missing key or element', () => {
    expect(locatePointer(text, '/layers/1/activation')).toEqual({ line: 5, column: 5 });
    expect(locatePointer(text, '/layers/7')).toEqual({ line: 3, column: 13 });
    expect(locatePointer(text, '')).toEqual({ line: 1, column: 1 });
  });

  it('does not count a byte-order mark as a column', () => {
    expect(locatePointer(`\uFEFF${text}`, '')).toEqual({ line: 1, column: 1 });
    expect(locatePointer('\uFEFF{"a": 1}', '/a')).toEqual({ line: 1, column: 2 });
  });
});

describe('lineColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
